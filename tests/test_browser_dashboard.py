"""In Debian's Chromium: the province coordinator's home page is the dashboard, whose ECharts
charts are drawn with their data and whose bars open the list behind them; the map draws one
marker per commune with coordinates (a polygon where a boundary file is loaded), filters by
district, and opens a commune's scorecard on click; the national dashboard draws its ranking
and opens a province's dashboard. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.accounts.models import Role
from nongthon.catalogue.models import Tier
from nongthon.catalogue.services import load_set_file
from nongthon.places.models import Edition, Level, Unit
from nongthon.places.official_lists import load_units
from nongthon.web import boundaries
from tests.browser_support import login, shot
from tests.conftest import TINY_SET, make_user
from tests.test_web_dashboard import evaluate, grant
from tests.test_web_map import feature, geojson, square

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_units(["93"])
    tiny = load_set_file(TINY_SET).criteria_set
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    xa = list(
        Unit.objects.filter(province=province, level=Level.COMMUNE, kind="xa").order_by("code")
    )
    for i, unit in enumerate(xa[:12]):
        evaluate(unit, tiny, 2022, failing=[3] if i % 2 else ())
        evaluate(unit, tiny, 2023, failing=[3] if i % 3 == 0 else ())
        if i % 2 == 0:
            grant(unit, Tier.NTM, dt.date(2021 + i % 3, 6, 1), f"{i + 1}/QĐ-UBND")
    make_user("tinh", province, Role.PROVINCE_COORDINATOR)
    admin = make_user("quantri", province, Role.SYSTEM_ADMIN)
    return {"province": province, "xa": xa, "set": tiny, "admin": admin}


def chart_series(page, key: str) -> list[int]:
    """Data points per series of the ECharts instance drawn in the chart's element."""
    return page.evaluate(
        """key => {
            const el = document.querySelector(`[data-testid=chart-${key}]`);
            const chart = echarts.getInstanceByDom(el);
            if (!chart || !el.querySelector("canvas")) return [];
            return chart.getOption().series.map(s => s.data.filter(v => v !== null).length);
        }""",
        key,
    )


def test_the_dashboard_draws_its_charts_and_a_bar_opens_its_list(page, world):
    login(page, "tinh")
    page.wait_for_selector("[data-testid=panel-criteria]")
    page.wait_for_function("typeof echarts !== 'undefined'")
    assert page.inner_text("[data-testid=dashboard-title]").endswith("Tỉnh Hậu Giang")
    for key in ("titles-trend", "criteria-trend", "criteria-blocking", "ocop-stars"):
        series = chart_series(page, key)
        assert series and all(n > 0 for n in series), (key, series)
    assert page.inner_text("[data-testid=stat-criteria-all-met] [data-testid=value]") == "8"
    shot(page, "dashboard-province")

    # A click on the bar of criterion 3 opens the communes that fail it.
    point = page.evaluate(
        """() => {
            const el = document.querySelector("[data-testid=chart-criteria-blocking]");
            el.scrollIntoView({block: "center", behavior: "instant"});
            const chart = echarts.getInstanceByDom(el);
            const value = chart.getOption().series[0].data[0];
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, [value / 2, 0]);
            const box = el.getBoundingClientRect();
            return [box.left + x, box.top + y];
        }"""
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_url("**/assessment/results/list/**figure=criterion_not_met**")
    assert page.locator("tbody tr").count() == 4


def test_the_national_dashboard_ranks_the_provinces_and_opens_one(page, world):
    login(page, "quantri")
    page.goto("/tong-quan/ca-nuoc/?on=2023-12-31")
    page.wait_for_function("typeof echarts !== 'undefined'")
    series = chart_series(page, "national-ntm-share")  # one bar per province with xã
    assert series and series[0] >= 1
    row = page.locator('[data-testid="province-93"]')
    assert row.locator("td").nth(2).inner_text() == "6"  # six xã hold the NTM title
    shot(page, "dashboard-national")
    row.locator("a").click()
    page.wait_for_selector("[data-testid=panel-criteria]")
    assert page.inner_text("[data-testid=dashboard-title]").endswith("Tỉnh Hậu Giang")


def test_the_map_draws_a_marker_per_commune_and_opens_a_scorecard(page, world):
    province = world["province"]
    placed = Unit.objects.filter(
        province=province, level=Level.COMMUNE, latitude__isnull=False
    ).count()
    login(page, "tinh")
    page.click("[data-testid=map-link]")
    page.wait_for_selector("#commune-map[data-ready=true]")
    assert page.locator(".commune-marker").count() == placed == 75
    assert "Nông thôn mới" in page.inner_text("[data-testid=map-legend]")
    page.select_option("[data-testid=map-colour]", "met")
    assert "Đạt đủ tiêu chí" in page.inner_text("[data-testid=map-legend]")
    shot(page, "map-province")

    district = world["xa"][0].district
    page.select_option("[data-testid=map-district]", str(district.pk))
    in_district = Unit.objects.filter(district=district, level=Level.COMMUNE).count()
    assert page.locator(".commune-marker").count() == in_district
    page.select_option("[data-testid=map-district]", "")
    page.select_option("[data-testid=map-tier]", "ntm")
    assert page.locator(".commune-marker").count() == 6

    # The slider moves to 2022: the commune's click opens its 2022 scorecard.
    page.fill("[data-testid=map-year]", "2022")
    page.dispatch_event("[data-testid=map-year]", "input")
    assert page.inner_text("[data-testid=map-year-shown]") == "2022"
    page.select_option("[data-testid=map-tier]", "")
    first = world["xa"][0]
    page.click(f".commune-marker[data-unit='{first.pk}']", force=True)
    page.wait_for_url(f"**/assessment/results/unit/{first.pk}/2022/**")
    assert page.locator("h1").count() >= 1


def test_a_loaded_boundary_file_draws_polygons_instead_of_points(page, world):
    communes = world["xa"][:3]
    boundaries.load_boundary_file(
        world["admin"],
        world["province"],
        geojson(*(feature(u.code, square(u)) for u in communes)),
        name="thu.geojson",
        source="Thử nghiệm",
        licence="Dữ liệu tự tạo cho kiểm thử",
        code_property="ma_xa",
    )
    login(page, "tinh")
    page.goto(f"/ban-do/{world['province'].pk}/")
    page.wait_for_selector("#commune-map[data-ready=true]")
    assert page.locator(".commune-shape").count() == 3
    assert page.locator(".commune-marker").count() == 75 - 3
    shot(page, "map-with-boundaries")
