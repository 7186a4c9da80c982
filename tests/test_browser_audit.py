"""In Debian's Chromium: a province coordinator who must use two-factor authentication enrols
with the QR page, then reads the audit log of the province filtered by a commune."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from nongthon.accounts.models import Role
from nongthon.places.models import Edition, Hamlet, HamletKind, Level, Unit
from nongthon.places.official_lists import load_units
from tests.browser_support import shot
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_units(["93"])
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    vi_binh = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31468")
    officer = make_user("xa", vi_binh, Role.COMMUNE_OFFICER)
    hamlet = Hamlet(commune=vi_binh, name="Ấp Vị Bình 1", kind=HamletKind.AP)
    hamlet._history_user = officer
    hamlet.save()
    hamlet.name = "Ấp Vị Bình Một"
    hamlet._history_user = officer
    hamlet.save()
    return {"coordinator": make_user("tinh", province, Role.PROVINCE_COORDINATOR)}


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_coordinator_enrols_then_reads_the_provinces_audit_log(page, world, settings):
    settings.NONGTHON_REQUIRE_2FA = True
    page.goto("/login/")
    page.fill("#id_username", "tinh")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector('[data-testid="2fa-required"]')
    assert page.locator('[data-testid="2fa-qr"] svg').count() == 1
    shot(page, "two-factor-enrolment")
    page.fill("#id_token", current_code(world["coordinator"]))
    page.click("button[type=submit]")
    assert page.locator("[data-testid=backup-codes] li").count() == 10
    page.click("text=Tôi đã lưu các mã, tiếp tục")
    page.wait_for_selector("[data-testid=current-user]")
    page.click("[data-testid=nav-admin]")
    page.click("nav >> text=Nhật ký hệ thống")
    page.fill("#id_unit_q", "vi binh")
    page.click(
        "[data-testid=audit-filters] button[type=submit], [data-testid=audit-filters] button"
    )
    table = page.inner_text("[data-testid=audit-log]")
    assert "Ấp Vị Bình 1" in table and "Ấp Vị Bình Một" in table
    assert "Xa" in table
    shot(page, "audit-log")
