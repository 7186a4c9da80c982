"""In Chromium: a council member scores a product on the official sheet, the coordination office
closes the result and records the decision, and an anonymous visitor finds the product in the
public catalogue, with its star and validity and nothing private."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.accounts.models import Role
from nongthon.ocop import services
from nongthon.places.models import Edition, Level, Unit
from nongthon.places.official_lists import load_units
from tests.browser_support import login, shot
from tests.conftest import make_user
from tests.ocop_support import SECRET_EMAIL, SECRET_PHONE, producer_at, product_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_units(["93"])
    services.load_shipped_sheets()
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    vi_binh = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31468")
    make_user("tinh", province, Role.PROVINCE_COORDINATOR)
    member = make_user("hoidong", province, Role.OCOP_COUNCIL)
    council = services.create_council(
        None,
        name="Hội đồng OCOP tỉnh Hậu Giang",
        level="province",
        unit=province,
        members=[member],
    )
    today = dt.date.today()
    round_ = services.create_round(
        None,
        council=council,
        name="Đợt thử",
        evaluated_on=today,
        deadline=today + dt.timedelta(days=30),
    )
    product = product_of(producer_at(vi_binh))
    evaluation = services.add_to_round(None, round=round_, product=product)
    return {"evaluation": evaluation, "product": product}


def test_score_certify_and_find_it_in_the_public_catalogue(page, world, browser, live_server):
    evaluation = world["evaluation"]
    login(page, "hoidong")
    page.goto(f"/ocop/evaluations/{evaluation.pk}/score/")
    # Tick the highest option of every criterion, then one step lower on 4.1 (★5 minimum).
    page.evaluate(
        """() => {
          const groups = {};
          document.querySelectorAll('input[type=radio]').forEach(r => {
            (groups[r.name] = groups[r.name] || []).push(r);
          });
          Object.values(groups).forEach(list => list[list.length - 1].click());
          const g = groups['c-4.1']; g[g.length - 2].click();
        }"""
    )
    page.click("button[value=submit]")
    assert page.inner_text("[data-testid=my-total]") == "98,00"
    shot(page, "ocop-member-score")
    page.context.clear_cookies()

    login(page, "tinh")
    page.goto(f"/ocop/evaluations/{evaluation.pk}/")
    page.click("button[value=finalize]")
    assert "98,00" in page.inner_text("[data-testid=total]")
    assert "4.1" in page.inner_text("[data-testid=blockers]")  # held at 4 stars by 4.1
    page.fill("#id_decision_no", "123/QĐ-UBND")
    page.fill("#id_decision_date", dt.date.today().isoformat())
    page.click("text=Ghi quyết định công nhận")
    shot(page, "ocop-result")

    anonymous = browser.new_context(base_url=live_server.url, locale="vi-VN").new_page()
    anonymous.goto("/ocop/san-pham/?q=buoi")
    anonymous.click("text=Bưởi da xanh")
    text = anonymous.inner_text("main")
    assert "★★★★" in text and "123/QĐ-UBND" in text and "Còn hiệu lực" in text
    for private in (SECRET_PHONE, SECRET_EMAIL, "Hội đồng OCOP", "98,00", "hoidong", "Hoidong"):
        assert private not in anonymous.content(), private
    # The QR image loads after the page: wait for it (a broken image never gets a width).
    anonymous.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=qr]');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    shot(anonymous, "ocop-public-product")
    anonymous.context.close()
