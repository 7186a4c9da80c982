"""The evaluation engine: a pure function from a criteria set, a unit's facts and its values to
verdicts with reasons in plain Vietnamese. No database, no Django models: the catalogue and the
assessment app turn rows into these plain specs, and tests build them by hand.

An indicator is met / not met against the threshold that applies to the unit (by region, commune
group and year, the most specific row winning), or judged by hand where no threshold applies;
missing when neither a value nor a hand verdict is there. A criterion is met when its rule holds
over its indicators: all of them (the default) or at least N.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    MISSING = "missing"  # no value, or no hand verdict where one is needed


class Comparator(StrEnum):
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "="
    NE = "!="
    YES = "yes"  # the value must be "Đạt" / true
    IN = "in"  # the value must be one of the listed categories


class Kind(StrEnum):
    BOOLEAN = "boolean"
    PERCENT = "percent"
    NUMBER = "number"
    AMOUNT = "amount"
    CATEGORY = "category"


Value = Decimal | bool | str | None


@dataclass(frozen=True)
class ThresholdSpec:
    comparator: Comparator
    value: Decimal | bool | tuple[str, ...] | None = None
    region: str | None = None
    group: int | None = None
    year: int | None = None
    source: str = ""

    @property
    def specificity(self) -> int:
        return sum(k is not None for k in (self.region, self.group, self.year))

    def applies(self, region: str | None, group: int | None, year: int) -> bool:
        return (
            (self.region is None or self.region == region)
            and (self.group is None or self.group == group)
            and (self.year is None or self.year == year)
        )


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    kind: Kind
    unit: str = ""
    thresholds: tuple[ThresholdSpec, ...] = ()


@dataclass(frozen=True)
class CriterionSpec:
    number: int
    name: str
    indicators: tuple[IndicatorSpec, ...]
    min_met: int | None = None  # None: all indicators must be met
    is_key: bool = False


@dataclass(frozen=True)
class RegionOverride:
    """Communes with one of `flags` are judged at `region`'s level from `since` (QĐ 318 Art. 1)."""

    flags: frozenset[str]
    region: str
    since: dt.date
    source: str = ""


@dataclass(frozen=True)
class SetSpec:
    code: str
    version: int
    basis: str  # "QĐ 318/QĐ-TTg"
    criteria: tuple[CriterionSpec, ...]
    region_overrides: tuple[RegionOverride, ...] = ()


@dataclass(frozen=True)
class UnitFacts:
    year: int
    region: str | None = None  # geographic region code (DBSCL...)
    group: int | None = None  # commune group 1-3 (QĐ 51/2025)
    flags: frozenset[str] = frozenset()  # dbkk, atk, khu_vuc_ii...
    region_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ValueIn:
    value: Value = None
    hand_verdict: bool | None = None  # True đạt, False chưa đạt, None not judged
    hand_reason: str = ""


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    status: Status
    reason: str
    by_hand: bool = False
    threshold: ThresholdSpec | None = None


@dataclass(frozen=True)
class CriterionResult:
    number: int
    name: str
    status: Status
    reason: str
    indicators: tuple[IndicatorResult, ...]
    is_key: bool = False


@dataclass(frozen=True)
class SetResult:
    code: str
    version: int
    year: int
    effective_region: str | None
    region_reason: str
    criteria: tuple[CriterionResult, ...]

    @property
    def met_count(self) -> int:
        return sum(c.status == Status.MET for c in self.criteria)

    @property
    def total(self) -> int:
        return len(self.criteria)

    @property
    def all_met(self) -> bool:
        return self.met_count == self.total

    def criterion(self, number: int) -> CriterionResult:
        return next(c for c in self.criteria if c.number == number)


def effective_region(spec: SetSpec, facts: UnitFacts, as_of: dt.date) -> tuple[str | None, str]:
    """The region whose thresholds apply, and why when it is not the geographic one."""
    for rule in spec.region_overrides:
        hit = rule.flags & facts.flags
        if hit and as_of >= rule.since:
            why = f"áp dụng mức vùng {rule.region} ({', '.join(sorted(hit))}; {rule.source})"
            return rule.region, why
    return facts.region, ""


def select_threshold(
    indicator: IndicatorSpec, region: str | None, group: int | None, year: int
) -> ThresholdSpec | None:
    """The most specific threshold row that applies; None when none does (judged by hand)."""
    candidates = [t for t in indicator.thresholds if t.applies(region, group, year)]
    if not candidates:
        return None
    return max(candidates, key=lambda t: t.specificity)


def plain(value: Decimal) -> Decimal:
    """Without trailing zeros and without exponent: 78.0000 → 78, 100.00 → 100 (not 1E+2)."""
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized.as_tuple().exponent > 0 else normalized


def fmt_number(value: Decimal, unit: str = "") -> str:
    """1234.5 -> "1.234,5" with the unit glued the Vietnamese way ("68%", "46,3 triệu đồng")."""
    normalized = value.normalize()
    sign = "-" if normalized < 0 else ""
    digits = f"{abs(normalized):f}"
    whole, _, frac = digits.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    text = sign + grouped + ("," + frac if frac else "")
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _fmt_value(value: Value, unit: str) -> str:
    if isinstance(value, bool):
        return "Đạt" if value else "Chưa đạt"
    if isinstance(value, Decimal):
        return fmt_number(value, unit)
    return f"«{value}»"


def _fmt_threshold(t: ThresholdSpec, unit: str) -> str:
    if t.comparator == Comparator.YES:
        return "Đạt"
    if t.comparator == Comparator.IN:
        return "một trong " + ", ".join(f"«{v}»" for v in t.value or ())
    assert isinstance(t.value, Decimal)
    return fmt_number(t.value, unit)


_NEGATION = {
    Comparator.GE: "<",
    Comparator.GT: "≤",
    Comparator.LE: ">",
    Comparator.LT: "≥",
    Comparator.EQ: "≠",
    Comparator.NE: "=",
}
_SYMBOL = {
    Comparator.GE: "≥",
    Comparator.GT: ">",
    Comparator.LE: "≤",
    Comparator.LT: "<",
    Comparator.EQ: "=",
    Comparator.NE: "≠",
}


def compare(comparator: Comparator, value: Value, threshold: Decimal | bool | tuple | None) -> bool:
    if comparator == Comparator.YES:
        return value is True
    if comparator == Comparator.IN:
        return isinstance(value, str) and value in (threshold or ())
    if not isinstance(value, Decimal) or not isinstance(threshold, Decimal):
        return False
    return {
        Comparator.GE: value >= threshold,
        Comparator.GT: value > threshold,
        Comparator.LE: value <= threshold,
        Comparator.LT: value < threshold,
        Comparator.EQ: value == threshold,
        Comparator.NE: value != threshold,
    }[comparator]


def _context(region: str | None, facts: UnitFacts, t: ThresholdSpec, basis: str) -> str:
    parts = []
    if t.region:
        parts.append(f"vùng {facts.region_names.get(region or '', region)}")
    if t.group:
        parts.append(f"nhóm xã {t.group}")
    if t.year:
        parts.append(f"năm {facts.year}")
    parts.append(t.source or basis)
    return ", ".join(parts)


def evaluate_indicator(
    indicator: IndicatorSpec,
    value: ValueIn | None,
    facts: UnitFacts,
    region: str | None,
    basis: str,
) -> IndicatorResult:
    value = value or ValueIn()
    threshold = select_threshold(indicator, region, facts.group, facts.year)
    if threshold is None:
        if value.hand_verdict is None:
            return IndicatorResult(
                indicator.code,
                Status.MISSING,
                f"{indicator.code} chưa đánh giá: chỉ tiêu không có ngưỡng áp dụng, "
                "cần đánh giá đạt/chưa đạt thủ công",
                by_hand=True,
            )
        status = Status.MET if value.hand_verdict else Status.NOT_MET
        verdict = "đạt" if value.hand_verdict else "chưa đạt"
        why = f": {value.hand_reason}" if value.hand_reason else ""
        return IndicatorResult(
            indicator.code,
            status,
            f"{indicator.code} {verdict} (đánh giá thủ công){why}",
            by_hand=True,
        )
    if value.value is None or value.value == "":
        return IndicatorResult(
            indicator.code, Status.MISSING, f"{indicator.code} thiếu số liệu", threshold=threshold
        )
    ok = compare(threshold.comparator, value.value, threshold.value)
    shown = _fmt_value(value.value, indicator.unit)
    wanted = _fmt_threshold(threshold, indicator.unit)
    context = _context(region, facts, threshold, basis)
    if threshold.comparator in (Comparator.YES, Comparator.IN):
        relation = f"{shown}, yêu cầu {wanted}"
    else:
        symbol = _SYMBOL[threshold.comparator] if ok else _NEGATION[threshold.comparator]
        relation = f"{shown} {symbol} {wanted}"
    verdict = "đạt" if ok else "chưa đạt"
    return IndicatorResult(
        indicator.code,
        Status.MET if ok else Status.NOT_MET,
        f"{indicator.code} {verdict}: {relation}, {context}",
        threshold=threshold,
    )


def evaluate_criterion(
    criterion: CriterionSpec,
    values: Mapping[str, ValueIn],
    facts: UnitFacts,
    region: str | None,
    basis: str,
) -> CriterionResult:
    results = tuple(
        evaluate_indicator(i, values.get(i.code), facts, region, basis)
        for i in criterion.indicators
    )
    needed = criterion.min_met if criterion.min_met is not None else len(results)
    met = sum(r.status == Status.MET for r in results)
    unknown = sum(r.status == Status.MISSING for r in results)
    if met >= needed:
        status = Status.MET
        reason = f"Tiêu chí {criterion.number} đạt: {met}/{len(results)} chỉ tiêu đạt"
        if criterion.min_met is not None:
            reason += f" (cần ít nhất {needed})"
    elif met + unknown >= needed:
        status = Status.MISSING
        missing = [r.reason for r in results if r.status == Status.MISSING]
        reason = f"Tiêu chí {criterion.number} chưa đủ dữ liệu: " + "; ".join(missing)
    else:
        status = Status.NOT_MET
        failing = [r.reason for r in results if r.status == Status.NOT_MET]
        reason = f"Tiêu chí {criterion.number} chưa đạt: " + "; ".join(failing)
    return CriterionResult(
        criterion.number, criterion.name, status, reason, results, criterion.is_key
    )


def evaluate(
    spec: SetSpec,
    facts: UnitFacts,
    values: Mapping[str, ValueIn],
    as_of: dt.date | None = None,
) -> SetResult:
    """Every criterion of the set for one unit and year."""
    as_of = as_of or dt.date(facts.year, 12, 31)
    region, region_reason = effective_region(spec, facts, as_of)
    criteria = tuple(
        evaluate_criterion(c, values, facts, region, spec.basis) for c in spec.criteria
    )
    return SetResult(spec.code, spec.version, facts.year, region, region_reason, criteria)
