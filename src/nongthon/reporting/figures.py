"""The computed figures of a report, read from the other apps' queries (stored results only).

`compute(form, subject)` fills every `compute:` and `table:` figure of a form for a unit (its
subtree) or a department, for a year, as of a day. Values are JSON-safe: int, a Decimal as a
string (money), None when the data does not exist (no criteria set governs, no evaluation).
Ratios are derived when shown or compiled (`ratio`), never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy

from nongthon.assessment import queries as assessment_queries
from nongthon.catalogue.models import CriterionResponsibility
from nongthon.funding.queries import funding_figures
from nongthon.ocop.queries import count_by_star, expiring_within
from nongthon.places.models import Agency, Unit
from nongthon.plans import queries as plan_queries
from nongthon.plans.models import Plan, Task
from nongthon.plans.targets import base as target_status
from nongthon.recognition.queries import count_titles_held
from nongthon.reporting.definitions import FigureDef, FormDef

Value = int | str | None | dict

# Columns of the responsible-criteria table, stored as codes and labelled when shown.
TABLE_COLUMNS = {
    "number": gettext_lazy("Tiêu chí"),
    "name": gettext_lazy("Tên tiêu chí"),
    "met": gettext_lazy("Số xã đạt"),
    "not_met": gettext_lazy("Số xã chưa đạt"),
    "missing": gettext_lazy("Thiếu dữ liệu"),
}


@dataclass
class Subject:
    """Whose figures: a unit and its subtree, or a department (agency) of a province."""

    unit: Unit
    year: int
    as_of: dt.date
    agency: Agency | None = None
    cache: dict = field(default_factory=dict)

    def once(self, key: str, compute: Callable[[], object]) -> object:
        """Each source is read once per report (one aggregate query feeds several figures)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


# --- Sources ----------------------------------------------------------------------------------


def _ntm_set(subject: Subject):
    def find():
        sets = assessment_queries.commune_families(subject.unit, subject.year)
        return next((s for s in sets if s.tier == "ntm"), None)

    return subject.once("ntm_set", find)


def _assessment(subject: Subject):
    def read():
        criteria_set = _ntm_set(subject)
        if criteria_set is None:
            return None
        return assessment_queries.summary_figures(
            subject.unit, subject.year, criteria_set.family, criteria_set
        )

    return subject.once("assessment", read)


def _assessment_figure(name: str) -> Callable[[Subject], Value]:
    def get(subject: Subject) -> Value:
        summary = _assessment(subject)
        if summary is None or summary.total == 0:
            return None
        return {
            "evaluated": summary.total,
            "all_met": summary.all_met,
            "met_sum": summary.met_sum,
            "below_15": summary.below_15,
        }[name]

    return get


def _titles(subject: Subject) -> dict[str, int]:
    return subject.once("titles", lambda: count_titles_held(subject.unit, subject.as_of))


def _title_figure(tier: str) -> Callable[[Subject], Value]:
    return lambda subject: _titles(subject).get(tier, 0)


def _plan_statuses(subject: Subject) -> dict[str, int]:
    def read():
        counts: dict[str, int] = {}
        plans = Plan.objects.filter(
            unit=subject.unit, year_from__lte=subject.year, year_to__gte=subject.year
        )
        for plan in plans:
            for code, n in plan_queries.status_counts(
                plan_queries.plan_targets(plan, subject.as_of)
            ).items():
                counts[code] = counts.get(code, 0) + n
        return counts

    return subject.once("plan_statuses", read)


def _target_figure(code: str) -> Callable[[Subject], Value]:
    return lambda subject: _plan_statuses(subject).get(code, 0)


def _tasks_overdue(subject: Subject) -> Value:
    tasks = plan_queries.tasks_under(subject.unit)
    return len(plan_queries.due_lists(tasks, subject.as_of).overdue)


def _ocop_stars(subject: Subject) -> dict[int, int]:
    return subject.once("stars", lambda: count_by_star(subject.unit, day=subject.as_of))


def _star_figure(star: int) -> Callable[[Subject], Value]:
    return lambda subject: _ocop_stars(subject).get(star, 0)


def _ocop_expiring(subject: Subject) -> Value:
    return expiring_within(subject.unit, months=6, day=subject.as_of).count()


def _funding(subject: Subject):
    return subject.once(
        "funding", lambda: funding_figures(subject.unit, subject.year, subject.as_of)
    )


def _money_figure(kind: str) -> Callable[[Subject], Value]:
    return lambda subject: str(getattr(_funding(subject), kind))


def _agency_task_states(subject: Subject) -> dict[str, int]:
    def read():
        counts: dict[str, int] = {}
        for task in plan_queries._tasks(Task.objects.filter(lead=subject.agency)):
            for occ in plan_queries.occurrences(task, subject.as_of):
                counts[occ.state] = counts.get(occ.state, 0) + 1
        return counts

    return subject.once("agency_tasks", read)


def _agency_task_figure(state: str) -> Callable[[Subject], Value]:
    return lambda subject: _agency_task_states(subject).get(state, 0)


def _responsible_criteria(subject: Subject) -> Value:
    """The criteria the department answers for (assigned by the province): communes of the
    province meeting, failing, lacking data, from the stored evaluations of the year."""
    criteria_set = _ntm_set(subject)
    columns = list(TABLE_COLUMNS)
    if criteria_set is None or subject.agency is None:
        return {"columns": columns, "rows": []}
    numbers = set(
        CriterionResponsibility.objects.filter(
            province=subject.unit, family=criteria_set.family, agency=subject.agency
        ).values_list("criterion_number", flat=True)
    )
    rows = [
        [t.number, t.name, t.met, t.not_met, t.missing]
        for t in assessment_queries.criterion_totals(subject.unit, criteria_set, subject.year)
        if t.number in numbers
    ]
    return {"columns": columns, "rows": rows}


COMPUTE: dict[str, Callable[[Subject], Value]] = {
    "assessment.evaluated": _assessment_figure("evaluated"),
    "assessment.all_met": _assessment_figure("all_met"),
    "assessment.met_sum": _assessment_figure("met_sum"),
    "assessment.below_15": _assessment_figure("below_15"),
    "recognition.ntm": _title_figure("ntm"),
    "recognition.nang_cao": _title_figure("nang_cao"),
    "recognition.kieu_mau": _title_figure("kieu_mau"),
    "plans.targets_achieved": _target_figure(target_status.ACHIEVED),
    "plans.targets_on_track": _target_figure(target_status.ON_TRACK),
    "plans.targets_at_risk": _target_figure(target_status.AT_RISK),
    "plans.targets_not_achieved": _target_figure(target_status.NOT_ACHIEVED),
    "plans.tasks_overdue": _tasks_overdue,
    "plans.agency_on_time": _agency_task_figure(plan_queries.ON_TIME),
    "plans.agency_late": _agency_task_figure(plan_queries.LATE),
    "plans.agency_overdue": _agency_task_figure(plan_queries.OVERDUE),
    "plans.agency_open": _agency_task_figure(plan_queries.OPEN),
    "ocop.star_3": _star_figure(3),
    "ocop.star_4": _star_figure(4),
    "ocop.star_5": _star_figure(5),
    "ocop.expiring_6_months": _ocop_expiring,
    "funding.planned": _money_figure("planned"),
    "funding.allocated": _money_figure("allocated"),
    "funding.disbursed": _money_figure("disbursed"),
    "funding.mobilised": _money_figure("mobilised"),
}
TABLES: dict[str, Callable[[Subject], Value]] = {
    "assessment.responsible_criteria": _responsible_criteria,
}


def known_keys() -> set[str]:
    return set(COMPUTE) | set(TABLES)


def compute(form: FormDef, subject: Subject) -> dict:
    """{"values": {figure code: value}, "criteria_set": name, "illustrative": bool}."""
    values: dict[str, Value] = {}
    for figure in form.figures:
        if figure.kind == "compute":
            values[figure.code] = COMPUTE[figure.compute](subject)
        elif figure.kind == "table":
            values[figure.code] = TABLES[figure.table](subject)
    criteria_set = _ntm_set(subject)
    illustrative = bool(
        criteria_set
        and assessment_queries.has_illustrative_values(
            subject.unit, subject.year, criteria_set.family
        )
    )
    return {
        "values": values,
        "criteria_set": str(criteria_set.name) if criteria_set else "",
        "as_of": subject.as_of.isoformat(),
        "illustrative": illustrative,
    }


# --- Reading values back -------------------------------------------------------------------------


def number(value: Value) -> Decimal | None:
    """A stored or typed value as a Decimal (money is stored as a string of đồng)."""
    if value is None or value == "" or isinstance(value, dict):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def ratio(figure: FigureDef, values: dict) -> Decimal | None:
    top, bottom = (number(values.get(code)) for code in figure.ratio)
    if top is None or not bottom:
        return None
    quantum = Decimal(1).scaleb(-figure.places)
    return (top * figure.scale / bottom).quantize(quantum, rounding=ROUND_HALF_UP)


def value_of(figure: FigureDef, values: dict) -> Decimal | dict | None:
    """The figure's value among `values` (computed and typed together), ratios derived."""
    if figure.kind == "ratio":
        return ratio(figure, values)
    raw = values.get(figure.code)
    if isinstance(raw, dict):
        return raw
    return number(raw)


def all_values(submission_figures: dict, typed: dict) -> dict:
    """The computed values of a report with its typed ones, one dict for `value_of`."""
    return {**(submission_figures or {}).get("values", {}), **(typed or {})}
