"""The province / district matrix of communes × criteria, its totals per criterion, the summary
figures of the seed plans, and the list of communes behind every figure."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from nongthon.accounts.models import Role
from nongthon.assessment import queries
from nongthon.assessment.services import ValueEntry, save_values
from nongthon.catalogue.files import parse_set_file
from nongthon.catalogue.services import store_set
from tests.conftest import TINY_SET, client_for, make_user

YEAR = 2023


def enter(unit, family, illustrative=False, **values):
    entries = []
    for code, value in values.items():
        if code == "10":
            entries.append(ValueEntry("10", hand_verdict=value, hand_reason="theo báo cáo xã"))
        else:
            entries.append(ValueEntry(code, value))
    save_values(
        None, unit=unit, year=YEAR, family=family, entries=entries, illustrative=illustrative
    )


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def matrix_url(unit, family, year=YEAR) -> str:
    return reverse("assessment:results_matrix", args=[unit.pk, year, family])


def list_url(unit, family, year=YEAR) -> str:
    return reverse("assessment:results_list", args=[unit.pk, year, family])


def row_order(response) -> list[str]:
    return re.findall(r'data-testid="matrix-row" data-unit="(\d+)"', response.content.decode())


@pytest.fixture
def family(tiny_set) -> str:
    return tiny_set.family


@pytest.fixture
def three_communes(family, vi_binh, vi_dong, long_tri):
    """Vị Bình and Vị Đông (Vị Thủy) meet both criteria; Long Trị (Long Mỹ) fails criterion 3."""
    enter(vi_binh, family, **{"3.1": "90", "3.2": True, "10": True})
    enter(vi_dong, family, **{"3.1": "85", "3.2": True, "10": True})
    enter(long_tri, family, **{"3.1": "70", "3.2": True, "10": True})


def test_cells_are_coloured_by_status_with_the_reason_as_tooltip(
    three_communes, hau_giang, family, province_coordinator, vi_binh
):
    response = client_for(province_coordinator).get(matrix_url(hau_giang, family))
    assert response.status_code == 200
    content = response.content.decode()
    cell = re.search(
        r'<td class="text-center table-danger" data-status="not_met" data-criterion="3" '
        r'title="([^"]*)"',
        content,
    )
    assert html.unescape(cell.group(1)).startswith("Tiêu chí 3 chưa đạt: 3.1 chưa đạt: 70% < 80%")
    assert content.count('class="text-center table-success" data-status="met"') == 5
    scorecard = reverse("assessment:results_scorecard", args=[vi_binh.pk, YEAR, family])
    assert f'href="{scorecard}#tc-3"' in content


def test_totals_per_criterion_name_the_communes_that_fail_it(
    three_communes, hau_giang, family, province_coordinator
):
    response = client_for(province_coordinator).get(matrix_url(hau_giang, family))
    page = text(response)
    assert "Tiêu chí 3: 1 xã chưa đạt" in page
    assert "Tiêu chí 10: 0 xã chưa đạt" in page
    link = list_url(hau_giang, family) + "?figure=criterion_not_met&amp;criterion=3"
    assert link in response.content.decode()


def test_the_summary_gives_the_seed_plans_figures(
    three_communes, hau_giang, family, province_coordinator
):
    response = client_for(province_coordinator).get(matrix_url(hau_giang, family))
    content, page = response.content.decode(), text(response)
    assert re.search(r'data-testid="figure-all-met">2/3 \(66,7%\)<', content)
    assert re.search(r'data-testid="figure-average">1,7<', content)
    assert re.search(r'data-testid="figure-below-15">3<', content)
    assert re.search(r'data-testid="figure-at-least-14">0<', content)
    assert "Mẫu số: 3 xã (đơn vị cấp xã) thuộc Tỉnh Hậu Giang có kết quả đánh giá năm 2023" in page
    assert f'href="{list_url(hau_giang, family)}?figure=all_met"' in content


def test_one_changed_value_changes_the_figures_at_once(
    three_communes, hau_giang, family, province_coordinator, long_tri
):
    client = client_for(province_coordinator)
    enter(long_tri, family, **{"3.1": Decimal("81")})
    response = client.get(matrix_url(hau_giang, family))
    content = response.content.decode()
    assert re.search(r'data-testid="figure-all-met">3/3 \(100,0%\)<', content)
    assert re.search(r'data-testid="figure-average">2,0<', content)
    assert "Tiêu chí 3: 0 xã chưa đạt" in text(response)


def test_summary_figures_are_one_aggregate_query(
    three_communes, hau_giang, family, tiny_set, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        summary = queries.summary_figures(hau_giang, YEAR, family, tiny_set)
    assert (summary.total, summary.all_met, summary.average) == (3, 2, Decimal("1.7"))
    assert summary.all_met_percent == Decimal("66.7")
    with django_assert_max_num_queries(2):
        totals = queries.criterion_totals(hau_giang, tiny_set, YEAR)
    assert [(t.number, t.met, t.not_met, t.missing) for t in totals] == [
        (3, 2, 1, 0),
        (10, 3, 0, 0),
    ]


def test_the_matrix_filters_by_district(
    three_communes, hau_giang, vi_thuy, family, province_coordinator
):
    response = client_for(province_coordinator).get(
        matrix_url(hau_giang, family) + f"?district={vi_thuy.pk}"
    )
    assert row_order(response) == ["31462", "31468"]
    assert re.search(r'data-testid="figure-all-met">2/2 \(100,0%\)<', response.content.decode())
    assert "Tiêu chí 3: 0 xã chưa đạt" in text(response)


def test_the_matrix_sorts_by_criteria_met(three_communes, hau_giang, family, province_coordinator):
    client = client_for(province_coordinator)
    assert row_order(client.get(matrix_url(hau_giang, family) + "?sort=met_asc"))[0] == "31477"
    assert row_order(client.get(matrix_url(hau_giang, family) + "?sort=met_desc"))[-1] == "31477"


def test_the_tier_filter_switches_to_the_family_of_that_tier(
    three_communes, hau_giang, family, province_coordinator
):
    text_nc = TINY_SET.read_text(encoding="utf-8")
    text_nc = text_nc.replace("code: test-xa-ntm", "code: test-xa-nc").replace(
        "tier: ntm", "tier: nang_cao"
    )
    store_set(parse_set_file(text_nc, "nang-cao.yaml"))
    client = client_for(province_coordinator)
    page = client.get(matrix_url(hau_giang, family))
    assert "Nông thôn mới nâng cao — Bộ tiêu chí thử nghiệm cấp xã" in text(page)
    response = client.get(matrix_url(hau_giang, family) + "?tier=nang_cao&sort=met_asc")
    assert response.status_code == 302
    assert response["Location"] == matrix_url(hau_giang, "test-xa-nc") + "?sort=met_asc"
    assert "Chưa có xã nào có kết quả đánh giá" in text(client.get(response["Location"]))


def test_the_district_sees_its_own_matrix_but_not_the_provinces(
    three_communes, hau_giang, vi_thuy, family, district_officer
):
    client = client_for(district_officer)
    response = client.get(matrix_url(vi_thuy, family))
    assert response.status_code == 200
    assert row_order(response) == ["31462", "31468"]
    assert client.get(matrix_url(hau_giang, family)).status_code == 404


def test_a_commune_officer_cannot_open_the_district_matrix(
    three_communes, vi_thuy, family, commune_officer
):
    assert client_for(commune_officer).get(matrix_url(vi_thuy, family)).status_code == 404


def test_the_matrix_says_when_its_values_are_illustrative(
    three_communes, hau_giang, family, province_coordinator, long_tri
):
    client = client_for(province_coordinator)
    assert "Dữ liệu minh họa" not in text(client.get(matrix_url(hau_giang, family)))
    enter(long_tri, family, illustrative=True, **{"3.1": "71"})
    assert "Dữ liệu minh họa" in text(client.get(matrix_url(hau_giang, family)))


def test_the_list_behind_a_figure_names_its_communes(
    three_communes, hau_giang, family, province_coordinator
):
    client = client_for(province_coordinator)
    all_met = client.get(list_url(hau_giang, family) + "?figure=all_met")
    assert "Các xã đạt tất cả tiêu chí" in text(all_met)
    assert "Xã Vị Bình" in text(all_met) and "Xã Vị Đông" in text(all_met)
    assert "Xã Long Trị" not in text(all_met)
    assert "2 trong tổng số 3 xã có kết quả đánh giá" in text(all_met)

    blocked = text(
        client.get(list_url(hau_giang, family) + "?figure=criterion_not_met&criterion=3")
    )
    assert "Các xã chưa đạt tiêu chí 3" in blocked
    assert "Xã Long Trị" in blocked and "Xã Vị Bình" not in blocked
    assert "3.1 chưa đạt: 70% < 80%" in blocked

    below = text(client.get(list_url(hau_giang, family) + "?figure=below_15"))
    assert all(name in below for name in ("Xã Vị Bình", "Xã Vị Đông", "Xã Long Trị"))


def test_an_unknown_figure_is_not_found(three_communes, hau_giang, family, province_coordinator):
    client = client_for(province_coordinator)
    assert client.get(list_url(hau_giang, family) + "?figure=everything").status_code == 404
    assert client.get(list_url(hau_giang, family) + "?figure=criterion_not_met").status_code == 404


def test_the_list_is_refused_outside_the_users_units(
    three_communes, hau_giang, vi_thuy, family, long_tri
):
    other_district = make_user("huyenkhac", long_tri.district, Role.DISTRICT_OFFICER)
    client = client_for(other_district)
    assert client.get(list_url(vi_thuy, family) + "?figure=all").status_code == 404
    assert client.get(list_url(hau_giang, family) + "?figure=all").status_code == 404
