"""Distance to standard: what each commune still lacks for a tier, the works that serve it and
what they still need, the communes ranked by closeness, the criteria blocking most communes, a
what-if, and the proposed targets for next year.

Everything reads the stored evaluations of the assessment app; the what-if re-runs the pure
engine (catalogue/engine.py) in memory and stores nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from nongthon.assessment.evaluation import value_in
from nongthon.assessment.models import IndicatorValue, UnitProfile
from nongthon.assessment.queries import AT_LEAST, commune_evaluations, commune_set
from nongthon.catalogue.engine import (
    Comparator,
    IndicatorSpec,
    SetSpec,
    UnitFacts,
    ValueIn,
    evaluate,
    fmt_number,
)
from nongthon.catalogue.models import CriteriaSet
from nongthon.catalogue.specs import spec_for
from nongthon.funding.queries import ZERO, WorkRow, communes_with_debt, works_in
from nongthon.places.models import Region, Unit

MET = "met"


@dataclass
class Gap:
    """One indicator not met: its value, the threshold, and how far off."""

    code: str
    name: str
    reason: str
    value: str = ""  # "62%"
    wanted: str = ""  # "≥ 70%"
    shortfall: str = ""  # "8%"
    by_hand: bool = False
    covered: bool = False  # a work in progress serves it


@dataclass
class MissingCriterion:
    number: int
    name: str
    gaps: list[Gap]
    works: list[WorkRow] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.gaps) and all(g.covered for g in self.gaps)


@dataclass
class CommuneDistance:
    unit: Unit
    met: int
    total: int
    missing: list[MissingCriterion]
    debt: Decimal = ZERO  # outstanding XDCB debt on the day: blocks recognition while > 0

    @property
    def missing_count(self) -> int:
        return len(self.missing)

    @property
    def gap_count(self) -> int:
        return sum(len(m.gaps) for m in self.missing)

    @property
    def works(self) -> list[WorkRow]:
        return [w for m in self.missing for w in m.works]

    @property
    def cost_to_finish(self) -> Decimal:
        """What the works serving the missing criteria still need (investment not disbursed)."""
        seen: dict[int, Decimal] = {}
        for w in self.works:
            seen[w.work.pk] = w.remaining
        return sum(seen.values(), ZERO)

    @property
    def all_covered(self) -> bool:
        """Every missing indicator has a work in progress serving it."""
        return all(m.covered for m in self.missing)

    def sort_key(self) -> tuple:
        return (
            self.missing_count,
            self.gap_count,
            sum(not m.covered for m in self.missing),
            self.cost_to_finish,
            self.unit.code,
        )


@dataclass
class Blocking:
    number: int
    name: str
    communes: list[Unit]


@dataclass
class Distance:
    criteria_set: CriteriaSet
    year: int
    on_date: dt.date
    rows: list[CommuneDistance]  # communes not at standard, closest first
    at_standard: int
    evaluated: int

    @property
    def blocking(self) -> list[Blocking]:
        """Criteria by how many communes they keep from the standard, most first."""
        names: dict[int, str] = {}
        hits: dict[int, list[Unit]] = defaultdict(list)
        for row in self.rows:
            for m in row.missing:
                names[m.number] = m.name
                hits[m.number].append(row.unit)
        return [
            Blocking(n, names[n], hits[n]) for n in sorted(hits, key=lambda n: (-len(hits[n]), n))
        ]

    @property
    def cost_to_finish(self) -> Decimal:
        return sum((r.cost_to_finish for r in self.rows), ZERO)


def _gap(indicator: dict, spec: IndicatorSpec | None, stored: IndicatorValue | None) -> Gap:
    unit = spec.unit if spec else ""
    gap = Gap(
        code=indicator["code"],
        name=spec.name if spec else "",
        reason=indicator["reason"],
        by_hand=indicator.get("by_hand", False),
    )
    threshold = indicator.get("threshold")
    if not threshold or threshold.get("comparator") in (None, Comparator.YES, Comparator.IN):
        return gap
    comparator = Comparator(threshold["comparator"])
    wanted = Decimal(threshold["value"])
    gap.wanted = f"{comparator.value.replace('>=', '≥').replace('<=', '≤')} " + fmt_number(
        wanted, unit
    )
    if stored is not None and stored.value_number is not None:
        value = stored.value_number
        gap.value = fmt_number(value, unit)
        if comparator in (Comparator.GE, Comparator.GT):
            gap.shortfall = fmt_number(max(wanted - value, ZERO), unit)
        elif comparator in (Comparator.LE, Comparator.LT):
            gap.shortfall = fmt_number(max(value - wanted, ZERO), unit)
    return gap


def _serves(row: WorkRow, number: int, code: str) -> bool:
    work = row.work
    return work.criterion_number == number and (
        not work.indicator_code or work.indicator_code == code
    )


def distance(
    scope: Unit, year: int, family: str, on_date: dt.date | None = None
) -> Distance | None:
    """The communes under `scope` not at the standard of `family` at the end of `year`."""
    criteria_set = commune_set(scope, family, year)
    if criteria_set is None:
        return None
    on_date = on_date or dt.date(year, 12, 31)
    spec = spec_for(criteria_set)
    indicator_specs = {i.code: i for c in spec.criteria for i in c.indicators}
    evaluations = list(
        commune_evaluations(scope, criteria_set, year).select_related("unit", "unit__district")
    )
    lacking = [e for e in evaluations if not e.all_met]
    values = {
        (v.unit_id, v.indicator_code): v
        for v in IndicatorValue.objects.filter(
            unit_id__in=[e.unit_id for e in lacking], year=year, family=criteria_set.family
        )
    }
    in_progress: dict[int, list[WorkRow]] = defaultdict(list)
    for row in works_in(scope, on_date, criteria_set.family):
        if row.work.finished_on is None or row.work.finished_on > on_date:
            in_progress[row.work.commune_id].append(row)
    debts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for commune, amount in communes_with_debt(scope, on_date):
        debts[commune.pk] = amount
    rows = []
    for e in lacking:
        missing = []
        for c in e.result["criteria"]:
            if c["status"] == MET:
                continue
            gaps = [
                _gap(i, indicator_specs.get(i["code"]), values.get((e.unit_id, i["code"])))
                for i in c["indicators"]
                if i["status"] != MET
            ]
            works = [w for w in in_progress[e.unit_id] if w.work.criterion_number == c["number"]]
            for g in gaps:
                g.covered = any(_serves(w, c["number"], g.code) for w in works)
            missing.append(MissingCriterion(c["number"], c["name"], gaps, works))
        rows.append(CommuneDistance(e.unit, e.met_count, e.total, missing, debts[e.unit_id]))
    rows.sort(key=CommuneDistance.sort_key)
    return Distance(
        criteria_set, year, on_date, rows, len(evaluations) - len(lacking), len(evaluations)
    )


# --- What-if ---------------------------------------------------------------------------------


@dataclass
class ProvinceFigures:
    evaluated: int
    at_standard: int
    average: Decimal  # criteria met per commune, one decimal
    at_least: int  # communes with at least AT_LEAST criteria


@dataclass
class WhatIf:
    before: ProvinceFigures
    after: ProvinceFigures
    changed: list[tuple[Unit, int, int]]  # commune, met before, met after
    passing: list[Unit]  # communes that would reach the standard


def _figures(met: dict[int, int], total: dict[int, int]) -> ProvinceFigures:
    n = len(met)
    average = (Decimal(sum(met.values())) / n if n else ZERO).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return ProvinceFigures(
        n,
        sum(met[u] == total[u] for u in met),
        average,
        sum(m >= AT_LEAST for m in met.values()),
    )


def _assume_reached(spec: SetSpec, codes: set[str]) -> SetSpec:
    """The spec with `codes` judged by hand (so an assumed "đạt" counts whatever the value)."""
    criteria = tuple(
        replace(
            c,
            indicators=tuple(
                replace(i, thresholds=()) if i.code in codes else i for i in c.indicators
            ),
        )
        for c in spec.criteria
    )
    return replace(spec, criteria=criteria)


def what_if(
    scope: Unit,
    year: int,
    family: str,
    finished_works: Iterable[int] = (),
    reached: Iterable[tuple[int, str]] = (),
) -> WhatIf | None:
    """Assume the works `finished_works` done (their indicator, or their whole criterion, met)
    and the (commune id, indicator code) pairs `reached`: which communes pass, and how the
    figures of `scope` move. Nothing is stored."""
    criteria_set = commune_set(scope, family, year)
    if criteria_set is None:
        return None
    spec = spec_for(criteria_set)
    codes_of = {c.number: [i.code for i in c.indicators] for c in spec.criteria}
    assumed: dict[int, set[str]] = defaultdict(set)
    finished = set(finished_works)
    for row in works_in(scope, dt.date(year, 12, 31), criteria_set.family):
        if row.work.pk in finished:
            work = row.work
            codes = (
                [work.indicator_code]
                if work.indicator_code
                else codes_of.get(work.criterion_number, [])
            )
            assumed[work.commune_id].update(codes)
    for unit_id, code in reached:
        assumed[unit_id].add(code)
    evaluations = {
        e.unit_id: e for e in commune_evaluations(scope, criteria_set, year).select_related("unit")
    }
    before = {u: e.met_count for u, e in evaluations.items()}
    totals = {u: e.total for u, e in evaluations.items()}
    after = dict(before)
    changed_ids = [u for u in assumed if u in evaluations]
    values: dict[int, dict[str, ValueIn]] = defaultdict(dict)
    for v in IndicatorValue.objects.filter(
        unit_id__in=changed_ids, year=year, family=criteria_set.family
    ):
        values[v.unit_id][v.indicator_code] = value_in(v)
    profiles = {
        p.unit_id: p for p in UnitProfile.objects.filter(unit_id__in=changed_ids, year=year)
    }
    names = dict(Region.objects.values_list("code", "name"))
    for unit_id in changed_ids:
        unit = evaluations[unit_id].unit
        profile = profiles.get(unit_id)
        facts = UnitFacts(
            year=year,
            region=_region_code(unit),
            group=profile.commune_group if profile else None,
            flags=frozenset(profile.flags) if profile else frozenset(),
            region_names=names,
        )
        unit_values = dict(values[unit_id])
        for code in assumed[unit_id]:
            unit_values[code] = ValueIn(hand_verdict=True, hand_reason=_("giả định"))
        result = evaluate(_assume_reached(spec, assumed[unit_id]), facts, unit_values)
        after[unit_id] = result.met_count
    changed = [
        (evaluations[u].unit, before[u], after[u]) for u in changed_ids if after[u] != before[u]
    ]
    passing = [
        evaluations[u].unit for u in changed_ids if after[u] == totals[u] and before[u] != totals[u]
    ]
    changed.sort(key=lambda t: t[0].code)
    passing.sort(key=lambda u: u.code)
    return WhatIf(_figures(before, totals), _figures(after, totals), changed, passing)


def _region_code(unit: Unit) -> str | None:
    province = unit.province if unit.province_id else unit
    return province.region.code if province and province.region_id else None


# --- Proposed targets ----------------------------------------------------------------------


class Proposal:
    RECOGNISE = "recognise"  # every missing indicator served by a work due by next year's end
    STRETCH = "stretch"  # the next closest communes: "cố gắng hoàn thành"


@dataclass
class ProposedTarget:
    unit: Unit
    kind: str
    row: CommuneDistance
    due: dt.date | None  # the latest planned end of the works it relies on

    @property
    def label(self) -> str:
        if self.kind == Proposal.RECOGNISE:
            return _("Đề xuất công nhận đạt chuẩn")
        return _("Chỉ đạo bổ sung, cố gắng hoàn thành")


def propose_targets(
    scope: Unit, year: int, family: str, stretch: int = 3
) -> tuple[Distance | None, list[ProposedTarget]]:
    """From the distance at the end of `year`: communes without outstanding debt whose every
    missing indicator is served by a work due by the end of `year + 1` (propose recognition),
    then the `stretch` closest others (push to finish). The plans module turns these into
    next year's targets."""
    found = distance(scope, year, family)
    if found is None:
        return None, []
    deadline = dt.date(year + 1, 12, 31)
    targets: list[ProposedTarget] = []
    others = []
    for row in found.rows:
        ends = [w.work.end_date for w in row.works]
        due_in_time = all(e is not None and e <= deadline for e in ends)
        # Outstanding XDCB debt keeps a commune from recognition (reference §A4 recommends the
        # flag; the QĐ 18/2022 text was not seen): push it, do not propose it.
        if row.all_covered and due_in_time and not row.debt:
            targets.append(
                ProposedTarget(row.unit, Proposal.RECOGNISE, row, max(ends, default=None))
            )
        else:
            others.append(row)
    for row in others[: max(stretch, 0)]:
        ends = [w.work.end_date for w in row.works if w.work.end_date]
        targets.append(ProposedTarget(row.unit, Proposal.STRETCH, row, max(ends, default=None)))
    return found, targets


def needs(scope: Unit, year: int, family: str) -> tuple[Distance | None, list[WorkRow]]:
    """The appendix "nhu cầu vốn công trình" of the plan for `year`: the works not finished at
    the end of `year - 1` in the communes that were not yet at the standard then, with what
    each still needs."""
    found = distance(scope, year - 1, family)
    if found is None:
        return None, []
    aiming = {r.unit.pk for r in found.rows}
    rows = [
        w
        for w in works_in(scope, found.on_date, found.criteria_set.family)
        if w.work.commune_id in aiming
        and (w.work.finished_on is None or w.work.finished_on > found.on_date)
    ]
    rows.sort(key=lambda w: (w.work.commune.code, w.work.name))
    return found, rows
