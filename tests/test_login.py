"""Login safety: argon2 hashes, lock-out after five failures, short sessions, CSRF, POST logout."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD, client_for

ADDRESS = "203.113.10.20"
OTHER_ADDRESS = "14.160.5.6"
LOCKED = "Đăng nhập sai quá nhiều lần"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def attempt(client: Client, username: str, password: str, address: str = ADDRESS):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_passwords_are_stored_with_argon2(argon2_hashing, commune_officer):
    assert commune_officer.password.startswith("argon2")
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_the_login_form_signs_in_and_shows_the_home_page(commune_officer):
    client = Client()
    response = client.post(
        "/login/", {"username": "xa", "password": PASSWORD}, REMOTE_ADDR=ADDRESS, follow=True
    )
    assert signed_in(client)
    assert "Cán bộ cấp xã" in response.content.decode()


def test_a_wrong_password_shows_a_vietnamese_error(commune_officer):
    client = Client()
    response = attempt(client, "xa", "sai-mat-khau")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert not signed_in(client)


def test_five_wrong_passwords_lock_out_even_the_right_one(commune_officer):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert WRONG in attempt(client, "xa", "sai-mat-khau").content.decode()
    # The fifth failure locks at once.
    assert LOCKED in attempt(client, "xa", "sai-mat-khau").content.decode()
    response = attempt(client, "xa", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)


def test_the_lock_out_is_per_user_name_and_address(commune_officer, other_commune_officer):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "xa", "sai-mat-khau")
    # Another user at the same address, and the same user elsewhere, are not locked out.
    other = Client()
    attempt(other, "xakhac", PASSWORD)
    assert signed_in(other)
    elsewhere = Client()
    attempt(elsewhere, "xa", PASSWORD, address=OTHER_ADDRESS)
    assert signed_in(elsewhere)


def test_a_successful_login_before_the_limit_resets_the_count(commune_officer):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "xa", "sai-mat-khau")
    attempt(client, "xa", PASSWORD)
    assert signed_in(client)
    client.post("/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "xa", "sai-mat-khau")
    attempt(client, "xa", PASSWORD)
    assert signed_in(client)


def test_sessions_last_at_most_a_working_day_and_end_with_the_browser():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_the_session_cookie_is_a_browser_session_cookie(commune_officer):
    client = Client()
    attempt(client, "xa", PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_a_post_without_csrf_token_is_refused(commune_officer, province_coordinator):
    client = Client(enforce_csrf_checks=True)
    response = attempt(client, "xa", PASSWORD)
    assert response.status_code == 403
    assert not signed_in(client)
    coordinator = Client(enforce_csrf_checks=True)
    coordinator.force_login(province_coordinator)
    response = coordinator.post(f"/accounts/users/{commune_officer.pk}/deactivate/")
    assert response.status_code == 403
    commune_officer.refresh_from_db()
    assert commune_officer.is_active


def test_the_login_form_carries_a_csrf_token_that_is_accepted(commune_officer):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    client.post(
        "/login/",
        {"username": "xa", "password": PASSWORD, "csrfmiddlewaretoken": token},
        REMOTE_ADDR=ADDRESS,
    )
    assert signed_in(client)


def test_logout_requires_post(commune_officer):
    client = client_for(commune_officer)
    assert client.get("/logout/").status_code == 405
    assert signed_in(client)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert not signed_in(client)
    assert client.get("/").status_code == 302


def test_pages_ask_for_login_first(db):
    response = Client().get("/accounts/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
