"""Plans with their targets (figure and status computed at a date, as the plan page shows
them) and tasks; writes through plans.services (permission, version check, history)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from nongthon.accounts import permissions
from nongthon.api import errors
from nongthon.api.common import (
    IdQuery,
    Limit,
    LongText,
    Offset,
    Page,
    PathId,
    ShortText,
    UnitRef,
    Year,
    decimal_text,
    doc,
    get_unit,
    page,
    text,
    unit_ref,
    user_of,
    visible,
)
from nongthon.api.errors import ERRORS
from nongthon.plans import queries, services
from nongthon.plans.models import Plan, Target, TargetKind, Task, TaskStatus
from nongthon.plans.targets.base import STATUS_LABELS

router = Router(tags=["plans"])
OnDate = Annotated[
    dt.date | None, Query(description="Đánh giá đến ngày (mặc định hôm nay) / judged at")
]
ParamValue = (
    Annotated[int, Field(ge=-(10**12), le=10**12)]
    | bool
    | text(300)
    | list[Annotated[int, Field(ge=1, le=2**53)]]
)


class PlanOut(Schema):
    id: int
    unit: UnitRef
    body: str
    number: str
    issued_on: dt.date | None
    year_from: int
    year_to: int
    title: str
    illustrative: bool
    version: int


def plan_out(p: Plan) -> dict:
    return {
        "id": p.pk,
        "unit": unit_ref(p.unit),
        "body": p.body,
        "number": p.number,
        "issued_on": p.issued_on,
        "year_from": p.year_from,
        "year_to": p.year_to,
        "title": p.title,
        "illustrative": p.illustrative,
        "version": p.version,
    }


def _under(request, under: int | None, prefix: str) -> Q:
    if under is None:
        return Q()
    root = get_unit(request, under, permissions.can_view_plans)
    return (
        Q(**{f"{prefix}id": root.pk})
        | Q(**{f"{prefix}province": root})
        | Q(**{f"{prefix}district": root})
    )


@router.get(
    "/plans",
    response={200: Page[PlanOut], **ERRORS},
    **doc(
        "Kế hoạch của các đơn vị trong phạm vi của bạn; lọc theo cây đơn vị và năm.",
        "Plans of the units within your memberships; filter by subtree and year.",
    ),
)
def list_plans(
    request, limit: Limit = 100, offset: Offset = 0, under: IdQuery = None, year: Year = None
):
    plans = queries.visible_plans(user_of(request)).filter(_under(request, under, "unit__"))
    if year is not None:
        plans = plans.filter(year_from__lte=year, year_to__gte=year)
    plans = plans.order_by("unit__edition", "unit__code", "year_from", "pk")
    return page(plans, limit, offset, plan_out)


def _plan(request, plan_id: PathId) -> Plan:
    plan = Plan.objects.select_related("unit").filter(pk=plan_id).first()
    return visible(
        plan, plan is not None and permissions.can_view_plans(user_of(request), plan.unit)
    )


@router.get(
    "/plans/{int:plan_id}", response={200: PlanOut, **ERRORS}, **doc("Một kế hoạch.", "One plan.")
)
def get_plan(request, plan_id: PathId):
    return plan_out(_plan(request, plan_id))


class PlanIn(Schema):
    unit_id: int
    title: text(500, 1)
    body: ShortText
    year_from: Annotated[int, Field(ge=1900, le=2100)]
    year_to: Annotated[int, Field(ge=1900, le=2100)]
    number: text(60) = ""
    issued_on: dt.date | None = None
    objectives: LongText = ""


@router.post(
    "/plans",
    response={201: PlanOut, **ERRORS},
    **doc(
        "Tạo kế hoạch của một đơn vị (điều phối tỉnh, huyện).",
        "Create a plan of a unit (province and district offices).",
    ),
)
def create_plan(request, data: PlanIn):
    unit = get_unit(request, data.unit_id, permissions.can_view_plans)
    fields = data.dict(exclude={"unit_id"})
    return Status(201, plan_out(services.create_plan(user_of(request), unit, **fields)))


class FigureOut(Schema):
    shown: str
    value: str | None
    goal: str | None
    baseline: str | None
    achieved: bool | None
    progress: str | None
    note: str
    illustrative: bool
    available: bool


class RowOut(Schema):
    label: str
    detail: str
    ok: bool | None


class TargetOut(Schema):
    id: int
    plan_id: int
    order: int
    group: str
    sentence: str
    kind: str
    type_code: str
    params: dict[str, Any]
    params_text: str
    due_on: dt.date | None
    on: dt.date
    figure: FigureOut
    status: str
    status_label: str
    status_reason: str
    version: int


class TargetDetailOut(TargetOut):
    rows_title: str
    rows: list[RowOut]


def target_out(target: Target, on: dt.date, rows: bool = False) -> dict:
    line = queries.target_line(target, on)
    f = line.figure
    out = {
        "id": target.pk,
        "plan_id": target.plan_id,
        "order": target.order,
        "group": target.group,
        "sentence": target.sentence,
        "kind": target.kind,
        "type_code": target.type_code,
        "params": target.params,
        "params_text": line.params_text,
        "due_on": target.due_on,
        "on": on,
        "figure": {
            "shown": str(f.shown),
            "value": decimal_text(f.value),
            "goal": decimal_text(f.goal),
            "baseline": decimal_text(f.baseline),
            "achieved": f.achieved,
            "progress": decimal_text(f.progress),
            "note": str(f.note),
            "illustrative": f.illustrative,
            "available": f.available,
        },
        "status": line.judgement.code,
        "status_label": str(STATUS_LABELS[line.judgement.code]),
        "status_reason": str(line.judgement.reason),
        "version": target.version,
    }
    if rows:
        out["rows_title"] = str(f.rows_title)
        out["rows"] = [{"label": r.label, "detail": r.detail, "ok": r.ok} for r in f.rows]
    return out


@router.get(
    "/plans/{int:plan_id}/targets",
    response={200: Page[TargetOut], **ERRORS},
    **doc(
        "Chỉ tiêu của kế hoạch với số liệu tính từ dữ liệu và trạng thái (đạt, đúng tiến độ, có "
        "nguy cơ, chưa đạt) tại ngày `on`; lọc theo trạng thái.",
        "The plan's targets with the figure computed from the data and the status (achieved, on "
        "track, at risk, not achieved) at `on`; filter by status.",
    ),
)
def list_targets(
    request,
    plan_id: PathId,
    limit: Limit = 100,
    offset: Offset = 0,
    on: OnDate = None,
    status: text(30) | None = None,
):
    plan = _plan(request, plan_id)
    on = on or timezone.localdate()
    targets = list(plan.targets.select_related("plan__unit").order_by("order", "pk"))
    if status:
        # The status is computed, so the filter computes every target of this one plan.
        lines = [t for t in targets if queries.target_line(t, on).judgement.code == status]
        return page(lines, limit, offset, lambda t: target_out(t, on))
    return page(targets, limit, offset, lambda t: target_out(t, on))


def _target(request, target_id: PathId) -> Target:
    target = Target.objects.select_related("plan__unit").filter(pk=target_id).first()
    return visible(
        target,
        target is not None and permissions.can_view_plans(user_of(request), target.plan.unit),
    )


@router.get(
    "/targets/{int:target_id}",
    response={200: TargetDetailOut, **ERRORS},
    **doc(
        "Một chỉ tiêu, với danh sách đứng sau số liệu.",
        "One target, with the list behind its figure.",
    ),
)
def get_target(request, target_id: PathId, on: OnDate = None):
    return target_out(_target(request, target_id), on or timezone.localdate(), rows=True)


class TargetIn(Schema):
    sentence: text(2000, 1)
    type_code: text(60, 1)
    params: dict[text(40), ParamValue] = {}
    kind: TargetKind = TargetKind.FIRM
    group: ShortText = ""
    due_on: dt.date | None = None
    note: LongText = ""


class TargetPatch(Schema):
    version: int
    sentence: text(2000, 1) | None = None
    type_code: text(60, 1) | None = None
    params: dict[text(40), ParamValue] | None = None
    kind: TargetKind | None = None
    group: ShortText | None = None
    due_on: dt.date | None = None
    note: LongText | None = None


def _guarded(call):
    """Target parameters are read by each type's clean(); a number it cannot read is the
    caller's error, not the server's."""
    try:
        return call()
    except (ArithmeticError, OverflowError) as exc:
        raise errors.ApiError(
            422,
            errors.INVALID,
            _("Tham số chỉ tiêu không hợp lệ."),
            fields={"params": [str(exc)]},
        ) from exc


@router.post(
    "/plans/{int:plan_id}/targets",
    response={201: TargetDetailOut, **ERRORS},
    **doc(
        "Thêm chỉ tiêu (kiểu chỉ tiêu và tham số quyết định cách tính).",
        "Add a target (its type and parameters decide how it is computed).",
    ),
)
def add_target(request, plan_id: PathId, data: TargetIn):
    plan = _plan(request, plan_id)
    target = _guarded(lambda: services.add_target(user_of(request), plan, **data.dict()))
    return Status(201, target_out(target, timezone.localdate(), rows=True))


@router.patch(
    "/targets/{int:target_id}",
    response={200: TargetDetailOut, **ERRORS},
    **doc(
        "Sửa chỉ tiêu (`version`: phiên bản bạn đã đọc; bản cũ hơn bị từ chối với 409).",
        "Change a target (`version`: the one you read; an older one is refused with 409).",
    ),
)
def update_target(request, target_id: PathId, data: TargetPatch):
    target = _target(request, target_id)
    changes = data.dict(exclude_unset=True)
    version = changes.pop("version")
    changes = {k: v for k, v in changes.items() if v is not None or k == "due_on"}
    updated = _guarded(lambda: services.update_target(user_of(request), target, version, **changes))
    return target_out(updated, timezone.localdate(), rows=True)


class TaskOut(Schema):
    id: int
    plan_id: int | None
    directive_id: int | None
    unit: UnitRef
    order: int
    section: str
    content: str
    lead_id: int | None
    lead: str
    coordinator_ids: list[int]
    deadline_text: str
    deadline: dt.date | None
    status: str
    completed_on: dt.date | None
    state: str
    due: dt.date | None
    version: int


def task_out(task: Task, on: dt.date) -> dict:
    state = queries.task_state(task, on)
    return {
        "id": task.pk,
        "plan_id": task.plan_id,
        "directive_id": task.directive_id,
        "unit": unit_ref(task.unit),
        "order": task.order,
        "section": task.section,
        "content": task.content,
        "lead_id": task.lead_id,
        "lead": task.owner_label,
        "coordinator_ids": sorted(a.pk for a in task.coordinators.all()),
        "deadline_text": task.deadline_text,
        "deadline": task.deadline,
        "status": task.status,
        "completed_on": task.completed_on,
        "state": state.state,
        "due": state.due,
        "version": task.version,
    }


@router.get(
    "/tasks",
    response={200: Page[TaskOut], **ERRORS},
    **doc(
        "Nhiệm vụ của kế hoạch và văn bản chỉ đạo trong phạm vi của bạn; `state` (đúng hạn, "
        "trễ, quá hạn, đang làm, không hạn) tính tại ngày `on`; lọc theo kế hoạch, cây đơn vị, "
        "trạng thái, cơ quan chủ trì.",
        "Tasks of plans and directives within your memberships; `state` (on time, late, "
        "overdue, open, not dated) at `on`; filter by plan, subtree, status, lead agency.",
    ),
)
def list_tasks(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    plan: IdQuery = None,
    under: IdQuery = None,
    status: TaskStatus | None = None,
    lead: IdQuery = None,
    on: OnDate = None,
):
    user = user_of(request)
    where = permissions.scope_filter(user, prefix="plan__unit__") | permissions.scope_filter(
        user, prefix="directive__unit__"
    )
    tasks = Task.objects.filter(where)
    if plan is not None:
        tasks = tasks.filter(plan=_plan(request, plan))
    if under is not None:
        tasks = tasks.filter(
            _under(request, under, "plan__unit__") | _under(request, under, "directive__unit__")
        )
    if status:
        tasks = tasks.filter(status=status)
    if lead is not None:
        tasks = tasks.filter(lead_id=lead)
    tasks = (
        tasks.select_related("lead", "plan__unit", "directive__unit")
        .prefetch_related("notes", "coordinators")
        .order_by("plan_id", "directive_id", "order", "pk")
    )
    on = on or timezone.localdate()
    return page(tasks, limit, offset, lambda t: task_out(t, on))


def _task(request, task_id: PathId) -> Task:
    task = (
        Task.objects.select_related("plan__unit", "directive__unit", "lead")
        .filter(pk=task_id)
        .first()
    )
    user = user_of(request)
    return visible(
        task,
        task is not None
        and (
            permissions.can_view_plans(user, task.unit) or permissions.can_report_task(user, task)
        ),
    )


@router.get(
    "/tasks/{int:task_id}", response={200: TaskOut, **ERRORS}, **doc("Một nhiệm vụ.", "One task.")
)
def get_task(request, task_id: PathId, on: OnDate = None):
    return task_out(_task(request, task_id), on or timezone.localdate())


class NoteIn(Schema):
    text: text(5000, 1)
    written_on: dt.date
    completes: bool = False
    occurrence_due: dt.date | None = None
    version: int | None = None


class NoteOut(Schema):
    id: int
    task: TaskOut


@router.post(
    "/tasks/{int:task_id}/notes",
    response={201: NoteOut, **ERRORS},
    **doc(
        "Báo cáo tiến độ nhiệm vụ (cơ quan chủ trì hoặc văn phòng quản lý kế hoạch); "
        "`completes`: hoàn thành nhiệm vụ hoặc kỳ `occurrence_due` của nhiệm vụ định kỳ.",
        "Report progress on a task (its lead agency or the office managing the plan); "
        "`completes`: closes the task, or the period `occurrence_due` of a recurring one.",
    ),
)
def add_note(request, task_id: PathId, data: NoteIn):
    task = _task(request, task_id)
    note = services.add_progress_note(
        user_of(request),
        task,
        text=data.text,
        written_on=data.written_on,
        completes=data.completes,
        occurrence_due=data.occurrence_due,
        expected_version=data.version,
    )
    fresh = _task(request, task_id)
    return Status(201, {"id": note.pk, "task": task_out(fresh, timezone.localdate())})
