"""Two-factor authentication: enrolment with a QR code and the key, a code before activation,
backup codes, a code after every password, and the requirement for coordinators and admins."""

import re
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from nongthon.accounts import two_factor
from tests.conftest import PASSWORD, client_for


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def log_in(username: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def enrol(client: Client, user) -> list[str]:
    page = client.get("/accounts/2fa/setup/").content.decode()
    assert "<svg" in page and 'data-testid="2fa-secret"' in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/2fa/setup/", {"token": code(device)})
    return re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())


def test_enrolment_shows_the_qr_code_and_key_and_activates_only_with_a_code(commune_officer):
    client = client_for(commune_officer)
    page = client.get("/accounts/2fa/setup/").content.decode()
    device = TOTPDevice.objects.get(user=commune_officer)
    secret = re.search(r'data-testid="2fa-secret">([A-Z2-7 ]+)<', page).group(1)
    assert secret.replace(" ", "") in device.config_url
    page = client.post("/accounts/2fa/setup/", {"token": "000000"}).content.decode()
    assert "Mã không đúng." in page
    assert not two_factor.has_device(commune_officer)
    response = client.post("/accounts/2fa/setup/", {"token": code(device)})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    assert two_factor.has_device(commune_officer)
    history = commune_officer.history.first()
    assert history.history_change_reason == "Bật xác thực hai bước"


def test_with_a_device_the_password_is_not_enough(settings, commune_officer):
    # No wait between tries here (django-otp's throttle has its own test below).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    enrol(client_for(commune_officer), commune_officer)
    client = log_in("xa")
    response = client.get("/plans/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/verify/?next=")
    page = client.post("/accounts/2fa/verify/", {"token": "123456", "next": "/plans/"})
    assert "Mã không đúng hoặc đã hết hạn." in page.content.decode()
    device = TOTPDevice.objects.get(user=commune_officer)
    response = client.post("/accounts/2fa/verify/", {"token": code(device, 1), "next": "/plans/"})
    assert response["Location"] == "/plans/"
    assert client.get("/plans/").status_code == 200


def test_wrong_codes_in_a_row_make_the_user_wait(commune_officer):
    enrol(client_for(commune_officer), commune_officer)
    client = log_in("xa")
    client.post("/accounts/2fa/verify/", {"token": "000000"})
    device = TOTPDevice.objects.get(user=commune_officer)
    # Even the right code waits until the throttle (1 s, then doubling) has passed.
    page = client.post("/accounts/2fa/verify/", {"token": code(device, 1)}).content.decode()
    assert "Nhập sai nhiều lần: chờ ít phút rồi thử lại." in page
    assert client.get("/").status_code == 302


def test_a_backup_code_works_once(commune_officer):
    codes = enrol(client_for(commune_officer), commune_officer)
    client = log_in("xa")
    assert client.post("/accounts/2fa/verify/", {"token": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    again = log_in("xa")
    page = again.post("/accounts/2fa/verify/", {"token": codes[0]}).content.decode()
    assert "Mã không đúng hoặc đã hết hạn." in page
    assert again.get("/").status_code == 302


def test_the_verify_page_does_not_leave_for_another_site(commune_officer):
    codes = enrol(client_for(commune_officer), commune_officer)
    client = log_in("xa")
    response = client.post(
        "/accounts/2fa/verify/", {"token": codes[1], "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_coordinators_and_admins_must_enrol_when_required(
    settings, province_coordinator, system_admin, commune_officer
):
    settings.NONGTHON_REQUIRE_2FA = True
    for name in ("tinh", "quantri"):
        client = log_in(name)
        response = client.get("/accounts/users/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/setup/")
        page = client.get("/accounts/2fa/setup/").content.decode()
        assert "Vai trò của bạn bắt buộc dùng xác thực hai bước" in page
    # Other roles are not asked.
    assert log_in("xa").get("/").status_code == 200
    # Once enrolled, the coordinator goes on; turning it off is refused.
    client = log_in("tinh")
    enrol(client, province_coordinator)
    assert client.get("/accounts/users/").status_code == 200
    response = client.post("/accounts/2fa/disable/", follow=True)
    assert "Vai trò của bạn bắt buộc dùng xác thực hai bước." in response.content.decode()
    assert two_factor.has_device(province_coordinator)


def test_not_required_by_default_outside_production(settings, province_coordinator):
    assert settings.NONGTHON_REQUIRE_2FA is False
    assert log_in("tinh").get("/accounts/users/").status_code == 200


def test_the_gate_lets_through_only_logout_and_the_code_page(settings, province_coordinator):
    settings.NONGTHON_REQUIRE_2FA = True
    client = log_in("tinh")
    for path in ("/", "/audit/", "/accounts/me/", "/admin/", "/plans/"):
        assert client.get(path).status_code == 302, path
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_user_who_is_not_required_may_turn_it_off(commune_officer):
    client = client_for(commune_officer)
    enrol(client, commune_officer)
    assert client.post("/accounts/2fa/disable/").status_code == 302
    assert not TOTPDevice.objects.filter(user=commune_officer).exists()
    assert not StaticDevice.objects.filter(user=commune_officer).exists()
    assert log_in("xa").get("/").status_code == 200


def test_a_manager_resets_a_lost_device_but_nobody_else(
    province_coordinator, commune_officer, other_commune_officer
):
    enrol(client_for(commune_officer), commune_officer)
    url = f"/accounts/users/{commune_officer.pk}/reset-2fa/"
    assert client_for(other_commune_officer).post(url).status_code == 403
    assert two_factor.has_device(commune_officer)
    page = client_for(province_coordinator).get(f"/accounts/users/{commune_officer.pk}/")
    assert 'data-testid="reset-2fa"' in page.content.decode()
    assert client_for(province_coordinator).post(url).status_code == 302
    assert not two_factor.has_device(commune_officer)
    reasons = [h.history_change_reason for h in commune_officer.history.all()]
    assert "Đặt lại xác thực hai bước" in reasons


def test_nobody_resets_their_own_second_factor_from_the_user_page(system_admin):
    client = client_for(system_admin)
    enrol(client, system_admin)
    url = f"/accounts/users/{system_admin.pk}/reset-2fa/"
    assert client.post(url).status_code == 404
    assert two_factor.has_device(system_admin)


@pytest.mark.parametrize("path", ["/accounts/2fa/setup/", "/accounts/2fa/verify/"])
def test_the_pages_ask_for_a_login_first(client, path):
    assert client.get(path)["Location"].startswith("/login/")


def test_a_session_waiting_for_a_code_is_released_when_the_device_is_reset(
    province_coordinator, commune_officer
):
    enrol(client_for(commune_officer), commune_officer)
    client = log_in("xa")
    assert client.get("/").status_code == 302
    client_for(province_coordinator).post(f"/accounts/users/{commune_officer.pk}/reset-2fa/")
    assert client.get("/accounts/2fa/verify/").status_code == 302
    assert client.get("/").status_code == 200
