"""Pages of plans, targets, tasks and directives. Thin: parse, ask permissions, call a service or
a query, render. A plan, directive or agency the user may not see answers 404; a change refused
on a visible one answers 403."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nongthon.accounts import permissions
from nongthon.places.models import Agency, Level, Unit
from nongthon.plans import (
    documents,
    exports,
    queries,
    services,
    status_views,
    targets,
    task_import,
)
from nongthon.plans.forms import (
    CancelTaskForm,
    DateForm,
    DirectiveForm,
    FundLineForm,
    ImportForm,
    ManualProgressForm,
    NoteForm,
    PlanForm,
    TargetForm,
    TaskForm,
)
from nongthon.plans.models import (
    Directive,
    FundLine,
    HamletStatus,
    HouseholdStatus,
    Plan,
    ProgressNote,
    StatusKind,
    Target,
    Task,
    TaskStatus,
)
from nongthon.plans.targets.base import STATUS_LABELS
from nongthon.web import dashboard_cache, uploads
from nongthon.web.forms import add_errors, int_param, is_stale, save_versioned
from nongthon.web.history import describe_all

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, f"plans/{template}", {"active": "plans", **context})


def _on(request: HttpRequest) -> dt.date:
    """The date the page judges at (?on=dd/mm/yyyy), today by default."""
    form = DateForm(request.GET)
    if form.is_valid() and form.cleaned_data["on"]:
        return form.cleaned_data["on"]
    return dt.date.today()


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("unit"), pk=pk)
    if not permissions.can_view_plans(request.user, plan.unit):
        raise Http404
    return plan


def _directive(request: HttpRequest, pk: int) -> Directive:
    directive = get_object_or_404(Directive.objects.select_related("unit"), pk=pk)
    if not permissions.can_view_plans(request.user, directive.unit):
        raise Http404
    return directive


def _task(request: HttpRequest, pk: int) -> Task:
    task = get_object_or_404(
        Task.objects.select_related("plan__unit", "directive__unit", "lead"), pk=pk
    )
    if not (
        permissions.can_view_plans(request.user, task.unit)
        or permissions.can_report_task(request.user, task)
    ):
        raise Http404
    return task


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _managed_units(request: HttpRequest) -> list[Unit]:
    units = []
    for m in request.user.memberships.select_related("unit").order_by("unit__code"):
        if (
            m.unit.level != Level.COMMUNE
            and permissions.can_manage_plans(request.user, m.unit)
            and m.unit not in units
        ):
            units.append(m.unit)
    return units


def _source(request: HttpRequest, kind: str, pk: int) -> Plan | Directive:
    if kind == "plan":
        return _plan(request, pk)
    if kind == "directive":
        return _directive(request, pk)
    raise Http404


# --- Index, plans --------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "index.html",
        {
            "plans": queries.visible_plans(request.user),
            "directives": queries.visible_directives(request.user),
            "managed": _managed_units(request),
            "agencies": permissions.task_agencies(request.user),
            "status_communes": [
                m.unit
                for m in request.user.memberships.select_related("unit")
                if permissions.can_record_statuses(request.user, m.unit)
            ],
            "status_units": status_views.status_units(request.user),
            "year": dt.date.today().year,
        },
    )


@login_required
def plan_create(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not permissions.can_view_plans(request.user, unit):
        raise Http404
    _require(permissions.can_manage_plans(request.user, unit))
    form = PlanForm(request.POST or None, initial={"body": "", "place": unit.short_name})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            plan = services.create_plan(request.user, unit, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo kế hoạch."))
            return redirect("plans:plan", plan.pk)
    return _page(request, "plan_form.html", {"form": form, "unit": unit})


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _require(permissions.can_manage_plans(request.user, plan.unit))
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(plan))
    if (
        request.method == "POST"
        and form.is_valid()
        and save_versioned(
            request,
            form,
            partial(services.update_plan, request.user, plan),
            _("Đã lưu kế hoạch."),
        )
    ):
        return redirect("plans:plan", plan.pk)
    return _page(request, "plan_form.html", {"form": form, "unit": plan.unit, "plan": plan})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    on = _on(request)
    # Every target's figure reads the province's data: kept while that data is unchanged.
    groups = dashboard_cache.cached(
        f"plan-targets:{plan.pk}", None, plan.unit, on, lambda: queries.plan_targets(plan, on)
    )
    counts = queries.status_counts(groups)
    # ?status=...: the targets of one status only (the list behind a dashboard figure).
    status = request.GET.get("status", "")
    if status in STATUS_LABELS:
        groups = queries.targets_with_status(groups, status)
    else:
        status = ""
    tasks = queries._tasks(plan.tasks.all())
    total, total_unit = queries.fund_total(plan)
    return _page(
        request,
        "plan.html",
        {
            "plan": plan,
            "on": on,
            "groups": groups,
            "status": status,
            "status_label": STATUS_LABELS.get(status, ""),
            "counts": counts,
            "illustrative": plan.illustrative
            or any(line.figure.illustrative for g in groups for line in g.firm + g.stretch),
            "fund_lines": queries.fund_lines(plan),
            "fund_total": total,
            "fund_total_unit": total_unit,
            "task_rows": [(t, queries.task_state(t, on)) for t in tasks],
            "may_manage": permissions.can_manage_plans(request.user, plan.unit),
            "types": targets.all_types(),
        },
    )


# --- Targets -----------------------------------------------------------------------------------


@login_required
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _require(permissions.can_manage_plans(request.user, plan.unit))
    code = request.POST.get("type_code") or request.GET.get("type") or ""
    try:
        target_type = targets.get(code)
    except ValidationError:
        return _page(request, "target_types.html", {"plan": plan, "types": targets.all_types()})
    form = TargetForm(
        request.POST or None,
        target_type=target_type,
        plan=plan,
        initial={"type_code": code, "kind": "firm"},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("group", "sentence", "kind", "due_on", "note")}
        if form.cleaned_data.get("order") is not None:
            data["order"] = form.cleaned_data["order"]
        try:
            target = services.add_target(
                request.user, plan, type_code=code, params=form.params(), **data
            )
        except ValidationError as exc:
            _param_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu."))
            return redirect("plans:target", target.pk)
    return _page(
        request, "target_form.html", {"plan": plan, "form": form, "target_type": target_type}
    )


def _param_errors(form: TargetForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            field = f"p_{name}" if f"p_{name}" in form.fields else name
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.select_related("plan__unit"), pk=pk)
    plan = _plan(request, target.plan_id)
    _require(permissions.can_manage_plans(request.user, plan.unit))
    target_type = targets.get(target.type_code)
    form = TargetForm(
        request.POST or None,
        target_type=target_type,
        plan=plan,
        initial=TargetForm.initial_for(target),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("group", "sentence", "kind", "due_on", "note")}
        if form.cleaned_data.get("order") is not None:
            data["order"] = form.cleaned_data["order"]
        try:
            services.update_target(
                request.user, target, form.cleaned_data["version"], params=form.params(), **data
            )
        except ValidationError as exc:
            if is_stale(exc):
                messages.error(request, exc.messages[0])
            _param_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("plans:target", target.pk)
    return _page(
        request,
        "target_form.html",
        {"plan": plan, "form": form, "target_type": target_type, "target": target},
    )


@login_required
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.select_related("plan__unit"), pk=pk)
    plan = _plan(request, target.plan_id)
    on = _on(request)
    may_manage = permissions.can_manage_plans(request.user, plan.unit)
    manual_form = None
    if target.type_code == "free" and may_manage:
        manual_form = ManualProgressForm(
            request.POST or None,
            initial={
                "version": target.version,
                "manual_done": target.manual_done,
                "manual_progress": target.manual_progress,
                "manual_figure": target.manual_figure,
                "manual_evidence": target.manual_evidence,
                "manual_as_of": target.manual_as_of or dt.date.today(),
            },
        )
        if request.method == "POST" and manual_form.is_valid():
            data = manual_form.cleaned_data
            try:
                services.record_manual_progress(
                    request.user,
                    target,
                    data["version"],
                    done=data["manual_done"],
                    progress=data["manual_progress"],
                    figure=data["manual_figure"],
                    evidence=data["manual_evidence"],
                    as_of=data["manual_as_of"],
                )
            except ValidationError as exc:
                if is_stale(exc):
                    messages.error(request, exc.messages[0])
                add_errors(manual_form, exc)
            else:
                messages.success(request, _("Đã cập nhật kết quả."))
                return redirect("plans:target", target.pk)
    elif request.method == "POST":
        raise PermissionDenied
    line = queries.target_line(target, on)
    return _page(
        request,
        "target.html",
        {
            "plan": plan,
            "target": target,
            "line": line,
            "on": on,
            "may_manage": may_manage,
            "manual_form": manual_form,
            "history": target.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.select_related("plan__unit"), pk=pk)
    plan = _plan(request, target.plan_id)
    _require(permissions.can_manage_plans(request.user, plan.unit))
    services.remove_target(request.user, target)
    messages.success(request, _("Đã xóa chỉ tiêu."))
    return redirect("plans:plan", plan.pk)


# --- Fund lines --------------------------------------------------------------------------------


def _fund_line(request: HttpRequest, pk: int) -> FundLine:
    """A fund line of a plan the user sees (404 otherwise) and may manage (403 otherwise)."""
    line = get_object_or_404(FundLine.objects.select_related("plan__unit"), pk=pk)
    _plan(request, line.plan_id)
    _require(permissions.can_manage_plans(request.user, line.plan.unit))
    return line


def _funds_url(plan: Plan) -> str:
    return reverse("plans:plan", args=[plan.pk]) + "#funds"


@login_required
def fund_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _require(permissions.can_manage_plans(request.user, plan.unit))
    form = FundLineForm(request.POST or None, initial={"money_unit": "million"})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.add_fund_line(request.user, plan, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nguồn vốn."))
            return redirect(_funds_url(plan))
    return _page(
        request,
        "simple_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": _("Thêm nguồn vốn dự kiến"),
            "back_url": _funds_url(plan),
        },
    )


@login_required
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = _fund_line(request, pk)
    form = FundLineForm(request.POST or None, initial=FundLineForm.initial_for(line))
    if (
        request.method == "POST"
        and form.is_valid()
        and save_versioned(
            request,
            form,
            partial(services.update_fund_line, request.user, line),
            _("Đã lưu nguồn vốn."),
        )
    ):
        return redirect(_funds_url(line.plan))
    return _page(
        request,
        "fund_form.html",
        {
            "plan": line.plan,
            "line": line,
            "form": form,
            "back_url": _funds_url(line.plan),
            "history": describe_all(
                line.history.select_related("history_user").order_by("-history_id")[:30]
            ),
        },
    )


@login_required
@require_POST
def fund_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = _fund_line(request, pk)
    try:
        services.remove_fund_line(request.user, line, int_param(request.POST.get("version"), 0))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("plans:fund_edit", line.pk)
    messages.success(request, _("Đã xóa nguồn vốn «%(s)s».") % {"s": line.shown_label})
    return redirect(_funds_url(line.plan))


# --- Directives and tasks ---------------------------------------------------------------------


@login_required
def directive_create(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not permissions.can_view_plans(request.user, unit):
        raise Http404
    _require(permissions.can_manage_plans(request.user, unit))
    form = DirectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            directive = services.create_directive(request.user, unit, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("plans:directive", directive.pk)
    return _page(
        request,
        "simple_form.html",
        {"form": form, "heading": _("Văn bản chỉ đạo mới"), "unit": unit},
    )


@login_required
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    on = _on(request)
    tasks = queries._tasks(directive.tasks.all())
    return _page(
        request,
        "directive.html",
        {
            "directive": directive,
            "on": on,
            "task_rows": [(t, queries.task_state(t, on)) for t in tasks],
            "may_manage": permissions.can_manage_plans(request.user, directive.unit),
        },
    )


@login_required
def task_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    source = _source(request, kind, pk)
    _require(permissions.can_manage_plans(request.user, source.unit))
    agencies = Agency.objects.filter(
        pk__in=[
            a.pk
            for a in task_import.candidate_agencies(source.unit, task_import.source_day(source))
        ]
    )
    form = TaskForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            task = services.add_task(request.user, source, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nhiệm vụ."))
            return redirect("plans:task", task.pk)
    return _page(
        request, "simple_form.html", {"form": form, "heading": _("Thêm nhiệm vụ"), "source": source}
    )


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    _require(permissions.can_manage_plans(request.user, task.unit))
    agencies = Agency.objects.filter(
        pk__in=[
            a.pk
            for a in task_import.candidate_agencies(task.unit, task_import.source_day(task.source))
        ]
    )
    initial = {
        "section": task.section,
        "content": task.content,
        "lead": task.lead_id,
        "lead_text": task.lead_text,
        "coordinators": list(task.coordinators.values_list("pk", flat=True)),
        "coordinators_text": task.coordinators_text,
        "deadline_text": task.deadline_text,
        "version": task.version,
    }
    form = TaskForm(request.POST or None, agencies=agencies, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_versioned(
            request,
            form,
            partial(services.update_task, request.user, task),
            _("Đã lưu nhiệm vụ."),
        )
    ):
        return redirect("plans:task", task.pk)
    return _page(
        request,
        "simple_form.html",
        {"form": form, "heading": _("Sửa nhiệm vụ"), "source": task.source},
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    on = _on(request)
    occurrences = queries.occurrences(task, on)
    may_report = permissions.can_report_task(request.user, task)
    form = NoteForm(
        request.POST or None,
        request.FILES or None,
        initial={"written_on": dt.date.today(), "version": task.version},
    )
    open_occurrences = [o for o in occurrences if o.due and o.done_on is None]
    form.fields["occurrence_due"].choices = [("", "—")] + [
        (o.due.isoformat(), o.due.strftime("%d/%m/%Y")) for o in open_occurrences
    ]
    if request.method == "POST":
        _require(may_report)
        if form.is_valid():
            data = form.cleaned_data
            due = dt.date.fromisoformat(data["occurrence_due"]) if data["occurrence_due"] else None
            try:
                services.add_progress_note(
                    request.user,
                    task,
                    text=data["text"],
                    written_on=data["written_on"],
                    completes=data["completes"],
                    occurrence_due=due,
                    evidence=data["evidence"],
                    expected_version=data["version"],
                )
            except ValidationError as exc:
                if is_stale(exc):
                    messages.error(request, exc.messages[0])
                add_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi báo cáo tiến độ."))
                return redirect("plans:task", task.pk)
    return _page(
        request,
        "task.html",
        {
            "task": task,
            "on": on,
            "state": queries.task_state(task, on),
            "occurrences": occurrences,
            "notes": task.notes.select_related("author").order_by("-written_on", "-pk"),
            "form": form if may_report and task.status != TaskStatus.CANCELLED else None,
            "may_manage": permissions.can_manage_plans(request.user, task.unit),
            "may_cancel": permissions.can_cancel_task(request.user, task),
            "history": describe_all(
                task.history.select_related("history_user").order_by("-history_id")[:30]
            ),
        },
    )


@login_required
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a task with a reason and a date (a page of its own: the reason matters)."""
    task = _task(request, pk)
    _require(permissions.can_cancel_task(request.user, task))
    form = CancelTaskForm(
        request.POST or None, initial={"version": task.version, "on": dt.date.today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.cancel_task(
                request.user, task, data["version"], reason=data["reason"], on=data["on"]
            )
        except ValidationError as exc:
            if is_stale(exc):
                messages.error(request, exc.messages[0])
            add_errors(form, exc)
        else:
            messages.success(request, _("Đã hủy nhiệm vụ."))
            return redirect("plans:task", task.pk)
    return _page(
        request,
        "simple_form.html",
        {
            "form": form,
            "heading": _("Hủy nhiệm vụ"),
            "source": task,
            "back_url": reverse("plans:task", args=[task.pk]),
            "submit_label": _("Hủy nhiệm vụ"),
            "submit_class": "btn-danger",
        },
    )


@login_required
@require_POST
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    _require(permissions.can_cancel_task(request.user, task))
    try:
        services.reopen_task(request.user, task, int_param(request.POST.get("version"), 0))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Đã mở lại nhiệm vụ."))
    return redirect("plans:task", task.pk)


@login_required
def note_evidence(request: HttpRequest, pk: int) -> FileResponse:
    note = get_object_or_404(ProgressNote, pk=pk)
    _task(request, note.task_id)
    return uploads.stored_file_response(note.evidence, filename=note.evidence_name or "minh-chung")


# --- Lists: agency, office ---------------------------------------------------------------------


@login_required
def agency_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.select_related("unit"), pk=pk)
    if not permissions.can_view_agency_tasks(request.user, agency):
        raise Http404
    on = _on(request)
    tasks = queries.agency_tasks(agency)
    return _page(
        request,
        "agency.html",
        {
            "agency": agency,
            "on": on,
            "lists": queries.due_lists(tasks, on),
            "score": queries.scorecard(tasks.filter(lead=agency), on),
            "task_rows": [(t, queries.task_state(t, on)) for t in tasks],
        },
    )


@login_required
def office(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not permissions.can_view_plans(request.user, unit):
        raise Http404
    on = _on(request)
    tasks = queries.tasks_under(unit)
    return _page(
        request,
        "office.html",
        {
            "unit": unit,
            "on": on,
            "lists": queries.due_lists(tasks, on),
            "score": queries.scorecard(tasks, on),
        },
    )


# --- Import of a task appendix ------------------------------------------------------------------

SESSION_KEY = "plans_task_import"


@login_required
def task_import_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    source = _source(request, kind, pk)
    _require(permissions.can_manage_plans(request.user, source.unit))
    key = f"{SESSION_KEY}:{kind}:{pk}"
    candidates = [
        (a.pk, f"{a.name} ({a.unit.name})")
        for a in task_import.candidate_agencies(source.unit, task_import.source_day(source))
    ]
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(key)
        if stored is None:
            messages.error(request, _("Phiên nhập đã hết; hãy tải tệp lên lại."))
            return redirect("plans:task_import", kind, pk)
        preview = task_import.Preview.from_json(stored, candidates)
        mapping = {
            name: request.POST.get(f"map-{i}", "") for i, name in enumerate(preview.unmatched)
        }
        try:
            created = task_import.import_tasks(request.user, source, preview, mapping)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            del request.session[key]
            messages.success(request, _("Đã nhập %(n)s nhiệm vụ.") % {"n": created})
            target = "plans:plan" if kind == "plan" else "plans:directive"
            return redirect(target, pk)
        form = ImportForm()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = uploads.read_limited(upload, settings.NONGTHON_MAX_IMPORT_BYTES)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            preview = task_import.read_appendix(
                upload.name,
                data,
                source.unit,
                services.source_year(source),
                task_import.source_day(source),
            )
            request.session[key] = preview.to_json()
    return _page(
        request,
        "task_import.html",
        {
            "source": source,
            "kind": kind,
            "form": form,
            "preview": preview,
            "keep": task_import.KEEP_AS_TEXT,
        },
    )


@login_required
def appendix_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(exports.appendix_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="phu-luc-nhiem-vu.xlsx"'
    return response


# --- Documents and exports ----------------------------------------------------------------------


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return _attachment(documents.plan_document(plan), DOCX, f"ke-hoach-{plan.pk}.docx")


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    on = _on(request)
    return _attachment(
        documents.report_document(plan, on), DOCX, f"bao-cao-ke-hoach-{plan.pk}-{on:%Y%m%d}.docx"
    )


@login_required
def export_xlsx(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    source = _source(request, kind, pk)
    on = _on(request)
    return _attachment(exports.workbook_for(source, on), XLSX, f"{kind}-{pk}-{on:%Y%m%d}.xlsx")


# --- Statuses of hamlets and households -------------------------------------------------------


@login_required
def statuses(request: HttpRequest, commune_pk: int, year: int) -> HttpResponse:
    """One commune's hamlets with a status for a year (ấp văn hóa...), and its households."""
    commune = get_object_or_404(Unit, pk=commune_pk, level=Level.COMMUNE)
    if not permissions.can_view_unit_data(request.user, commune):
        raise Http404
    may_edit = permissions.can_record_statuses(request.user, commune)
    kinds = list(StatusKind.objects.filter(applies_to=StatusKind.Applies.HAMLET))
    kind = next(
        (k for k in kinds if k.code == request.GET.get("kind")), kinds[0] if kinds else None
    )
    hamlets = list(commune.hamlets.active().order_by("name"))
    records = {
        r.hamlet_id: r
        for r in HamletStatus.objects.filter(hamlet__in=hamlets, kind=kind, year=year)
    }
    errors: list[str] = []
    if request.method == "POST":
        _require(may_edit)
        rows = []
        for hamlet in hamlets:
            day_text = request.POST.get(f"h{hamlet.pk}-date", "").strip()
            try:
                day = dt.datetime.strptime(day_text, "%d/%m/%Y").date() if day_text else None
            except ValueError:
                errors.append(_("%(h)s: ngày không hợp lệ «%(d)s».") % {"h": hamlet, "d": day_text})
                continue
            rows.append(
                {
                    "hamlet": hamlet,
                    "achieved": request.POST.get(f"h{hamlet.pk}-achieved") == "1",
                    "recognised_on": day,
                    "source": request.POST.get(f"h{hamlet.pk}-source", ""),
                }
            )
        if not errors:
            try:
                services.record_hamlet_statuses(request.user, commune, kind.code, year, rows)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Đã lưu danh hiệu thôn, ấp."))
                return redirect(request.get_full_path())
    return _page(
        request,
        "statuses.html",
        {
            "commune": commune,
            "year": year,
            "kind": kind,
            "kinds": kinds,
            "rows": [(h, records.get(h.pk)) for h in hamlets],
            "may_edit": may_edit,
            "errors": errors,
            "households": HouseholdStatus.objects.filter(commune=commune, year=year).select_related(
                "kind"
            ),
        },
    )
