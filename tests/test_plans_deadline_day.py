"""A target is overdue from the day after its deadline, never on the deadline day itself: the day
before and the day are still open ("có nguy cơ" at worst), the day after is "chưa đạt / Đã quá
hạn". Checked on the rule (targets.base.judge) and on a plan's page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nongthon.plans import queries, services
from nongthon.plans.targets import base
from tests.conftest import client_for
from tests.plans_support import communes, evaluate, make_plan

START, DEADLINE = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
BEFORE, AFTER = DEADLINE - dt.timedelta(days=1), DEADLINE + dt.timedelta(days=1)


def _judge(figure: base.Figure, on: dt.date) -> base.Judgement:
    return base.judge(figure, START, DEADLINE, on)


def test_a_figure_with_progress_is_not_overdue_on_its_deadline_day():
    figure = base.Figure(shown="", value=Decimal(3), goal=Decimal(4), baseline=Decimal(0))
    before, day, after = (_judge(figure, on) for on in (BEFORE, DEADLINE, AFTER))
    assert before.code == base.ON_TRACK  # 75 % of the way with the year all but over
    assert day.code == base.AT_RISK
    assert "quá hạn" not in day.reason and "31/12/2023" in day.reason
    assert after.code == base.NOT_ACHIEVED
    assert after.reason == "Đã quá hạn 31/12/2023"


def test_a_yes_no_figure_is_at_risk_the_day_before_and_on_the_day_then_overdue():
    figure = base.Figure(shown="", achieved=False, value=Decimal(0))
    assert _judge(figure, BEFORE).code == base.AT_RISK
    assert _judge(figure, BEFORE).reason == "Còn 1 ngày đến hạn"
    assert _judge(figure, DEADLINE).code == base.AT_RISK
    assert "quá hạn" not in _judge(figure, DEADLINE).reason
    assert _judge(figure, AFTER).code == base.NOT_ACHIEVED


def test_a_figure_met_on_the_deadline_day_is_achieved():
    figure = base.Figure(shown="", achieved=True, value=Decimal(4), goal=Decimal(4))
    assert _judge(figure, DEADLINE).code == base.ACHIEVED


def test_a_figure_without_data_on_the_deadline_day_says_so():
    figure = base.Figure(shown="", note="Chưa có số liệu")
    assert _judge(figure, DEADLINE).code == base.NO_DATA
    assert _judge(figure, AFTER).code == base.NOT_ACHIEVED


@pytest.mark.django_db
def test_the_plan_page_shows_overdue_only_from_the_day_after_the_due_date(
    hau_giang, tiny_set, viewer
):
    units = communes(hau_giang, "Xã Vị Bình", "Xã Vị Đông")
    evaluate(tiny_set, 2023, dict(zip(units, (2, 1), strict=True)))
    plan = make_plan(hau_giang, 2023)
    target = services.add_target(
        None,
        plan,
        type_code="criteria.all_met",
        sentence="Hai xã đạt chuẩn",
        params={"family": tiny_set.family, "goal_count": 2},
        due_on=dt.date(2023, 6, 30),
    )
    assert queries.target_line(target, dt.date(2023, 6, 29)).judgement.code == base.AT_RISK
    client = client_for(viewer)
    on_the_day = client.get(f"/plans/{plan.pk}/?on=30/06/2023").content.decode()
    assert 'data-status="co_nguy_co"' in on_the_day and "Đã quá hạn" not in on_the_day
    day_after = client.get(f"/plans/{plan.pk}/?on=01/07/2023").content.decode()
    assert 'data-status="chua_dat"' in day_after and "Đã quá hạn 30/06/2023" in day_after
