"""The demo's seed plans: every target typed (none free but the three with no data anywhere), the
2022 plan judged at 31/12/2022 shows 37/51 instead of 38/51, fund lines and duties entered."""

import datetime as dt
from decimal import Decimal

import pytest

from nongthon.demo import plans_data
from nongthon.demo.builder import build_criteria, build_recognition
from nongthon.plans import queries
from nongthon.plans.models import Directive, Plan, Target, Task
from nongthon.plans.targets import base

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    say = lambda _m: None  # noqa: E731
    build_criteria(say)
    build_recognition(say)  # the cumulative NTM target counts recognised communes
    plans_data.build(say)
    return {p.year_from: p for p in Plan.objects.all()}


def test_the_2022_plan_at_the_end_of_2022_shows_37_of_51_and_18_2_criteria(demo):
    plan = demo[2022]
    all_lines = [
        line
        for group in queries.plan_targets(plan, dt.date(2022, 12, 31))
        for line in group.firm + group.stretch
    ]

    def lines(start: str):
        return next(line for line in all_lines if line.target.sentence.startswith(start))

    cumulative = lines("Lũy kế đến cuối năm 2022")
    assert cumulative.target.type_code == "recognition.titled_count"
    assert "37/51" in cumulative.figure.shown
    assert cumulative.judgement.code == base.NOT_ACHIEVED
    average = lines("Bình quân số tiêu chí")
    assert average.figure.value == Decimal("18.2")
    assert average.judgement.code == base.ACHIEVED
    assert lines("Các xã đều đạt từ 14").judgement.code == base.ACHIEVED


def test_every_seed_target_is_typed_and_only_three_are_free(demo):
    assert Target.objects.count() == 18 + 16 + 6
    free = Target.objects.filter(type_code="free")
    assert free.count() == 3
    assert all(t.note.startswith("Chỉ tiêu tự đánh giá") for t in free)
    assert Target.objects.filter(kind="stretch").count() == 7


def test_fund_lines_and_duties_are_entered(demo):
    total, unit = queries.fund_total(demo[2023])
    assert (total, unit) == (Decimal("14348.283"), "tỷ đồng")
    assert queries.fund_total(demo[2022])[0] == Decimal("6259605")
    assert Task.objects.filter(plan=demo[2020]).count() == 22
    directive = Directive.objects.get()
    states = {queries.task_state(t, dt.date(2023, 12, 31)).state for t in directive.tasks.all()}
    assert {queries.ON_TIME, queries.LATE, queries.OVERDUE} <= states
