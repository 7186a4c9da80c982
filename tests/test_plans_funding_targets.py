"""The plans' funding target: the plan's expected funds by source against what funding records
as allocated or disbursed for the plan's unit and year, up to the date it is judged at."""

import datetime as dt
from decimal import Decimal

import pytest

from nongthon.funding import services as funding
from nongthon.plans import services
from nongthon.plans.targets import base
from tests.plans_support import make_plan

pytestmark = pytest.mark.django_db

TRIEU = Decimal(1_000_000)


@pytest.fixture
def plan(hau_giang):
    plan = make_plan(hau_giang, 2023)
    services.add_fund_line(None, plan, source="central", amount="101,903", money_unit="billion")
    services.add_fund_line(None, plan, source="local", amount="559,912", money_unit="billion")
    return plan


def funds_target(plan, **params):
    return services.add_target(
        None,
        plan,
        type_code="funding.by_source",
        params=params,
        sentence="Dự kiến tổng để thực hiện chương trình 2023 là 661,815 tỷ đồng.",
    )


def test_the_funding_type_is_computed_by_the_funding_module_not_pending():
    assert not base.get("funding.by_source").pending


def test_allocations_count_up_to_the_date_and_per_source(plan, hau_giang, vi_binh):
    funding.record_line(
        None, hau_giang, 2023, "central", "allocated", "60 tỷ đồng", on_date=dt.date(2023, 3, 1)
    )
    # A commune's allocation counts in its province's figures.
    funding.record_line(
        None, vi_binh, 2023, "central", "allocated", "41,903 tỷ đồng", on_date=dt.date(2023, 9, 1)
    )
    target = funds_target(plan)
    march = base.get(target.type_code).compute(target, dt.date(2023, 6, 30))
    assert march.value == 60_000 * TRIEU and march.goal == 661_815 * TRIEU
    assert not march.achieved
    assert [row.ok for row in march.rows] == [False, False]
    year_end = base.get(target.type_code).compute(target, dt.date(2023, 12, 31))
    assert year_end.value == 101_903 * TRIEU
    assert year_end.rows[0].ok is True and "101,903 tỷ đồng" in year_end.rows[0].detail


def test_limited_to_some_sources_and_measured_by_disbursement(plan, hau_giang):
    funding.record_line(None, hau_giang, 2023, "central", "allocated", "101,903 tỷ đồng")
    funding.record_line(None, hau_giang, 2023, "central", "disbursed", "101,903 tỷ đồng")
    target = funds_target(plan, sources="central", measure="disbursed")
    figure = base.get(target.type_code).compute(target, dt.date(2023, 12, 31))
    assert figure.goal == 101_903 * TRIEU and figure.achieved
    assert base.get(target.type_code).status(target, dt.date(2023, 12, 31), figure).code == "dat"


def test_a_plan_without_fund_lines_says_so_rather_than_zero(hau_giang):
    target = funds_target(make_plan(hau_giang, 2023))
    figure = base.get(target.type_code).compute(target, dt.date(2023, 12, 31))
    assert not figure.available and "nguồn vốn dự kiến" in figure.note
