"""The household and commune status pages (behind `statuses.household_share` and
`statuses.commune_share`): every commune of a unit for a year with its record or a gap; a record
added, edited and deleted with its decision, refused with a message on the field, stale saves
refused, history kept; who sees (404) and who records (403)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongthon.plans import queries, services
from nongthon.plans.models import CommuneStatus, HouseholdStatus
from nongthon.plans.targets import base
from tests.conftest import client_for, make_user
from tests.plans_support import make_plan

pytestmark = pytest.mark.django_db
HOUSEHOLD, OCOP_BODY = "ho-gia-dinh-van-hoa", "bo-may-ocop-xa"


def household(commune, year=2023, households=1000, achieved=980, **extra):
    fields = {"as_of": dt.date(2023, 11, 30), "source": "Quyết định số 45/QĐ-UBND"} | extra
    return services.add_household_status(
        None, commune, HOUSEHOLD, year, households=households, achieved=achieved, **fields
    )


def test_the_district_list_shows_every_commune_with_its_record_or_a_gap(
    vi_thuy, vi_binh, district_officer, django_assert_max_num_queries
):
    household(vi_binh)
    client = client_for(district_officer)
    with django_assert_max_num_queries(20):
        page = client.get(f"/plans/statuses/households/{vi_thuy.pk}/2023/")
    body = page.content.decode()
    assert page.status_code == 200
    communes = vi_thuy.__class__.objects.subtree(vi_thuy).communes().count()
    assert body.count('data-testid="status-row"') == communes
    assert "980" in body and "98%" in body and "Quyết định số 45/QĐ-UBND" in body
    assert f"980/1.000 hộ (98%) ở 1/{communes} xã có số liệu" in body
    assert body.count('data-testid="status-add-row"') == communes - 1


def test_the_list_reads_the_year_asked(vi_binh, commune_officer):
    household(vi_binh, year=2022, as_of=dt.date(2022, 12, 31))
    client = client_for(commune_officer)
    body_2023 = client.get(f"/plans/statuses/households/{vi_binh.pk}/2023/").content.decode()
    assert "chưa có số liệu" in body_2023
    body_2022 = client.get(f"/plans/statuses/households/{vi_binh.pk}/2022/").content.decode()
    assert "Quyết định số 45/QĐ-UBND" in body_2022


def test_the_commune_adds_its_households_on_the_page_and_the_target_reads_them(
    vi_binh, commune_officer
):
    client = client_for(commune_officer)
    url = f"/plans/statuses/households/{vi_binh.pk}/2023/new/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "commune": vi_binh.pk,
            "kind": HOUSEHOLD,
            "year": 2023,
            "households": "1000",
            "achieved": "965",
            "as_of": "30/11/2023",
            "source": "Quyết định số 45/QĐ-UBND ngày 30/11/2023 của UBND xã",
        },
    )
    assert response.status_code == 302
    record = HouseholdStatus.objects.get()
    assert (record.achieved, record.households, record.as_of) == (965, 1000, dt.date(2023, 11, 30))
    assert record.history.get().history_user == commune_officer
    plan = make_plan(vi_binh.district, 2023)
    target = services.add_target(
        None,
        plan,
        type_code="statuses.household_share",
        sentence="98% hộ gia đình văn hóa",
        params={"status": HOUSEHOLD, "goal_share": "98"},
    )
    line = queries.target_line(target, dt.date(2024, 1, 1))
    assert "965/1.000 hộ (96,5%)" in line.figure.shown
    assert line.judgement.code == base.NOT_ACHIEVED


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"achieved": "1200"}, "achieved", "không được lớn hơn tổng số hộ"),
        ({"households": "0"}, "households", ""),
        ({"source": ""}, "source", ""),
        ({"as_of": "31/12/2022"}, "as_of", "từ 01/01/2023"),
        ({"as_of": "31/02/2023"}, "as_of", ""),
    ],
)
def test_bad_household_figures_are_refused_on_their_field(
    vi_binh, commune_officer, fields, field, says
):
    data = {
        "commune": vi_binh.pk,
        "kind": HOUSEHOLD,
        "year": 2023,
        "households": "1000",
        "achieved": "980",
        "as_of": "30/11/2023",
        "source": "QĐ 45",
    } | fields
    response = client_for(commune_officer).post(
        f"/plans/statuses/households/{vi_binh.pk}/2023/new/", data
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and says in " ".join(form.errors[field])
    assert not HouseholdStatus.objects.exists()


def test_a_second_record_for_the_same_commune_status_and_year_is_refused(vi_binh):
    household(vi_binh)
    with pytest.raises(ValidationError) as caught:
        household(vi_binh, achieved=990)
    assert "kind" in caught.value.message_dict
    assert "hãy sửa bản ghi đó" in caught.value.message_dict["kind"][0]
    assert HouseholdStatus.objects.get().achieved == 980


def test_editing_keeps_history_and_a_stale_edit_is_refused(vi_binh, commune_officer):
    record = household(vi_binh)
    client = client_for(commune_officer)
    url = f"/plans/statuses/households/record/{record.pk}/edit/"
    data = {
        "version": record.version,
        "households": "1000",
        "achieved": "985",
        "as_of": "15/12/2023",
        "source": "QĐ 50",
    }
    assert client.post(url, data).status_code == 302
    record.refresh_from_db()
    assert (record.achieved, record.version) == (985, 2)
    stale = client.post(url, data | {"achieved": "990"})
    assert stale.status_code == 200 and "Hãy tải lại trang" in stale.content.decode()
    record.refresh_from_db()
    assert record.achieved == 985
    page = client.get(url).content.decode()
    assert 'data-testid="history"' in page and "Sửa danh hiệu hộ gia đình" in page


def test_deleting_is_recorded_and_a_stale_delete_is_refused(vi_binh, commune_officer):
    record = household(vi_binh)
    client = client_for(commune_officer)
    url = f"/plans/statuses/households/record/{record.pk}/delete/"
    client.post(url, {"version": record.version + 5})
    assert HouseholdStatus.objects.filter(pk=record.pk).exists()
    response = client.post(url, {"version": record.version})
    assert response.status_code == 302
    assert not HouseholdStatus.objects.exists()
    gone = HouseholdStatus.history.get(id=record.pk, history_type="-")
    assert gone.history_user == commune_officer


def test_commune_statuses_are_added_edited_and_deleted(hau_giang, vi_binh, province_coordinator):
    client = client_for(province_coordinator)
    add_url = f"/plans/statuses/communes/{hau_giang.pk}/2020/new/"
    refused = client.post(
        add_url,
        {"commune": vi_binh.pk, "kind": OCOP_BODY, "year": 2020, "achieved": "1", "source": ""},
    )
    assert refused.status_code == 200 and "source" in refused.context["form"].errors
    response = client.post(
        add_url,
        {
            "commune": vi_binh.pk,
            "kind": OCOP_BODY,
            "year": 2020,
            "achieved": "1",
            "recognised_on": "15/03/2020",
            "source": "Quyết định số 12/QĐ-UBND ngày 15/3/2020",
        },
    )
    assert response.status_code == 302
    record = CommuneStatus.objects.get()
    assert record.achieved and record.recognised_on == dt.date(2020, 3, 15)
    listing = client.get(f"/plans/statuses/communes/{hau_giang.pk}/2020/").content.decode()
    assert "Quyết định số 12/QĐ-UBND" in listing and "1/" in listing
    edit = f"/plans/statuses/communes/record/{record.pk}/edit/?unit={hau_giang.pk}"
    response = client.post(
        edit, {"version": record.version, "achieved": "0", "recognised_on": "", "source": ""}
    )
    assert response.status_code == 302
    assert response.url.startswith(f"/plans/statuses/communes/{hau_giang.pk}/2020/")
    record.refresh_from_db()
    assert not record.achieved
    client.post(f"/plans/statuses/communes/record/{record.pk}/delete/", {"version": record.version})
    assert not CommuneStatus.objects.exists()


def test_a_neighbour_sees_nothing_and_a_viewer_may_not_record(
    vi_binh, vi_dong, other_commune_officer, viewer, can_tho
):
    from nongthon.accounts.models import Role

    record = household(vi_binh)
    neighbour = client_for(other_commune_officer)
    for url in (
        f"/plans/statuses/households/{vi_binh.pk}/2023/",
        f"/plans/statuses/households/{vi_binh.pk}/2023/new/",
        f"/plans/statuses/households/record/{record.pk}/edit/",
    ):
        assert neighbour.get(url).status_code == 404
    assert (
        neighbour.post(f"/plans/statuses/households/record/{record.pk}/delete/").status_code == 404
    )
    # The neighbour records its own commune only: Vị Bình is not among the choices.
    own = neighbour.get(f"/plans/statuses/households/{vi_dong.pk}/2023/new/").content.decode()
    assert f'value="{vi_binh.pk}"' not in own
    with pytest.raises(PermissionDenied):
        services.add_household_status(
            other_commune_officer,
            vi_binh,
            HOUSEHOLD,
            2021,
            households=10,
            achieved=1,
            as_of=dt.date(2021, 12, 1),
            source="x",
        )
    looker = client_for(viewer)
    assert looker.get(f"/plans/statuses/households/{vi_binh.pk}/2023/").status_code == 200
    assert looker.get(f"/plans/statuses/households/{vi_binh.pk}/2023/new/").status_code == 403
    edit = f"/plans/statuses/households/record/{record.pk}/edit/"
    assert looker.get(edit).status_code == 403
    outsider = client_for(make_user("ct", can_tho, Role.PROVINCE_COORDINATOR))
    assert outsider.get(f"/plans/statuses/communes/{vi_binh.pk}/2023/").status_code == 404
    assert looker.get(f"/plans/statuses/nothing/{vi_binh.pk}/2023/").status_code == 404


def test_the_index_links_to_the_status_pages(district_officer, vi_thuy):
    body = client_for(district_officer).get("/plans/").content.decode()
    assert f"/plans/statuses/households/{vi_thuy.pk}/" in body
