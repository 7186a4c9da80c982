"""The evaluation engine, as a pure function: comparators, thresholds by region, group and year,
the QĐ 318 Art. 1 rule, missing data and hand verdicts, criterion rules."""

import datetime as dt
from decimal import Decimal as D

import pytest

from nongthon.catalogue.engine import (
    Comparator,
    CriterionSpec,
    IndicatorSpec,
    Kind,
    RegionOverride,
    SetSpec,
    Status,
    ThresholdSpec,
    UnitFacts,
    ValueIn,
    evaluate,
    fmt_number,
)

SOURCE = "QĐ 318/QĐ-TTg"


def one_indicator_set(*thresholds, kind=Kind.PERCENT, unit="%", overrides=()):
    indicator = IndicatorSpec("17.2", "Tỷ lệ hộ dùng nước sạch", kind, unit, tuple(thresholds))
    return SetSpec("test", 1, SOURCE, (CriterionSpec(17, "Môi trường", (indicator,)),), overrides)


def verdict(spec, value, facts=None, **kw):
    facts = facts or UnitFacts(year=2023, region="DBSCL", region_names={"DBSCL": "ĐBSCL"})
    result = evaluate(spec, facts, {"17.2": ValueIn(value, **kw)})
    return result.criteria[0].indicators[0]


@pytest.mark.parametrize(
    ("comparator", "value", "threshold", "met"),
    [
        (Comparator.GE, D("70"), D("70"), True),
        (Comparator.GE, D("69.9"), D("70"), False),
        (Comparator.GT, D("70"), D("70"), False),
        (Comparator.GT, D("70.1"), D("70"), True),
        (Comparator.LE, D("24"), D("24"), True),
        (Comparator.LE, D("24.5"), D("24"), False),
        (Comparator.LT, D("23.9"), D("24"), True),
        (Comparator.LT, D("24"), D("24"), False),
        (Comparator.EQ, D("100"), D("100"), True),
        (Comparator.EQ, D("99"), D("100"), False),
        (Comparator.NE, D("0"), D("1"), True),
        (Comparator.NE, D("1"), D("1"), False),
    ],
)
def test_every_numeric_comparator(comparator, value, threshold, met):
    spec = one_indicator_set(ThresholdSpec(comparator, threshold, source=SOURCE))
    assert verdict(spec, value).status == (Status.MET if met else Status.NOT_MET)


def test_yes_and_category_comparators():
    yes = one_indicator_set(ThresholdSpec(Comparator.YES, source=SOURCE), kind=Kind.BOOLEAN)
    assert verdict(yes, True).status == Status.MET
    assert verdict(yes, False).status == Status.NOT_MET
    cat = one_indicator_set(
        ThresholdSpec(Comparator.IN, ("Tốt", "Khá"), source=SOURCE), kind=Kind.CATEGORY
    )
    assert verdict(cat, "Khá").status == Status.MET
    assert verdict(cat, "Trung bình").status == Status.NOT_MET


def test_the_reason_names_indicator_value_threshold_region_year_and_decision():
    spec = one_indicator_set(
        ThresholdSpec(Comparator.GE, D("70"), region="DBSCL", source=SOURCE),
        ThresholdSpec(Comparator.GE, D("60"), region="TDMNPB", source=SOURCE),
    )
    result = verdict(spec, D("68"))
    assert result.status == Status.NOT_MET
    assert result.reason == "17.2 chưa đạt: 68% < 70%, vùng ĐBSCL, QĐ 318/QĐ-TTg"


def test_the_regional_threshold_of_the_units_region_applies():
    spec = one_indicator_set(
        ThresholdSpec(Comparator.GE, D("70"), region="DBSCL", source=SOURCE),
        ThresholdSpec(Comparator.GE, D("60"), region="TDMNPB", source=SOURCE),
    )
    north = UnitFacts(year=2023, region="TDMNPB")
    assert verdict(spec, D("65"), north).status == Status.MET
    assert verdict(spec, D("65")).status == Status.NOT_MET


def test_yearly_thresholds_rise_and_the_years_row_wins_over_the_general_one():
    spec = one_indicator_set(
        ThresholdSpec(Comparator.GE, D("40"), source=SOURCE),
        ThresholdSpec(Comparator.GE, D("46"), region="DBSCL", year=2022, source=SOURCE),
        ThresholdSpec(Comparator.GE, D("50"), region="DBSCL", year=2023, source=SOURCE),
        kind=Kind.AMOUNT,
        unit="triệu đồng",
    )
    in_2022 = UnitFacts(year=2022, region="DBSCL", region_names={"DBSCL": "ĐBSCL"})
    assert verdict(spec, D("48"), in_2022).status == Status.MET
    result = verdict(spec, D("48"))
    assert result.status == Status.NOT_MET
    assert "48 triệu đồng < 50 triệu đồng, vùng ĐBSCL, năm 2023" in result.reason
    in_2024 = UnitFacts(year=2024, region="DBSCL")
    assert verdict(spec, D("45"), in_2024).threshold.value == D("40")


def test_commune_group_thresholds_of_the_2026_2030_set():
    spec = one_indicator_set(
        ThresholdSpec(Comparator.GE, D("90"), group=1, source="QĐ 51/2025/QĐ-TTg"),
        ThresholdSpec(Comparator.GE, D("80"), group=2, source="QĐ 51/2025/QĐ-TTg"),
    )
    assert verdict(spec, D("85"), UnitFacts(year=2026, group=2)).status == Status.MET
    assert verdict(spec, D("85"), UnitFacts(year=2026, group=1)).status == Status.NOT_MET
    # Group 3 has no row here: judged by hand.
    assert verdict(spec, D("85"), UnitFacts(year=2026, group=3)).status == Status.MISSING


ART_1 = RegionOverride(
    frozenset({"dbkk", "atk_poor_district"}), "TDMNPB", dt.date(2022, 3, 8), "QĐ 318 Điều 1"
)
QD_211 = RegionOverride(frozenset({"khu_vuc_iii"}), "TDMNPB", dt.date(2024, 3, 1), "QĐ 211/QĐ-TTg")


def test_an_especially_difficult_commune_is_judged_at_the_northern_mountain_level():
    spec = one_indicator_set(
        ThresholdSpec(Comparator.GE, D("70"), region="DBSCL", source=SOURCE),
        ThresholdSpec(Comparator.GE, D("60"), region="TDMNPB", source=SOURCE),
        overrides=(ART_1, QD_211),
    )
    dbkk = UnitFacts(year=2023, region="DBSCL", flags=frozenset({"dbkk"}))
    result = evaluate(spec, dbkk, {"17.2": ValueIn(D("65"))})
    assert result.effective_region == "TDMNPB"
    assert "QĐ 318 Điều 1" in result.region_reason
    assert result.criteria[0].status == Status.MET
    ordinary = UnitFacts(year=2023, region="DBSCL")
    assert evaluate(spec, ordinary, {"17.2": ValueIn(D("65"))}).criteria[0].status == Status.NOT_MET


def test_the_qd_211_widening_applies_only_from_its_date():
    spec = one_indicator_set(
        ThresholdSpec(Comparator.GE, D("70"), region="DBSCL", source=SOURCE),
        ThresholdSpec(Comparator.GE, D("60"), region="TDMNPB", source=SOURCE),
        overrides=(ART_1, QD_211),
    )
    area_iii = UnitFacts(year=2023, region="DBSCL", flags=frozenset({"khu_vuc_iii"}))
    assert evaluate(spec, area_iii, {"17.2": ValueIn(D("65"))}).effective_region == "DBSCL"
    area_iii_2024 = UnitFacts(year=2024, region="DBSCL", flags=frozenset({"khu_vuc_iii"}))
    assert evaluate(spec, area_iii_2024, {"17.2": ValueIn(D("65"))}).effective_region == "TDMNPB"


def test_a_missing_value_is_missing_data_not_a_failure():
    spec = one_indicator_set(ThresholdSpec(Comparator.GE, D("70"), source=SOURCE))
    result = verdict(spec, None)
    assert result.status == Status.MISSING
    assert result.reason == "17.2 thiếu số liệu"


def test_an_indicator_without_threshold_waits_for_a_hand_verdict_and_takes_it():
    spec = one_indicator_set(kind=Kind.BOOLEAN)
    assert verdict(spec, None).status == Status.MISSING
    assert "cần đánh giá đạt/chưa đạt thủ công" in verdict(spec, None).reason
    met = verdict(spec, None, hand_verdict=True, hand_reason="Biên bản kiểm tra 12/2023")
    assert met.status == Status.MET and met.by_hand
    assert met.reason == "17.2 đạt (đánh giá thủ công): Biên bản kiểm tra 12/2023"
    assert verdict(spec, None, hand_verdict=False).status == Status.NOT_MET


def criterion_of(*statuses, min_met=None):
    indicators = tuple(
        IndicatorSpec(f"1.{n}", f"Chỉ tiêu {n}", Kind.BOOLEAN, "", (ThresholdSpec(Comparator.YES),))
        for n in range(1, len(statuses) + 1)
    )
    spec = SetSpec("t", 1, SOURCE, (CriterionSpec(1, "Quy hoạch", indicators, min_met),))
    values = {f"1.{n}": ValueIn(s) for n, s in enumerate(statuses, start=1)}
    return evaluate(spec, UnitFacts(year=2023), values).criteria[0]


def test_a_criterion_needs_all_its_indicators_by_default():
    assert criterion_of(True, True).status == Status.MET
    failed = criterion_of(True, False)
    assert failed.status == Status.NOT_MET
    assert (
        failed.reason == "Tiêu chí 1 chưa đạt: 1.2 chưa đạt: Chưa đạt, yêu cầu Đạt, QĐ 318/QĐ-TTg"
    )
    assert criterion_of(True, None).status == Status.MISSING


def test_at_least_n_of_m():
    assert criterion_of(True, True, False, min_met=2).status == Status.MET
    assert criterion_of(True, False, False, min_met=2).status == Status.NOT_MET
    assert criterion_of(True, None, False, min_met=2).status == Status.MISSING


def test_set_totals():
    indicator = IndicatorSpec("1.1", "x", Kind.BOOLEAN, "", (ThresholdSpec(Comparator.YES),))
    spec = SetSpec(
        "t",
        1,
        SOURCE,
        tuple(CriterionSpec(n, f"TC{n}", (indicator,)) for n in (1, 2, 3)),
    )
    result = evaluate(spec, UnitFacts(year=2023), {"1.1": ValueIn(True)})
    assert (result.met_count, result.total, result.all_met) == (3, 3, True)


def test_numbers_are_written_the_vietnamese_way():
    assert fmt_number(D("1234.50")) == "1.234,5"
    assert fmt_number(D("68"), "%") == "68%"
    assert fmt_number(D("46.3"), "triệu đồng") == "46,3 triệu đồng"
    assert fmt_number(D("-0.5")) == "-0,5"
