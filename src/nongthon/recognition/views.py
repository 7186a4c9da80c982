"""Recognition pages: titles of a unit (counts by tier, year, district), a title with its decision
and frozen evaluation, a decision, applications with their step timeline and actions by role,
district/province conditions, the maintenance review, merged units.

A unit the user may not see is a 404; an action refused on a visible unit is a 403. The rules
live in services, eligibility, queries and accounts.permissions.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nongthon.accounts import permissions
from nongthon.catalogue.models import Tier
from nongthon.places.models import Edition, Level, Unit
from nongthon.recognition import eligibility, forms, queries, services
from nongthon.recognition.merger import merged_units
from nongthon.recognition.models import (
    Application,
    ApplicationStatus,
    Decision,
    StepStatus,
    Title,
)
from nongthon.recognition.rules import procedure, procedures
from nongthon.web.forms import add_errors, int_param


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(
        request, f"recognition/{template}", {"active": "recognition", **context}, status=status
    )


def _visible_unit(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("province", "district"), pk=pk)
    if not permissions.can_view_recognition(request.user, unit):
        raise Http404
    return unit


def _on_date(request: HttpRequest, unit: Unit | None = None) -> dt.date:
    """The date asked for; by default today, or the last day of a unit that no longer exists
    (a pre-2025 commune's titles are read as they stood when the unit ended)."""
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        today = dt.date.today()
        if unit is not None and unit.valid_to is not None and unit.valid_to < today:
            return unit.valid_to
        return today


def _year(request: HttpRequest, default: int) -> int:
    year = int_param(request.GET.get("year"), default)
    return year if 1900 <= year <= 2100 else default


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The user's widest unit's titles."""
    memberships = sorted(
        request.user.memberships.select_related("unit"),
        key=lambda m: ["province", "district", "commune"].index(m.unit.level),
    )
    if not memberships:
        return _page(request, "index.html", {})
    return redirect("recognition:titles", memberships[0].unit.pk)


@login_required
def titles(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    on = _on_date(request, unit)
    tier = request.GET.get("tier") or None
    if tier not in Tier.values:
        tier = None
    # ?level=commune: the communes' titles only (the list behind the dashboard's counts).
    level = request.GET.get("level") or None
    if level not in Level.values:
        level = None
    held_query = queries.titles_held(unit, on, tier)
    if level:
        held_query = held_query.filter(unit__level=level)
    held = list(held_query.order_by("unit__code", "tier"))
    counts = queries.count_titles_held(unit, on)
    context = {
        "unit": unit,
        "on": on,
        "tier": tier,
        "level": level,
        "tiers": Tier.choices,
        "titles": held,
        "counts": counts,
        "xa": queries.rural_communes(unit).count(),
        "by_year": queries.counts_granted_by_year(unit),
        "by_district": (
            queries.counts_by_district(unit, on) if unit.level != Level.COMMUNE else []
        ),
        "has_conditions": queries.conditions_report(unit, on) is not None,
        "may_merge": unit.level == Level.PROVINCE and unit.edition == Edition.Y2025,
        "illustrative": any(t.illustrative for t in held),
        "past_form": (
            forms.PastTitleForm(units=Unit.objects.subtree(unit).order_by("level", "code"))
            if permissions.can_decide_recognition(request.user, unit)
            else None
        ),
        "ended": Title.objects.filter(unit__in=Unit.objects.subtree(unit))
        .exclude(status="active")
        .select_related("unit", "end_decision")
        .order_by("-ended_on")[:50],
    }
    return _page(request, "titles.html", context)


@login_required
@require_POST
def record_past(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    if not permissions.can_decide_recognition(request.user, unit):
        raise PermissionDenied
    form = forms.PastTitleForm(request.POST, units=Unit.objects.subtree(unit))
    if form.is_valid():
        d = form.cleaned_data
        try:
            title = services.record_past_title(
                request.user,
                d["unit"],
                d["tier"],
                services.DecisionData(
                    d["number"], d["date"], d["signer"], d["issuer"], d["summary"]
                ),
                basis_note=d["basis_note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi danh hiệu."))
            return redirect("recognition:title", title.pk)
    errors = [str(e) for e in form.non_field_errors()] + [
        f"{form.fields[name].label}: {' '.join(errs)}"
        for name, errs in form.errors.items()
        if name != "__all__"
    ]
    messages.error(request, " ".join(errors))
    return redirect("recognition:titles", unit.pk)


@login_required
def title_detail(request: HttpRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(
        Title.objects.select_related("unit", "decision", "end_decision", "criteria_set"), pk=pk
    )
    if not permissions.can_view_recognition(request.user, title.unit):
        raise Http404
    context = {
        "title": title,
        "unit": title.unit,
        "snapshot": title.snapshot or {},
        "may_revoke": title.status == "active"
        and permissions.can_decide_recognition(request.user, title.unit),
        "inherited": title.inherited_from.select_related("unit", "decision"),
        "carried": title.carried_into.select_related("unit", "decision"),
    }
    return _page(request, "title.html", context)


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("province"), pk=pk)
    granted = [
        t
        for t in decision.titles.select_related("unit")
        if permissions.can_view_recognition(request.user, t.unit)
    ]
    ended = [
        t
        for t in decision.ended_titles.select_related("unit")
        if permissions.can_view_recognition(request.user, t.unit)
    ]
    if not granted and not ended:
        raise Http404
    return _page(
        request, "decision.html", {"decision": decision, "granted": granted, "ended": ended}
    )


@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(Title.objects.select_related("unit", "decision"), pk=pk)
    if not permissions.can_view_recognition(request.user, title.unit):
        raise Http404
    if not permissions.can_decide_recognition(request.user, title.unit):
        raise PermissionDenied
    form = forms.RevokeForm(request.POST or None, initial={"version": title.version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.revoke(
                request.user,
                title,
                services.DecisionData(
                    d["number"], d["date"], d["signer"], d["issuer"], d["summary"]
                ),
                reason=d["reason"],
                expected_version=d["version"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi quyết định thu hồi."))
            return redirect("recognition:title", title.pk)
    review = next(
        (
            r
            for r in queries.maintenance_review(title.unit, dt.date.today().year - 1)
            if r.title.pk == title.pk
        ),
        None,
    )
    return _page(request, "revoke.html", {"title": title, "form": form, "review": review})


# --- Applications -----------------------------------------------------------------------------


@login_required
def applications(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    rows = (
        Application.objects.filter(unit__in=Unit.objects.subtree(unit))
        .select_related("unit", "unit__district")
        .order_by("status", "-year", "unit__code")
    )
    register_units = [
        u
        for u in Unit.objects.subtree(unit)
        .filter(level__in=[Level.COMMUNE, Level.DISTRICT])
        .order_by("-level", "code")
        if permissions.can_register_application(request.user, u)
    ]
    form = None
    if register_units:
        form = forms.RegisterForm(
            request.POST or None,
            units=Unit.objects.filter(pk__in=[u.pk for u in register_units]),
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                app = services.register(request.user, d["unit"], d["tier"], d["year"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Đã đăng ký hồ sơ."))
                return redirect("recognition:application", app.pk)
    steps = {s.code: s.name for proc in procedures().values() for s in proc.steps}
    return _page(
        request,
        "applications.html",
        {"unit": unit, "rows": rows, "form": form, "steps": steps},
    )


def _visible_application(request: HttpRequest, pk: int) -> Application:
    app = get_object_or_404(
        Application.objects.select_related("unit", "unit__district", "criteria_set"), pk=pk
    )
    if not permissions.can_view_recognition(request.user, app.unit):
        raise Http404
    return app


def _actions(user, app: Application) -> dict[str, bool]:
    """Which forms the page offers this user (the services check again)."""
    proc = procedure(app.procedure)
    step = proc.step(app.current_step)
    open_ = app.status == ApplicationStatus.IN_PROGRESS
    acts = permissions.can_act_on_step(user, app.unit, step.actor_roles)
    checker = permissions.can_record_recognition_conditions(user, app.unit)
    return {
        "complete": open_ and acts and step.code != proc.last.code,
        "decide": open_
        and step.code == proc.last.code
        and permissions.can_decide_recognition(user, app.unit),
        "document": app.status != ApplicationStatus.DECIDED and (acts or checker),
        "satisfaction": app.status != ApplicationStatus.DECIDED
        and (
            checker
            or permissions.can_act_on_step(user, app.unit, proc.step("satisfaction").actor_roles)
        ),
        "conditions": app.status != ApplicationStatus.DECIDED and checker,
        "return": open_ and permissions.can_return_application(user, app.unit),
        "resubmit": app.status == ApplicationStatus.RETURNED and acts,
    }


@login_required
def application_detail(request: HttpRequest, pk: int, forms_in: dict | None = None) -> HttpResponse:
    app = _visible_application(request, pk)
    proc = procedure(app.procedure)
    records = {s.code: s for s in app.steps.select_related("done_by")}
    documents = list(app.documents.select_related("added_by"))
    timeline = [
        {
            "config": config,
            "record": records.get(config.code),
            "documents": [d for d in documents if d.step == config.code],
            "current": config.code == app.current_step and app.status != ApplicationStatus.DECIDED,
        }
        for config in proc.steps
    ]
    actions = _actions(request.user, app)
    initial = {"version": app.version}
    current_index = proc.index(app.current_step)
    built = {
        "step": forms.StepForm(initial=initial),
        "document": forms.DocumentForm(),
        "satisfaction": forms.SatisfactionForm(
            initial={**initial, "percent": app.satisfaction_percent, "note": app.satisfaction_note}
        ),
        "security": forms.SecurityForm(initial=initial),
        "debt": forms.DebtForm(initial={**initial, "amount": app.manual_debt}),
        "return": forms.ReturnForm(initial=initial, steps=proc.steps[: current_index + 1]),
        "resubmit": forms.ResubmitForm(initial=initial),
        "decide": forms.DecideForm(initial=initial),
        **(forms_in or {}),
    }
    conditions = eligibility.check(app)
    title = getattr(app, "title", None) if app.status == ApplicationStatus.DECIDED else None
    return _page(
        request,
        "application.html",
        {
            "app": app,
            "unit": app.unit,
            "proc": proc,
            "step": proc.step(app.current_step),
            "timeline": timeline,
            "events": [
                (e, proc.step(e.step).name if e.step else "")
                for e in app.events.select_related("actor")
            ],
            "conditions": conditions,
            "eligible": not eligibility.failing(conditions),
            "actions": actions,
            "forms": built,
            "title": title,
            "step_done": StepStatus.DONE,
            "today": dt.date.today(),
        },
        status=400 if forms_in else 200,
    )


def _act(request: HttpRequest, pk: int, name: str, form_class, run, form_kwargs=None):
    """Parse `form_class`, run the service; on error show the page again with the form."""
    app = _visible_application(request, pk)
    form = form_class(request.POST, **(form_kwargs(app) if form_kwargs else {}))
    if form.is_valid():
        try:
            run(app, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("recognition:application", app.pk)
    return application_detail(request, pk, forms_in={name: form})


@login_required
@require_POST
def complete_step(request: HttpRequest, pk: int) -> HttpResponse:
    def run(app, d):
        services.complete_step(
            request.user,
            app,
            expected_version=d["version"],
            done_on=d["done_on"],
            note=d["note"],
            posting_count=d["posting_count"],
            posting_days=d["posting_days"],
        )
        messages.success(request, _("Đã hoàn thành bước."))

    return _act(request, pk, "step", forms.StepForm, run)


@login_required
@require_POST
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    def run(app, d):
        services.add_document(request.user, app, name=d["name"], number=d["number"], date=d["date"])

    return _act(request, pk, "document", forms.DocumentForm, run)


@login_required
@require_POST
def record_satisfaction(request: HttpRequest, pk: int) -> HttpResponse:
    def run(app, d):
        services.record_satisfaction(
            request.user,
            app,
            percent=d["percent"],
            meets=d["meets"],
            note=d["note"],
            expected_version=d["version"],
        )

    return _act(request, pk, "satisfaction", forms.SatisfactionForm, run)


@login_required
@require_POST
def record_security(request: HttpRequest, pk: int) -> HttpResponse:
    def run(app, d):
        services.record_security(
            request.user,
            app,
            confirmed=d["confirmed"],
            basis=d["basis"],
            expected_version=d["version"],
        )

    return _act(request, pk, "security", forms.SecurityForm, run)


@login_required
@require_POST
def record_debt(request: HttpRequest, pk: int) -> HttpResponse:
    def run(app, d):
        services.record_manual_debt(
            request.user, app, amount=d["amount"], basis=d["basis"], expected_version=d["version"]
        )

    return _act(request, pk, "debt", forms.DebtForm, run)


@login_required
@require_POST
def return_application(request: HttpRequest, pk: int) -> HttpResponse:
    def run(app, d):
        services.return_application(
            request.user,
            app,
            to_step=d["to_step"],
            reason=d["reason"],
            expected_version=d["version"],
        )
        messages.success(request, _("Đã trả lại hồ sơ."))

    return _act(
        request,
        pk,
        "return",
        forms.ReturnForm,
        run,
        form_kwargs=lambda app: {"steps": procedure(app.procedure).steps},
    )


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    def run(app, d):
        services.resubmit(request.user, app, note=d["note"], expected_version=d["version"])
        messages.success(request, _("Đã nộp lại hồ sơ."))

    return _act(request, pk, "resubmit", forms.ResubmitForm, run)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    def run(app, d):
        services.decide(
            request.user,
            app,
            services.DecisionData(d["number"], d["date"], d["signer"], d["issuer"], d["summary"]),
            expected_version=d["version"],
        )
        messages.success(request, _("Đã ghi quyết định công nhận."))

    return _act(request, pk, "decide", forms.DecideForm, run)


# --- Conditions, maintenance, mergers ---------------------------------------------------------


@login_required
def conditions(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    on = _on_date(request, unit)
    report = queries.conditions_report(unit, on)
    if report is None:
        raise Http404
    return _page(request, "conditions.html", {"unit": unit, "on": on, "report": report})


@login_required
def maintenance(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    year = _year(request, dt.date.today().year - 1)
    rows = queries.maintenance_review(unit, year, include_missing=bool(request.GET.get("missing")))
    may_revoke = permissions.can_decide_recognition(request.user, unit)
    return _page(
        request,
        "maintenance.html",
        {"unit": unit, "year": year, "rows": rows, "may_revoke": may_revoke},
    )


@login_required
def merged(request: HttpRequest, unit_pk: int) -> HttpResponse:
    province = _visible_unit(request, unit_pk)
    if province.level != Level.PROVINCE or province.edition != Edition.Y2025:
        raise Http404
    may_decide = permissions.can_decide_recognition(request.user, province)
    form = forms.MergerForm(request.POST or None)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        target = get_object_or_404(
            Unit, pk=int_param(request.POST.get("unit"), 0), province=province
        )
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.record_merger_decision(
                    request.user,
                    target,
                    d["tier"],
                    services.DecisionData(
                        d["number"], d["date"], d["signer"], d["issuer"], d["summary"]
                    ),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Đã ghi quyết định công nhận đơn vị sau sắp xếp."))
                return redirect("recognition:merged", province.pk)
        messages.error(request, "; ".join(form.non_field_errors()) or _("Kiểm tra lại các trường."))
    rows = [(u, r) for u, r in merged_units(province) if r]
    return _page(
        request,
        "merged.html",
        {"unit": province, "rows": rows, "may_decide": may_decide, "form": forms.MergerForm()},
    )
