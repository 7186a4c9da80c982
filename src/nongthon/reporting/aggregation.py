"""The report of a province (or a district) for a period, compiled from the reports of the units
below and of its departments, compared with the same period last year.

A period here is (frequency, year, number): every rule of that frequency contributes (the
communes' and the districts' quarterly reports of Q1 2023, say). For each form, the figures are
summed over the reports received (submitted or accepted; an accepted one from its snapshot) of
the level right below the scope (districts for a province, communes for a district; communes
where the province has no districts), ratios derived from the sums. Beside them: the figures
the system computes for the whole scope at the same day, and last year's compiled figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from nongthon.places.models import Agency, Level, Unit
from nongthon.reporting import definitions as defs
from nongthon.reporting import figures as figure_values
from nongthon.reporting.definitions import FigureDef, FormDef, SectionDef
from nongthon.reporting.display import shown, unit_label
from nongthon.reporting.models import ReportPeriod, Status, Submission
from nongthon.reporting.periods import period_label
from nongthon.reporting.queries import (
    LATE,
    MISSING,
    ON_TIME,
    State,
    expected_agencies,
    expected_units,
    province_of,
    timeliness,
)

RECEIVED = (Status.SUBMITTED, Status.ACCEPTED)
LEVEL_ORDER = (defs.DISTRICT, defs.COMMUNE, defs.DEPARTMENT)


def report_values(submission: Submission) -> dict:
    """A received report's computed and typed values (an accepted one: from its snapshot)."""
    if submission.status == Status.ACCEPTED and submission.snapshot:
        return figure_values.all_values(
            submission.snapshot["figures"], submission.snapshot["typed"]
        )
    return figure_values.all_values(submission.figures, submission.typed)


def report_texts(submission: Submission) -> dict:
    if submission.status == Status.ACCEPTED and submission.snapshot:
        return submission.snapshot["texts"] or {}
    return submission.texts or {}


@dataclass
class Entry:
    """One unit (or department) owing a report of the period, with its report if received."""

    who: Unit | Agency
    period: ReportPeriod
    state: State
    submission: Submission | None
    values: dict = field(default_factory=dict)

    @property
    def received(self) -> bool:
        return self.submission is not None and self.submission.status in RECEIVED

    @property
    def accepted(self) -> bool:
        return self.submission is not None and self.submission.status == Status.ACCEPTED


@dataclass
class Level_:
    submitters: str
    entries: list[Entry]

    @property
    def label(self) -> str:
        return str(defs.SUBMITTER_LABELS[self.submitters])

    def count(self, state: str) -> int:
        return sum(1 for e in self.entries if e.state.code == state)

    @property
    def expected(self) -> int:
        return len(self.entries)

    @property
    def on_time(self) -> int:
        return self.count(ON_TIME)

    @property
    def late(self) -> int:
        return self.count(LATE)

    @property
    def missing(self) -> int:
        return self.count(MISSING)

    @property
    def received(self) -> int:
        return sum(1 for e in self.entries if e.received)

    @property
    def accepted(self) -> int:
        return sum(1 for e in self.entries if e.accepted)

    def sums(self, form: FormDef) -> dict:
        """Summed values of the received reports (None when no report gives the figure)."""
        totals: dict[str, Decimal | None] = {}
        for figure in form.figures:
            if not figure.summable:
                continue
            numbers = [
                figure_values.number(e.values.get(figure.code)) for e in self.entries if e.received
            ]
            numbers = [n for n in numbers if n is not None]
            totals[figure.code] = sum(numbers, Decimal(0)) if numbers else None
        return totals


@dataclass
class Line:
    section: SectionDef
    figure: FigureDef
    value: Decimal | None
    system: Decimal | None
    last_year: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.last_year is None:
            return None
        return self.value - self.last_year

    @property
    def unit(self) -> str:
        return unit_label(self.figure)

    @property
    def shown_value(self) -> str:
        return shown(self.figure, self.value)

    @property
    def shown_system(self) -> str:
        return shown(self.figure, self.system)

    @property
    def shown_last_year(self) -> str:
        return shown(self.figure, self.last_year)

    @property
    def shown_change(self) -> str:
        if self.change is None:
            return "—"
        text = shown(self.figure, abs(self.change))
        return f"+{text}" if self.change > 0 else (f"-{text}" if self.change < 0 else "0")


@dataclass
class FormReport:
    form: FormDef
    periods: list[ReportPeriod]
    levels: list[Level_]
    primary: Level_ | None
    lines: list[Line]
    as_of: dt.date

    def level(self, submitters: str) -> Level_ | None:
        return next((lv for lv in self.levels if lv.submitters == submitters), None)

    @property
    def has_figures(self) -> bool:
        return bool(self.lines)


@dataclass
class Compiled:
    scope: Unit
    frequency: str
    year: int
    number: int
    on: dt.date
    label: str
    forms: list[FormReport]
    illustrative: bool

    @property
    def periods(self) -> list[ReportPeriod]:
        return [p for f in self.forms for p in f.periods]

    def texts(self, code: str) -> list[tuple[str, str]]:
        """(who, text) of section `code` from the primary level's and the departments'
        received reports, in order."""
        found = []
        for form_report in self.forms:
            levels = [form_report.primary, form_report.level(defs.DEPARTMENT)]
            seen = set()
            for level in levels:
                if level is None or id(level) in seen:
                    continue
                seen.add(id(level))
                for entry in level.entries:
                    if entry.received:
                        text = report_texts(entry.submission).get(code, "")
                        if text:
                            found.append((entry.who.name, text))
        return found


def _periods(province: Unit, frequency: str, year: int, number: int) -> list[ReportPeriod]:
    return list(
        ReportPeriod.objects.filter(
            province=province, frequency=frequency, year=year, number=number
        ).order_by("deadline", "rule_code")
    )


def _entries(period: ReportPeriod, scope: Unit, on: dt.date) -> list[Entry]:
    """Everyone under `scope` owing a report of `period`, with the report and its values."""
    if period.submitters == defs.DEPARTMENT:
        owing = list(expected_agencies(period, scope))
        reports = {
            s.agency_id: s
            for s in Submission.objects.filter(period=period, agency__in=owing).select_related(
                "agency"
            )
        }
    else:
        owing = list(expected_units(period, scope))
        reports = {
            s.unit_id: s
            for s in Submission.objects.filter(
                period=period, agency__isnull=True, unit__in=[u.pk for u in owing]
            )
        }
    entries = []
    for who in owing:
        submission = reports.get(who.pk)
        first = submission.first_submitted_on if submission else None
        entry = Entry(who, period, State(timeliness(period.deadline, first, on)), submission)
        if entry.received and first is not None and first <= on:
            entry.values = report_values(submission)
        elif entry.received:
            entry.submission = None  # sent after `on`: not yet received on that day
        entries.append(entry)
    return entries


def _primary(scope: Unit, levels: list[Level_]) -> Level_ | None:
    wanted = (defs.COMMUNE,) if scope.level == Level.DISTRICT else LEVEL_ORDER
    for submitters in wanted:
        for level in levels:
            if level.submitters == submitters and level.entries:
                return level
    return None


def _form_reports(scope: Unit, periods: list[ReportPeriod], on: dt.date) -> list[FormReport]:
    by_form: dict[str, list[ReportPeriod]] = defaultdict(list)
    for period in periods:
        if scope.level == Level.DISTRICT and period.submitters != defs.COMMUNE:
            continue
        by_form[period.form_code].append(period)
    reports = []
    for form_code, form_periods in by_form.items():
        form = defs.form(form_code)
        levels = []
        for period in form_periods:
            entries = _entries(period, scope, on)
            existing = next((lv for lv in levels if lv.submitters == period.submitters), None)
            if existing is None:
                levels.append(Level_(period.submitters, entries))
            else:
                existing.entries.extend(entries)
        levels.sort(key=lambda lv: LEVEL_ORDER.index(lv.submitters))
        primary = _primary(scope, levels)
        reports.append(
            FormReport(form, form_periods, levels, primary, [], min(p.as_of for p in form_periods))
        )
    return reports


def _lines(form_report: FormReport, scope: Unit, year: int, last_year: dict) -> list[Line]:
    form = form_report.form
    if form_report.primary is None or form_report.primary.submitters == defs.DEPARTMENT:
        return []
    sums = form_report.primary.sums(form)
    system_values = figure_values.compute(
        form, figure_values.Subject(scope, year, form_report.as_of)
    )["values"]
    lines = []
    for section in form.sections:
        for figure in section.figures:
            if figure.kind == "table":
                continue
            value = figure_values.value_of(figure, sums)
            system = None
            if figure.kind != "typed":
                system = figure_values.value_of(figure, system_values)
            lines.append(Line(section, figure, value, system, last_year.get(figure.code)))
    return lines


def compile_report(
    scope: Unit, frequency: str, year: int, number: int, on: dt.date | None = None
) -> Compiled:
    """The compiled report of `scope` for a period, as known on `on` (default today)."""
    on = on or timezone.localdate()
    province = province_of(scope)
    periods = _periods(province, frequency, year, number)
    forms = _form_reports(scope, periods, on)
    last_periods = _periods(province, frequency, year - 1, number)
    previous = {f.form.code: f for f in _form_reports(scope, last_periods, on)}
    illustrative = False
    for form_report in forms:
        last = previous.get(form_report.form.code)
        last_values: dict = {}
        if last is not None and last.primary is not None:
            sums = last.primary.sums(last.form)
            last_values = {
                f.code: figure_values.value_of(f, sums)
                for f in last.form.figures
                if f.kind != "table"
            }
        form_report.lines = _lines(form_report, scope, year, last_values)
        illustrative |= any(
            e.submission is not None and e.submission.illustrative
            for level in form_report.levels
            for e in level.entries
        )
    label = (
        periods[0].label
        if frequency == defs.ADHOC and periods
        else period_label(frequency, year, number)
    )
    return Compiled(scope, frequency, year, number, on, label, forms, illustrative)


def compiled_periods(province: Unit, year: int) -> list[tuple[str, int, str]]:
    """(frequency, number, label) of the periods of `year` that have a compiled report."""
    seen: dict[tuple[str, int], str] = {}
    for period in ReportPeriod.objects.filter(province=province, year=year).order_by(
        "deadline", "rule_code"
    ):
        seen.setdefault((period.frequency, period.number), period.label)
    return [(f, n, label) for (f, n), label in seen.items()]
