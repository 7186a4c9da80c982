"""Read side of plans: targets with their figure and status at a date, tasks with their due
occurrences, overdue and due-soon lists, the per-agency scorecard, fund totals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.places.models import Agency, Level, Unit
from nongthon.plans import deadlines as dl
from nongthon.plans import targets
from nongthon.plans.models import (
    Directive,
    FundLine,
    MoneyUnit,
    Plan,
    Target,
    TargetKind,
    Task,
    TaskStatus,
)
from nongthon.plans.targets.base import Figure, Judgement, TargetType

DUE_SOON_DAYS = 14  # how far ahead "sắp đến hạn" looks; a page may ask for another window


# --- Plans and targets -------------------------------------------------------------------------


def visible_plans(user: User) -> QuerySet[Plan]:
    return Plan.objects.filter(permissions.scope_filter(user, prefix="unit__")).select_related(
        "unit"
    )


def visible_directives(user: User) -> QuerySet[Directive]:
    return Directive.objects.filter(permissions.scope_filter(user, prefix="unit__")).select_related(
        "unit"
    )


@dataclass
class TargetLine:
    target: Target
    type: TargetType
    figure: Figure
    judgement: Judgement

    @property
    def params_text(self) -> str:
        return self.type.describe_params(self.target.params)


def target_line(target: Target, on: dt.date) -> TargetLine:
    target_type = targets.get(target.type_code)
    figure = target_type.compute(target, on)
    return TargetLine(target, target_type, figure, target_type.status(target, on, figure))


@dataclass
class TargetGroup:
    name: str
    firm: list[TargetLine] = field(default_factory=list)
    stretch: list[TargetLine] = field(default_factory=list)


def plan_targets(plan: Plan, on: dt.date) -> list[TargetGroup]:
    """Targets by group, firm and stretch kept apart, each computed at `on`."""
    groups: dict[str, TargetGroup] = {}
    for target in plan.targets.select_related("plan__unit").order_by("order", "pk"):
        group = groups.setdefault(target.group, TargetGroup(target.group))
        line = target_line(target, on)
        (group.stretch if target.kind == TargetKind.STRETCH else group.firm).append(line)
    return list(groups.values())


def status_counts(groups: list[TargetGroup]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for group in groups:
        for line in group.firm + group.stretch:
            counts[line.judgement.code] += 1
    return dict(counts)


def targets_with_status(groups: list[TargetGroup], code: str) -> list[TargetGroup]:
    """The same groups keeping only the targets judged `code` (empty groups dropped)."""
    kept = []
    for group in groups:
        firm = [line for line in group.firm if line.judgement.code == code]
        stretch = [line for line in group.stretch if line.judgement.code == code]
        if firm or stretch:
            kept.append(TargetGroup(group.name, firm, stretch))
    return kept


def fund_total(plan: Plan) -> tuple[Decimal | None, str]:
    """Sum of the fund lines in one money unit (tỷ when the plan writes tỷ, else triệu)."""
    lines = list(plan.fund_lines.all())
    if not lines or any(line.amount is None for line in lines):
        return None, ""
    units = {line.money_unit for line in lines}
    if units == {MoneyUnit.BILLION}:
        return _plain(sum((line.amount for line in lines), Decimal(0))), MoneyUnit.BILLION.label
    total = sum(
        (line.amount * (1000 if line.money_unit == MoneyUnit.BILLION else 1) for line in lines),
        Decimal(0),
    )
    return _plain(total), MoneyUnit.MILLION.label


def _plain(value: Decimal) -> Decimal:
    """Without the stored trailing zeros (6259605.000 → 6259605), so pages print it as typed."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def fund_lines(plan: Plan) -> list[FundLine]:
    return list(plan.fund_lines.order_by("order", "pk"))


# --- Tasks ---------------------------------------------------------------------------------------

ON_TIME, LATE, OVERDUE, OPEN, NOT_DATED = "on_time", "late", "overdue", "open", "not_dated"
CANCELLED = "cancelled"


@dataclass
class Occurrence:
    """One due date of a task (the only one for a dated task) and how it stands at a date."""

    task: Task
    due: dt.date | None
    done_on: dt.date | None
    state: str


def _window(task: Task) -> tuple[dt.date, dt.date]:
    source = task.source
    if isinstance(source, Plan):
        return source.start, source.end
    return source.issued_on, dt.date(source.issued_on.year, 12, 31)


def cancelled_by(task: Task, on: dt.date) -> bool:
    """Was the task cancelled on or before `on`? (Judged earlier, it was still open.)"""
    return (
        task.status == TaskStatus.CANCELLED
        and task.cancelled_on is not None
        and task.cancelled_on <= on
    )


def occurrences(task: Task, on: dt.date) -> list[Occurrence]:
    """A dated task: one occurrence; a recurring one: every period due from the source's start
    to its end (completed by a progress note naming that period); "thường xuyên" or "khi có
    ...": one undated occurrence, never overdue. A task cancelled by `on` keeps the periods it
    completed and counts once as cancelled, never overdue."""
    rows = _occurrences(task, on)
    if not cancelled_by(task, on):
        return rows
    kept = [o for o in rows if o.done_on is not None and o.done_on <= on]
    return [*kept, Occurrence(task, task.deadline, None, CANCELLED)]


def _occurrences(task: Task, on: dt.date) -> list[Occurrence]:
    if task.deadline_kind == dl.RECURRING:
        start, end = _window(task)
        done = {
            n.occurrence_due: n.written_on
            for n in sorted(task.notes.all(), key=lambda n: n.written_on, reverse=True)
            if n.completes and n.occurrence_due
        }
        rows = []
        for due in dl.occurrences(
            task.recurrence.get("periods", []), task.recurrence.get("day"), start, end
        ):
            done_on = done.get(due)
            rows.append(Occurrence(task, due, done_on, _state(due, done_on, on)))
        return rows
    done_on = task.completed_on if task.status == TaskStatus.DONE else None
    if task.deadline is None:
        return [Occurrence(task, None, done_on, ON_TIME if done_on else NOT_DATED)]
    return [Occurrence(task, task.deadline, done_on, _state(task.deadline, done_on, on))]


def _state(due: dt.date, done_on: dt.date | None, on: dt.date) -> str:
    if done_on is not None and done_on <= on:
        return ON_TIME if done_on <= due else LATE
    return OVERDUE if on > due else OPEN


def _tasks(query: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks with what their lists need; cancelled ones included (their state says so)."""
    return query.select_related("lead", "plan__unit", "directive__unit").prefetch_related(
        "notes", "coordinators"
    )


def tasks_under(unit: Unit) -> QuerySet[Task]:
    """Tasks of the plans and directives issued by `unit` or units under it."""
    if unit.level == Level.PROVINCE:
        where = Q(plan__unit__province=unit) | Q(directive__unit__province=unit)
    elif unit.level == Level.DISTRICT:
        where = Q(plan__unit__district=unit) | Q(directive__unit__district=unit)
    else:
        where = Q(pk__in=[])
    where |= Q(plan__unit=unit) | Q(directive__unit=unit)
    return _tasks(Task.objects.filter(where))


def agency_tasks(agency: Agency) -> QuerySet[Task]:
    return _tasks(Task.objects.filter(Q(lead=agency) | Q(coordinators=agency)).distinct())


@dataclass
class DueLists:
    overdue: list[Occurrence]
    due_soon: list[Occurrence]


def due_lists(tasks: QuerySet[Task], on: dt.date, days: int = DUE_SOON_DAYS) -> DueLists:
    """Overdue occurrences (all, oldest first) and those due within `days` after `on`."""
    overdue, soon = [], []
    horizon = on + dt.timedelta(days=days)
    for task in tasks:
        for occ in occurrences(task, on):
            if occ.state == OVERDUE:
                overdue.append(occ)
            elif occ.state == OPEN and occ.due is not None and occ.due <= horizon:
                soon.append(occ)
    overdue.sort(key=lambda o: (o.due, o.task.pk))
    soon.sort(key=lambda o: (o.due, o.task.pk))
    return DueLists(overdue, soon)


@dataclass
class ScoreRow:
    agency: Agency | None
    label: str
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    open: int = 0
    not_dated: int = 0
    cancelled: int = 0  # counted apart: not in the total

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.open + self.not_dated


def scorecard(tasks: QuerySet[Task], on: dt.date) -> list[ScoreRow]:
    """Per lead agency (or the group a duty names): occurrences done on time, done late,
    overdue, open (not yet due) and undated, at `on`; tasks cancelled by then apart."""
    rows: dict[str, ScoreRow] = {}
    for task in tasks:
        key = f"a{task.lead_id}" if task.lead_id else f"t{task.lead_text}"
        row = rows.setdefault(key, ScoreRow(task.lead, task.owner_label))
        for occ in occurrences(task, on):
            setattr(row, occ.state, getattr(row, occ.state) + 1)
    return sorted(rows.values(), key=lambda r: (-(r.overdue + r.late), r.label))


def task_state(task: Task, on: dt.date) -> Occurrence:
    """The occurrence that matters now: the first overdue, else the next open, else the last
    (for a cancelled task: its cancellation)."""
    rows = occurrences(task, on)
    for state in (CANCELLED, OVERDUE, OPEN, NOT_DATED):
        for occ in rows:
            if occ.state == state:
                return occ
    return rows[-1] if rows else Occurrence(task, None, None, NOT_DATED)
