"""The audit log page: who may read it, what they see, filters, keyset pages, bounded queries."""

import datetime as dt

import pytest
from django.utils import timezone

from nongthon.audit.models import Entry
from nongthon.places.models import Hamlet, HamletKind
from tests.audit_support import add_hamlet, rename_hamlet
from tests.conftest import client_for, make_user

URL = "/audit/"


@pytest.fixture
def renamed(commune_officer, vi_binh):
    """A hamlet created and renamed by the commune officer from two addresses."""
    client = client_for(commune_officer)
    hamlet = add_hamlet(client, vi_binh, "Ấp Nhật Ký", address="203.0.113.7")
    rename_hamlet(client, hamlet, "Ấp Nhật Ký Mới", address="198.51.100.4")
    return hamlet


@pytest.fixture
def can_tho_coordinator(can_tho):
    from nongthon.accounts.models import Role

    return make_user("tpct", can_tho, Role.PROVINCE_COORDINATOR)


def test_the_admin_reads_who_when_where_and_before_after(system_admin, renamed, commune_officer):
    page = client_for(system_admin).get(URL).content.decode()
    assert 'class="history-before">Ấp Nhật Ký<' in page
    assert 'class="history-after">Ấp Nhật Ký Mới<' in page
    assert "198.51.100.4" in page
    assert commune_officer.display_name in page
    assert "Xã Vị Bình" in page


def test_the_menu_offers_the_log_to_admins_and_province_coordinators(
    system_admin, province_coordinator, district_officer
):
    assert "/audit/" in client_for(system_admin).get("/").content.decode()
    assert "/audit/" in client_for(province_coordinator).get("/").content.decode()
    assert "/audit/" not in client_for(district_officer).get("/").content.decode()


@pytest.mark.parametrize(
    "who", ["district_officer", "commune_officer", "viewer", "department_officer"]
)
def test_other_roles_are_refused(request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(URL + "export.csv").status_code == 403
    assert client.get(URL + "export.xlsx").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_province_coordinator_sees_the_province_only(
    province_coordinator, can_tho_coordinator, renamed, system_admin
):
    assert "Ấp Nhật Ký Mới" in client_for(province_coordinator).get(URL).content.decode()
    assert "Ấp Nhật Ký Mới" not in client_for(can_tho_coordinator).get(URL).content.decode()
    # Accounts belong to no unit: only system admins read their changes in the log.
    system_admin.full_name = "Quản Trị Đổi Tên"
    system_admin.save()
    page = client_for(province_coordinator).get(URL + "?model=accounts.user").content.decode()
    assert "Quản Trị Đổi Tên" not in page
    page = client_for(system_admin).get(URL + "?model=accounts.user").content.decode()
    assert "Quản Trị Đổi Tên" in page


def test_a_user_filter_does_not_reveal_users_of_other_provinces(
    can_tho_coordinator, province_coordinator, renamed, commune_officer
):
    # "xa" exists and worked in Hậu Giang: Cần Thơ's coordinator gets the same answer as for a
    # name nobody has.
    page = client_for(can_tho_coordinator).get(URL, {"user": "xa"}).content.decode()
    assert "Không có người dùng «xa» trong nhật ký của bạn." in page
    page = client_for(province_coordinator).get(URL, {"user": "xa"}).content.decode()
    assert "Ấp Nhật Ký Mới" in page


def test_a_unit_of_another_province_answers_404(can_tho_coordinator, vi_binh):
    response = client_for(can_tho_coordinator).get(URL, {"unit": vi_binh.pk})
    assert response.status_code == 404


def test_filter_by_unit_covers_its_subtree(system_admin, renamed, long_tri, vi_thuy):
    Hamlet(commune=long_tri, name="Ấp Ngoài Huyện", kind=HamletKind.AP).save()
    client = client_for(system_admin)
    page = client.get(URL, {"unit": vi_thuy.pk}).content.decode()
    assert "Ấp Nhật Ký Mới" in page
    assert "Ấp Ngoài Huyện" not in page
    page = client.get(URL, {"unit_q": "31477"}).content.decode()
    assert "Ấp Ngoài Huyện" in page
    assert "Ấp Nhật Ký Mới" not in page


def test_an_ambiguous_unit_name_lists_the_candidates(system_admin):
    page = client_for(system_admin).get(URL, {"unit_q": "Vị"}).content.decode()
    assert 'data-testid="unit-candidates"' in page
    assert "Có nhiều đơn vị khớp «Vị»" in page


def test_filter_by_kind_action_and_user(system_admin, renamed, commune_officer, vi_binh):
    Hamlet(commune=vi_binh, name="Ấp Hệ Thống", kind=HamletKind.AP).save()
    client = client_for(system_admin)
    page = client.get(URL, {"model": "places.hamlet", "action": "~"}).content.decode()
    assert "Ấp Nhật Ký Mới" in page
    assert "Ấp Hệ Thống" not in page
    page = client.get(URL, {"user": commune_officer.username.upper()}).content.decode()
    assert "Ấp Nhật Ký Mới" in page
    assert "Ấp Hệ Thống" not in page
    page = client.get(URL, {"model": "plans.target"}).content.decode()
    assert "Ấp Nhật Ký" not in page


def test_an_unknown_user_or_reversed_dates_are_named_and_nothing_is_listed(system_admin, renamed):
    client = client_for(system_admin)
    page = client.get(URL, {"user": "khong-co-ai"}).content.decode()
    assert "Không có người dùng «khong-co-ai» trong nhật ký của bạn." in page
    assert "Ấp Nhật Ký" not in page
    page = client.get(URL, {"date_from": "02/01/2024", "date_to": "01/01/2024"}).content.decode()
    assert "«Đến ngày» phải sau hoặc bằng «Từ ngày»." in page
    response = client.get(URL, {"date_from": "31/02/2024"})
    assert response.status_code == 200


def test_filter_by_date_range_in_local_days(system_admin, renamed):
    Entry.objects.filter(model__model="hamlet").update(
        at=timezone.make_aware(dt.datetime(2024, 3, 10, 23, 30))
    )
    client = client_for(system_admin)
    page = client.get(URL, {"date_from": "10/03/2024", "date_to": "10/03/2024"}).content.decode()
    assert "Ấp Nhật Ký Mới" in page
    page = client.get(URL, {"date_from": "11/03/2024"}).content.decode()
    assert "Ấp Nhật Ký Mới" not in page


def test_pages_follow_each_other_without_gaps_or_repeats(system_admin, vi_binh):
    for i in range(7):
        Hamlet(commune=vi_binh, name=f"Ấp Trang {i}", kind=HamletKind.AP).save()
    # Same instant for all: the id breaks the tie.
    Entry.objects.filter(model__model="hamlet").update(at=timezone.now())
    from nongthon.audit import queries

    query = queries.entries(system_admin, queries.Filters(model="places.hamlet"))
    seen, cursor = [], ""
    while True:
        found, cursor = queries.page(query, cursor, size=3)
        seen += [e.pk for e in found]
        if not cursor:
            break
    assert seen == list(query.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 7
    page = client_for(system_admin).get(URL, {"model": "places.hamlet"}).content.decode()
    assert 'data-testid="next-page"' not in page


def test_a_broken_cursor_shows_the_first_page(system_admin, renamed):
    page = client_for(system_admin).get(URL, {"after": "abc.def"}).content.decode()
    assert "Ấp Nhật Ký Mới" in page


def test_a_full_page_costs_a_bounded_number_of_queries(
    system_admin, vi_binh, commune_officer, django_assert_max_num_queries
):
    client = client_for(commune_officer)
    for i in range(20):
        hamlet = add_hamlet(client, vi_binh, f"Ấp Đếm {i}")
        rename_hamlet(client, hamlet, f"Ấp Đếm {i} Mới")
    admin = client_for(system_admin)
    admin.get(URL)  # warm the content-type cache
    with django_assert_max_num_queries(25):
        response = admin.get(URL, {"model": "places.hamlet"})
    assert response.content.decode().count('class="history-after"') >= 20
