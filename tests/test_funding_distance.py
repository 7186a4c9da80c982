"""Distance to standard on the demo at the end of 2022: the 2023 plan's communes come first, the
missing criteria and the works serving them are named, the what-if moves the province figures
without storing anything, and the proposed targets are the plan's."""

import datetime as dt
from decimal import Decimal

import pytest

from nongthon.assessment.models import Evaluation
from nongthon.catalogue.services import active_set, load_national_sets
from nongthon.demo.assessment_data import build_values
from nongthon.demo.funding_data import build_funding
from nongthon.funding.distance import Proposal, distance, propose_targets, what_if
from nongthon.funding.models import Work

FIRST = {"Phú Hữu", "Phú Tân", "Vị Bình"}
NEXT = {"Tân Bình", "Vĩnh Viễn A", "Vị Đông"}


@pytest.fixture
def demo(db, hau_giang):
    load_national_sets()
    qd318 = active_set("qd318-xa-ntm")
    build_values(qd318, lambda _m: None)
    build_funding(qd318.family, lambda _m: None)
    return qd318


def names(units):
    return [u.short_name for u in units]


def test_the_2023_targets_top_the_distance_list_at_the_end_of_2022(demo, hau_giang):
    found = distance(hau_giang, 2022, demo.family)
    order = names(r.unit for r in found.rows)
    assert set(order[:3]) == FIRST
    assert set(order[3:6]) == NEXT
    assert found.at_standard == 37 and found.evaluated == 51
    assert len(found.rows) == 14


def test_it_names_what_is_missing_and_the_works_serving_it(demo, hau_giang):
    found = distance(hau_giang, 2022, demo.family)
    phu_huu = next(r for r in found.rows if r.unit.short_name == "Phú Hữu")
    assert phu_huu.met == 18 and phu_huu.missing_count == 1
    missing = phu_huu.missing[0]
    assert missing.number == 17
    assert [g.code for g in missing.gaps] == ["17.1"]
    assert [w.work.name for w in missing.works] == ["Nâng cấp trạm cấp nước tập trung ấp Phú Lợi"]
    # 4.500 triệu invested, 3.000 triệu disbursed by 31/12/2022: 1.500 triệu still needed.
    assert phu_huu.cost_to_finish == Decimal(1_500_000_000)
    assert phu_huu.all_covered


def test_it_ranks_criteria_by_how_many_communes_they_block(demo, hau_giang):
    blocking = distance(hau_giang, 2022, demo.family).blocking
    assert blocking[0].number == 17 and len(blocking[0].communes) == 14
    assert blocking[1].number == 10 and len(blocking[1].communes) == 11


def test_the_gap_says_how_far_a_measured_indicator_is():
    """Stored results carry the threshold; the value comes from the stored value (62% of 70%)."""
    from nongthon.assessment.models import IndicatorValue
    from nongthon.catalogue.engine import IndicatorSpec, Kind
    from nongthon.funding.distance import _gap

    stored = {
        "code": "2.1",
        "status": "not_met",
        "reason": "2.1 chưa đạt: 62% < 70%",
        "by_hand": False,
        "threshold": {"comparator": ">=", "value": "70"},
    }
    spec = IndicatorSpec("2.1", "Tỷ lệ đường xã được nhựa hóa", Kind.PERCENT, "%")
    gap = _gap(stored, spec, IndicatorValue(value_number=Decimal("62")))
    assert (gap.value, gap.wanted, gap.shortfall) == ("62%", "≥ 70%", "8%")
    by_hand = _gap({**stored, "threshold": None, "by_hand": True}, spec, None)
    assert by_hand.by_hand and not by_hand.wanted


def test_what_if_the_works_finish_moves_the_province_figures_and_stores_nothing(demo, hau_giang):
    stored = list(Evaluation.objects.order_by("pk").values_list("pk", "met_count"))
    works = Work.objects.filter(commune__short_name__in=FIRST, finished_on__isnull=False)
    result = what_if(hau_giang, 2022, demo.family, finished_works=[w.pk for w in works])
    assert set(names(result.passing)) == FIRST
    assert result.before.at_standard == 37 and result.after.at_standard == 40
    assert result.before.average == Decimal("18.2")
    assert result.after.average > result.before.average
    assert list(Evaluation.objects.order_by("pk").values_list("pk", "met_count")) == stored


def test_what_if_an_indicator_is_reached(demo, hau_giang):
    tan_binh = Work.objects.get(commune__short_name="Tân Bình").commune
    result = what_if(hau_giang, 2022, demo.family, reached=[(tan_binh.pk, "17.1")])
    assert result.passing == []
    assert [(u.short_name, b, a) for u, b, a in result.changed] == [("Tân Bình", 17, 18)]


def test_the_proposed_targets_for_2023_are_the_plans(demo, hau_giang):
    _found, targets = propose_targets(hau_giang, 2022, demo.family, stretch=3)
    recognise = {t.unit.short_name for t in targets if t.kind == Proposal.RECOGNISE}
    stretch = {t.unit.short_name for t in targets if t.kind == Proposal.STRETCH}
    assert recognise == FIRST
    assert stretch == NEXT


def test_a_district_sees_only_its_communes(demo, vi_thuy):
    found = distance(vi_thuy, 2022, demo.family)
    assert {"Vị Bình", "Vị Đông"} <= set(names(r.unit for r in found.rows))
    assert all(r.unit.district_id == vi_thuy.pk for r in found.rows)
    assert found.on_date == dt.date(2022, 12, 31)


def test_the_commune_with_outstanding_debt_is_flagged(demo, hau_giang):
    found = distance(hau_giang, 2022, demo.family)
    flagged = {r.unit.short_name: r.debt for r in found.rows if r.debt}
    assert flagged == {"Vị Đông": Decimal(550_000_000)}


def test_a_commune_with_outstanding_debt_is_not_proposed_for_recognition(demo, hau_giang):
    from nongthon.funding import services

    work = Work.objects.get(commune__short_name="Phú Hữu")
    services.record_debt(None, work, "200 triệu đồng", 2022)
    _found, targets = propose_targets(hau_giang, 2022, demo.family, stretch=3)
    kinds = {t.unit.short_name: t.kind for t in targets}
    assert kinds["Phú Hữu"] == Proposal.STRETCH
    assert {n for n, k in kinds.items() if k == Proposal.RECOGNISE} == FIRST - {"Phú Hữu"}
