"""The demo's seed plans with recognition and OCOP built: every seed target has a computed figure
(none "Chưa tính được" but the funding ones), and the figures agree with the recognition and
OCOP demos: 2022 judged at 31/12/2022 (Phú Hữu not recognised, 37/51), 2023 at 31/12/2023
(Phú Hữu, Phú Tân, Vị Bình; nâng cao 12), the OCOP counts the OCOP helper measured."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nongthon.demo.builder import build_criteria, build_ocop, build_plans, build_recognition
from nongthon.plans import queries
from nongthon.plans.models import Plan
from nongthon.plans.targets import base

pytestmark = pytest.mark.django_db
END_2022 = dt.date(2022, 12, 31)
END_2023 = dt.date(2023, 12, 31)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # One build for the module (it takes a while); the module's tests only read.
    with django_db_blocker.unblock():
        from django.db import connection

        from nongthon.demo.builder import build_agencies, build_units

        say = lambda _m: None  # noqa: E731
        with connection.cursor():
            pass
        for step in (build_units, build_agencies, build_criteria, build_recognition):
            step(say)
        build_plans(say)
        build_ocop(say)
        yield {p.year_from: p for p in Plan.objects.all()}
        from django.core.management import call_command

        call_command("flush", "--no-input", verbosity=0)


def lines(plan: Plan, on: dt.date):
    return [line for group in queries.plan_targets(plan, on) for line in group.firm + group.stretch]


def line(plan: Plan, on: dt.date, start: str):
    return next(x for x in lines(plan, on) if x.target.sentence.startswith(start))


def test_every_seed_target_but_funding_is_computed(demo):
    for year, on in ((2022, END_2022), (2023, END_2023), (2020, dt.date(2020, 12, 31))):
        for x in lines(demo[year], on):
            if x.target.type_code.startswith("funding.") or x.target.type_code == "free":
                continue
            assert x.figure.available, (x.target.sentence, x.figure.note)
            assert x.figure.shown != "Chưa tính được"


def test_2022_phu_huu_is_not_recognised_and_the_province_has_37_of_51(demo):
    plan = demo[2022]
    named = line(plan, END_2022, "Công nhận thêm 03 xã đạt chuẩn nông thôn mới: Phú Hữu")
    assert {r.label.split(" (")[0]: r.ok for r in named.figure.rows} == {
        "Xã Phú Hữu": False,
        "Xã Tân Phú": True,
        "Xã Hiệp Hưng": True,
    }
    assert named.figure.value == 2 and named.judgement.code == base.NOT_ACHIEVED
    cumulative = line(plan, END_2022, "Lũy kế đến cuối năm 2022")
    assert cumulative.target.type_code == "recognition.titled_count"
    assert "37/51" in cumulative.figure.shown and "72,5" in cumulative.figure.shown
    assert cumulative.judgement.code == base.NOT_ACHIEVED
    # Judged later, the 2022 figure still reads the end of 2022.
    assert "37/51" in line(plan, dt.date(2024, 6, 1), "Lũy kế đến cuối năm 2022").figure.shown


def test_2023_three_communes_recognised_and_twelve_nang_cao(demo):
    plan = demo[2023]
    named = line(plan, END_2023, "Công nhận thêm 03 xã đạt chuẩn nông thôn mới: Phú Hữu, Phú Tân")
    assert named.figure.value == 3 and named.judgement.code == base.ACHIEVED
    assert all(r.url.startswith("/") for r in named.figure.rows)
    total = line(plan, END_2023, "… nâng tổng số xã đạt chuẩn nông thôn mới nâng cao lên 12")
    assert total.figure.value == 12 and total.judgement.code == base.ACHIEVED
    # Mid-year only the decisions dated by then count.
    early = line(plan, dt.date(2023, 1, 15), "… nâng tổng số xã đạt chuẩn nông thôn mới nâng cao")
    assert early.figure.value == 7


def test_ocop_figures_equal_the_ocop_demo(demo):
    p22, p23 = demo[2022], demo[2023]
    forty = line(p22, END_2022, "Đối với sản phẩm cấp tỉnh: Công nhận ít nhất 40")
    assert forty.figure.value == 32 and forty.judgement.code == base.NOT_ACHIEVED
    five = line(p22, END_2022, "Hoàn thiện hồ sơ cho 5 sản phẩm")
    assert five.figure.value == 2 and five.judgement.code == base.NOT_ACHIEVED
    eight = line(p23, END_2023, "Đối với sản phẩm cấp tỉnh: Công nhận ít nhất 8")
    assert eight.figure.value == 9 and eight.judgement.code == base.ACHIEVED
    upgraded = line(p23, END_2023, "Thăng hạng ít nhất 25%")
    assert (upgraded.figure.value, upgraded.figure.goal) == (9, Decimal("25") * 47 / 100)
    assert "9/47" in upgraded.figure.shown and upgraded.judgement.code == base.NOT_ACHIEVED
    three = line(p23, END_2023, "Hoàn thiện hồ sơ cho 3 sản phẩm")
    assert three.figure.value == 3 and three.judgement.code == base.ACHIEVED
    assert all(r.url.startswith("/ocop/") for r in eight.figure.rows)


def test_print_figures(demo, capsys):
    with capsys.disabled():
        for year, on in ((2020, dt.date(2020, 12, 31)), (2022, END_2022), (2023, END_2023)):
            for x in lines(demo[year], on):
                print(
                    f"{year}|{x.target.type_code}|{x.target.sentence[:70]}|{x.figure.shown}|{x.judgement.label}"
                )
