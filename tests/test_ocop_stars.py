"""Star computation: every band boundary for each rule version, and each minimum-option gate of
the complete sheets (QĐ 26/2026 sheets 1 and 7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nongthon.ocop.rules import band_star, rule_for, rule_versions
from nongthon.ocop.scoring import rate
from nongthon.ocop.sheets import parse_text, shipped_files

D = Decimal


def shipped(rule: str, number: int):
    for path in shipped_files():
        if path.parent.name == rule and path.stem == f"{number:02d}":
            return parse_text(path.read_text(encoding="utf-8"))
    raise LookupError(rule)


BOUNDARIES = [
    ("0", 1),
    ("29.99", 1),
    ("30", 2),
    ("49.99", 2),
    ("50", 3),
    ("69.99", 3),
    ("70", 4),
    ("89.99", 4),
    ("90", 5),
    ("100", 5),
]


@pytest.mark.parametrize(("score", "star"), BOUNDARIES)
def test_band_star_at_every_boundary(score, star):
    assert band_star(D(score)) == star


def _structure_points(sheet, total: Decimal) -> dict[str, Decimal]:
    """Spread `total` over the leaves of a structure-only sheet, filling each in turn."""
    points, left = {}, total
    for leaf in sheet.leaves:
        take = min(leaf.max, left)
        points[leaf.code] = take
        left -= take
    return points


@pytest.mark.parametrize("rule", ["qd1048-2019", "qd148-2023", "qd26-2026"])
@pytest.mark.parametrize(("score", "star"), BOUNDARIES)
def test_each_rule_version_rates_the_bands(rule, score, star):
    number = 2 if rule == "qd26-2026" else 1  # a structure-only sheet of each version
    sheet = shipped(rule, number)
    assert sheet.status == "structure"
    # Two members whose totals average to `score`.
    low = _structure_points(sheet, D(score) - D("0.5") if D(score) >= 1 else D(score))
    high = _structure_points(sheet, D(score) + D("0.5") if D(score) >= 1 else D(score))
    if D(score) >= 100:
        low = high = _structure_points(sheet, D(100))
    rating = rate(sheet, [low, high])
    assert rating.total == D(score).quantize(D("0.01"))
    assert rating.star == star
    assert rating.blockers == []


def test_parts_follow_the_decision():
    assert shipped("qd1048-2019", 1).parts == {"A": 35, "B": 25, "C": 40}
    assert shipped("qd148-2023", 1).parts == {"A": 40, "B": 25, "C": 35}
    assert shipped("qd26-2026", 1).parts == {"A": 40, "B": 25, "C": 35}


def test_rule_in_force_by_evaluation_date():
    assert rule_for(dt.date(2020, 10, 1)).code == "qd1048-2019"
    assert rule_for(dt.date(2023, 2, 23)).code == "qd1048-2019"
    assert rule_for(dt.date(2023, 2, 24)).code == "qd148-2023"
    assert rule_for(dt.date(2026, 5, 21)).code == "qd148-2023"
    assert rule_for(dt.date(2026, 5, 22)).code == "qd26-2026"
    assert rule_for(dt.date(2019, 1, 1)) is None
    assert [r.code for r in rule_versions()] == ["qd1048-2019", "qd148-2023", "qd26-2026"]


def test_district_councils_end_with_qd1489():
    rule = rule_for(dt.date(2025, 7, 6))
    assert "district" in rule.levels_on(dt.date(2025, 7, 5))
    assert "district" not in rule.levels_on(dt.date(2025, 7, 6))


def best(sheet) -> dict[str, Decimal]:
    return {leaf.code: leaf.max for leaf in sheet.leaves}


def gated_leaves(sheet):
    return [(leaf, star) for leaf in sheet.leaves for star in sorted(leaf.gates)]


@pytest.mark.parametrize("number", [1, 7])
def test_full_marks_give_five_stars(number):
    sheet = shipped("qd26-2026", number)
    rating = rate(sheet, [best(sheet)])
    assert (rating.total, rating.star, rating.blockers) == (D(100), 5, [])


@pytest.mark.parametrize("number", [1, 7])
def test_each_gate_holds_a_product_below_its_band(number):
    """For every ★-marked minimum: one step below it caps the star just under that level,
    and the result names that criterion."""
    sheet = shipped("qd26-2026", number)
    checked = 0
    for leaf, star in gated_leaves(sheet):
        needed = leaf.gates[star]
        if needed == 0 or (leaf.by_choice and needed == min(o.points for o in leaf.options)):
            continue  # the lowest option: always met
        below = (
            max(o.points for o in leaf.options if o.points < needed)
            if leaf.by_choice
            else needed - 1
        )
        points = best(sheet)
        points[leaf.code] = below
        rating = rate(sheet, [points])
        assert rating.band_star == 5, leaf.code  # at most 5 points lost: still ≥ 90
        assert rating.star == star - 1, (leaf.code, star)
        assert rating.held_by_gate
        assert [(b.code, b.star) for b in rating.blockers][0] == (leaf.code, star)
        checked += 1
    assert checked >= 10


def test_gate_uses_the_members_average_on_the_criterion():
    sheet = shipped("qd26-2026", 1)
    a, b = best(sheet), best(sheet)
    a["5.1"] = D(3)  # ★4 needs 5: average (3 + 5) / 2 = 4 < 5
    rating = rate(sheet, [a, b])
    assert rating.star == 3 and rating.blockers[0].code == "5.1"
    assert rating.blockers[0].got == D("4.00")


def test_a_gate_above_the_band_is_not_reported():
    """A 3-star score whose ★5 minimum fails: the band decides, no criterion is blamed."""
    sheet = shipped("qd26-2026", 1)
    points = {leaf.code: min(o.points for o in leaf.options) for leaf in sheet.leaves}
    for code, value in {"2.2": 2, "5.3": 1, "9": 2, "4.1": 2, "3.5": 1}.items():
        points[code] = D(value)
    for code in ("4.2", "4.3", "5.1", "5.2", "6.1", "6.2", "6.3", "6.4", "7", "8", "12"):
        points[code] = sheet.leaf(code).max
    points["1.5"] = D(2)
    points["6.1"] = D(2)
    rating = rate(sheet, [points])
    assert 50 <= rating.total < 70
    assert rating.star == rating.band_star == 3
    assert rating.blockers == []


def test_three_star_gate_drops_to_two_stars():
    sheet = shipped("qd26-2026", 1)
    points = best(sheet)
    points["2.3"] = D(1)  # ★3 met, ★4 (3 points) failed
    points["9"] = D(4)
    assert rate(sheet, [points]).star == 3
    points["3.5"] = D(2)
    points["2.2"] = D(1)  # ★3 needs 2
    rating = rate(sheet, [points])
    assert rating.star == 2
    assert {b.code for b in rating.blockers} >= {"2.2"}


def test_points_must_be_an_option_of_the_sheet():
    sheet = shipped("qd26-2026", 1)
    points = best(sheet)
    points["1.1"] = D("2.5")
    with pytest.raises(ValidationError, match="1.1"):
        rate(sheet, [points])
    del points["1.1"]
    with pytest.raises(ValidationError, match="chưa chấm"):
        rate(sheet, [points])


def test_structure_sheet_points_within_the_maximum():
    sheet = shipped("qd148-2023", 1)
    with pytest.raises(ValidationError, match="từ 0 đến 40"):
        rate(sheet, [{"A": D(41), "B": D(0), "C": D(0)}])


@pytest.mark.parametrize("rule", ["qd1048-2019", "qd148-2023"])
def test_older_versions_have_no_gates_because_the_reference_lacks_them(rule):
    """QĐ 781's and QĐ 148's mandatory minimums are not in the reference: no gate is invented,
    so those versions rate by the bands alone (the sheets and rules say so)."""
    sheets = [
        parse_text(p.read_text(encoding="utf-8")) for p in shipped_files() if p.parent.name == rule
    ]
    assert sheets and all(leaf.gates == {} for s in sheets for leaf in s.leaves)
    assert all("không có trong tài liệu" in s.note for s in sheets)


def test_structure_sheets_of_2026_have_the_reference_maxima():
    """Sheet 5 (đồ ăn nhanh) A 16/12/12; sheet 26 (du lịch) B 17/8; every sheet totals 100."""
    five, tourism = shipped("qd26-2026", 5), shipped("qd26-2026", 26)
    assert [leaf.max for leaf in five.leaves if leaf.part == "A"] == [16, 12, 12]
    assert [leaf.max for leaf in tourism.leaves if leaf.part == "B"] == [17, 8]
    for path in shipped_files():
        sheet = parse_text(path.read_text(encoding="utf-8"))
        assert sum(leaf.max for leaf in sheet.leaves) == 100, path
