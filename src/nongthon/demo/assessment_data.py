"""Illustrative indicator values for Hậu Giang's 51 xã, 2021-2023, consistent with the seed plans.

What the seeds fix (shared/seeds/001: plan 2022; 000: plan 2023):
- end of 2022 the plan aimed at 38/51 xã at standard; Phú Hữu reappears as a 2023 target, so it
  was not reached: 37 xã meet all 19 criteria at the end of 2022;
- the 2022 average is 18,2 criteria per xã, and every xã has at least 14;
- in 2023 Phú Hữu, Phú Tân and Vị Bình reach 19/19.
Everything else (which xã lacks which criterion, every value) is made up, stored with
`illustrative=True`, and every page that shows it says "Dữ liệu minh họa".
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from nongthon.assessment.evaluation import recompute
from nongthon.assessment.models import IndicatorValue
from nongthon.catalogue.engine import Comparator, select_threshold
from nongthon.catalogue.models import CriteriaSet
from nongthon.catalogue.specs import spec_for
from nongthon.places.models import Edition, Level, Unit, UnitKind

YEARS = (2021, 2022, 2023)
# Criteria met per year for the xã that were not at standard at the end of 2021 (the rest: 19).
MET: dict[str, tuple[int, int, int]] = {
    # Targets of the 2022 plan: Tân Phú and Hiệp Hưng made it in 2022, Phú Hữu only in 2023.
    "Tân Phú": (18, 19, 19),
    "Hiệp Hưng": (18, 19, 19),
    "Phú Hữu": (17, 18, 19),
    # The 2022 plan's stretch targets, recognised as 2023 targets.
    "Phú Tân": (17, 18, 19),
    "Vị Bình": (17, 18, 19),
    # The 2023 plan's stretch targets.
    "Tân Bình": (16, 17, 18),
    "Vĩnh Viễn A": (16, 17, 18),
    "Vị Đông": (16, 17, 18),
    # Eight more xã below standard (illustrative choice).
    "Hòa An": (14, 15, 16),
    "Phụng Hiệp": (14, 15, 15),
    "Hòa Mỹ": (14, 15, 16),
    "Tân Long": (14, 15, 15),
    "Lương Nghĩa": (14, 15, 16),
    "Vĩnh Trung": (14, 15, 15),
    "Long Bình": (14, 15, 16),
    "Thạnh Hòa": (14, 15, 15),
}
# The criteria that fail first: the weakest nationally were income, poverty and environment
# (reference ntm-criteria.md §9.3), then transport, culture, production, schools.
FAILING_ORDER = (17, 10, 11, 2, 6, 13, 5)


def hau_giang_xa() -> list[Unit]:
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    return list(Unit.objects.subtree(province).communes().filter(kind=UnitKind.XA))


def criteria_met(short_name: str, year: int) -> int:
    per_year = MET.get(short_name)
    return per_year[YEARS.index(year)] if per_year else 19


def _value(indicator, passing: bool, region: str, year: int) -> dict:
    """A value that passes or fails the threshold that applies, or a hand verdict."""
    threshold = select_threshold(indicator, region, None, year)
    reason = "Dữ liệu minh họa" if passing else "Dữ liệu minh họa: chưa đạt theo kết quả rà soát"
    if threshold is None:
        return {"hand_verdict": passing, "hand_reason": reason}
    if threshold.comparator == Comparator.YES:
        return {"value_bool": passing}
    if threshold.comparator == Comparator.IN:
        return {"value_text": threshold.value[0]} if passing else {"value_text": "Chưa đạt"}
    bound = threshold.value
    step = Decimal("5")
    if threshold.comparator in (Comparator.GE, Comparator.GT):
        number = bound + step if passing else bound - step
    elif threshold.comparator in (Comparator.LE, Comparator.LT):
        number = bound - step if passing else bound + step
    else:
        number = bound if passing else bound + step
    if indicator.unit == "%":
        number = min(max(number, Decimal(0)), Decimal(100))
    return {"value_number": max(number, Decimal(0))}


def build_values(criteria_set: CriteriaSet, say: Callable[[str], None]) -> int:
    spec = spec_for(criteria_set)
    communes = hau_giang_xa()
    region = "DBSCL"
    rows = []
    IndicatorValue.objects.filter(
        unit__in=communes, family=criteria_set.family, year__in=YEARS
    ).delete()
    for commune in communes:
        for year in YEARS:
            failing = set(FAILING_ORDER[: 19 - criteria_met(commune.short_name, year)])
            for criterion in spec.criteria:
                for position, indicator in enumerate(criterion.indicators):
                    # A failing criterion fails on its first indicator only.
                    passing = not (criterion.number in failing and position == 0)
                    rows.append(
                        IndicatorValue(
                            unit=commune,
                            year=year,
                            family=criteria_set.family,
                            indicator_code=indicator.code,
                            illustrative=True,
                            **_value(indicator, passing, region, year),
                        )
                    )
    bulk_create_with_history(rows, IndicatorValue, batch_size=2000)
    stored = recompute(criteria_set, communes, YEARS)
    say(f"Số liệu minh họa {criteria_set.code}: {len(rows)} giá trị, {stored} kết quả đánh giá")
    return len(rows)


# Which department answers for which criterion of QĐ 318 in the demo. Provinces decide this by
# decision; the reference does not give Hậu Giang's, so this assignment is illustrative.
DEMO_RESPONSIBILITY = {
    1: "so-xay-dung", 2: "so-gtvt", 3: "so-nnptnt", 4: "so-cong-thuong", 5: "so-gddt",
    6: "so-vhttdl", 7: "so-cong-thuong", 8: "so-tttt", 9: "so-xay-dung", 10: "thong-ke",
    11: "so-ldtbxh", 12: "so-ldtbxh", 13: "so-nnptnt", 14: "so-gddt", 15: "so-y-te",
    16: "so-vhttdl", 17: "so-tnmt", 18: "so-noi-vu", 19: "cong-an",
}  # fmt: skip


def build_responsibilities(criteria_set: CriteriaSet, say: Callable[[str], None]) -> int:
    from nongthon.catalogue.models import CriterionResponsibility
    from nongthon.places.models import Agency

    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    agencies = {a.code: a for a in Agency.objects.filter(unit=province)}
    count = 0
    for number, code in DEMO_RESPONSIBILITY.items():
        if code in agencies:
            CriterionResponsibility.objects.update_or_create(
                province=province,
                family=criteria_set.family,
                criterion_number=number,
                defaults={
                    "agency": agencies[code],
                    "basis": "Phân công minh họa (dữ liệu trình diễn)",
                },
            )
            count += 1
    say(f"Phân công phụ trách tiêu chí (minh họa): {count} tiêu chí")
    return count
