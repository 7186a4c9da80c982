"""The demo's seed plans with recognition and OCOP built: every seed target has a computed figure
(none "Chưa tính được"), and the figures agree with the recognition and
OCOP demos: 2022 judged at 31/12/2022 (Phú Hữu not recognised, 37/51), 2023 at 31/12/2023
(Phú Hữu, Phú Tân, Vị Bình; nâng cao 12), the OCOP counts of the OCOP demo, and the funds set
against the totals the plans state."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from nongthon.accounts.models import Role
from nongthon.demo.builder import (
    build_criteria,
    build_funding,
    build_ocop,
    build_plans,
    build_recognition,
)
from nongthon.plans import queries
from nongthon.plans.models import Plan
from nongthon.plans.targets import base
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db
END_2022 = dt.date(2022, 12, 31)
END_2023 = dt.date(2023, 12, 31)
# Judgements are final from the day after the deadline (the deadline day itself is still open).
AFTER_2022, AFTER_2023 = dt.date(2023, 1, 1), dt.date(2024, 1, 1)


@pytest.fixture
def demo(db):
    say = lambda _m: None  # noqa: E731
    build_criteria(say)
    build_recognition(say)
    build_plans(say)
    build_ocop(say)
    build_funding(say)
    return {p.year_from: p for p in Plan.objects.all()}


def test_the_demo_plans_show_the_recognition_and_ocop_figures(demo, hau_giang):
    """One build (it takes a while), every check."""
    _every_seed_target_is_computed(demo)
    _funds_are_set_against_the_totals_the_plans_state(demo)
    _2022_phu_huu_is_not_recognised_and_the_province_has_37_of_51(demo)
    _2023_three_communes_recognised_and_twelve_nang_cao(demo)
    _ocop_figures_equal_the_ocop_demo(demo)
    _the_plan_and_target_pages_render(demo, make_user("xem.demo", hau_giang, Role.VIEWER))


def _funds_are_set_against_the_totals_the_plans_state(demo):
    million = Decimal(1_000_000)
    funds_2022 = line(demo[2022], END_2022, "Tổng hợp đề xuất nhu cầu vốn").figure
    assert funds_2022.goal == 6_259_605 * million and funds_2022.value is not None
    funds_2023 = line(demo[2023], END_2023, "Dự kiến tổng để thực hiện").figure
    assert funds_2023.goal == 14_348_283 * million and funds_2023.rows


def lines(plan: Plan, on: dt.date):
    return [line for group in queries.plan_targets(plan, on) for line in group.firm + group.stretch]


def line(plan: Plan, on: dt.date, start: str):
    return next(x for x in lines(plan, on) if x.target.sentence.startswith(start))


def _every_seed_target_is_computed(demo):
    for year, on in ((2022, END_2022), (2023, END_2023), (2020, dt.date(2020, 12, 31))):
        for x in lines(demo[year], on):
            if x.target.type_code == "free":
                continue
            assert x.figure.available, (x.target.sentence, x.figure.note)
            assert x.figure.shown != "Chưa tính được"


def _2022_phu_huu_is_not_recognised_and_the_province_has_37_of_51(demo):
    plan = demo[2022]
    named = line(plan, END_2022, "Công nhận thêm 03 xã đạt chuẩn nông thôn mới: Phú Hữu")
    assert {r.label.split(" (")[0]: r.ok for r in named.figure.rows} == {
        "Xã Phú Hữu": False,
        "Xã Tân Phú": True,
        "Xã Hiệp Hưng": True,
    }
    assert named.figure.value == 2 and named.judgement.code == base.AT_RISK
    assert line(plan, AFTER_2022, named.target.sentence).judgement.code == base.NOT_ACHIEVED
    cumulative = line(plan, END_2022, "Lũy kế đến cuối năm 2022")
    assert cumulative.target.type_code == "recognition.titled_count"
    assert "37/51" in cumulative.figure.shown and "72,5" in cumulative.figure.shown
    assert line(plan, AFTER_2022, "Lũy kế đến cuối năm 2022").judgement.code == base.NOT_ACHIEVED
    # Judged later, the 2022 figure still reads the end of 2022.
    assert "37/51" in line(plan, dt.date(2024, 6, 1), "Lũy kế đến cuối năm 2022").figure.shown


def _2023_three_communes_recognised_and_twelve_nang_cao(demo):
    plan = demo[2023]
    named = line(plan, END_2023, "Công nhận thêm 03 xã đạt chuẩn nông thôn mới: Phú Hữu, Phú Tân")
    assert named.figure.value == 3 and named.judgement.code == base.ACHIEVED
    assert all(r.url.startswith("/") for r in named.figure.rows)
    total = line(plan, END_2023, "… nâng tổng số xã đạt chuẩn nông thôn mới nâng cao lên 12")
    assert total.figure.value == 12 and total.judgement.code == base.ACHIEVED
    # Mid-year only the decisions dated by then count.
    early = line(plan, dt.date(2023, 1, 15), "… nâng tổng số xã đạt chuẩn nông thôn mới nâng cao")
    assert early.figure.value == 7


def _ocop_figures_equal_the_ocop_demo(demo):
    p22, p23 = demo[2022], demo[2023]
    forty = line(p22, AFTER_2022, "Đối với sản phẩm cấp tỉnh: Công nhận ít nhất 40")
    assert forty.figure.value == 32 and forty.judgement.code == base.NOT_ACHIEVED
    five = line(p22, AFTER_2022, "Hoàn thiện hồ sơ cho 5 sản phẩm")
    assert five.figure.value == 2 and five.judgement.code == base.NOT_ACHIEVED
    eight = line(p23, END_2023, "Đối với sản phẩm cấp tỉnh: Công nhận ít nhất 8")
    assert eight.figure.value == 9 and eight.judgement.code == base.ACHIEVED
    upgraded = line(p23, AFTER_2023, "Thăng hạng ít nhất 25%")
    assert (upgraded.figure.value, upgraded.figure.goal) == (9, Decimal("25") * 47 / 100)
    assert "9/47" in upgraded.figure.shown and upgraded.judgement.code == base.NOT_ACHIEVED
    three = line(p23, END_2023, "Hoàn thiện hồ sơ cho 3 sản phẩm")
    assert three.figure.value == 3 and three.judgement.code == base.ACHIEVED
    assert all(r.url.startswith("/ocop/") for r in eight.figure.rows)


def _the_plan_and_target_pages_render(demo, user):
    client = client_for(user)
    for year, on in ((2022, "31/12/2022"), (2023, "31/12/2023"), (2020, "31/12/2020")):
        plan = demo[year]
        page = client.get(f"/plans/{plan.pk}/", {"on": on})
        assert page.status_code == 200
        text = page.content.decode()
        shown = {2020: "2/2 sản phẩm chủ lực", 2022: "37/51 xã", 2023: "12/51 xã"}[year]
        assert shown in text
        for target in plan.targets.exclude(type_code="free"):
            assert (
                "Chưa tính được"
                not in client.get(f"/plans/targets/{target.pk}/", {"on": on}).content.decode()
            )
    # The year-end report and the workbook print the computed figures.
    report = client.get(f"/plans/{demo[2022].pk}/report.docx", {"on": "31/12/2022"})
    assert report.status_code == 200
    workbook = client.get(f"/plans/plan/{demo[2023].pk}/export.xlsx", {"on": "31/12/2023"})
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert any("12/51" in c for c in cells)
    named = demo[2022].targets.get(sentence__startswith="Công nhận thêm 03 xã đạt chuẩn")
    page = client.get(f"/plans/targets/{named.pk}/", {"on": "31/12/2022"}).content.decode()
    assert "Xã Phú Hữu" in page and "chưa công nhận" in page and "/recognition/title/" in page
