"""Read side of reporting: who must report for a period, whether each report came on time,
late or not at all (as DHIS2 shows completeness and timeliness), the grid units × periods, the
list of missing and late reports, a unit's own reports, the review queue, and the summary the
dashboard reads.

Everything reads stored periods and submissions. Counts are grouped queries whose number
depends on the periods considered, not on the number of communes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.places.models import Agency, AgencyKind, Level, Unit
from nongthon.reporting import definitions as defs
from nongthon.reporting.models import ReportPeriod, Schedule, Status, Submission

ON_TIME, LATE, MISSING, OPEN = "on_time", "late", "missing", "open"
STATE_LABELS = {
    ON_TIME: gettext_lazy("Đúng hạn"),
    LATE: gettext_lazy("Trễ hạn"),
    MISSING: gettext_lazy("Chưa gửi, quá hạn"),
    OPEN: gettext_lazy("Chưa đến hạn"),
}
STATE_CSS = {ON_TIME: "success", LATE: "warning", MISSING: "danger", OPEN: "secondary"}
STATE_SYMBOLS = {ON_TIME: "✓", LATE: "!", MISSING: "✗", OPEN: "·"}


def province_of(unit: Unit) -> Unit:
    return unit if unit.level == Level.PROVINCE else unit.province


def schedule_of(province: Unit) -> Schedule | None:
    return Schedule.objects.filter(province=province).first()


# --- Timeliness ---------------------------------------------------------------------------------


def timeliness(deadline: dt.date, first_submitted_on: dt.date | None, on: dt.date) -> str:
    """As of day `on`: sent by the deadline (the deadline day itself counts), sent after it,
    nothing and the deadline passed, nothing and still time."""
    if first_submitted_on is not None and first_submitted_on <= on:
        return ON_TIME if first_submitted_on <= deadline else LATE
    return MISSING if on > deadline else OPEN


@dataclass(frozen=True)
class State:
    code: str

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.code])

    @property
    def css(self) -> str:
        return STATE_CSS[self.code]

    @property
    def symbol(self) -> str:
        return STATE_SYMBOLS[self.code]


# --- Who reports ----------------------------------------------------------------------------------


def _scope_units(scope: Unit) -> Q:
    """The scope and the units under it (on the Unit model itself)."""
    q = Q(pk=scope.pk)
    if scope.level == Level.PROVINCE:
        q |= Q(province=scope)
    elif scope.level == Level.DISTRICT:
        q |= Q(district=scope)
    return q


def _scope_submissions(scope: Unit) -> Q:
    """Submissions of units under `scope`, among the periods of its province: a province needs
    no filter, a district reads the copied district column (no join)."""
    if scope.level == Level.PROVINCE:
        return Q()
    if scope.level == Level.DISTRICT:
        return Q(district=scope) | Q(unit=scope)
    return Q(unit=scope)


def expected_units(period: ReportPeriod, scope: Unit | None = None) -> QuerySet[Unit]:
    """The communes or districts that owe a report for `period` (under `scope`): those of the
    province, of the rule's kinds, that exist on the deadline."""
    level = Level.COMMUNE if period.submitters == defs.COMMUNE else Level.DISTRICT
    units = Unit.objects.filter(province=period.province, level=level).valid_on(period.deadline)
    if period.unit_kinds:
        units = units.filter(kind__in=period.unit_kinds)
    if scope is not None:
        units = units.filter(_scope_units(scope))
    return units.order_by("code")


def expected_agencies(period: ReportPeriod, scope: Unit | None = None) -> QuerySet[Agency]:
    """The province's departments that exist on the deadline (only a province scope sees
    them)."""
    if scope is not None and scope.pk != period.province_id:
        return Agency.objects.none()
    return (
        Agency.objects.filter(unit=period.province, kind=AgencyKind.DEPARTMENT)
        .valid_on(period.deadline)
        .order_by("name")
    )


def owes(period: ReportPeriod, unit: Unit, agency: Agency | None = None) -> bool:
    """Does this unit (or department) owe a report for the period?"""
    if period.submitters == defs.DEPARTMENT:
        return agency is not None and expected_agencies(period).filter(pk=agency.pk).exists()
    return agency is None and expected_units(period).filter(pk=unit.pk).exists()


def _valid(row: dict, day: dt.date) -> bool:
    return (row["valid_from"] is None or row["valid_from"] <= day) and (
        row["valid_to"] is None or row["valid_to"] >= day
    )


class _Population:
    """Units (or departments) that could owe reports under a scope, grouped by the fields that
    decide it (kind, validity, parent): one query per level, whatever the number of units."""

    def __init__(self, scope: Unit, group_by: str | None = None) -> None:
        self.scope = scope
        self.group_by = group_by
        self._rows: dict = {}

    def rows(self, submitters: str) -> list[dict]:
        if submitters not in self._rows:
            if submitters == defs.DEPARTMENT:
                query = Agency.objects.filter(
                    unit=province_of(self.scope), kind=AgencyKind.DEPARTMENT
                )
                if self.scope.level != Level.PROVINCE:
                    query = query.none()
                fields = ["valid_from", "valid_to"]
            else:
                level = Level.COMMUNE if submitters == defs.COMMUNE else Level.DISTRICT
                query = Unit.objects.filter(_scope_units(self.scope), level=level)
                fields = ["kind", "valid_from", "valid_to"]
                if self.group_by:
                    fields.append(self.group_by)
            self._rows[submitters] = list(query.values(*fields).annotate(n=Count("id")))
        return self._rows[submitters]

    def _grouped(self, submitters: str) -> dict:
        key = f"by_group:{submitters}"
        if key not in self._rows:
            grouped: dict = defaultdict(list)
            for row in self.rows(submitters):
                grouped[row.get(self.group_by)].append(row)
            self._rows[key] = grouped
        return self._rows[key]

    def count(self, period: ReportPeriod, group: int | None = None) -> int:
        if group is None:
            rows = self.rows(period.submitters)
        else:
            rows = self._grouped(period.submitters).get(group, [])
        total = 0
        for row in rows:
            if period.unit_kinds and row.get("kind") not in period.unit_kinds:
                continue
            if _valid(row, period.deadline):
                total += row["n"]
        return total


# --- The dashboard's summary --------------------------------------------------------------------


class MissingReport(NamedTuple):
    """A report owed and not sent: the unit (or department), the form, the period, the
    deadline."""

    unit: Unit | Agency
    form: defs.FormDef
    period: ReportPeriod
    deadline: dt.date


@dataclass
class ReportingSummary:
    """Completeness and timeliness of the reports owed by the units under `unit`, for the
    periods whose deadline passed in (since, on) — `on` excluded: a report is missing only
    from the day after its deadline."""

    unit: Unit
    on: dt.date
    since: dt.date
    periods: list[ReportPeriod]
    expected: int
    on_time: int
    late: int
    missing: int
    missing_list: list[MissingReport] = field(default_factory=list)
    missing_list_complete: bool = True

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def completeness(self) -> float | None:
        """Reports received / expected, in percent (DHIS2's reporting rate)."""
        return round(100 * self.submitted / self.expected, 1) if self.expected else None

    @property
    def timeliness(self) -> float | None:
        """Reports received on time / expected, in percent."""
        return round(100 * self.on_time / self.expected, 1) if self.expected else None


def due_periods(
    province: Unit, since: dt.date, on: dt.date, scope: Unit | None = None
) -> list[ReportPeriod]:
    """Periods of the province whose deadline is in [since, on) (due and passed by `on`)."""
    periods = ReportPeriod.objects.filter(
        province=province, deadline__gte=since, deadline__lt=on
    ).order_by("deadline", "rule_code")
    if scope is not None and scope.level != Level.PROVINCE:
        periods = periods.exclude(submitters=defs.DEPARTMENT)
        if scope.level == Level.COMMUNE:
            periods = periods.filter(submitters=defs.COMMUNE)
    return list(periods)


def _submitted_counts(scope: Unit, periods: list[ReportPeriod], on: dt.date) -> dict:
    """{period id: (on time, late)} for reports sent by `on`: one query grouped by period and
    sending day (a few hundred rows whatever the number of reports), compared in Python."""
    deadlines = {p.pk: p.deadline for p in periods}
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        Submission.objects.filter(
            _scope_submissions(scope), period__in=list(deadlines), first_submitted_on__lte=on
        )
        .values_list("period_id", "first_submitted_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    for period_id, day, n in rows:
        counts[period_id][0 if day <= deadlines[period_id] else 1] += n
    return {k: (v[0], v[1]) for k, v in counts.items()}


def missing_in(period: ReportPeriod, scope: Unit, on: dt.date, limit: int | None = None) -> list:
    """The units (or departments) under `scope` owing a report for `period` and not having
    sent it by `on`, in the official order."""
    sent = Submission.objects.filter(period=period, first_submitted_on__lte=on)
    if period.submitters == defs.DEPARTMENT:
        owing = expected_agencies(period, scope).exclude(
            pk__in=sent.filter(agency__isnull=False).values("agency_id")
        )
    else:
        owing = expected_units(period, scope).exclude(pk__in=sent.values("unit_id"))
    return list(owing[:limit] if limit is not None else owing)


def reporting_summary(
    unit: Unit, on: dt.date, *, since: dt.date | None = None, limit: int = 50
) -> ReportingSummary:
    """The reports owed by `unit` and the units under it (its departments too for a province)
    for the periods due in the 12 months before `on` (or since `since`): expected, on time,
    late, missing, and the first `limit` missing reports, oldest deadline first."""
    since = since or on - dt.timedelta(days=365)
    province = province_of(unit)
    periods = due_periods(province, since, on, scope=unit)
    population = _Population(unit)
    counts = _submitted_counts(unit, periods, on)
    considered, expected, on_time, late = [], 0, 0, 0
    gaps: list[tuple[ReportPeriod, int]] = []
    for period in periods:
        owed = population.count(period)
        if not owed:
            continue
        considered.append(period)
        sent_on_time, sent_late = counts.get(period.pk, (0, 0))
        expected += owed
        on_time += sent_on_time
        late += sent_late
        if owed > sent_on_time + sent_late:
            gaps.append((period, owed - sent_on_time - sent_late))
    missing = expected - on_time - late
    missing_list: list[MissingReport] = []
    for period, _gap in gaps:
        if len(missing_list) >= limit:
            break
        for who in missing_in(period, unit, on, limit=limit - len(missing_list)):
            missing_list.append(MissingReport(who, period.form, period, period.deadline))
    return ReportingSummary(
        unit=unit,
        on=on,
        since=since,
        periods=considered,
        expected=expected,
        on_time=on_time,
        late=late,
        missing=missing,
        missing_list=missing_list,
        missing_list_complete=len(missing_list) == missing,
    )


# --- The list page of missing and late reports ------------------------------------------------


@dataclass
class ProblemRow:
    who: Unit | Agency
    period: ReportPeriod
    state: State
    submission: Submission | None


def problem_rows(
    scope: Unit, on: dt.date, since: dt.date, state: str = "", limit: int = 500
) -> tuple[list[ProblemRow], bool]:
    """Missing and late reports of the periods due in [since, on), newest deadline first;
    `state` keeps one kind. True when the list was cut at `limit`."""
    periods = due_periods(province_of(scope), since, on, scope=scope)
    rows: list[ProblemRow] = []
    if state in ("", LATE):
        late = (
            Submission.objects.filter(
                _scope_submissions(scope),
                period__in=[p.pk for p in periods],
                first_submitted_on__lte=on,
                first_submitted_on__gt=F("period__deadline"),
            )
            .select_related("period", "unit", "agency")
            .defer("figures", "snapshot")
            .order_by("-period__deadline", "unit__code")[: limit + 1]
        )
        for s in late:
            rows.append(ProblemRow(s.agency or s.unit, s.period, State(LATE), s))
    if state in ("", MISSING):
        for period in reversed(periods):
            if len(rows) > limit:
                break
            for who in missing_in(period, scope, on, limit=limit + 1 - len(rows)):
                rows.append(ProblemRow(who, period, State(MISSING), None))
    rows.sort(key=lambda r: (-r.period.deadline.toordinal(), r.state.code, _code(r.who)))
    return rows[:limit], len(rows) > limit


def _code(who: Unit | Agency) -> str:
    return getattr(who, "code", "")


# --- The grid units × periods ---------------------------------------------------------------------


@dataclass
class Cell:
    period: ReportPeriod
    state: State | None = None  # one unit's report
    submission: Submission | None = None
    expected: int = 0  # a group of units (a district's communes)
    on_time: int = 0
    late: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        return round(100 * self.submitted / self.expected, 1) if self.expected else None


@dataclass
class GridRow:
    who: Unit | Agency
    cells: list[Cell]
    is_group: bool = False

    @property
    def name(self) -> str:
        return self.who.name


@dataclass
class Totals:
    period: ReportPeriod
    expected: int = 0
    on_time: int = 0
    late: int = 0
    due: bool = True

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return self.expected - self.submitted if self.due else 0

    @property
    def completeness(self) -> float | None:
        return round(100 * self.submitted / self.expected, 1) if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None


@dataclass
class Grid:
    scope: Unit
    rule_code: str
    year: int
    on: dt.date
    periods: list[ReportPeriod]
    rows: list[GridRow]
    totals: list[Totals]
    grouped_by_district: bool

    @property
    def expected(self) -> int:
        return sum(t.expected for t in self.totals)

    @property
    def on_time(self) -> int:
        return sum(t.on_time for t in self.totals)

    @property
    def late(self) -> int:
        return sum(t.late for t in self.totals)

    @property
    def missing(self) -> int:
        return sum(t.missing for t in self.totals)


def grid(scope: Unit, rule_code: str, year: int, on: dt.date) -> Grid:
    """One rule's periods of `year` as columns; rows are the units owing them under `scope`
    (a province's districts, with their communes' rates, when the rule is the communes')."""
    province = province_of(scope)
    periods = list(
        ReportPeriod.objects.filter(province=province, rule_code=rule_code, year=year).order_by(
            "deadline", "number"
        )
    )
    submitters = periods[0].submitters if periods else defs.COMMUNE
    grouped = (
        submitters == defs.COMMUNE
        and scope.level == Level.PROVINCE
        and Unit.objects.filter(province=scope, level=Level.DISTRICT).exists()
    )
    totals = [Totals(p, due=p.deadline < on) for p in periods]
    if grouped:
        rows = _grouped_rows(scope, periods, on, totals)
    else:
        rows = _unit_rows(scope, periods, on, totals, submitters)
    return Grid(scope, rule_code, year, on, periods, rows, totals, grouped)


def _grouped_rows(
    scope: Unit, periods: list[ReportPeriod], on: dt.date, totals: list[Totals]
) -> list[GridRow]:
    population = _Population(scope, group_by="district")
    deadlines = {p.pk: p.deadline for p in periods}
    sent = defaultdict(lambda: [0, 0])  # (period, district) → [on time, all]
    for period_id, district_id, day, n in (
        Submission.objects.filter(period__in=list(deadlines), first_submitted_on__lte=on)
        .values_list("period_id", "district_id", "first_submitted_on")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts = sent[(period_id, district_id)]
        counts[0] += n if day <= deadlines[period_id] else 0
        counts[1] += n
    rows = []
    for district in Unit.objects.filter(province=scope, level=Level.DISTRICT).order_by("code"):
        cells = []
        for period, total in zip(periods, totals, strict=True):
            on_time, all_sent = sent[(period.pk, district.pk)]
            cell = Cell(
                period,
                expected=population.count(period, district.pk),
                on_time=on_time,
                late=all_sent - on_time,
            )
            total.expected += cell.expected
            total.on_time += cell.on_time
            total.late += cell.late
            cells.append(cell)
        if any(c.expected for c in cells):
            rows.append(GridRow(district, cells, is_group=True))
    return rows


def _unit_rows(
    scope: Unit,
    periods: list[ReportPeriod],
    on: dt.date,
    totals: list[Totals],
    submitters: str,
) -> list[GridRow]:
    if not periods:
        return []
    if submitters == defs.DEPARTMENT:
        if scope.level != Level.PROVINCE:
            return []
        candidates = list(
            Agency.objects.filter(unit=scope, kind=AgencyKind.DEPARTMENT).order_by("name")
        )
        key = "agency_id"
    else:
        level = Level.COMMUNE if submitters == defs.COMMUNE else Level.DISTRICT
        candidates = list(Unit.objects.filter(_scope_units(scope), level=level).order_by("code"))
        key = "unit_id"
    by_key = {}
    reports = (
        Submission.objects.filter(period__in=[p.pk for p in periods])
        .filter(**{f"{key[:-3]}__in": [c.pk for c in candidates]})
        .only("id", "period_id", "unit_id", "agency_id", "first_submitted_on", "status")
    )
    for s in reports:
        by_key[(s.period_id, getattr(s, key))] = s
    rows = []
    for who in candidates:
        cells = []
        for period, total in zip(periods, totals, strict=True):
            kinds_ok = not period.unit_kinds or getattr(who, "kind", None) in period.unit_kinds
            valid = _valid(
                {"valid_from": who.valid_from, "valid_to": who.valid_to}, period.deadline
            )
            if not (kinds_ok and valid):
                cells.append(Cell(period))
                continue
            submission = by_key.get((period.pk, who.pk))
            first = submission.first_submitted_on if submission else None
            state = State(timeliness(period.deadline, first, on))
            cells.append(Cell(period, state=state, submission=submission, expected=1))
            total.expected += 1
            total.on_time += state.code == ON_TIME
            total.late += state.code == LATE
        if any(c.expected for c in cells):
            rows.append(GridRow(who, cells))
    return rows


# --- A unit's own reports and the review queue ---------------------------------------------------


@dataclass
class OwnReport:
    period: ReportPeriod
    submission: Submission | None
    state: State


def own_reports(
    unit: Unit, year: int, on: dt.date, agency: Agency | None = None
) -> list[OwnReport]:
    """The periods of `year` for which this unit (or department) owes a report, with its
    report and state at `on`."""
    province = province_of(unit)
    periods = ReportPeriod.objects.filter(province=province, year=year)
    if agency is not None:
        periods = periods.filter(submitters=defs.DEPARTMENT)
    else:
        submitters = defs.COMMUNE if unit.level == Level.COMMUNE else defs.DISTRICT
        if unit.level == Level.PROVINCE:
            return []
        periods = periods.filter(submitters=submitters)
    who = agency or unit
    alive = {"valid_from": who.valid_from, "valid_to": who.valid_to}
    periods = [
        p
        for p in periods.order_by("deadline", "rule_code")
        if _valid(alive, p.deadline)
        and (agency is not None or not p.unit_kinds or unit.kind in p.unit_kinds)
    ]
    found = Submission.objects.filter(period__in=[p.pk for p in periods])
    found = (
        found.filter(agency=agency)
        if agency is not None
        else found.filter(unit=unit, agency__isnull=True)
    )
    by_period = {s.period_id: s for s in found}
    rows = []
    for period in periods:
        submission = by_period.get(period.pk)
        first = submission.first_submitted_on if submission else None
        rows.append(OwnReport(period, submission, State(timeliness(period.deadline, first, on))))
    return rows


def review_queue(user: User, scope: Unit) -> list[Submission]:
    """Reports sent to `scope` (by the units one level below, by its departments, or addressed
    to an agency of the province) waiting for the user's decision."""
    if scope.level == Level.COMMUNE:
        return []
    addressed = Q(unit__parent=scope, period__recipient=defs.LEVEL_ABOVE)
    if scope.level == Level.PROVINCE:
        addressed |= Q(unit=scope, agency__isnull=False, period__recipient=defs.LEVEL_ABOVE)
        addressed |= Q(unit__province=scope) & ~Q(period__recipient=defs.LEVEL_ABOVE)
    waiting = (
        Submission.objects.filter(addressed, status=Status.SUBMITTED)
        .select_related("period", "unit", "agency", "unit__parent")
        .defer("figures", "snapshot")
        .order_by("period__deadline", "unit__code")
    )
    return [
        s
        for s in waiting
        if permissions.can_review_report(user, s.unit, s.agency, s.period.recipient)
    ]


def missing_url(unit: Unit, on: dt.date | None = None, state: str = "") -> str:
    """The list page of missing and late reports under `unit` (URL name "reporting:missing";
    `state`: "missing" or "late" to keep one kind)."""
    from django.urls import reverse

    params = "&".join(
        p for p in (f"on={on.isoformat()}" if on else "", f"state={state}" if state else "") if p
    )
    url = reverse("reporting:missing", args=[unit.pk])
    return f"{url}?{params}" if params else url


def visible_submission(user: User, pk: int) -> Submission | None:
    """The report if the user may read it (None: answer 404)."""
    submission = (
        Submission.objects.select_related("period", "unit", "agency", "unit__district")
        .filter(pk=pk)
        .first()
    )
    if submission is None or not permissions.can_view_reports(user, submission.unit):
        return None
    return submission
