"""Across modules, on the demo's Hậu Giang: every figure of the dashboard equals the figure of
the module's own page for the same date (the criteria matrix, the recognition titles, the plan
and its targets, the OCOP product list and certificates due, the funding overview, the office's
overdue tasks), and each number's link opens a list of exactly that many rows. One build of the
demo (it takes a while), every check."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.accounts.models import Role
from nongthon.demo.builder import (
    build_criteria,
    build_funding,
    build_ocop,
    build_plans,
    build_recognition,
)
from nongthon.funding.amounts import MoneyUnit, in_unit
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db
END_2022 = dt.date(2022, 12, 31)
END_2023 = dt.date(2023, 12, 31)
MID_2023 = dt.date(2023, 6, 30)


@pytest.fixture
def demo(db):
    say = lambda _m: None  # noqa: E731
    build_criteria(say)
    build_recognition(say)
    build_plans(say)
    build_ocop(say)
    build_funding(say)


def test_the_dashboard_figures_equal_the_modules_pages(
    demo, hau_giang, vi_thuy, django_assert_max_num_queries
):
    client = client_for(make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR))
    for unit, on in ((hau_giang, END_2022), (hau_giang, END_2023), (vi_thuy, MID_2023)):
        response = client.get(f"/tong-quan/{unit.pk}/", {"on": on.isoformat()})
        assert response.status_code == 200
        panels = {p.key: p for p in response.context["panels"]}
        _criteria_equal_the_matrix(client, panels["criteria"], unit, on)
        _titles_equal_recognition(client, panels["titles"])
        _ocop_equals_the_product_list(client, panels["ocop"])
        _funds_equal_the_funding_overview(client, panels["funding"])
        _overdue_tasks_equal_the_office_page(client, panels["tasks"])
        if unit == hau_giang:
            _targets_equal_the_plan_page(client, panels["plan"], on)
    _the_seed_figures_show(client, hau_giang)
    # Bounded: the communes are read by aggregates; the plan's targets by their own types.
    with django_assert_max_num_queries(200):
        client.get(f"/tong-quan/{hau_giang.pk}/", {"on": END_2023.isoformat()})


def stats(panel) -> dict:
    return {s.key: s for s in panel.stats}


def _criteria_equal_the_matrix(client, panel, unit, on):
    found = stats(panel)
    average = found["criteria-average"]
    matrix = client.get(average.url)
    assert matrix.status_code == 200
    summary = matrix.context["summary"]
    assert summary.year == on.year
    assert average.value == summary.average
    assert found["criteria-all-met"].value == summary.all_met
    assert found["criteria-evaluated"].value == summary.total
    assert found["criteria-below-15"].value == summary.below_15
    for key in ("criteria-all-met", "criteria-evaluated", "criteria-below-15"):
        listed = client.get(found[key].url)
        assert len(listed.context["rows"]) == found[key].value, key
    totals = {t.number: t for t in matrix.context["totals"]}
    blocking = next(c for c in panel.charts if c.key == "criteria-blocking")
    for category, not_met, missing in zip(
        blocking.categories, blocking.series[0].values, blocking.series[1].values, strict=True
    ):
        number = int(category.split(".")[0])
        assert (not_met, missing) == (totals[number].not_met, totals[number].missing)
    worst = max(t.not_met for t in totals.values())
    assert blocking.series[0].values[0] == worst
    listed = client.get(blocking.series[0].urls[0])
    assert len(listed.context["rows"]) == worst
    trend = next(c for c in panel.charts if c.key == "criteria-trend")
    assert trend.categories[-1] == str(on.year)


def _titles_equal_recognition(client, panel):
    for tier in ("ntm", "nang_cao", "kieu_mau"):
        figure = stats(panel)[f"titles-{tier}"]
        page = client.get(figure.url)
        assert page.status_code == 200
        assert page.context["counts"][tier] == figure.value
        assert len(page.context["titles"]) == figure.value
        assert figure.suffix == f"/{page.context['xa']}"


def _ocop_equals_the_product_list(client, panel):
    found = stats(panel)
    for key in ("ocop-3", "ocop-4", "ocop-5", "ocop-total"):
        page = client.get(found[key].url)
        assert page.context["count"] == found[key].value, key
        assert len(page.context["products"]) == found[key].value, key
    expiring = client.get(found["ocop-expiring"].url)
    assert len(expiring.context["soon"]) == found["ocop-expiring"].value
    assert len(expiring.context["due"]) == found["ocop-window"].value


def _funds_equal_the_funding_overview(client, panel):
    found = stats(panel)
    page = client.get(found["funding-allocated"].url)
    assert page.status_code == 200
    total = page.context["total"]
    assert found["funding-planned"].value == in_unit(total.planned, MoneyUnit.TRIEU)
    assert found["funding-allocated"].value == in_unit(total.allocated, MoneyUnit.TRIEU)
    assert found["funding-disbursed"].value == in_unit(total.disbursed, MoneyUnit.TRIEU)
    assert found["funding-rate"].value == total.disbursement_rate
    chart = next(c for c in panel.charts if c.key == "funding-sources")
    by_name = {r.source.name: r.figures for r in page.context["sources"]}
    for i, name in enumerate(chart.categories):
        assert chart.series[1].values[i] == in_unit(by_name[name].allocated, MoneyUnit.TRIEU)


def _overdue_tasks_equal_the_office_page(client, panel):
    found = stats(panel)
    page = client.get(found["tasks-overdue"].url)
    assert len(page.context["lists"].overdue) == found["tasks-overdue"].value
    assert len(page.context["lists"].due_soon) == found["tasks-due-soon"].value


def _targets_equal_the_plan_page(client, panel, on):
    plan_page = client.get(panel.more_url)
    assert plan_page.status_code == 200
    assert plan_page.context["on"] == on
    counts = plan_page.context["counts"]
    assert {s.key.removeprefix("plan-"): s.value for s in panel.stats} == counts
    shown = {
        line.target.pk: line
        for group in plan_page.context["groups"]
        for line in group.firm + group.stretch
    }
    for row in panel.rows:
        pk = int(row.url.split("/targets/")[1].split("/")[0])
        assert row.detail == shown[pk].figure.shown
        assert row.status == shown[pk].judgement.label
    for figure in panel.stats:
        filtered = client.get(figure.url)
        lines = [line for g in filtered.context["groups"] for line in g.firm + g.stretch]
        assert len(lines) == figure.value
        assert all(line.judgement.code == figure.key.removeprefix("plan-") for line in lines)


def _the_seed_figures_show(client, hau_giang):
    """The seed plans' numbers: 37/51 xã NTM and 18,2 criteria per xã at the end of 2022."""
    response = client.get(f"/tong-quan/{hau_giang.pk}/", {"on": END_2022.isoformat()})
    panels = {p.key: p for p in response.context["panels"]}
    assert stats(panels["titles"])["titles-ntm"].value == 37
    assert stats(panels["titles"])["titles-ntm"].suffix == "/51"
    assert str(stats(panels["criteria"])["criteria-average"].value) == "18.2"
    assert panels["criteria"].illustrative
