"""In Debian's Chromium: a commune officer fills in and sends the monthly report of March 2023,
the district officer reads it in the review queue and accepts it; the report is then frozen."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.accounts.models import Role
from nongthon.places.models import Edition, Level, Unit
from nongthon.places.official_lists import load_units
from nongthon.reporting import services
from nongthon.reporting.models import Status, Submission
from tests.browser_support import login, shot
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_units(["93"])
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    services.ensure_periods(province, 2023, today=dt.date(2023, 1, 1))
    vi_binh = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31468")
    make_user("xa", vi_binh, Role.COMMUNE_OFFICER)
    make_user("huyen", vi_binh.district, Role.DISTRICT_OFFICER)
    return {"commune": vi_binh}


def test_a_commune_sends_its_report_and_the_district_accepts_it(page, browser, world):
    commune = world["commune"]
    login(page, "xa")
    page.click("nav >> text=Báo cáo")
    page.click(f"text={commune.name}")
    # Hậu Giang's pre-2025 units ended in 2025: the page opens on their last reporting year.
    assert page.input_value("#year") == "2023"
    row = (
        page.locator("[data-testid=own-report]")
        .filter(has_text="Tháng 3/2023")
        .filter(has_text="Báo cáo tháng của xã")
    )
    row.locator("[data-testid=open-report]").click()
    page.wait_for_selector("[data-testid=report-form]")
    page.fill("#id_typed_htx_kien_toan", "2")
    page.fill("#id_typed_nguoi_tap_huan", "1.250")
    page.fill("#id_typed_xuc_tien_thuong_mai", "1")
    page.fill("#id_text_ket_qua", "Hoàn thành các nội dung của tháng.")
    page.fill("#id_text_kho_khan", "Thiếu vốn đối ứng.")
    shot(page, "reporting-commune-fills-in")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=status][data-status=submitted]")
    assert "Đã gửi báo cáo" in page.inner_text("main")
    shot(page, "reporting-commune-sent")

    other = browser.new_context(base_url=page.url.split("/reporting")[0], locale="vi-VN")
    district = other.new_page()
    login(district, "huyen")
    district.goto(f"/reporting/{commune.district_id}/")
    district.click("[data-testid=review-queue] >> text=Xem xét")
    assert "Thiếu vốn đối ứng." in district.inner_text("[data-testid=text-kho_khan]")
    typed = district.locator("[data-testid=figure][data-code=nguoi_tap_huan] [data-testid=value]")
    assert typed.inner_text() == "1.250"
    district.fill("#id_comment", "Báo cáo đầy đủ.")
    district.click("[data-testid=accept]")
    district.wait_for_selector("[data-testid=status][data-status=accepted]")
    assert district.locator("[data-testid=frozen]").count() == 1
    assert "Báo cáo đầy đủ." in district.inner_text("[data-testid=events]")
    shot(district, "reporting-district-accepted")
    other.close()

    submission = Submission.objects.get(unit=commune, period__rule_code="xa-thang")
    assert submission.status == Status.ACCEPTED
    assert submission.snapshot["typed"]["nguoi_tap_huan"] == 1250
