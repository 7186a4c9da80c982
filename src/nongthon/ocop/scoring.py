"""The star of a product from its members' score sheets: a pure function, no database.

Score = the average of the members' totals (0–100). The band star follows the bands of the rule
version. The awarded star = min(band star, the highest star whose minimums (★3/★4/★5 marks)
are all met); minimums accumulate (a 4-star product must meet the ★3 and ★4 marks). A criterion
meets a minimum when the members' average points on it reach the marked option's points: the
reference says what the minimum is, not how to combine members, and the average mirrors how the
total is combined (our reading, stated on the result page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nongthon.ocop.rules import band_star, certified_from_star
from nongthon.ocop.sheets import STARS, Leaf, Sheet

TWO = Decimal("0.01")


@dataclass(frozen=True)
class Blocker:
    star: int
    code: str
    name: str
    needed: Decimal
    got: Decimal


@dataclass
class Rating:
    members: int
    total: Decimal
    parts: dict[str, Decimal]
    band_star: int
    gate_star: int
    star: int
    leaf_averages: dict[str, Decimal] = field(default_factory=dict)
    # The minimums not met at stars up to the band star: why a product sits below its band.
    blockers: list[Blocker] = field(default_factory=list)

    @property
    def held_by_gate(self) -> bool:
        return self.star < self.band_star

    @property
    def certifiable(self) -> bool:
        return self.star >= certified_from_star()


def check_points(sheet: Sheet, points: dict[str, Decimal], *, partial: bool = False) -> None:
    """A member's points: one per leaf, an offered option or 0 (none ticked), or 0..max where
    the sheet has no options."""
    errors = []
    for leaf in sheet.leaves:
        value = points.get(leaf.code)
        if value is None:
            if not partial:
                errors.append(_("Tiêu chí %(code)s (%(name)s): chưa chấm.") % _names(leaf))
            continue
        # Ticking no option is 0 points (the paper sheet's empty boxes), even where the
        # sheet lists no 0-point option.
        if leaf.by_choice and value != 0 and value not in {o.points for o in leaf.options}:
            errors.append(
                _("Tiêu chí %(code)s (%(name)s): %(value)s điểm không phải một mức của phiếu.")
                % {**_names(leaf), "value": value}
            )
        elif not leaf.by_choice and not (0 <= value <= leaf.max):
            errors.append(
                _("Tiêu chí %(code)s (%(name)s): điểm phải từ 0 đến %(max)s.")
                % {**_names(leaf), "max": leaf.max}
            )
    unknown = set(points) - {leaf.code for leaf in sheet.leaves}
    if unknown:
        errors.append(_("Tiêu chí không có trong phiếu: %s.") % ", ".join(sorted(unknown)))
    if errors:
        raise ValidationError(errors)


def _names(leaf: Leaf) -> dict:
    return {"code": leaf.code, "name": leaf.name}


def _q(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def rate(sheet: Sheet, sheets_of_members: list[dict[str, Decimal]]) -> Rating:
    """Combine the members' complete score sheets into the product's rating."""
    if not sheets_of_members:
        raise ValidationError(_("Chưa có thành viên nào chấm điểm."))
    for points in sheets_of_members:
        check_points(sheet, points)
    n = Decimal(len(sheets_of_members))
    averages = {
        leaf.code: sum((p[leaf.code] for p in sheets_of_members), Decimal(0)) / n
        for leaf in sheet.leaves
    }
    # The score is the average of the members' totals; equal to the sum of the averages.
    totals = [sum(p.values(), Decimal(0)) for p in sheets_of_members]
    total = _q(sum(totals, Decimal(0)) / n)
    parts = {
        part: _q(
            sum((averages[leaf.code] for leaf in sheet.leaves if leaf.part == part), Decimal(0))
        )
        for part in sheet.parts
    }
    band = band_star(total)
    gate = max(STARS)
    blockers: list[Blocker] = []
    for star in STARS:
        failed = [
            Blocker(star, leaf.code, leaf.name, leaf.gates[star], _q(averages[leaf.code]))
            for leaf in sheet.leaves
            if star in leaf.gates and averages[leaf.code] < leaf.gates[star]
        ]
        if failed:
            gate = min(gate, star - 1)
            if star <= band:
                blockers += failed
    star = min(band, gate)
    return Rating(
        members=len(sheets_of_members),
        total=total,
        parts=parts,
        band_star=band,
        gate_star=gate,
        star=star,
        leaf_averages={code: _q(v) for code, v in averages.items()},
        blockers=[b for b in blockers if b.star > star],
    )
