"""The dashboard of a unit: who may open which, the home page on the user's own unit, the
figures of each panel on a small world (titles held and their trend, criteria met and the
criteria blocking most communes, OCOP, tasks), every number a link, the tables as CSV and xlsx,
no inline script, and a query count that does not grow with the number of communes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from nongthon.accounts.models import Role
from nongthon.assessment import queries as assessment
from nongthon.assessment.models import CriterionResult, Evaluation
from nongthon.catalogue.models import Tier
from nongthon.places.models import Level, Unit
from nongthon.recognition import queries as recognition
from nongthon.recognition import services as recognition_services
from nongthon.web import dashboard
from nongthon.web.charts import chart_csv
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db
ON = dt.date(2023, 12, 31)


def evaluate(unit, criteria_set, year, failing=(), missing=()):
    """A stored evaluation of the tiny set (criteria 3 and 10)."""
    numbers = [3, 10]
    met = [n for n in numbers if n not in failing and n not in missing]
    evaluation, _ = Evaluation.objects.update_or_create(
        unit=unit,
        year=year,
        criteria_set=criteria_set,
        defaults={
            "met_count": len(met),
            "total": len(numbers),
            "missing_count": len(missing),
            "all_met": len(met) == len(numbers),
            "result": {"criteria": []},
        },
    )
    evaluation.criterion_results.all().delete()
    for n in numbers:
        status = "not_met" if n in failing else "missing" if n in missing else "met"
        CriterionResult.objects.create(
            evaluation=evaluation, criterion_number=n, status=status, reason=f"TC{n}"
        )
    return evaluation


def grant(unit, tier, day, number):
    return recognition_services.record_past_title(
        None,
        unit,
        tier,
        recognition_services.DecisionData(number, day, "Chủ tịch", "UBND tỉnh Hậu Giang", ""),
        basis_note="thử nghiệm",
    )


def xa_of(province, count):
    return list(
        Unit.objects.filter(province=province, level=Level.COMMUNE, kind="xa").order_by("code")[
            :count
        ]
    )


@pytest.fixture
def world(tiny_set, hau_giang, vi_binh, vi_dong, long_tri):
    """2022: Vị Bình meets both criteria, Vị Đông fails 3, Long Trị lacks 10.
    2023: Vị Bình and Vị Đông meet both, Long Trị fails 3. Titles: Vị Bình NTM in 2021 and
    nâng cao in 2023, Vị Đông NTM in 2023, Long Trị NTM in 2020 revoked in 2022."""
    evaluate(vi_binh, tiny_set, 2022)
    evaluate(vi_dong, tiny_set, 2022, failing=[3])
    evaluate(long_tri, tiny_set, 2022, missing=[10])
    evaluate(vi_binh, tiny_set, 2023)
    evaluate(vi_dong, tiny_set, 2023)
    evaluate(long_tri, tiny_set, 2023, failing=[3])
    grant(vi_binh, Tier.NTM, dt.date(2021, 5, 1), "1/QĐ-UBND")
    grant(vi_binh, Tier.NANG_CAO, dt.date(2023, 6, 1), "2/QĐ-UBND")
    grant(vi_dong, Tier.NTM, dt.date(2023, 9, 1), "3/QĐ-UBND")
    lost = grant(long_tri, Tier.NTM, dt.date(2020, 3, 1), "4/QĐ-UBND")
    recognition_services.revoke(
        None,
        lost,
        recognition_services.DecisionData(
            "5/QĐ-UBND", dt.date(2022, 7, 1), "Chủ tịch", "UBND tỉnh Hậu Giang", ""
        ),
        reason="không duy trì",
        expected_version=lost.version,
    )
    return {"set": tiny_set}


def panel(panels, key):
    return next(p for p in panels if p.key == key)


def stat(found, key):
    return next(s for s in found.stats if s.key == key)


def chart(found, key):
    return next(c for c in found.charts if c.key == key)


# --- Who sees which dashboard ---------------------------------------------------------------


def test_other_units_dashboards_answer_404(vi_binh, vi_dong, vi_thuy, hau_giang):
    officer = client_for(make_user("xa", vi_binh, Role.COMMUNE_OFFICER))
    assert officer.get(reverse("web:dashboard", args=[vi_binh.pk])).status_code == 200
    for other in (vi_dong, vi_thuy, hau_giang):
        assert officer.get(reverse("web:dashboard", args=[other.pk])).status_code == 404
        assert officer.get(reverse("web:workbook", args=[other.pk])).status_code == 404
    district = client_for(make_user("huyen", vi_thuy, Role.DISTRICT_OFFICER))
    assert district.get(reverse("web:dashboard", args=[vi_dong.pk])).status_code == 200
    assert district.get(reverse("web:dashboard", args=[hau_giang.pk])).status_code == 404


def test_a_2025_membership_does_not_reach_the_old_province(can_tho, hau_giang):
    client = client_for(make_user("tp", can_tho, Role.PROVINCE_COORDINATOR))
    assert client.get(reverse("web:dashboard", args=[can_tho.pk])).status_code == 200
    assert client.get(reverse("web:dashboard", args=[hau_giang.pk])).status_code == 404


def test_the_home_page_is_the_dashboard_of_the_widest_own_unit(vi_binh, vi_thuy):
    user = make_user("hai", vi_binh, Role.COMMUNE_OFFICER)
    from nongthon.accounts import services as account_services

    account_services.grant_membership(None, user, vi_thuy, Role.VIEWER)
    response = client_for(user).get("/")
    assert response.status_code == 200
    assert response.context["unit"] == vi_thuy
    content = response.content.decode()
    assert 'data-testid="memberships"' in content
    # The switcher offers the user's units and the communes of the district.
    switch = reverse("web:dashboard", args=[vi_binh.pk])
    assert f'href="{switch}"' in content


def test_a_user_without_a_unit_sees_the_plain_home_page(db):
    response = client_for(make_user("khong")).get("/")
    assert response.status_code == 200
    assert "Bạn chưa được giao vai trò nào" in response.content.decode()


def test_an_ocop_producer_account_gets_no_ocop_panel(vi_binh):
    producer = make_user("chuthe", vi_binh, Role.OCOP_PRODUCER)
    officer = make_user("xa", vi_binh, Role.COMMUNE_OFFICER)
    keys = [p.key for p in dashboard.build(producer, vi_binh, ON)]
    assert "ocop" not in keys and "titles" in keys
    assert "ocop" in [p.key for p in dashboard.build(officer, vi_binh, ON)]


# --- Figures --------------------------------------------------------------------------------


def test_titles_held_equal_recognition_on_every_day_of_the_trend(world, hau_giang):
    days = dashboard.trend_days(hau_giang, ON)
    assert days[0] == dt.date(2020, 12, 31) and days[-1] == ON
    held = dashboard.titles_held_on(hau_giang, days)
    for day in days:
        expected = recognition.count_titles_held(hau_giang, day)
        assert held[day] == {t: expected[t] for t in dashboard.TITLE_TIERS}, day
    # Long Trị held NTM in 2020-2021 and lost it in 2022.
    assert [held[d][Tier.NTM] for d in days] == [1, 2, 1, 2]
    assert held[ON][Tier.NANG_CAO] == 1


def test_titles_panel_counts_link_to_the_communes_titles_at_the_date(world, hau_giang):
    coordinator = make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR)
    titles = panel(dashboard.build(coordinator, hau_giang, ON), "titles")
    ntm = stat(titles, "titles-ntm")
    xa = recognition.rural_communes(hau_giang).count()
    assert (ntm.value, ntm.suffix) == (2, f"/{xa}")
    response = client_for(coordinator).get(ntm.url)
    assert response.status_code == 200
    assert {t.unit.name for t in response.context["titles"]} == {"Xã Vị Đông", "Xã Vị Bình"}
    assert len(response.context["titles"]) == ntm.value
    trend = chart(titles, "titles-trend")
    assert trend.categories == ["2020", "2021", "2022", "2023"]
    assert trend.series[0].values == [1, 2, 1, 2]
    # Read in the middle of a year, the last point is that day.
    mid = panel(dashboard.build(coordinator, hau_giang, dt.date(2023, 7, 1)), "titles")
    assert chart(mid, "titles-trend").categories[-1] == "01/07/2023"
    assert stat(mid, "titles-ntm").value == 1


def test_criteria_trend_equals_the_matrix_summary_of_each_year(world, hau_giang):
    trend = dashboard.criteria_trend(hau_giang, 2023)
    family = world["set"].family
    assert [t.year for t in trend] == [2022, 2023]
    for t in trend:
        summary = assessment.summary_figures(hau_giang, t.year, family)
        assert (t.summary.average, t.summary.all_met, t.summary.total) == (
            summary.average,
            summary.all_met,
            summary.total,
        )
        assert t.summary.below_15 == summary.below_15


def test_criteria_panel_shows_the_criteria_blocking_most_communes(world, hau_giang):
    coordinator = make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR)
    criteria = panel(dashboard.build(coordinator, hau_giang, ON), "criteria")
    assert stat(criteria, "criteria-all-met").value == 2
    assert (
        stat(criteria, "criteria-average").value
        == assessment.summary_figures(hau_giang, 2023, world["set"].family).average
    )
    blocking = chart(criteria, "criteria-blocking")
    assert blocking.categories[0].startswith("3. ")
    assert blocking.series[0].values == [1]
    response = client_for(coordinator).get(blocking.series[0].urls[0])
    assert [row.unit.name for row in response.context["rows"]] == ["Xã Long Trị"]
    # Read at the end of 2022: the 2022 evaluations, criterion 3 and 10 each block one.
    at_2022 = panel(dashboard.build(coordinator, hau_giang, dt.date(2022, 12, 31)), "criteria")
    assert stat(at_2022, "criteria-all-met").value == 1
    blocking_2022 = chart(at_2022, "criteria-blocking")
    assert [c.split(".")[0] for c in blocking_2022.categories] == ["3", "10"]
    assert [s.values for s in blocking_2022.series] == [[1, 0], [0, 1]]


def test_a_commune_dashboard_reads_the_commune_alone(world, vi_dong):
    officer = make_user("xakhac", vi_dong, Role.COMMUNE_OFFICER)
    panels = dashboard.build(officer, vi_dong, ON)
    assert stat(panel(panels, "titles"), "titles-ntm").value == 1
    criteria = panel(panels, "criteria")
    assert stat(criteria, "criteria-average").value == 2
    assert stat(criteria, "criteria-average").url.startswith(
        reverse("assessment:results_scorecard", args=[vi_dong.pk, 2023, world["set"].family])
    )


def test_a_unit_without_data_says_so_instead_of_zero_charts(can_tho):
    coordinator = make_user("tp", can_tho, Role.PROVINCE_COORDINATOR)
    panels = dashboard.build(coordinator, can_tho, ON)
    assert panel(panels, "criteria").empty
    assert panel(panels, "plan").empty
    assert panel(panels, "funding").empty


def test_a_unit_that_no_longer_exists_is_read_on_its_last_day(hau_giang, can_tho):
    assert dashboard.default_date(hau_giang) == hau_giang.valid_to
    assert can_tho.valid_to is None
    assert dashboard.default_date(can_tho) == timezone.localdate()


def test_a_date_that_cannot_be_read_is_named_and_the_default_shown(hau_giang):
    client = client_for(make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR))
    response = client.get(f"/tong-quan/{hau_giang.pk}/", {"on": "30/06/2025"})
    assert response.context["on"] == hau_giang.valid_to
    page = response.content.decode()
    assert "«Tại ngày»: «30/06/2025» không phải một ngày" in page


def test_every_number_on_the_page_is_a_link(world, hau_giang):
    coordinator = make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR)
    response = client_for(coordinator).get(
        reverse("web:dashboard", args=[hau_giang.pk]), {"on": ON.isoformat()}
    )
    content = response.content.decode()
    stats = re.findall(r'<a class="dash-stat[^"]*" href="([^"]*)" data-testid="stat-', content)
    assert stats and all(href.startswith("/") for href in stats)
    for table in re.findall(r'<table class="table table-sm mb-0".*?</table>', content, re.S):
        for cell in re.findall(r'<td class="num">(.*?)</td>', table, re.S):
            assert cell == "—" or cell.startswith("<a href="), cell


# --- Downloads and the page itself -----------------------------------------------------------


def test_each_chart_downloads_as_csv_and_all_as_xlsx(world, hau_giang):
    coordinator = make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR)
    client = client_for(coordinator)
    url = reverse("web:chart_csv", args=[hau_giang.pk, "titles-trend"])
    response = client.get(url, {"on": ON.isoformat()})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Năm (ngày)" and rows[0][1] == "Nông thôn mới"
    assert rows[-1][1] == "2"
    assert client.get(reverse("web:chart_csv", args=[hau_giang.pk, "nope"])).status_code == 404
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("web:workbook", args=[hau_giang.pk]), {"on": ON}).content)
    )
    sheet = book[book.sheetnames[0]]
    assert sheet["A3"].value == "Năm (ngày)"
    assert any(isinstance(c.value, int) for row in sheet.iter_rows(min_row=4) for c in row)


def test_csv_keeps_decimals_exact(world, hau_giang):
    coordinator = make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR)
    criteria = panel(dashboard.build(coordinator, hau_giang, ON), "criteria")
    text = chart_csv(chart(criteria, "criteria-trend")).decode("utf-8-sig")
    assert "2023,1.7,2" in text.replace("\r", "")


TEMPLATES = Path(__file__).resolve().parents[1] / "src/nongthon/web/templates/web"


def test_templates_carry_no_inline_script_nor_event_handler():
    for name in ("dashboard.html", "dashboard/_panel.html", "map.html", "boundaries.html"):
        text = (TEMPLATES / name).read_text()
        for tag in re.findall(r"<script[^>]*>", text):
            assert "src=" in tag, (name, tag)
        assert not re.search(r"\son[a-z]+=", text), name
        assert "style=" not in text, name


def test_chart_data_is_passed_with_json_script(world, hau_giang):
    coordinator = make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR)
    content = (
        client_for(coordinator)
        .get(reverse("web:dashboard", args=[hau_giang.pk]), {"on": ON.isoformat()})
        .content.decode()
    )
    assert '<script id="chart-titles-trend-data" type="application/json">' in content
    assert 'data-chart="chart-titles-trend-data"' in content


# --- Speed ----------------------------------------------------------------------------------


def _many(criteria_set, province, start, stop):
    for unit in xa_of(province, stop)[start:]:
        for year in (2022, 2023):
            evaluate(unit, criteria_set, year, failing=[3] if unit.pk % 2 else ())
        grant(unit, Tier.NTM, dt.date(2022, 3, 1), f"{unit.code}/QĐ-UBND")


def _queries(django_assert_max_num_queries, client, url, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url, {"on": ON.isoformat()}).status_code == 200
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_number_of_communes(
    tiny_set, hau_giang, django_assert_max_num_queries
):
    client = client_for(make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR))
    url = reverse("web:dashboard", args=[hau_giang.pk])
    _many(tiny_set, hau_giang, 0, 5)
    few = _queries(django_assert_max_num_queries, client, url, 45)
    _many(tiny_set, hau_giang, 5, 40)
    many = _queries(django_assert_max_num_queries, client, url, 45)
    assert many == few and few > 10


def test_the_lists_behind_the_figures_refuse_units_out_of_reach(vi_binh, vi_dong, hau_giang):
    officer = client_for(make_user("xa", vi_binh, Role.COMMUNE_OFFICER))
    for name in ("ocop:products", "ocop:expiring"):
        assert officer.get(reverse(name), {"unit": vi_binh.pk}).status_code == 200
        assert officer.get(reverse(name), {"unit": vi_dong.pk}).status_code == 404
        assert officer.get(reverse(name), {"unit": hau_giang.pk}).status_code == 404
        assert officer.get(reverse(name), {"unit": "x"}).status_code == 404


def test_the_titles_list_filtered_by_level_keeps_the_communes_only(world, hau_giang, vi_thuy):
    grant(vi_thuy, Tier.NTM, dt.date(2023, 1, 10), "9/QĐ-UBND")
    client = client_for(make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR))
    url = reverse("recognition:titles", args=[hau_giang.pk])
    every = client.get(url, {"on": ON.isoformat(), "tier": "ntm"}).context["titles"]
    communes = client.get(url, {"on": ON.isoformat(), "tier": "ntm", "level": "commune"})
    assert vi_thuy in [t.unit for t in every]
    assert [t.unit for t in communes.context["titles"]] == [
        t.unit for t in every if t.unit.level == Level.COMMUNE
    ]
    assert 'data-testid="level-filter"' in communes.content.decode()
