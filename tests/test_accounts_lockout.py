"""Lockout after repeated failed logins: the Vietnamese message, the user page showing it, and
the coordinator or admin lifting it (recorded in the account's history)."""

from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD, client_for

ADDRESS = "203.113.10.21"


def fail_until_locked(username: str) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": username, "password": "sai"}, REMOTE_ADDR=ADDRESS)


def try_login(username: str) -> Client:
    client = Client()
    client.post("/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
    return client


def test_a_locked_out_user_reads_a_vietnamese_message_with_status_429(commune_officer):
    fail_until_locked("xa")
    client = Client()
    response = client.post("/login/", {"username": "xa", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page and "liên hệ quản trị" in page


def test_the_coordinator_sees_the_lockout_and_lifts_it(province_coordinator, commune_officer):
    fail_until_locked("xa")
    coordinator = client_for(province_coordinator)
    page = coordinator.get(f"/accounts/users/{commune_officer.pk}/").content.decode()
    assert "Đang bị tạm khóa đăng nhập" in page
    assert 'data-testid="unlock-login"' in page
    response = coordinator.post(f"/accounts/users/{commune_officer.pk}/unlock-login/")
    assert response.status_code == 302
    assert "_auth_user_id" in try_login("xa").session
    page = coordinator.get(f"/accounts/users/{commune_officer.pk}/").content.decode()
    assert "Không bị khóa đăng nhập." in page
    assert "Mở khóa đăng nhập sau nhiều lần nhập sai" in page.split('data-testid="history"')[1]


def test_unlocking_is_refused_to_others(
    province_coordinator, commune_officer, other_commune_officer, can_tho
):
    from nongthon.accounts.models import Role
    from tests.conftest import make_user

    fail_until_locked("xa")
    url = f"/accounts/users/{commune_officer.pk}/unlock-login/"
    assert client_for(other_commune_officer).post(url).status_code == 403
    far = make_user("tpct", can_tho, Role.PROVINCE_COORDINATOR)
    assert client_for(far).post(url).status_code == 404
    assert client_for(commune_officer).post(url).status_code == 403
    assert client_for(province_coordinator).get(url).status_code == 405
    assert "_auth_user_id" not in try_login("xa").session
