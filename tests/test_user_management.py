"""Coordinators manage the accounts of their own subtree: create, grant, remove, lock, reset."""

from __future__ import annotations

import pytest
from django.test import Client

from nongthon.accounts import services
from nongthon.accounts.models import Membership, Role, User
from nongthon.places.models import Agency, Unit
from tests.conftest import PASSWORD, client_for, make_user

NEW_PASSWORD = "Ruong-lua-2025"  # noqa: S105


@pytest.fixture
def can_tho_commune(can_tho) -> Unit:
    return Unit.objects.subtree(can_tho).communes().order_by("code").first()


@pytest.fixture
def so_y_te(hau_giang) -> Agency:
    return Agency.objects.create(unit=hau_giang, code="so-y-te", name="Sở Y tế", kind="department")


def new_user_data(unit: Unit, role: str = Role.COMMUNE_OFFICER, **extra) -> dict:
    data = {
        "username": "canbo.vibinh",
        "full_name": "Nguyễn Văn Bình",
        "position": "Công chức Địa chính - Nông nghiệp",
        "phone": "0293 3870 000",
        "email": "binh@example.vn",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        "unit": unit.pk,
        "role": role,
        "agency": "",
    }
    data.update(extra)
    return data


def log_in(username: str, password: str) -> tuple[Client, object]:
    """The real login form, as a person would use it."""
    client = Client()
    response = client.post("/login/", {"username": username, "password": password}, follow=True)
    return client, response


def test_a_coordinator_creates_a_commune_officer_who_logs_in_and_sees_the_role(
    argon2_hashing, province_coordinator, vi_binh
):
    coordinator = client_for(province_coordinator)
    form = coordinator.get("/accounts/users/new/").content.decode()
    assert "Xã Vị Bình (31468)" in form
    response = coordinator.post("/accounts/users/new/", new_user_data(vi_binh))
    user = User.objects.get(username="canbo.vibinh")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.password.startswith("argon2")
    assert user.position == "Công chức Địa chính - Nông nghiệp"
    assert user.memberships.get().unit == vi_binh

    client, home = log_in("canbo.vibinh", NEW_PASSWORD)
    page = home.content.decode()
    assert "Xin chào, Nguyễn Văn Bình" in page
    assert "Cán bộ cấp xã — " in page and "Xã Vị Bình" in page


def test_the_user_list_shows_managed_users_with_roles_and_searches_without_diacritics(
    province_coordinator, commune_officer, vi_binh
):
    commune_officer.full_name = "Trần Thị Ngọc Hân"
    commune_officer.save()
    client = client_for(province_coordinator)
    page = client.get("/accounts/users/").content.decode()
    assert "Trần Thị Ngọc Hân" in page and "Cán bộ cấp xã — Xã Vị Bình" in page
    page = client.get("/accounts/users/", {"q": "ngoc han"}).content.decode()
    assert "Trần Thị Ngọc Hân" in page and ">tinh<" not in page
    page = client.get("/accounts/users/", {"q": "khong co ai"}).content.decode()
    assert "Không có người dùng nào khớp «khong co ai»." in page


def test_the_user_list_filters_active_and_locked_accounts(province_coordinator, commune_officer):
    services.deactivate_user(province_coordinator, commune_officer)
    client = client_for(province_coordinator)
    active = client.get("/accounts/users/").content.decode()
    locked = client.get("/accounts/users/", {"status": "inactive"}).content.decode()
    assert f"/accounts/users/{commune_officer.pk}/" not in active
    assert f"/accounts/users/{commune_officer.pk}/" in locked and "Đã khóa" in locked


def test_the_unit_search_finds_communes_in_scope_without_diacritics(
    province_coordinator, can_tho_commune
):
    client = client_for(province_coordinator)
    options = client.get("/accounts/unit-options/", {"unit_q": "vi binh"}).content.decode()
    assert "Xã Vị Bình (31468)" in options
    assert "Vĩnh" not in options
    options = client.get("/accounts/unit-options/", {"unit_q": can_tho_commune.name}).content
    assert can_tho_commune.name not in options.decode()


def test_the_coordinator_cannot_grant_a_role_at_a_can_tho_2025_unit(
    province_coordinator, can_tho_commune
):
    client = client_for(province_coordinator)
    response = client.post("/accounts/users/new/", new_user_data(can_tho_commune))
    assert response.status_code == 404
    assert not User.objects.filter(username="canbo.vibinh").exists()
    with pytest.raises(services.PermissionDenied):
        services.grant_membership(
            province_coordinator,
            make_user("someone"),
            can_tho_commune,
            Role.COMMUNE_OFFICER,
        )


def test_the_coordinator_cannot_manage_a_user_who_also_holds_a_role_elsewhere(
    province_coordinator, commune_officer, can_tho_commune
):
    services.grant_membership(None, commune_officer, can_tho_commune, Role.COMMUNE_OFFICER)
    client = client_for(province_coordinator)
    assert (
        f"/accounts/users/{commune_officer.pk}/"
        not in client.get("/accounts/users/").content.decode()
    )
    assert client.get(f"/accounts/users/{commune_officer.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{commune_officer.pk}/deactivate/").status_code == 404
    assert client.get(f"/accounts/users/{commune_officer.pk}/password/").status_code == 404
    commune_officer.refresh_from_db()
    assert commune_officer.is_active


@pytest.mark.parametrize("officer", ["district_officer", "commune_officer"])
def test_district_and_commune_officers_may_not_manage_users(db, request, officer):
    client = client_for(request.getfixturevalue(officer))
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/accounts/users/new/").status_code == 403
    assert client.get("/accounts/unit-options/", {"unit_q": "vi"}).status_code == 403
    assert "/accounts/users/" not in client.get("/").content.decode()


def test_a_wrong_role_level_is_refused_with_a_vietnamese_message(province_coordinator, vi_thuy):
    client = client_for(province_coordinator)
    response = client.post("/accounts/users/new/", new_user_data(vi_thuy))
    assert response.status_code == 200
    assert "Vai trò «Cán bộ cấp xã» phải gắn với đơn vị cấp xã." in response.content.decode()
    # All or nothing: no account without its role.
    assert not User.objects.filter(username="canbo.vibinh").exists()


def test_a_department_officer_needs_an_agency_of_the_unit(province_coordinator, hau_giang, so_y_te):
    client = client_for(province_coordinator)
    data = new_user_data(hau_giang, Role.DEPARTMENT_OFFICER)
    page = client.post("/accounts/users/new/", data).content.decode()
    assert "Cán bộ sở, ngành phải gắn với một cơ quan." in page
    options = client.get("/accounts/agency-options/", {"unit": hau_giang.pk}).content.decode()
    assert "Sở Y tế" in options
    response = client.post("/accounts/users/new/", {**data, "agency": so_y_te.pk})
    assert response.status_code == 302
    assert User.objects.get(username="canbo.vibinh").memberships.get().agency == so_y_te


def test_agency_options_of_a_unit_out_of_scope_are_not_found(province_coordinator, can_tho):
    client = client_for(province_coordinator)
    assert client.get("/accounts/agency-options/", {"unit": can_tho.pk}).status_code == 404


def test_weak_passwords_and_taken_usernames_are_refused_in_vietnamese(
    province_coordinator, commune_officer, vi_binh
):
    client = client_for(province_coordinator)
    data = new_user_data(vi_binh, password="12345678", password_confirm="12345678")
    page = client.post("/accounts/users/new/", data).content.decode()
    assert "Mật khẩu này quá phổ biến." in page
    page = client.post("/accounts/users/new/", new_user_data(vi_binh, username="XA")).content
    assert "Tên đăng nhập «XA» đã có người dùng." in page.decode()
    data = new_user_data(vi_binh, password_confirm="Khac-hoan-toan-1")
    page = client.post("/accounts/users/new/", data).content.decode()
    assert "Hai lần nhập mật khẩu không giống nhau." in page


def test_a_coordinator_may_not_grant_the_system_admin_role(province_coordinator, hau_giang):
    client = client_for(province_coordinator)
    page = client.post(
        "/accounts/users/new/", new_user_data(hau_giang, Role.SYSTEM_ADMIN)
    ).content.decode()
    assert "Bạn không được cấp vai trò này." in page
    assert not User.objects.filter(username="canbo.vibinh").exists()


def test_the_membership_history_shows_who_granted_and_removed_it(
    province_coordinator, commune_officer, vi_dong
):
    client = client_for(province_coordinator)
    response = client.post(
        f"/accounts/users/{commune_officer.pk}/memberships/",
        {"unit": vi_dong.pk, "role": Role.COMMUNE_OFFICER, "agency": ""},
    )
    assert response.status_code == 302
    granted = commune_officer.memberships.get(unit=vi_dong)
    page = client.get(f"/accounts/users/{commune_officer.pk}/").content.decode()
    assert "Cán bộ cấp xã: Xã Vị Đông" in page
    history = page.split('data-testid="history"')[1]
    assert "Tinh" in history and "Tạo mới" in history and "Xã Vị Đông" in history

    client.post(f"/accounts/users/{commune_officer.pk}/memberships/{granted.pk}/remove/")
    assert not Membership.objects.filter(pk=granted.pk).exists()
    record = Membership.history.filter(id=granted.pk, history_type="-").get()
    assert record.history_user == province_coordinator
    history = client.get(f"/accounts/users/{commune_officer.pk}/").content.decode()
    assert "Xóa" in history.split('data-testid="history"')[1]


def test_granting_the_same_role_twice_is_refused(province_coordinator, commune_officer, vi_binh):
    client = client_for(province_coordinator)
    page = client.post(
        f"/accounts/users/{commune_officer.pk}/memberships/",
        {"unit": vi_binh.pk, "role": Role.COMMUNE_OFFICER},
    ).content.decode()
    assert "Xa đã có vai trò «Cán bộ cấp xã» tại Xã Vị Bình." in page
    assert commune_officer.memberships.count() == 1


def test_a_users_last_role_cannot_be_removed(province_coordinator, commune_officer):
    membership = commune_officer.memberships.get()
    client = client_for(province_coordinator)
    response = client.post(
        f"/accounts/users/{commune_officer.pk}/memberships/{membership.pk}/remove/", follow=True
    )
    assert "Đây là vai trò cuối cùng của Xa" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_coordinator_cannot_remove_their_own_last_coordinator_role(
    province_coordinator, hau_giang
):
    own = province_coordinator.memberships.get()
    services.grant_membership(None, province_coordinator, hau_giang, Role.VIEWER)
    client = client_for(province_coordinator)
    response = client.post(
        f"/accounts/users/{province_coordinator.pk}/memberships/{own.pk}/remove/", follow=True
    )
    assert "Bạn không thể tự gỡ vai trò điều phối cuối cùng của mình" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_deactivating_a_user_prevents_login_and_reactivating_allows_it(
    province_coordinator, commune_officer
):
    coordinator = client_for(province_coordinator)
    response = coordinator.post(f"/accounts/users/{commune_officer.pk}/deactivate/", follow=True)
    assert "Đã khóa tài khoản «xa»." in response.content.decode()
    client, page = log_in("xa", PASSWORD)
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.content.decode()
    assert "_auth_user_id" not in client.session

    history = coordinator.get(f"/accounts/users/{commune_officer.pk}/").content.decode()
    assert "Khóa tài khoản" in history.split('data-testid="history"')[1]

    coordinator.post(f"/accounts/users/{commune_officer.pk}/reactivate/")
    client, page = log_in("xa", PASSWORD)
    assert "_auth_user_id" in client.session


def test_a_deactivated_users_open_session_ends(province_coordinator, commune_officer):
    officer = client_for(commune_officer)
    assert officer.get("/").status_code == 200
    services.deactivate_user(province_coordinator, commune_officer)
    assert officer.get("/").status_code == 302


def test_a_coordinator_cannot_lock_their_own_account(province_coordinator):
    client = client_for(province_coordinator)
    response = client.post(f"/accounts/users/{province_coordinator.pk}/deactivate/", follow=True)
    assert "Bạn không thể tự khóa tài khoản của chính mình." in response.content.decode()
    province_coordinator.refresh_from_db()
    assert province_coordinator.is_active


def test_a_coordinator_resets_a_forgotten_password(province_coordinator, commune_officer):
    client = client_for(province_coordinator)
    url = f"/accounts/users/{commune_officer.pk}/password/"
    page = client.post(url, {"password": "abc", "password_confirm": "abc"}).content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in page
    response = client.post(url, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    _, page = log_in("xa", PASSWORD)
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.content.decode()
    officer, _ = log_in("xa", NEW_PASSWORD)
    assert "_auth_user_id" in officer.session
    history = client.get(f"/accounts/users/{commune_officer.pk}/").content.decode()
    assert "Đặt lại mật khẩu" in history.split('data-testid="history"')[1]


def test_a_coordinator_edits_a_users_profile(province_coordinator, commune_officer):
    client = client_for(province_coordinator)
    url = f"/accounts/users/{commune_officer.pk}/edit/"
    page = client.post(url, {"full_name": "", "email": "sai"}).content.decode()
    assert "Nhập họ và tên." in page and "Địa chỉ thư điện tử không hợp lệ." in page
    response = client.post(
        url,
        {"full_name": "Lê Văn Xã", "position": "Phó Chủ tịch UBND xã", "phone": "", "email": ""},
    )
    assert response.status_code == 302
    commune_officer.refresh_from_db()
    assert commune_officer.full_name == "Lê Văn Xã"
    history = client.get(f"/accounts/users/{commune_officer.pk}/").content.decode()
    assert "Xa" in history and "Lê Văn Xã" in history.split('data-testid="history"')[1]


def test_a_second_profile_edit_from_an_older_page_is_refused(province_coordinator, commune_officer):
    client = client_for(province_coordinator)
    url = f"/accounts/users/{commune_officer.pk}/edit/"
    loaded = commune_officer.version
    first = {"full_name": "Lê Văn Một", "version": loaded}
    assert client.post(url, first).status_code == 302
    # The user edits their own name from a page loaded before the coordinator's save.
    page = client_for(commune_officer).post(
        "/accounts/me/profile/", {"full_name": "Lê Văn Hai", "version": loaded}
    )
    assert "vừa sửa thông tin" in page.content.decode()
    assert "Lê Văn Một" in page.content.decode()
    commune_officer.refresh_from_db()
    assert commune_officer.full_name == "Lê Văn Một"


def test_anyone_changes_their_own_password_on_my_account(commune_officer):
    client = client_for(commune_officer)
    page = client.get("/accounts/me/").content.decode()
    assert "Cán bộ cấp xã" in page and "Xã Vị Bình" in page
    wrong = {"old_password": "sai", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert "Mật khẩu hiện tại không đúng." in client.post("/accounts/me/", wrong).content.decode()
    right = {**wrong, "old_password": PASSWORD}
    response = client.post("/accounts/me/", right, follow=True)
    assert "Đã đổi mật khẩu." in response.content.decode()
    # Still signed in here; the new password works on the login form.
    assert client.get("/").status_code == 200
    other, _ = log_in("xa", NEW_PASSWORD)
    assert "_auth_user_id" in other.session


def test_anyone_edits_their_own_name_but_not_someone_elses(commune_officer, other_commune_officer):
    client = client_for(commune_officer)
    response = client.post("/accounts/me/profile/", {"full_name": "Nguyễn Thị Xã"})
    assert response.status_code == 302
    commune_officer.refresh_from_db()
    assert commune_officer.full_name == "Nguyễn Thị Xã"
    assert client.get(f"/accounts/users/{other_commune_officer.pk}/edit/").status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.update_profile(commune_officer, other_commune_officer, full_name="X")


def test_the_services_refuse_an_actor_who_does_not_manage_the_user(
    district_officer, commune_officer
):
    membership = commune_officer.memberships.get()
    for action in (
        lambda: services.deactivate_user(district_officer, commune_officer),
        lambda: services.reactivate_user(district_officer, commune_officer),
        lambda: services.set_password_by_manager(
            district_officer, commune_officer, password=NEW_PASSWORD
        ),
        lambda: services.update_profile(district_officer, commune_officer, full_name="X"),
        lambda: services.revoke_membership(district_officer, membership),
    ):
        with pytest.raises(services.PermissionDenied):
            action()
    commune_officer.refresh_from_db()
    assert commune_officer.is_active and commune_officer.full_name == "Xa"
