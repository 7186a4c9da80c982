"""The national dashboard: only system admins open it; each province's row equals the figures
of that province's own dashboard at the same date; the provinces are those valid on the date
(63 before the 2025 reorganisation, 34 after); the table downloads as xlsx with a total row;
and its query count does not grow with the number of provinces."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nongthon.accounts.models import Role
from nongthon.catalogue.models import Tier
from nongthon.demo.builder import (
    build_criteria,
    build_funding,
    build_ocop,
    build_recognition,
)
from nongthon.funding.amounts import MoneyUnit, in_unit
from nongthon.places.models import Edition, Level, Unit
from nongthon.places.official_lists import load_units
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db
URL = "/tong-quan/ca-nuoc/"
END_2023 = dt.date(2023, 12, 31)
MID_2023 = dt.date(2023, 6, 30)
AFTER_MERGER = dt.date(2026, 1, 1)


@pytest.fixture
def demo(db):
    say = lambda _m: None  # noqa: E731
    build_criteria(say)
    build_recognition(say)
    build_ocop(say)
    build_funding(say)


@pytest.fixture
def admin_client(system_admin):
    return client_for(system_admin)


def _stats(panel) -> dict:
    return {s.key: s.value for s in panel.stats}


def test_a_provinces_row_equals_its_own_dashboard(demo, hau_giang, admin_client):
    coordinator = client_for(make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR))
    for on in (END_2023, MID_2023):
        national = admin_client.get(URL, {"on": on.isoformat()})
        assert national.status_code == 200
        row = next(r for r in national.context["country"].rows if r.province == hau_giang)
        own = coordinator.get(f"/tong-quan/{hau_giang.pk}/", {"on": on.isoformat()})
        panels = {p.key: p for p in own.context["panels"]}
        titles = _stats(panels["titles"])
        assert titles[f"titles-{Tier.NTM}"] == row.titles[Tier.NTM] > 0
        assert titles[f"titles-{Tier.NANG_CAO}"] == row.titles[Tier.NANG_CAO]
        assert panels["titles"].stats[0].suffix == f"/{row.communes}"
        criteria = _stats(panels["criteria"])
        assert criteria["criteria-average"] == row.criteria.average
        assert criteria["criteria-evaluated"] == row.criteria.total
        assert criteria["criteria-all-met"] == row.criteria.all_met
        ocop = _stats(panels["ocop"])
        assert [ocop["ocop-3"], ocop["ocop-4"], ocop["ocop-5"]] == [
            row.stars[3],
            row.stars[4],
            row.stars[5],
        ]
        assert row.ocop_total > 0
        funding = _stats(panels["funding"])
        assert funding["funding-allocated"] == in_unit(row.funding.allocated, MoneyUnit.TRIEU)
        assert funding["funding-disbursed"] == row.disbursed_million > 0


def test_years_print_without_a_thousands_separator(demo, hau_giang, admin_client):
    page = admin_client.get(URL, {"on": END_2023.isoformat()}).content.decode()
    row = page.split(f'data-testid="province-{hau_giang.code}"')[1].split("</tr>")[0]
    assert ">2023<" in row and "2.023" not in row


def test_a_province_without_data_shows_zeros_not_gaps(demo, hau_giang, admin_client):
    load_units(["94"])  # Sóc Trăng: units, nothing else
    response = admin_client.get(URL, {"on": END_2023.isoformat()})
    row = next(r for r in response.context["country"].rows if r.province != hau_giang)
    assert row.titles[Tier.NTM] == 0 and row.ocop_total == 0 and row.criteria is None
    assert row.funding_year is None and row.funding.disbursement_rate is None
    assert f'data-testid="province-{row.province.code}"' in response.content.decode()


def test_the_country_totals_add_up_the_rows(demo, admin_client):
    country = admin_client.get(URL, {"on": END_2023.isoformat()}).context["country"]
    assert country.titles(Tier.NTM) == sum(r.titles[Tier.NTM] for r in country.rows)
    assert country.communes == sum(r.communes for r in country.rows) > 0
    assert country.ocop_total == sum(r.ocop_total for r in country.rows)


def test_the_provinces_are_those_valid_on_the_date(admin_client):
    """The test database holds the Mekong provinces around Hậu Giang, in both editions."""
    before = admin_client.get(URL, {"on": END_2023.isoformat()}).context["country"]
    after = admin_client.get(URL, {"on": AFTER_MERGER.isoformat()}).context["country"]
    assert {r.province.edition for r in before.rows} == {Edition.PRE_2025}
    assert {r.province.edition for r in after.rows} == {Edition.Y2025}
    for country in (before, after):
        valid = Unit.objects.valid_on(country.on).filter(level=Level.PROVINCE)
        assert [r.province for r in country.rows] == list(valid.order_by("code"))


def test_a_bad_date_reads_as_today_and_says_so(admin_client):
    response = admin_client.get(URL, {"on": "2023-02-31"})
    assert response.status_code == 200
    today = response.context["on"]
    assert abs((today - dt.date.today()).days) <= 1  # the local day (UTC+7)
    page = response.content.decode()
    assert (
        f"«Tại ngày»: «2023-02-31» không phải một ngày; đang xem số liệu ngày {today:%d/%m/%Y}."
        in page
    )


def test_the_table_downloads_as_xlsx_with_a_total_row(demo, hau_giang, admin_client):
    response = admin_client.get(f"{URL}ca-nuoc.xlsx", {"on": END_2023.isoformat()})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Tỉnh, thành phố"
    body, total = rows[2:-1], rows[-1]
    assert len(body) == len(response_rows(admin_client))
    assert total[0] == "Cả nước"
    assert total[1] == sum(r[1] for r in body)
    assert total[2] == sum(r[2] for r in body)
    hau = next(r for r in body if r[0] == hau_giang.name)
    assert hau[2] > 0 and isinstance(hau[1], int)


def response_rows(client) -> list:
    return client.get(URL, {"on": END_2023.isoformat()}).context["country"].rows


def test_only_system_admins_open_it(hau_giang, province_coordinator, viewer, client):
    assert client.get(URL).status_code == 302  # anonymous: to the sign-in page
    for user in (province_coordinator, viewer):
        assert client_for(user).get(URL).status_code == 404
        assert client_for(user).get(f"{URL}ca-nuoc.xlsx").status_code == 404


def test_the_menu_offers_it_to_system_admins_only(admin_client, province_coordinator):
    assert 'href="/tong-quan/ca-nuoc/"' in admin_client.get("/").content.decode()
    assert 'href="/tong-quan/ca-nuoc/"' not in (
        client_for(province_coordinator).get("/").content.decode()
    )


def test_a_superuser_without_a_unit_lands_on_it():
    root = make_user("root")
    root.is_superuser = True
    root.save()
    response = client_for(root).get("/")
    assert response.status_code == 302 and response.url == URL


def test_the_query_count_does_not_grow_with_the_provinces(demo, admin_client):
    counts = []
    for more in ([], ["94", "92", "86"]):  # then Sóc Trăng, Cần Thơ, Vĩnh Long as well
        if more:
            load_units(more)
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(URL, {"on": END_2023.isoformat()})
        counts.append((len(response.context["country"].rows), len(queries)))
    assert counts[0][0] < counts[1][0]
    assert counts[0][1] == counts[1][1] <= 20
