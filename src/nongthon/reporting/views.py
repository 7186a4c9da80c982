"""Reporting pages: a unit's (or department's) reports and the ones waiting for its review, a
report (fill in, send, return, accept), the grid units × periods, missing and late reports, the
compiled report of a period (page, Excel, Word), and the province's schedule.

A unit the user may not see is a 404; an action refused on a visible report is a 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nongthon.accounts import permissions
from nongthon.places.models import Agency, AgencyKind, Level, Unit
from nongthon.reporting import aggregation, exports, queries, services
from nongthon.reporting import definitions as defs
from nongthon.reporting.display import no_data_note, report_view
from nongthon.reporting.figures import TABLE_COLUMNS
from nongthon.reporting.forms import AdhocForm, ReportForm, ReviewForm, RuleForm
from nongthon.reporting.models import ReportPeriod, Status, Submission
from nongthon.web.forms import add_errors, int_param, is_stale


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, f"reporting/{template}", {"active": "reporting", **context})


def _visible_unit(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("province", "district"), pk=pk)
    if not permissions.can_view_reports(request.user, unit):
        raise Http404
    return unit


def _day(request: HttpRequest, name: str = "on") -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return timezone.localdate()


def _year(request: HttpRequest, default: int) -> int:
    year = int_param(request.GET.get("year"), default)
    return year if 1900 <= year <= 2100 else default


def _open_year(province: Unit, year: int) -> None:
    """The year's periods exist once somebody opens the reporting pages of the province."""
    if not ReportPeriod.objects.filter(province=province, year=year).exists():
        services.ensure_periods(province, year)


def _years(province: Unit, current: int) -> list[int]:
    years = set(
        ReportPeriod.objects.filter(province=province).values_list("year", flat=True).distinct()
    )
    return sorted(years | {current}, reverse=True)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units, agencies = [], []
    for m in request.user.memberships.select_related("unit", "agency").order_by("unit__code"):
        if m.agency_id and m.agency.kind == AgencyKind.DEPARTMENT and m.agency not in agencies:
            agencies.append(m.agency)
        if m.unit not in units and permissions.can_view_reports(request.user, m.unit):
            units.append(m.unit)
    return _page(request, "index.html", {"units": units, "agencies": agencies})


def _default_year(request: HttpRequest, province: Unit, who, today: dt.date) -> int:
    """The year asked for; else the latest year with periods while the unit existed (a unit
    ended by the 2025 reform shows its last reporting year)."""
    last = who.valid_to.year if who.valid_to else today.year
    years = ReportPeriod.objects.filter(province=province, year__lte=min(last, today.year))
    found = years.order_by("-year").values_list("year", flat=True).first()
    return _year(request, found or min(last, today.year))


@login_required
def unit_page(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    province = queries.province_of(unit)
    today = timezone.localdate()
    if unit.is_current:
        _open_year(province, today.year)
    year = _default_year(request, province, unit, today)
    since, on = dt.date(year, 1, 1), min(today, dt.date(year + 1, 1, 1))
    own = [] if unit.level == Level.PROVINCE else queries.own_reports(unit, year, today)
    summary = None
    if unit.level != Level.COMMUNE:
        summary = queries.reporting_summary(unit, on, since=since, limit=10)
    context = {
        "unit": unit,
        "province": province,
        "year": year,
        "years": _years(province, today.year),
        "own": own,
        "may_submit": permissions.can_submit_report(request.user, unit),
        "queue": queries.review_queue(request.user, unit),
        "summary": summary,
        "missing_link": queries.missing_url(unit, on) + f"&since={since.isoformat()}",
        "compiled": aggregation.compiled_periods(province, year)
        if unit.level != Level.COMMUNE
        else [],
        "rules": _rules_for(province, unit),
        "may_manage": permissions.can_manage_report_schedule(request.user, province),
        "today": today,
        "on": on,
    }
    return _page(request, "unit.html", context)


def _rules_for(province: Unit, scope: Unit) -> list[defs.Rule]:
    schedule = queries.schedule_of(province)
    if schedule is None or scope.level == Level.COMMUNE:
        return []
    rules = [r for r in schedule.rule_list() if r.active]
    if scope.level == Level.DISTRICT:
        rules = [r for r in rules if r.submitters != defs.DEPARTMENT]
    return rules


@login_required
def agency_page(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.select_related("unit"), pk=agency_pk)
    if not (
        permissions.can_view_reports(request.user, agency.unit)
        or permissions.can_submit_report(request.user, agency.unit, agency)
    ):
        raise Http404
    today = timezone.localdate()
    if agency.is_current and agency.unit.is_current:
        _open_year(agency.unit, today.year)
    year = _default_year(request, agency.unit, agency.unit, today)
    context = {
        "agency": agency,
        "unit": agency.unit,
        "year": year,
        "years": _years(agency.unit, today.year),
        "own": queries.own_reports(agency.unit, year, today, agency=agency),
        "may_submit": permissions.can_submit_report(request.user, agency.unit, agency),
        "queue": queries.review_queue(request.user, agency.unit)
        if any(m.agency_id == agency.pk for m in request.user.memberships.all())
        else [],
    }
    return _page(request, "agency.html", context)


@login_required
@require_POST
def open_report(request: HttpRequest, period_pk: int, unit_pk: int) -> HttpResponse:
    period = get_object_or_404(ReportPeriod, pk=period_pk)
    unit = _visible_unit(request, unit_pk)
    agency = None
    if request.POST.get("agency"):
        agency = get_object_or_404(Agency, pk=request.POST["agency"], unit=unit)
    try:
        submission = services.open_submission(request.user, period, unit, agency)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting:unit", unit.pk)
    return redirect("reporting:submission", submission.pk)


def _visible_submission(request: HttpRequest, pk: int) -> Submission:
    submission = queries.visible_submission(request.user, pk)
    if submission is None:
        raise Http404
    return submission


@login_required
def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible_submission(request, pk)
    user = request.user
    period = submission.period
    may_edit = submission.is_editable and permissions.can_submit_report(
        user, submission.unit, submission.agency
    )
    may_review = submission.status == Status.SUBMITTED and permissions.can_review_report(
        user, submission.unit, submission.agency, period.recipient
    )
    view = report_view(submission)
    form = ReportForm(
        view.form,
        initial={
            "version": submission.version,
            **{f"typed_{k}": v for k, v in view.raw_typed.items()},
            **{f"text_{t.code}": text for t, text in view.texts},
        },
    )
    review = ReviewForm(initial={"version": submission.version})
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("save", "refresh", "submit"):
            if not may_edit:
                raise PermissionDenied
            form = ReportForm(view.form, request.POST)
            if form.is_valid():
                version = form.cleaned_data["version"]
                try:
                    if action == "submit":
                        services.submit(user, submission, version, form.typed(), form.texts())
                        messages.success(request, _("Đã gửi báo cáo."))
                    else:
                        services.save_draft(
                            user,
                            submission,
                            version,
                            form.typed(),
                            form.texts(),
                            refresh=action == "refresh",
                        )
                        messages.success(
                            request,
                            _("Đã cập nhật số liệu từ hệ thống.")
                            if action == "refresh"
                            else _("Đã lưu bản nháp."),
                        )
                except ValidationError as error:
                    if is_stale(error):
                        messages.error(request, " ".join(error.messages))
                        return redirect("reporting:submission", submission.pk)
                    add_errors(form, error)
                else:
                    return redirect("reporting:submission", submission.pk)
        elif action in ("return", "accept"):
            if not may_review:
                raise PermissionDenied
            review = ReviewForm(request.POST)
            if review.is_valid():
                version = review.cleaned_data["version"]
                comment = review.cleaned_data["comment"]
                try:
                    if action == "accept":
                        services.accept(user, submission, version, comment)
                        messages.success(request, _("Đã chấp nhận báo cáo."))
                    else:
                        services.return_report(user, submission, version, comment)
                        messages.success(request, _("Đã trả lại báo cáo cho đơn vị."))
                except ValidationError as error:
                    if is_stale(error):
                        messages.error(request, " ".join(error.messages))
                        return redirect("reporting:submission", submission.pk)
                    add_errors(review, error)
                else:
                    return redirect("reporting:submission", submission.pk)
        else:
            raise Http404
    today = timezone.localdate()
    context = {
        "submission": submission,
        "period": period,
        "view": view,
        "form": form,
        "review": review,
        "may_edit": may_edit,
        "may_review": may_review,
        "events": submission.events.select_related("by"),
        "state": queries.State(
            queries.timeliness(period.deadline, submission.first_submitted_on, today)
        ),
        "no_data_note": no_data_note(),
        "table_columns": [str(label) for label in TABLE_COLUMNS.values()],
        "unit": submission.unit,
    }
    return _page(request, "submission.html", context)


@login_required
def submission_docx(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible_submission(request, pk)
    content = exports.submission_document(submission)
    return _download(
        content, exports.DOCX, f"bao-cao-{submission.unit.code}-{submission.period.pk}.docx"
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def grid_page(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    province = queries.province_of(unit)
    rules = _rules_for(province, unit)
    codes = [r.code for r in rules]
    chosen = request.GET.get("rule") or (codes[0] if codes else "")
    if chosen not in codes:
        raise Http404
    on = _day(request)
    grid = queries.grid(unit, chosen, year, on)
    return _page(
        request,
        "grid.html",
        {
            "unit": unit,
            "year": year,
            "rules": rules,
            "rule": next(r for r in rules if r.code == chosen),
            "grid": grid,
            "on": on,
        },
    )


@login_required
def missing_page(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """Missing and late reports of a unit's subtree (the dashboard links here)."""
    unit = _visible_unit(request, unit_pk)
    on = _day(request)
    since = _day(request, "since") if request.GET.get("since") else on - dt.timedelta(days=365)
    state = request.GET.get("state", "")
    if state not in ("", queries.MISSING, queries.LATE):
        state = ""
    rows, cut = queries.problem_rows(unit, on, since, state)
    return _page(
        request,
        "missing.html",
        {"unit": unit, "rows": rows, "cut": cut, "on": on, "since": since, "state": state},
    )


@login_required
def compiled_page(
    request: HttpRequest, unit_pk: int, year: int, frequency: str, number: int
) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    if unit.level == Level.COMMUNE or frequency not in (*defs.FREQUENCIES, defs.ADHOC):
        raise Http404
    on = _day(request)
    compiled = aggregation.compile_report(unit, frequency, year, number, on)
    if not compiled.forms:
        raise Http404
    wanted = request.GET.get("format")
    if wanted == "xlsx":
        return _download(
            exports.compiled_workbook(compiled),
            exports.XLSX,
            exports.filename(unit, compiled, "xlsx"),
        )
    if wanted == "docx":
        return _download(
            exports.compiled_document(compiled),
            exports.DOCX,
            exports.filename(unit, compiled, "docx"),
        )
    return _page(
        request,
        "compiled.html",
        {
            "unit": unit,
            "compiled": compiled,
            "on": on,
            "year": year,
            "text_sections": [
                (_("Kết quả thực hiện"), compiled.texts("ket_qua")),
                (_("Khó khăn, vướng mắc"), compiled.texts("kho_khan")),
                (_("Đề xuất, kiến nghị"), compiled.texts("de_xuat")),
            ],
        },
    )


# --- The schedule -----------------------------------------------------------------------------


def _province(request: HttpRequest, pk: int) -> Unit:
    province = _visible_unit(request, pk)
    if province.level != Level.PROVINCE:
        raise Http404
    return province


@login_required
def schedule_page(request: HttpRequest, province_pk: int) -> HttpResponse:
    province = _province(request, province_pk)
    schedule = services.ensure_schedule(province)
    recipients = dict(Agency.objects.filter(unit=province).values_list("code", "name"))
    adhoc = ReportPeriod.objects.filter(province=province, rule_code="adhoc").order_by("-deadline")
    return _page(
        request,
        "schedule.html",
        {
            "unit": province,
            "schedule": schedule,
            "rules": [
                (rule, recipients.get(rule.recipient, rule.recipient))
                for rule in schedule.rule_list()
            ],
            "adhoc": adhoc,
            "may_manage": permissions.can_manage_report_schedule(request.user, province),
            "history": schedule.history.select_related("history_user").order_by("-history_id"),
        },
    )


@login_required
def rule_page(request: HttpRequest, province_pk: int, code: str) -> HttpResponse:
    province = _province(request, province_pk)
    if not permissions.can_manage_report_schedule(request.user, province):
        raise PermissionDenied
    schedule = services.ensure_schedule(province)
    forms_available = list(defs.forms().values())
    existing = None
    if code != "new":
        try:
            existing = schedule.rule(code)
        except KeyError as error:
            raise Http404 from error
    initial = {"version": schedule.version, "active": True, "months_after": 0, "halves": [1]}
    if existing is not None:
        initial.update(existing.as_dict())
    form = RuleForm(province, forms_available, request.POST or None, initial=initial)
    if existing is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.rule_data()
        if existing is not None:
            data["code"] = existing.code
        elif any(r.code == data["code"] for r in schedule.rule_list()):
            form.add_error("code", _("Đã có quy định mã «%s».") % data["code"])
            return _page(request, "rule.html", {"unit": province, "form": form, "rule": existing})
        try:
            services.save_rule(
                request.user,
                province,
                data,
                form.cleaned_data["version"],
                form.cleaned_data["note"],
            )
        except ValidationError as error:
            if is_stale(error):
                messages.error(request, " ".join(error.messages))
                return redirect("reporting:schedule", province.pk)
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu quy định báo cáo."))
            return redirect("reporting:schedule", province.pk)
    return _page(request, "rule.html", {"unit": province, "form": form, "rule": existing})


@login_required
def adhoc_page(request: HttpRequest, province_pk: int) -> HttpResponse:
    province = _province(request, province_pk)
    if not permissions.can_manage_report_schedule(request.user, province):
        raise PermissionDenied
    schedule = services.ensure_schedule(province)
    forms_available = [defs.form(code) for code in schedule.adhoc_forms]
    form = AdhocForm(forms_available, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = services.open_adhoc(
                request.user,
                province,
                title=data["title"],
                form_code=data["form_code"],
                submitters=data["submitters"],
                deadline=data["deadline"],
                request_text=data["request_text"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã yêu cầu «%(title)s», hạn %(d)s.")
                % {"title": period.title, "d": period.deadline.strftime("%d/%m/%Y")},
            )
            return redirect("reporting:schedule", province.pk)
    return _page(request, "adhoc.html", {"unit": province, "form": form})
