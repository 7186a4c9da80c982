"""Indicator values, commune groups and stored evaluations of one province's communes.

Values follow each commune's trajectory (shape.py): a lacking criterion fails on one of its
indicators (the same one every year), every other indicator passes. An indicator with a
threshold gets a number on the right or wrong side of it; one without is judged by hand, as the
real sets require. The evaluations are computed in memory with the engine (assessment's
BatchEvaluator) from the values just made, and written in bulk.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from nongthon.assessment.evaluation import BatchEvaluator, store_outcomes
from nongthon.assessment.models import Evaluation, IndicatorValue, UnitProfile
from nongthon.bulk_insert import insert_rows
from nongthon.catalogue.engine import (
    Comparator,
    IndicatorSpec,
    SetSpec,
    UnitFacts,
    ValueIn,
    select_threshold,
)
from nongthon.catalogue.models import CriteriaSet
from nongthon.demo.national import shape
from nongthon.places.models import Edition, Level, Unit, UnitKind

PASSED = "Dữ liệu minh họa"
FAILED = "Dữ liệu minh họa: chưa đạt theo kết quả rà soát"
MARGINS = (Decimal("2.5"), Decimal("5"), Decimal("7.5"), Decimal("10"), Decimal("12.5"))
VALUE_FIELDS = (
    "unit_id",
    "year",
    "family",
    "indicator_code",
    "value_number",
    "value_bool",
    "value_text",
    "hand_verdict",
    "hand_reason",
    "note",
    "illustrative",
    "entered_at",
    "version",
)


@dataclass(frozen=True)
class Period:
    edition: str
    set_code: str
    years: tuple[int, ...]
    weights: dict[int, int]
    earlier: bool  # communes may have reached the standard before the period


PERIODS = (
    Period(Edition.PRE_2025, "qd318-xa-ntm", shape.YEARS_2021, shape.FAIL_WEIGHTS_318, True),
    Period(Edition.Y2025, "qd51-2025-xa-ntm", shape.YEARS_2026, shape.FAIL_WEIGHTS_51, False),
)


def rng_for(seed: int, *parts: object) -> random.Random:
    """One generator per (seed, thing): a province built alone gets the same data as in a full
    build (str seeds are hashed with SHA-512, not Python's per-process hash)."""
    return random.Random(f"{seed}:" + ":".join(str(p) for p in parts))


@dataclass
class CommunePath:
    unit_id: int
    code: str
    trajectory: shape.Trajectory


@dataclass
class ProvinceAssessment:
    communes: list[CommunePath] = field(default_factory=list)
    values: int = 0
    evaluations: int = 0


class ValueMaker:
    """The value an indicator gets, shared between communes with the same inputs."""

    def __init__(self, region: str | None) -> None:
        self.region = region
        self._made: dict[tuple, tuple[tuple, ValueIn]] = {}

    def make(
        self, indicator: IndicatorSpec, passing: bool, group: int | None, year: int, margin: Decimal
    ) -> tuple[tuple, ValueIn]:
        key = (indicator.code, passing, group, year, margin)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._build(indicator, passing, group, year, margin)
        return made

    def _build(self, indicator, passing, group, year, margin) -> tuple[tuple, ValueIn]:
        """(value_number, value_bool, value_text, hand_verdict, hand_reason) and its ValueIn."""
        threshold = select_threshold(indicator, self.region, group, year)
        if threshold is None:
            reason = PASSED if passing else FAILED
            return (None, None, "", passing, reason), ValueIn(None, passing, reason)
        if threshold.comparator == Comparator.YES:
            return (None, passing, "", None, ""), ValueIn(passing)
        if threshold.comparator == Comparator.IN:
            text = threshold.value[0] if passing else "Chưa đạt"
            return (None, None, text, None, ""), ValueIn(text)
        bound = threshold.value
        if threshold.comparator in (Comparator.GE, Comparator.GT):
            number = bound + margin if passing else bound - margin
        elif threshold.comparator in (Comparator.LE, Comparator.LT):
            number = bound - margin if passing else bound + margin
        else:
            number = bound if passing else bound + margin
        if indicator.unit == "%":
            number = min(max(number, Decimal(0)), Decimal(100))
            if passing != (number >= bound) and threshold.comparator == Comparator.GE:
                number = bound  # 100% cannot exceed a 100% threshold: meet it exactly
        number = max(number, Decimal(0)).quantize(Decimal("0.1"))
        return (number, None, "", None, ""), ValueIn(number)


def commune_group(rng: random.Random, kind: str, region: str | None) -> int:
    """QĐ 51/2025 groups, illustrative: wards near town (1), mountain khu vực II/III (3)."""
    if kind != UnitKind.XA:
        return 1
    if region in ("TDMNPB", "TN") and rng.random() < 0.4:
        return 3
    return 1 if rng.random() < 0.1 else 2


def build_province(
    province: Unit,
    period: Period,
    criteria_set: CriteriaSet,
    spec: SetSpec,
    region_names: dict[str, str],
    seed: int,
) -> ProvinceAssessment:
    region = province.region.code if province.region_id else None
    communes = list(
        Unit.objects.filter(province=province, level=Level.COMMUNE)
        .order_by("code")
        .values_list("pk", "code", "kind")
    )
    ids = [pk for pk, _c, _k in communes]
    taken = set(
        IndicatorValue.objects.filter(
            unit_id__in=ids, family=criteria_set.family, year__in=period.years
        )
        .values_list("unit_id", "year")
        .distinct()
    )
    profiled = set(
        UnitProfile.objects.filter(unit_id__in=ids, year__in=period.years).values_list(
            "unit_id", "year"
        )
    )
    now = dt.datetime.now(dt.UTC)
    maker = ValueMaker(region)
    evaluator = BatchEvaluator(spec, region_names)
    out = ProvinceAssessment()
    rows: list[tuple] = []
    profiles: list[tuple] = []
    outcomes = []
    last_taken: dict[int, int] = {}
    for unit_id, year in taken:
        last_taken[unit_id] = max(year, last_taken.get(unit_id, year))
    for pk, code, kind in communes:
        rng = rng_for(seed, period.set_code, code)
        path = shape.trajectory(rng, region, period.years, period.weights, period.earlier)
        if pk in last_taken:
            # The ordinary demo's communes keep their story: at standard the year after it ends.
            path = shape.Trajectory(last_taken[pk] + 1, path.order, path.first_gap, path.years)
        out.communes.append(CommunePath(pk, code, path))
        weak = {c.number: rng.randrange(len(c.indicators)) for c in spec.criteria}
        margin = rng.choice(MARGINS)
        group = commune_group(rng, kind, region) if period.edition == Edition.Y2025 else None
        for year in period.years:
            if (pk, year) in taken:
                continue
            failing = set(path.failing(year))
            if group is not None and (pk, year) not in profiled:
                profiles.append((pk, year, group, "[]", "Phân nhóm minh họa", 1))
            values: dict[str, ValueIn] = {}
            for criterion in spec.criteria:
                lacking = criterion.number in failing
                for position, indicator in enumerate(criterion.indicators):
                    passing = not (lacking and position == weak[criterion.number])
                    stored, value = maker.make(indicator, passing, group, year, margin)
                    values[indicator.code] = value
                    rows.append(
                        (pk, year, criteria_set.family, indicator.code, *stored, "", True, now, 1)
                    )
            facts = UnitFacts(year=year, region=region, group=group, region_names=region_names)
            outcomes.append((pk, year, evaluator.evaluate(facts, values)))
    out.values = insert_rows(IndicatorValue, VALUE_FIELDS, rows)
    if profiles:
        insert_rows(
            UnitProfile, ("unit_id", "year", "commune_group", "flags", "note", "version"), profiles
        )
    fresh = not Evaluation.objects.filter(
        unit_id__in=ids, criteria_set=criteria_set, year__in=period.years
    ).exists()
    store_outcomes(criteria_set, outcomes, fresh=fresh)
    out.evaluations = len(outcomes)
    return out
