"""In Debian's Chromium: each role logs in and sees only what it may; browse to a commune; search
without diacritics. Live-server tests flush the database, so each test loads its own data."""

from __future__ import annotations

import pytest

from nongthon.accounts.models import Role
from nongthon.places.models import Edition, Hamlet, HamletKind, Level, Unit
from nongthon.places.official_lists import load_units
from tests.browser_support import login, shot
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_units(["93"])
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    district = Unit.objects.get(edition=Edition.PRE_2025, level=Level.DISTRICT, code="935")
    vi_binh = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31468")
    vi_dong = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31462")
    Hamlet(commune=vi_binh, name="Ấp Vị Bình 1", kind=HamletKind.AP).save()
    Hamlet(commune=vi_dong, name="Ấp Vị Đông 1", kind=HamletKind.AP).save()
    make_user("tinh", province, Role.PROVINCE_COORDINATOR)
    make_user("huyen", district, Role.DISTRICT_OFFICER)
    make_user("xa", vi_binh, Role.COMMUNE_OFFICER)
    make_user("xem", province, Role.VIEWER)
    return {"vi_binh": vi_binh, "vi_dong": vi_dong}


def test_commune_officer_sees_own_hamlets_and_not_the_neighbours(page, world):
    login(page, "xa")
    assert "Cán bộ cấp xã" in page.inner_text("[data-testid=memberships]")
    nav = page.text_content("nav")
    assert "Người dùng" not in nav and "Lịch sử thay đổi" not in nav
    page.goto(f"/units/{world['vi_binh'].pk}/")
    assert "Ấp Vị Bình 1" in page.inner_text("[data-testid=hamlets]")
    shot(page, "commune-officer-own-commune")
    page.goto(f"/units/{world['vi_dong'].pk}/")
    assert page.locator("[data-testid=hamlets]").count() == 0
    assert "Ấp Vị Đông 1" not in page.content()


def test_district_officer_sees_hamlets_of_the_district_and_its_history(page, world):
    login(page, "huyen")
    page.goto(f"/units/{world['vi_dong'].pk}/")
    assert "Ấp Vị Đông 1" in page.inner_text("[data-testid=hamlets]")
    assert "Lịch sử thay đổi" in page.text_content("nav")
    assert "Người dùng" not in page.text_content("nav")


def test_province_coordinator_has_users_and_history(page, world):
    login(page, "tinh")
    nav = page.text_content("nav")
    assert "Người dùng" in nav and "Lịch sử thay đổi" in nav
    # They sit in the "Quản trị" drop-down, which opens on click.
    page.click("[data-testid=nav-admin]")
    page.click("nav >> text=Người dùng")
    page.wait_for_url("**/accounts/users/**")


def test_viewer_sees_but_has_no_management_menus(page, world):
    login(page, "xem")
    nav = page.text_content("nav")
    assert "Người dùng" not in nav and "Lịch sử thay đổi" not in nav
    page.goto(f"/units/{world['vi_binh'].pk}/")
    assert "Ấp Vị Bình 1" in page.inner_text("[data-testid=hamlets]")


def test_browse_from_province_to_commune_and_see_where_it_went(page, world):
    login(page, "xem")
    page.goto("/units/?edition=pre2025")
    page.click("text=Tỉnh Hậu Giang")
    page.click("text=Huyện Vị Thủy")
    page.click("text=Xã Vị Bình")
    assert page.inner_text("[data-testid=unit-name]") == "Xã Vị Bình"
    assert "Xã Vị Thanh 1" in page.inner_text("[data-testid=became-part-of]")
    shot(page, "commune-page")
    page.click("[data-testid=became-part-of] >> text=Xã Vị Thanh 1")
    assert "Xã Vị Bình" in page.inner_text("[data-testid=formed-from]")


def test_search_without_diacritics_finds_the_commune(page, world):
    login(page, "xem")
    page.goto("/units/?edition=pre2025")
    page.fill("[data-testid=unit-search]", "vi binh")
    page.wait_for_selector("[data-testid=search-results] >> text=Xã Vị Bình")
    shot(page, "search")
    page.click("[data-testid=search-results] >> text=Xã Vị Bình")
    assert page.inner_text("[data-testid=unit-name]") == "Xã Vị Bình"
