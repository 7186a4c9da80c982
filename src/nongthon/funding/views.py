"""Funding pages: funding by source for a year (with the split by district / commune and the
stated totals), entering lines and a plan's written funding section, works with money, progress
and debt, the distance to standard with its what-if, the proposed targets, and Excel exports.

A unit the user may not see is a 404; a change refused on a visible unit is a 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.assessment.queries import commune_families, has_illustrative_values
from nongthon.funding import distance as distance_queries
from nongthon.funding import excel, queries, services
from nongthon.funding.amounts import MoneyUnit, format_amount
from nongthon.funding.forms import (
    DebtForm,
    DisbursementForm,
    LineForm,
    PlanTextForm,
    RepaymentForm,
    WorkEditForm,
    WorkForm,
    WorkProgressForm,
)
from nongthon.funding.models import Debt, Disbursement, LineKind, Work
from nongthon.places.models import Level, Unit
from nongthon.web.forms import add_errors, int_param, is_stale
from nongthon.web.history import describe_all


def _visible_unit(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("province", "district"), pk=pk)
    if not permissions.can_view_funding(request.user, unit):
        raise Http404
    return unit


def _visible_work(request: HttpRequest, pk: int) -> Work:
    work = get_object_or_404(Work.objects.select_related("commune", "commune__district"), pk=pk)
    if not permissions.can_view_funding(request.user, work.commune):
        raise Http404
    return work


def _money_unit(request: HttpRequest) -> str:
    chosen = request.GET.get("money", "")
    return chosen if chosen in MoneyUnit.values else MoneyUnit.TRIEU


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(
        request,
        f"funding/{template}",
        {"active": "funding", "money": _money_unit(request), "money_units": MoneyUnit.choices,
         **context},
    )  # fmt: skip


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _family(request: HttpRequest, unit: Unit, year: int) -> tuple[str, list]:
    families = commune_families(unit, year)
    wanted = request.GET.get("family", "")
    if wanted and any(s.family == wanted for s in families):
        return wanted, families
    if not families:
        raise Http404
    return families[0].family, families


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = []
    for m in request.user.memberships.select_related("unit").order_by("unit__code"):
        if m.unit not in units:
            units.append(m.unit)
    this_year = dt.date.today().year
    entries = [(u, queries.years_with_lines(u) or [this_year]) for u in units]
    return _page(request, "index.html", {"entries": entries})


@login_required
def overview(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    detailed = request.GET.get("detail") == "1"
    # ?on=yyyy-mm-dd: only the lines dated by then (the dashboard's figures during a year).
    try:
        on_date = dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        on_date = None
    sources = queries.funds_by_source(unit, year, on_date, detailed=detailed)
    context = {
        "unit": unit,
        "year": year,
        "on_date": on_date,
        "detailed": detailed,
        "sources": sources,
        "total": queries.funding_figures(unit, year, on_date),
        "parts": (
            queries.funding_by_part(unit, year, on_date) if unit.level != Level.COMMUNE else []
        ),
        "checks": queries.stated_checks(unit, year),
        "allocated_by_month": queries.cumulative_by_month(unit, year, LineKind.ALLOCATED),
        "disbursed_by_month": queries.cumulative_by_month(unit, year, LineKind.DISBURSED),
        "illustrative": queries.has_illustrative(unit, year),
        "years": queries.years_with_lines(unit),
        "may_edit": permissions.can_edit_funding(request.user, unit),
        "families": commune_families(unit, year) if unit.level != Level.COMMUNE else [],
    }
    if request.GET.get("format") == "xlsx":
        content = excel.funding_workbook(
            unit, year, _money_unit(request),
            queries.funds_by_source(unit, year, on_date, detailed=True), context["parts"],
            context["checks"], context["illustrative"],
        )  # fmt: skip
        return _xlsx(content, f"nguon-von-{unit.code}-{year}.xlsx")
    return _page(request, "overview.html", context)


@login_required
def line_new(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    if not permissions.can_edit_funding(request.user, unit):
        raise PermissionDenied
    form = LineForm(request.POST or None)
    plan_form = PlanTextForm(request.POST or None, prefix="plan")
    if request.method == "POST":
        if "plan-text" in request.POST:
            if plan_form.is_valid():
                try:
                    done = services.import_plan_text(
                        request.user, unit, year, plan_form.cleaned_data["text"],
                        kind=plan_form.cleaned_data["kind"],
                        document=plan_form.cleaned_data["document"],
                    )  # fmt: skip
                except ValidationError as error:
                    add_errors(plan_form, error)
                else:
                    messages.success(request, _("Đã nhập %d dòng nguồn vốn.") % len(done.lines))
                    return redirect("funding:overview", unit.pk, year)
            form = LineForm()
        else:
            plan_form = PlanTextForm(prefix="plan")
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.record_line(
                        request.user, unit, year, data["source"], data["kind"], data["amount"],
                        data["money_unit"], data["on_date"], data["document"], data["note"],
                    )  # fmt: skip
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("Đã ghi dòng nguồn vốn."))
                    return redirect("funding:overview", unit.pk, year)
    return _page(
        request,
        "line_form.html",
        {"unit": unit, "year": year, "form": form, "plan_form": plan_form},
    )


@login_required
def works(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    try:
        on_date = (
            dt.date.fromisoformat(request.GET.get("on", "")) if request.GET.get("on") else None
        )
    except ValueError:
        on_date = None
    on_date = on_date or dt.date.today()
    rows = queries.works_in(unit, on_date)
    if request.GET.get("format") == "xlsx":
        content = excel.works_workbook(unit, on_date, _money_unit(request), rows)
        return _xlsx(content, f"cong-trinh-{unit.code}.xlsx")
    return _page(
        request,
        "works.html",
        {
            "unit": unit,
            "on_date": on_date,
            "rows": rows,
            "illustrative": any(r.work.illustrative for r in rows),
            "debt_total": sum((r.debt for r in rows), queries.ZERO),
            "may_add": unit.level == Level.COMMUNE
            and permissions.can_edit_works(request.user, unit),
        },
    )


@login_required
def work_new(request: HttpRequest, unit_pk: int) -> HttpResponse:
    commune = _visible_unit(request, unit_pk)
    if not permissions.can_edit_works(request.user, commune):
        raise PermissionDenied
    year = dt.date.today().year
    families = commune_families(commune, year)
    form = WorkForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and families:
        data = form.cleaned_data
        try:
            # The work and its sources together, or neither.
            with transaction.atomic():
                work = services.create_work(
                    request.user, commune, name=data["name"], family=families[0].family,
                    criterion_number=data["criterion_number"],
                    indicator_code=data["indicator_code"],
                    investment_total=data["investment_total"], money_unit=data["money_unit"],
                    start_date=data["start_date"], end_date=data["end_date"],
                    progress=data["progress"], note=data["note"],
                )  # fmt: skip
                services.set_work_sources(request.user, work, data["sources_text"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm công trình «%s».") % work.name)
            return redirect("funding:work", work.pk)
    return _page(request, "work_form.html", {"unit": commune, "form": form})


@login_required
def work_detail(request: HttpRequest, pk: int) -> HttpResponse:
    work = _visible_work(request, pk)
    may_edit = permissions.can_edit_works(request.user, work.commune)
    forms = {
        "progress": WorkProgressForm(
            initial={"progress": work.progress, "finished_on": work.finished_on,
                     "version": work.version}, prefix="progress",
        ),
        "disbursement": DisbursementForm(prefix="disb"),
        "debt": DebtForm(prefix="debt"),
        "repayment": RepaymentForm(prefix="repay"),
    }  # fmt: skip
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        action = request.POST.get("action", "")
        done = _work_action(request, work, action, forms)
        if done:
            return redirect("funding:work", work.pk)
    (row,) = [r for r in queries.works_in(work.commune) if r.work.pk == work.pk]
    debts = list(work.debts.prefetch_related("repayments"))
    records = [
        *work.history.select_related("history_user"),
        *Disbursement.history.filter(work_id=work.pk).select_related("history_user"),
        *Debt.history.filter(work_id=work.pk).select_related("history_user"),
    ]
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    return _page(
        request,
        "work.html",
        {
            "unit": work.commune,
            "work": work,
            "row": row,
            "timeline": queries.disbursement_timeline(work),
            "debts": debts,
            "forms": forms,
            "may_edit": may_edit,
            "history": describe_all(records),
        },
    )


@login_required
def work_edit(request: HttpRequest, pk: int) -> HttpResponse:
    work = _visible_work(request, pk)
    if not permissions.can_edit_works(request.user, work.commune):
        raise PermissionDenied
    initial = {
        "name": work.name,
        "criterion_number": work.criterion_number,
        "indicator_code": work.indicator_code,
        # Pre-filled in triệu đồng, written the Vietnamese way ("4.500").
        "investment_total": format_amount(work.investment_total, MoneyUnit.TRIEU, False),
        "money_unit": MoneyUnit.TRIEU,
        "start_date": work.start_date,
        "end_date": work.end_date,
        "finished_on": work.finished_on,
        "progress": work.progress,
        "note": work.note,
        "version": work.version,
        "sources_text": "\n".join(
            f"{ws.source.name}: {format_amount(ws.amount, MoneyUnit.TRIEU)}"
            for ws in work.sources.select_related("source")
        ),
    }
    form = WorkEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        sources_text = data.pop("sources_text")
        try:
            with transaction.atomic():
                services.update_work(request.user, work, version, **data)
                services.set_work_sources(request.user, work, sources_text)
        except ValidationError as error:
            if is_stale(error):
                messages.error(request, error.messages[0])
            else:
                add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("funding:work", work.pk)
    return _page(request, "work_form.html", {"unit": work.commune, "form": form, "work": work})


def _work_action(request: HttpRequest, work: Work, action: str, forms: dict) -> bool:
    """Handle one of the work page's forms; True when it succeeded."""
    user = request.user
    try:
        if action == "progress":
            form = forms["progress"] = WorkProgressForm(request.POST, prefix="progress")
            if not form.is_valid():
                return False
            data = form.cleaned_data
            services.update_work(
                user, work, data["version"], progress=data["progress"],
                finished_on=data["finished_on"],
            )  # fmt: skip
        elif action == "disbursement":
            form = forms["disbursement"] = DisbursementForm(request.POST, prefix="disb")
            if not form.is_valid():
                return False
            data = form.cleaned_data
            services.record_disbursement(
                user, work, data["on_date"], data["amount"], data["money_unit"],
                data["source"] or None, data["note"],
            )  # fmt: skip
        elif action == "debt":
            form = forms["debt"] = DebtForm(request.POST, prefix="debt")
            if not form.is_valid():
                return False
            data = form.cleaned_data
            services.record_debt(
                user, work, data["amount"], data["year_incurred"], data["money_unit"], data["note"]
            )
        elif action == "repayment":
            form = forms["repayment"] = RepaymentForm(request.POST, prefix="repay")
            debt = get_object_or_404(Debt, pk=int_param(request.POST.get("debt"), 0), work=work)
            if not form.is_valid():
                return False
            data = form.cleaned_data
            services.record_repayment(
                user, debt, data["on_date"], data["amount"], data["money_unit"]
            )
        else:
            raise Http404
    except ValidationError as error:
        if is_stale(error):
            messages.error(request, error.messages[0])
        else:
            add_errors(form, error)
        return False
    messages.success(request, _("Đã lưu."))
    return True


def _distance_context(request: HttpRequest, unit_pk: int, year: int) -> dict:
    unit = _visible_unit(request, unit_pk)
    if unit.level == Level.COMMUNE:
        raise Http404
    family, families = _family(request, unit, year)
    found = distance_queries.distance(unit, year, family)
    if found is None:
        raise Http404
    return {
        "unit": unit,
        "year": year,
        "family": family,
        "families": families,
        "found": found,
        "illustrative": has_illustrative_values(unit, year, family),
    }


@login_required
def distance(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    context = _distance_context(request, unit_pk, year)
    unit, family = context["unit"], context["family"]
    chosen_works = {int_param(w) for w in request.GET.getlist("work")} - {None}
    reached = []
    for item in request.GET.getlist("reach"):
        unit_id, _sep, code = item.partition(":")
        if int_param(unit_id) is not None and code:
            reached.append((int_param(unit_id), code))
    context["what_if"] = (
        distance_queries.what_if(unit, year, family, chosen_works, reached)
        if chosen_works or reached
        else None
    )
    context["chosen_works"] = chosen_works
    context["reached"] = {f"{u}:{c}" for u, c in reached}
    return _page(request, "distance.html", context)


@login_required
def targets(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    context = _distance_context(request, unit_pk, year)
    try:
        stretch = max(0, min(int(request.GET.get("stretch", 3)), 50))
    except ValueError:
        stretch = 3
    found, proposed = distance_queries.propose_targets(
        context["unit"], year, context["family"], stretch
    )
    if request.GET.get("format") == "xlsx":
        content = excel.targets_workbook(
            context["unit"], year, _money_unit(request), found, proposed
        )
        return _xlsx(content, f"de-xuat-chi-tieu-{context['unit'].code}-{year + 1}.xlsx")
    return _page(request, "targets.html", {**context, "proposed": proposed, "stretch": stretch})


@login_required
def needs(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """The plan appendix "nhu cầu vốn công trình" for `year` as Excel."""
    unit = _visible_unit(request, unit_pk)
    family, families = _family(request, unit, year - 1)
    found, rows = distance_queries.needs(unit, year, family)
    if found is None:
        raise Http404
    tier = next(s for s in families if s.family == family).get_tier_display()
    content = excel.needs_workbook(unit, year, _money_unit(request), found, rows, str(tier))
    return _xlsx(content, f"nhu-cau-von-cong-trinh-{unit.code}-{year}.xlsx")
