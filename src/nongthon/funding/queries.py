"""Read side of funding: figures by source for a unit and year (the unit and everything under
it), the split by district or commune, the stated totals against the lines, works with their
money, progress and debt, and outstanding debt.

Other modules call this file: `outstanding_debt(unit, on_date)` (recognition's "no outstanding
XDCB debt" condition) and `funds_by_source(unit, year)` / `funding_figures(unit, year)` (plans).
Every amount is a Decimal of đồng; sums of nothing are Decimal(0), never None or float.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum

from nongthon.funding.models import (
    Debt,
    Disbursement,
    FundingLine,
    FundingSource,
    LineKind,
    Repayment,
    StatedTotal,
    Work,
)
from nongthon.places.models import Level, Unit

ZERO = Decimal(0)
KINDS = tuple(LineKind.values)


def within(scope: Unit, prefix: str = "unit__") -> Q:
    """The unit itself and every unit under it, through `prefix`."""
    q = Q(**{f"{prefix}id": scope.pk})
    if scope.level == Level.PROVINCE:
        q |= Q(**{f"{prefix}province": scope.pk})
    elif scope.level == Level.DISTRICT:
        q |= Q(**{f"{prefix}district": scope.pk})
    return q


# --- Funding by source -------------------------------------------------------------------


@dataclass
class Figures:
    """Planned, allocated, disbursed and mobilised amounts (đồng)."""

    planned: Decimal = ZERO
    allocated: Decimal = ZERO
    disbursed: Decimal = ZERO
    mobilised: Decimal = ZERO

    def add(self, kind: str, amount: Decimal) -> None:
        setattr(self, kind, getattr(self, kind) + amount)

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, k) + getattr(other, k) for k in KINDS))

    @property
    def disbursement_rate(self) -> Decimal | None:
        """Disbursed / allocated in %, one decimal; None when nothing was allocated."""
        if not self.allocated:
            return None
        rate = self.disbursed * 100 / self.allocated
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def as_dict(self) -> dict[str, Decimal]:
        return {k: getattr(self, k) for k in KINDS}


@dataclass
class SourceRow:
    source: FundingSource
    figures: Figures
    depth: int = 0


def _top(source: FundingSource, by_id: dict[int, FundingSource]) -> FundingSource:
    while source.parent_id:
        source = by_id[source.parent_id]
    return source


def _sums(lines: QuerySet[FundingLine]) -> dict[tuple[int, str], Decimal]:
    return {
        (r["source_id"], r["kind"]): r["total"]
        for r in lines.values("source_id", "kind").annotate(total=Sum("amount"))
    }


def lines_in(scope: Unit, year: int, on_date: dt.date | None = None) -> QuerySet[FundingLine]:
    """The lines of `scope` and its subtree for `year` (up to `on_date` when given)."""
    lines = FundingLine.objects.filter(within(scope), year=year)
    if on_date is not None:
        lines = lines.filter(Q(on_date__isnull=True) | Q(on_date__lte=on_date))
    return lines


def funds_by_source(
    scope: Unit, year: int, on_date: dt.date | None = None, detailed: bool = False
) -> list[SourceRow]:
    """Per top-level source (or, `detailed`, every source with its parts under it): planned,
    allocated, disbursed, mobilised for `scope` and its subtree. An amount recorded on a part
    counts in its parents too."""
    sources = list(FundingSource.objects.all())
    by_id = {s.pk: s for s in sources}
    own: dict[int, Figures] = defaultdict(Figures)
    for (source_id, kind), total in _sums(lines_in(scope, year, on_date)).items():
        source = by_id[source_id]
        while source is not None:
            own[source.pk].add(kind, total)
            source = by_id.get(source.parent_id) if source.parent_id else None
    rows = []
    for source in sources:
        depth = 0
        parent = source
        while parent.parent_id:
            depth += 1
            parent = by_id[parent.parent_id]
        if depth == 0 or detailed:
            rows.append(SourceRow(source, own.get(source.pk, Figures()), depth))
    return rows


def funds_for_plan(scope: Unit, year: int) -> dict[str, Figures]:
    """For the plans module: {top-level source code: Figures(planned, allocated, disbursed,
    mobilised)} of `scope` and its subtree in `year`, every source present (zeros included)."""
    return {row.source.code: row.figures for row in funds_by_source(scope, year)}


def funding_figures(scope: Unit, year: int, on_date: dt.date | None = None) -> Figures:
    """All sources together for `scope` and its subtree."""
    total = Figures()
    for row in lines_in(scope, year, on_date).values("kind").annotate(t=Sum("amount")):
        total.add(row["kind"], row["t"])
    return total


@dataclass
class PartRow:
    """One child unit (or the scope's own lines) in the split of a total."""

    unit: Unit
    own: bool  # True: lines recorded on the scope itself, not on a unit under it
    figures: Figures


def funding_by_part(scope: Unit, year: int, on_date: dt.date | None = None) -> list[PartRow]:
    """The scope's own lines, then each district (for a province) or commune (for a district)
    with its subtree: the rows add up to funding_figures(scope, year, on_date)."""
    rows = [PartRow(scope, True, _figures(lines_in(scope, year, on_date).filter(unit=scope)))]
    if scope.level == Level.COMMUNE:
        return rows
    child_level = Level.DISTRICT if scope.level == Level.PROVINCE else Level.COMMUNE
    children = list(Unit.objects.filter(within(scope, ""), level=child_level).order_by("code"))
    key = "unit__district_id" if child_level == Level.DISTRICT else "unit_id"
    sums: dict[int, Figures] = defaultdict(Figures)
    lines = lines_in(scope, year, on_date).exclude(unit=scope)
    for row in lines.values(key, "kind").annotate(t=Sum("amount")):
        sums[row[key]].add(row["kind"], row["t"])
    # A district's own lines carry unit_id == the district, whose district_id is null.
    if child_level == Level.DISTRICT:
        for row in (
            lines.filter(unit__level=Level.DISTRICT)
            .values("unit_id", "kind")
            .annotate(t=Sum("amount"))
        ):
            sums[row["unit_id"]].add(row["kind"], row["t"])
    rows += [PartRow(child, False, sums.get(child.pk, Figures())) for child in children]
    return rows


def _figures(lines: QuerySet[FundingLine]) -> Figures:
    figures = Figures()
    for row in lines.values("kind").annotate(t=Sum("amount")):
        figures.add(row["kind"], row["t"])
    return figures


@dataclass
class TotalCheck:
    kind: str
    stated: StatedTotal
    computed: Decimal

    @property
    def difference(self) -> Decimal:
        return self.computed - self.stated.amount

    @property
    def matches(self) -> bool:
        return self.difference == 0


def stated_checks(unit: Unit, year: int) -> list[TotalCheck]:
    """Each total a document states for the unit and year against the sum of its lines."""
    checks = []
    for stated in StatedTotal.objects.filter(unit=unit, year=year).order_by("kind"):
        computed = (
            FundingLine.objects.filter(unit=unit, year=year, kind=stated.kind).aggregate(
                s=Sum("amount")
            )["s"]
            or ZERO
        )
        checks.append(TotalCheck(stated.kind, stated, computed))
    return checks


def cumulative_by_month(scope: Unit, year: int, kind: str) -> list[tuple[int, Decimal]]:
    """(month, cumulative amount at month end) for dated lines of `kind` (allocations or
    disbursements through the year); undated lines count from January."""
    per_month: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines_in(scope, year).filter(kind=kind).values("on_date", "amount"):
        per_month[line["on_date"].month if line["on_date"] else 1] += line["amount"]
    running, out = ZERO, []
    for month in range(1, 13):
        running += per_month.get(month, ZERO)
        out.append((month, running))
    return out


def has_illustrative(scope: Unit, year: int) -> bool:
    return lines_in(scope, year).filter(illustrative=True).exists()


def years_with_lines(scope: Unit) -> list[int]:
    return sorted(
        set(FundingLine.objects.filter(within(scope)).values_list("year", flat=True)),
        reverse=True,
    )


# --- Works and debt ----------------------------------------------------------------------


@dataclass
class WorkRow:
    work: Work
    disbursed: Decimal
    debt: Decimal  # outstanding on the day asked
    sources: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        """What the work still needs: investment not yet disbursed."""
        return max(self.work.investment_total - self.disbursed, ZERO)


def works_in(
    scope: Unit, on_date: dt.date | None = None, family: str | None = None
) -> list[WorkRow]:
    """Works of the communes under `scope` with disbursed-to-date, remaining and outstanding
    debt on `on_date` (default today)."""
    on_date = on_date or dt.date.today()
    works = Work.objects.filter(within(scope, "commune__")).select_related(
        "commune", "commune__district"
    )
    if family:
        works = works.filter(family=family)
    works = list(works.prefetch_related("sources__source"))
    ids = [w.pk for w in works]
    paid = dict(
        Disbursement.objects.filter(work_id__in=ids, on_date__lte=on_date)
        .values("work_id")
        .annotate(s=Sum("amount"))
        .values_list("work_id", "s")
    )
    debts = _outstanding_by_work(ids, on_date)
    return [
        WorkRow(
            w,
            paid.get(w.pk, ZERO),
            debts.get(w.pk, ZERO),
            [(s.source.name, s.amount) for s in w.sources.all()],
        )
        for w in works
    ]


def _outstanding_by_work(work_ids, on_date: dt.date) -> dict[int, Decimal]:
    debts = Debt.objects.filter(work_id__in=work_ids, year_incurred__lte=on_date.year)
    owed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    debt_work = {}
    for d in debts.values("pk", "work_id", "amount"):
        owed[d["work_id"]] += d["amount"]
        debt_work[d["pk"]] = d["work_id"]
    for r in (
        Repayment.objects.filter(debt_id__in=debt_work, on_date__lte=on_date)
        .values("debt_id")
        .annotate(s=Sum("amount"))
    ):
        owed[debt_work[r["debt_id"]]] -= r["s"]
    return {k: max(v, ZERO) for k, v in owed.items()}


def outstanding_debt(unit: Unit, on_date: dt.date) -> Decimal:
    """Outstanding capital-construction debt (nợ đọng XDCB) of the works in `unit` (a commune,
    or every commune under a district or province) on `on_date`: debt incurred up to that year
    less repayments made by that day. Decimal đồng; Decimal(0) when none.

    The recognition module's "no outstanding debt" condition calls this."""
    ids = Work.objects.filter(within(unit, "commune__")).values_list("pk", flat=True)
    return sum(_outstanding_by_work(list(ids), on_date).values(), ZERO)


def records_works(unit: Unit) -> bool:
    """Whether any work of `unit` (or of the communes under it) is recorded here, i.e. whether
    outstanding_debt speaks from data or merely finds nothing."""
    return Work.objects.filter(within(unit, "commune__")).exists()


def communes_with_debt(scope: Unit, on_date: dt.date) -> list[tuple[Unit, Decimal]]:
    by_commune: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in works_in(scope, on_date):
        if row.debt:
            by_commune[row.work.commune_id] += row.debt
    units = Unit.objects.in_bulk(list(by_commune))
    return sorted(
        ((units[pk], amount) for pk, amount in by_commune.items()), key=lambda p: p[0].code
    )


def disbursement_timeline(work: Work) -> list[tuple[dt.date, Decimal, Decimal]]:
    """(date, amount, cumulative) for a work."""
    running, out = ZERO, []
    for d in work.disbursements.all():
        running += d.amount
        out.append((d.on_date, d.amount, running))
    return out
