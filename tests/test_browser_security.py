"""In Debian's Chromium, under the Content-Security-Policy: pages load without a single CSP
violation, and what inline handlers used to do still works from site.js (language switch,
confirmation before removing a role, the status filter that submits itself)."""

from __future__ import annotations

import pytest

from nongthon.accounts.models import Role
from nongthon.places.models import Edition, Level, Unit
from nongthon.places.official_lists import load_units
from tests.browser_support import login
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_units(["93"])
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    vi_binh = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31468")
    make_user("tinh", province, Role.PROVINCE_COORDINATOR)
    other = make_user("xa", vi_binh, Role.COMMUNE_OFFICER)
    return {"other": other}


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return violations


def test_pages_run_under_the_csp_and_the_handlers_work_from_site_js(page, world):
    violations = watch_csp(page)
    login(page, "tinh")
    for path in ("/", "/units/", "/accounts/users/", "/ocop/san-pham/", "/criteria/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    # The status filter submits itself on change (data-autosubmit).
    page.goto("/accounts/users/")
    with page.expect_navigation():
        page.select_option("select[name=status]", index=1)
    assert "status=" in page.url
    # Removing a role asks first (data-confirm): dismissed, nothing happens; accepted, it goes.
    page.goto(f"/accounts/users/{world['other'].pk}/")
    remove = page.locator("button[data-confirm]").last
    page.once("dialog", lambda d: d.dismiss())
    remove.click()
    assert page.url.endswith(f"/accounts/users/{world['other'].pk}/")
    assert world["other"].memberships.count() == 1
    # The language menu switches without an inline handler.
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations == []
