"""Browser test of the recognition flow: the district completes its check, the province is
refused while a criterion fails, then decides; the title page links the decision and shows the
frozen evaluation."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.accounts.models import Role
from nongthon.places.models import Edition, Level, Unit
from nongthon.places.official_lists import load_units
from nongthon.recognition import services
from tests.browser_support import login, shot
from tests.conftest import make_user
from tests.recognition_support import conditions_met, evaluate, load_qd318, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_units(["93"])
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    district = Unit.objects.get(edition=Edition.PRE_2025, level=Level.DISTRICT, code="935")
    vi_binh = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31468")
    make_user("tinh", province, Role.PROVINCE_COORDINATOR)
    make_user("huyen", district, Role.DISTRICT_OFFICER)
    qd318 = load_qd318()
    evaluate(vi_binh, qd318, failing=(17,))
    app = services.register(None, vi_binh, "ntm", 2023, on=dt.date(2023, 9, 1))
    app = conditions_met(walk(app, "district_check"))
    return {"app": app, "vi_binh": vi_binh, "qd318": qd318}


def test_district_checks_province_is_refused_then_decides(page, world):
    app = world["app"]
    login(page, "huyen")
    page.goto(f"/recognition/application/{app.pk}/")
    assert "Thẩm tra của cấp huyện" in page.inner_text("[data-testid=step-district_check]")
    page.fill("[data-testid=step-form] input[name=done_on]", "2023-11-10")
    page.click("[data-testid=step-form] button")
    assert page.get_attribute("[data-testid=step-district_check]", "data-status") == "done"
    assert page.locator("[data-testid=decide-form]").count() == 0

    login(page, "tinh")
    page.goto(f"/recognition/application/{app.pk}/")
    for _ in range(2):  # provincial appraisal, council
        page.click("[data-testid=step-form] button")
    form = "[data-testid=decide-form]"
    page.fill(f"{form} input[name=number]", "88/QĐ-UBND")
    page.fill(f"{form} input[name=date]", "2023-12-20")
    page.fill(f"{form} input[name=signer]", "Chủ tịch UBND tỉnh")
    page.fill(f"{form} input[name=issuer]", "UBND tỉnh Hậu Giang")
    page.click(f"{form} button")
    errors = page.inner_text("[data-testid=form-errors]")
    assert "Đạt đủ các tiêu chí" in errors and "tiêu chí 17" in errors
    shot(page, "recognition-decision-refused")

    evaluate(world["vi_binh"], world["qd318"])  # the commune reaches 19/19
    page.goto(f"/recognition/application/{app.pk}/")
    page.fill(f"{form} input[name=number]", "88/QĐ-UBND")
    page.fill(f"{form} input[name=date]", "2023-12-20")
    page.fill(f"{form} input[name=signer]", "Chủ tịch UBND tỉnh")
    page.fill(f"{form} input[name=issuer]", "UBND tỉnh Hậu Giang")
    page.click(f"{form} button")
    assert page.inner_text("[data-testid=application-status]") == "Đã công nhận"
    page.click("[data-testid=title-link]")
    assert "19/19" in page.inner_text("[data-testid=snapshot-summary]")
    page.click("[data-testid=decision-link]")
    assert "88/QĐ-UBND" in page.inner_text("[data-testid=decision-heading]")
    shot(page, "recognition-decision")
