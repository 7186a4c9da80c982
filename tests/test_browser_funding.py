"""In Debian's Chromium: the coordinator reads the 2022 funding in triệu then tỷ đồng, opens the
distance to standard at the end of 2022, runs a what-if and proposes next year's targets."""

from __future__ import annotations

import pytest

from nongthon.accounts.models import Role
from nongthon.catalogue.services import active_set, load_national_sets
from nongthon.demo.assessment_data import build_values
from nongthon.demo.funding_data import build_funding
from nongthon.places.models import Edition, Level, Unit
from nongthon.places.official_lists import load_units
from tests.browser_support import login, shot
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_units(["93"])
    load_national_sets()
    qd318 = active_set("qd318-xa-ntm")
    build_values(qd318, lambda _m: None)
    build_funding(qd318.family, lambda _m: None)
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    make_user("tinh", province, Role.PROVINCE_COORDINATOR)
    return {"province": province}


def test_coordinator_reads_funding_and_the_distance_to_standard(page, world):
    login(page, "tinh")
    page.click("nav >> text=Nguồn vốn")
    page.click("text=nguồn vốn 2022")
    total = page.inner_text("[data-testid=total-row] [data-kind=planned]")
    assert total == "6.259.605"
    assert "Khớp" in page.inner_text("[data-testid=stated-checks]")
    page.select_option("#money-unit", "ty")
    page.wait_for_url("**money=ty**")
    assert page.inner_text("[data-testid=total-row] [data-kind=planned]") == "6.259,605"
    shot(page, "funding-2022-ty")

    # The 2023 plan is written from the distance at the end of 2022.
    page.goto(f"/funding/{world['province'].pk}/2023/")
    page.click("[data-testid=distance-link]")
    rows = page.locator("[data-testid=distance-row]")
    first = [rows.nth(i).get_attribute("data-unit") for i in range(6)]
    assert set(first[:3]) == {"Phú Hữu", "Phú Tân", "Vị Bình"}
    assert set(first[3:]) == {"Tân Bình", "Vĩnh Viễn A", "Vị Đông"}
    for i in range(3):
        rows.nth(i).locator("input[name=work]").first.check()
    page.click("[data-testid=what-if-submit]")
    assert page.inner_text("[data-testid=after-at-standard]") == "40/51"
    shot(page, "funding-what-if")

    page.click("[data-testid=targets-link]")
    kinds = page.locator("[data-testid=target-row][data-kind=recognise]")
    assert kinds.count() == 3
