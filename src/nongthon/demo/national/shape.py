"""The shape of the illustrative national data: pure functions of a seeded random generator.

Anchors (shared/reference/ntm-criteria.md): the regional commune targets of QĐ 263/QĐ-TTg for
2025 (§1, S22) set where each region ends; the end-of-period figures (79,3% of communes NTM,
42,4% nâng cao, 12,3% kiểu mẫu; §9.3, S28c) and the weakest criteria (income, poverty,
environment; S24b) shape the rest. After the 2025 merger about 64-65% of the new communes were
expected to meet NTM, aiming at 80% within five years (S28). Everything else (which commune,
which criterion, every number) is made up and every row is stored as illustrative.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

YEARS_2021 = (2021, 2022, 2023, 2024, 2025)
YEARS_2026 = (2026, 2027, 2028, 2029, 2030)

# Share of communes at standard at the end of 2025 by region: QĐ 263 targets, capped below 100%.
REGION_SHARE_2025 = {
    "TDMNPB": 0.60,
    "DBSH": 0.97,
    "BTB": 0.87,
    "DHNTB": 0.80,
    "TN": 0.68,
    "DNB": 0.95,
    "DBSCL": 0.80,
}
SHARE_GROWTH = 0.18  # how much lower the share was at the end of 2021
# 2026-2030: ~62% of the merged communes at standard in 2026, 80% in 2030.
SHARE_2026, SHARE_2030 = 0.62, 0.80

# How often each QĐ 318 criterion is the one a commune lacks (weakest first).
FAIL_WEIGHTS_318 = {
    10: 10, 11: 9, 17: 9, 2: 5, 6: 5, 13: 5, 5: 4, 9: 3, 12: 3, 15: 3, 16: 3, 18: 3,
    1: 1, 3: 1, 4: 1, 7: 1, 8: 1, 14: 1, 19: 1,
}  # fmt: skip
# QĐ 51/2025: economy (3), poverty (6) and environment (8) weakest, by analogy.
FAIL_WEIGHTS_51 = {3: 8, 6: 8, 8: 7, 2: 4, 5: 4, 4: 3, 7: 3, 9: 2, 1: 1, 10: 1}
FIRST_GAP = {1: 25, 2: 25, 3: 20, 4: 15, 5: 10, 6: 5}  # criteria lacking in the first year

NANG_CAO_SHARE = 0.53  # of the communes at standard by 2022 → ~42% of all by 2025
KIEU_MAU_SHARE = 0.30  # of those nâng cao → ~12%

# OCOP: stars of the certified products (most 3 stars), and products below 3 stars.
STAR_WEIGHTS = {3: 70, 4: 27, 5: 1, 2: 2}
OCOP_YEAR_WEIGHTS = {2020: 14, 2021: 17, 2022: 22, 2023: 24, 2024: 23}


def region_share(region: str | None, year: int) -> float:
    """Share of a region's communes at standard at the end of `year`."""
    if year >= 2026:
        step = (SHARE_2030 - SHARE_2026) / 4
        return SHARE_2026 + step * (min(year, 2030) - 2026)
    end = REGION_SHARE_2025.get(region or "", 0.79)
    start = max(0.3, end - SHARE_GROWTH)
    return start + (end - start) * (min(year, 2025) - 2021) / 4


@dataclass(frozen=True)
class Trajectory:
    """One commune over a period: the year it reaches the standard (None: not by the end) and
    the criteria it lacks each year (the hardest last, so met criteria stay met)."""

    reach: int | None
    order: tuple[int, ...]  # criteria in the order the commune fails them
    first_gap: int
    years: tuple[int, ...]

    def failing(self, year: int) -> tuple[int, ...]:
        if self.reach is not None and year >= self.reach:
            return ()
        elapsed = year - self.years[0]
        if self.reach is None:
            gap = max(1, self.first_gap - elapsed // 2)
        else:
            gap = max(1, self.first_gap - elapsed)
        return self.order[:gap]


def weighted_order(rng: random.Random, weights: dict[int, int]) -> tuple[int, ...]:
    """Every key once, heavier keys earlier on average (weighted sampling without replacement)."""
    keyed = sorted(weights, key=lambda k: rng.random() ** (1 / weights[k]), reverse=True)
    return tuple(keyed)


def trajectory(
    rng: random.Random,
    region: str | None,
    years: tuple[int, ...],
    weights: dict[int, int],
    earlier: bool = True,
) -> Trajectory:
    """With `earlier`, most communes at standard in the first year already were before it
    (recognised under the previous set)."""
    draw = rng.random()
    reach = next((y for y in years if draw < region_share(region, y)), None)
    if earlier and reach == years[0] and draw < region_share(region, years[0]) * 0.9:
        reach = years[0] - 1 - rng.randrange(0, 5)
    gap = rng.choices(list(FIRST_GAP), weights=list(FIRST_GAP.values()))[0]
    return Trajectory(reach, weighted_order(rng, weights), gap, years)


def star(rng: random.Random) -> int:
    return rng.choices(list(STAR_WEIGHTS), weights=list(STAR_WEIGHTS.values()))[0]


def score_for(rng: random.Random, stars: int) -> int:
    """A council score in the star's band (QĐ 1048 bands: 50/70/90)."""
    low, high = {2: (38, 49), 3: (50, 69), 4: (70, 89), 5: (90, 97)}[stars]
    return rng.randint(low, high)
