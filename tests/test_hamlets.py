"""Hamlets (thôn, ấp, tổ dân phố): the commune keeps them; others see them but may not edit."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongthon.places import hamlets
from nongthon.places.models import Hamlet, HamletKind, Level, Unit
from tests.conftest import client_for, get_unit


@pytest.fixture
def ap_1(vi_binh) -> Hamlet:
    return hamlets.create_hamlet(None, commune=vi_binh, name="Ấp 1", kind=HamletKind.AP)


@pytest.fixture
def ap_long_tri(long_tri) -> Hamlet:
    return hamlets.create_hamlet(None, commune=long_tri, name="Ấp Long Hòa", kind=HamletKind.AP)


def unit_page(client, unit: Unit) -> str:
    response = client.get(f"/units/{unit.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_commune_officer_adds_renames_and_retires_a_hamlet_with_history(commune_officer, vi_binh):
    client = client_for(commune_officer)
    page = unit_page(client, vi_binh)
    assert f"/units/hamlets/commune/{vi_binh.pk}/add/" in page

    response = client.post(
        f"/units/hamlets/commune/{vi_binh.pk}/add/", {"name": " Ấp  1 ", "kind": "ap"}
    )
    assert response.status_code == 302
    hamlet = Hamlet.objects.get(commune=vi_binh)
    assert (hamlet.name, hamlet.kind, hamlet.version) == ("Ấp 1", HamletKind.AP, 1)
    assert "Đã thêm ấp «Ấp 1»." in client.get(response.url).content.decode()

    form = client.get(f"/units/hamlets/{hamlet.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in form
    response = client.post(
        f"/units/hamlets/{hamlet.pk}/edit/", {"name": "Ấp Bình Thạnh", "kind": "ap", "version": 1}
    )
    assert response.status_code == 302

    response = client.post(
        f"/units/hamlets/{hamlet.pk}/retire/",
        {"on": "2024-12-31", "reason": "Sáp nhập vào ấp 2 theo NQ 12/NQ-HĐND", "version": 2},
    )
    assert response.status_code == 302
    hamlet.refresh_from_db()
    assert hamlet.retired_on == dt.date(2024, 12, 31)
    assert hamlet.version == 3

    page = unit_page(client, vi_binh)
    assert "Thôi sử dụng từ 31/12/2024 — Sáp nhập vào ấp 2 theo NQ 12/NQ-HĐND" in page
    assert 'class="text-muted" data-testid="hamlet-retired"' in page

    history = client.get(f"/units/hamlets/{hamlet.pk}/").content.decode()
    assert '<span class="history-before">Ấp 1</span> → ' in history
    assert '<span class="history-after">Ấp Bình Thạnh</span>' in history
    assert '<span class="history-after">31/12/2024</span>' in history
    assert "Xa" in history  # who: the commune officer's name
    assert "Tạo mới" in history


def test_restoring_a_retired_hamlet_brings_it_back(commune_officer, ap_1):
    hamlets.retire_hamlet(
        None, hamlet=ap_1, expected_version=1, on=dt.date(2025, 1, 2), reason="Nhập ấp"
    )
    client = client_for(commune_officer)
    response = client.post(f"/units/hamlets/{ap_1.pk}/restore/", {"reason": "Nhầm", "version": 2})
    assert response.status_code == 302
    ap_1.refresh_from_db()
    assert (ap_1.retired_on, ap_1.retired_reason, ap_1.version) == (None, "", 3)


def test_the_add_form_defaults_to_thon_in_a_xa_and_to_dan_pho_in_a_phuong(
    province_coordinator, vi_binh
):
    client = client_for(province_coordinator)
    page = client.get(f"/units/hamlets/commune/{vi_binh.pk}/add/").content.decode()
    assert '<option value="thon" selected>' in page
    phuong = get_unit("31321", level=Level.COMMUNE)  # Phường III, Vị Thanh
    page = client.get(f"/units/hamlets/commune/{phuong.pk}/add/").content.decode()
    assert '<option value="to_dan_pho" selected>' in page
    assert "Danh mục trước 01/07/2025" in page  # the edition is shown


def test_the_kind_is_not_forced_by_the_commune_kind(commune_officer, vi_binh):
    client = client_for(commune_officer)
    client.post(f"/units/hamlets/commune/{vi_binh.pk}/add/", {"name": "Khu 3", "kind": "khu_pho"})
    assert Hamlet.objects.get(commune=vi_binh).kind == HamletKind.KHU_PHO


def test_it_refuses_other_communes_hamlets(other_commune_officer, vi_binh, ap_1):
    client = client_for(other_commune_officer)
    for url in ("", "edit/", "retire/", "restore/"):
        assert client.get(f"/units/hamlets/{ap_1.pk}/{url}").status_code == 404, url
    assert client.get(f"/units/hamlets/commune/{vi_binh.pk}/add/").status_code == 404
    assert "Ấp 1" not in unit_page(client, vi_binh)

    posts = [
        (f"/units/hamlets/commune/{vi_binh.pk}/add/", {"name": "Ấp 9", "kind": "ap"}),
        (f"/units/hamlets/{ap_1.pk}/edit/", {"name": "Ấp Lạ", "kind": "ap", "version": 1}),
        (f"/units/hamlets/{ap_1.pk}/retire/", {"on": "2025-01-01", "reason": "x", "version": 1}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    ap_1.refresh_from_db()
    assert (ap_1.name, ap_1.retired_on, ap_1.version) == ("Ấp 1", None, 1)
    assert Hamlet.objects.filter(commune=vi_binh).count() == 1


def test_the_service_refuses_an_actor_without_permission(other_commune_officer, vi_binh, ap_1):
    with pytest.raises(PermissionDenied):
        hamlets.create_hamlet(other_commune_officer, commune=vi_binh, name="Ấp 2", kind="ap")
    with pytest.raises(PermissionDenied):
        hamlets.update_hamlet(
            other_commune_officer, hamlet=ap_1, expected_version=1, name="X", kind="ap"
        )


def test_a_viewer_sees_hamlets_but_may_not_edit_them(viewer, vi_binh, ap_1):
    client = client_for(viewer)
    page = unit_page(client, vi_binh)
    assert "Ấp 1" in page
    assert "/edit/" not in page and "/add/" not in page
    assert client.get(f"/units/hamlets/{ap_1.pk}/").status_code == 200
    assert client.get(f"/units/hamlets/{ap_1.pk}/edit/").status_code == 403
    assert client.get(f"/units/hamlets/commune/{vi_binh.pk}/add/").status_code == 403
    response = client.post(
        f"/units/hamlets/{ap_1.pk}/edit/", {"name": "Ấp Mới", "kind": "ap", "version": 1}
    )
    assert response.status_code == 403
    response = client.post(
        f"/units/hamlets/commune/{vi_binh.pk}/add/", {"name": "Ấp 2", "kind": "ap"}
    )
    assert response.status_code == 403
    ap_1.refresh_from_db()
    assert ap_1.name == "Ấp 1"
    assert Hamlet.objects.filter(commune=vi_binh).count() == 1


def test_a_district_officer_edits_hamlets_in_their_district_only(
    district_officer, vi_dong, long_tri, ap_1, ap_long_tri
):
    client = client_for(district_officer)
    response = client.post(
        f"/units/hamlets/commune/{vi_dong.pk}/add/", {"name": "Ấp 3", "kind": "ap"}
    )
    assert response.status_code == 302
    assert Hamlet.objects.filter(commune=vi_dong, name="Ấp 3").exists()
    response = client.post(
        f"/units/hamlets/{ap_1.pk}/edit/", {"name": "Ấp Một", "kind": "ap", "version": 1}
    )
    assert response.status_code == 302

    # Long Trị is in another district (Thị xã Long Mỹ): not theirs to see.
    response = client.post(
        f"/units/hamlets/commune/{long_tri.pk}/add/", {"name": "Ấp 4", "kind": "ap"}
    )
    assert response.status_code == 404
    response = client.post(
        f"/units/hamlets/{ap_long_tri.pk}/edit/", {"name": "Ấp X", "kind": "ap", "version": 1}
    )
    assert response.status_code == 404
    ap_long_tri.refresh_from_db()
    assert ap_long_tri.name == "Ấp Long Hòa"
    assert not Hamlet.objects.filter(commune=long_tri, name="Ấp 4").exists()


@pytest.mark.parametrize("name", ["Ấp 1", "ấp 1", "AP 1", "  Ap   1 "])
def test_it_refuses_a_duplicate_name_with_a_message(commune_officer, vi_binh, ap_1, name):
    client = client_for(commune_officer)
    response = client.post(
        f"/units/hamlets/commune/{vi_binh.pk}/add/", {"name": name, "kind": "ap"}
    )
    assert response.status_code == 200
    assert "Xã Vị Bình đã có ấp «Ấp 1»." in response.content.decode()
    assert Hamlet.objects.filter(commune=vi_binh).count() == 1


def test_it_refuses_renaming_onto_another_active_hamlet(commune_officer, vi_binh, ap_1):
    ap_2 = hamlets.create_hamlet(None, commune=vi_binh, name="Ấp 2", kind=HamletKind.AP)
    client = client_for(commune_officer)
    response = client.post(
        f"/units/hamlets/{ap_2.pk}/edit/", {"name": "ap 1", "kind": "ap", "version": 1}
    )
    assert "Xã Vị Bình đã có ấp «Ấp 1»." in response.content.decode()
    ap_2.refresh_from_db()
    assert (ap_2.name, ap_2.version) == ("Ấp 2", 1)


def test_a_retired_name_may_be_used_again_but_not_restored_onto_it(commune_officer, vi_binh, ap_1):
    hamlets.retire_hamlet(None, hamlet=ap_1, expected_version=1, on=dt.date(2025, 1, 1), reason="x")
    client = client_for(commune_officer)
    client.post(f"/units/hamlets/commune/{vi_binh.pk}/add/", {"name": "Ấp 1", "kind": "ap"})
    assert Hamlet.objects.active().filter(commune=vi_binh, name="Ấp 1").count() == 1
    response = client.post(f"/units/hamlets/{ap_1.pk}/restore/", {"reason": "", "version": 2})
    assert response.status_code == 200
    assert "Xã Vị Bình đã có ấp «Ấp 1». Hãy đổi tên" in response.content.decode()
    ap_1.refresh_from_db()
    assert ap_1.retired_on == dt.date(2025, 1, 1)


def test_names_are_stored_in_nfc(vi_binh):
    decomposed = unicodedata.normalize("NFD", "Ấp Thạnh Hòa")
    hamlet = hamlets.create_hamlet(None, commune=vi_binh, name=decomposed, kind="ap")
    assert hamlet.name == unicodedata.normalize("NFC", "Ấp Thạnh Hòa")
    with pytest.raises(ValidationError):
        hamlets.create_hamlet(None, commune=vi_binh, name="Ấp Thạnh Hòa", kind="ap")


def test_retiring_needs_a_reason_and_a_date_not_in_the_future(commune_officer, ap_1):
    client = client_for(commune_officer)
    page = client.post(
        f"/units/hamlets/{ap_1.pk}/retire/", {"on": "2025-01-01", "reason": " ", "version": 1}
    ).content.decode()
    assert "Hãy ghi lý do thôi sử dụng" in page
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    page = client.post(
        f"/units/hamlets/{ap_1.pk}/retire/",
        {"on": tomorrow.isoformat(), "reason": "Sáp nhập", "version": 1},
    ).content.decode()
    assert "Ngày thôi sử dụng không được sau hôm nay." in page
    ap_1.refresh_from_db()
    assert ap_1.retired_on is None


def test_a_concurrent_edit_is_refused_and_the_first_change_kept(
    commune_officer, district_officer, ap_1
):
    first, second = client_for(commune_officer), client_for(district_officer)
    url = f"/units/hamlets/{ap_1.pk}/edit/"
    for client in (first, second):
        assert 'name="version" value="1"' in client.get(url).content.decode()

    assert first.post(url, {"name": "Ấp Một", "kind": "ap", "version": 1}).status_code == 302
    response = second.post(url, {"name": "Ấp Số 1", "kind": "thon", "version": 1})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Người khác đã sửa ấp «Ấp Một» sau khi bạn mở trang (Xa," in page
    assert "tên «Ấp 1» → «Ấp Một»" in page
    assert "Thay đổi của bạn chưa được lưu" in page
    # The form keeps what the second user typed, now at the current version, for them to decide.
    assert 'value="Ấp Số 1"' in page and 'name="version" value="2"' in page

    ap_1.refresh_from_db()
    assert (ap_1.name, ap_1.kind, ap_1.version) == ("Ấp Một", HamletKind.AP, 2)


def test_a_stale_retire_is_refused(commune_officer, ap_1):
    hamlets.update_hamlet(None, hamlet=ap_1, expected_version=1, name="Ấp Một", kind="ap")
    client = client_for(commune_officer)
    response = client.post(
        f"/units/hamlets/{ap_1.pk}/retire/", {"on": "2025-01-01", "reason": "x", "version": 1}
    )
    assert "Người khác đã sửa" in response.content.decode()
    ap_1.refresh_from_db()
    assert ap_1.retired_on is None


def test_anonymous_users_are_sent_to_login(client, ap_1):
    response = client.get(f"/units/hamlets/{ap_1.pk}/")
    assert response.status_code == 302 and "/login/" in response.url


def test_a_district_page_offers_the_import_but_no_hamlet_list(district_officer, vi_thuy):
    page = unit_page(client_for(district_officer), vi_thuy)
    assert f"/units/hamlets/import/{vi_thuy.pk}/" in page
    assert 'data-testid="hamlets"' not in page
