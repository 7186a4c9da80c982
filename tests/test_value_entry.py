"""The data-entry page: a unit's indicator values of one year, grouped by criterion, with the
threshold that applies to the unit, verdicts as you type (a preview that writes nothing), and a
save that is all-or-nothing, refused when someone else changed a value meanwhile."""

import html
import re

import pytest
from django.urls import reverse

from nongthon.assessment.models import IndicatorValue, UnitProfile
from nongthon.assessment.services import ValueEntry, save_values
from tests.conftest import client_for
from tests.form_support import read_form

YEAR = 2023


def text(response) -> str:
    """What the user reads: tags dropped, entities decoded, whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def form_data(response, typed: dict[str, str]) -> dict[str, str]:
    """The page's form as loaded, with what the user typed ({"3.1-value": "78,5"})."""
    data = read_form(response, id="entry-form").data
    assert set(typed) <= set(data), "no such field on the page"
    return {**data, **typed}


def entry_url(unit, family, year=YEAR) -> str:
    return reverse("assessment:entry_page", args=[unit.pk, year, family])


def preview_url(unit, family, year=YEAR) -> str:
    return reverse("assessment:entry_preview", args=[unit.pk, year, family])


@pytest.fixture
def family(tiny_set) -> str:
    return tiny_set.family


def stored(unit, code: str) -> IndicatorValue | None:
    return IndicatorValue.objects.filter(unit=unit, year=YEAR, indicator_code=code).first()


def test_it_shows_each_indicator_with_the_threshold_that_applies_to_the_commune(
    vi_binh, family, commune_officer
):
    response = client_for(commune_officer).get(entry_url(vi_binh, family))
    assert response.status_code == 200
    page = text(response)
    assert "Số liệu chỉ tiêu năm 2023" in page
    assert "II. Hạ tầng kinh tế - xã hội" in page
    assert "3. Thủy lợi và phòng, chống thiên tai" in page
    assert "≥ 80% vùng Đồng bằng sông Cửu Long · Bộ thử nghiệm" in page
    row = re.search(r'data-testid="indicator-10">(.*?)</tr>', response.content.decode(), re.S)
    assert "đánh giá thủ công" in row.group(1)
    assert 'name="10-hand_verdict"' in row.group(1)
    assert "Đồng bằng sông Cửu Long — theo vùng kinh tế - xã hội của tỉnh" in page
    assert "3.1 thiếu số liệu" in page


def test_a_flagged_commune_is_shown_the_northern_mountain_threshold_and_why(
    vi_binh, family, commune_officer
):
    UnitProfile.objects.create(unit=vi_binh, year=YEAR, flags=["dbkk"])
    page = text(client_for(commune_officer).get(entry_url(vi_binh, family)))
    assert "≥ 70% vùng Trung du và miền núi phía Bắc" in page
    assert "áp dụng mức vùng TDMNPB theo QĐ 318/QĐ-TTg, Điều 1 (Xã đặc biệt khó khăn)" in page
    assert "≥ 80%" not in page


def test_commune_officer_enters_values_and_sees_the_verdicts_with_their_reasons(
    vi_binh, family, commune_officer
):
    client = client_for(commune_officer)
    data = form_data(
        client.get(entry_url(vi_binh, family)),
        {
            "3.1-value": "78,5",
            "3.2-value": "1",
            "10-value": "46,3",
            "10-hand_verdict": "1",
            "10-hand_reason": "Theo báo cáo của Chi cục Thống kê",
            "3.1-note": "Số liệu vụ Đông Xuân",
        },
    )
    response = client.post(entry_url(vi_binh, family), data, follow=True)
    page = text(response)
    assert "Đã lưu 3 chỉ tiêu: 3.1, 3.2, 10. Kết quả: đạt 1/2 tiêu chí." in page
    assert "3.1 chưa đạt: 78,5% < 80%, vùng Đồng bằng sông Cửu Long" in page
    assert "Tiêu chí 3 chưa đạt: 3.1 chưa đạt" in page
    assert "10 đạt (đánh giá thủ công): Theo báo cáo của Chi cục Thống kê" in page
    assert "Đạt 1/2 tiêu chí" in page
    value = stored(vi_binh, "3.1")
    assert str(value.value_number.normalize()) == "78.5"
    assert value.note == "Số liệu vụ Đông Xuân"
    assert value.entered_by == commune_officer
    assert stored(vi_binh, "3.2").value_bool is True
    income = stored(vi_binh, "10")
    assert income.hand_verdict is True
    assert str(income.value_number.normalize()) == "46.3"
    # Who entered it and when, on the row; the number shown back with a decimal comma.
    row = re.search(r'data-testid="indicator-3.1">(.*?)</tr>', response.content.decode(), re.S)
    assert "Xa" in row.group(1)
    assert 'value="78,5"' in row.group(1)


def test_a_hand_verdict_of_not_met_gives_its_reason(vi_binh, family, commune_officer):
    client = client_for(commune_officer)
    data = form_data(
        client.get(entry_url(vi_binh, family)),
        {"10-hand_verdict": "0", "10-hand_reason": "Thu nhập 38 triệu đồng, thấp hơn mức của tỉnh"},
    )
    page = text(client.post(entry_url(vi_binh, family), data, follow=True))
    assert "Tiêu chí 10 chưa đạt: 10 chưa đạt (đánh giá thủ công): Thu nhập 38 triệu đồng" in page
    assert stored(vi_binh, "10").hand_verdict is False


def test_the_preview_judges_the_typed_values_and_saves_nothing(vi_binh, family, commune_officer):
    client = client_for(commune_officer)
    data = form_data(
        client.get(entry_url(vi_binh, family)),
        {"3.1-value": "85", "3.2-value": "1", "10-value": ""},
    )
    response = client.post(preview_url(vi_binh, family), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    content = response.content.decode()
    page = text(response)
    assert "Đạt 1/2 tiêu chí" in page
    assert "xem trước, chưa lưu" in page
    assert "3.1 đạt: 85% ≥ 80%" in page
    assert "Tiêu chí 3 đạt: 2/2 chỉ tiêu đạt" in page
    assert 'id="verdict-3_1" data-testid="verdict-3.1" data-status="met" hx-swap-oob="true"' in (
        content
    )
    assert IndicatorValue.objects.filter(unit=vi_binh).count() == 0


def test_the_preview_says_what_is_wrong_with_a_typed_value_row_by_row(
    vi_binh, family, commune_officer
):
    client = client_for(commune_officer)
    data = form_data(client.get(entry_url(vi_binh, family)), {"3.1-value": "abc"})
    page = text(client.post(preview_url(vi_binh, family), data))
    assert "Chỉ tiêu 3.1: «abc» không phải số." in page
    assert IndicatorValue.objects.filter(unit=vi_binh).count() == 0


def test_the_page_asks_for_previews_as_the_user_types(vi_binh, family, commune_officer):
    content = client_for(commune_officer).get(entry_url(vi_binh, family)).content.decode()
    assert f'hx-post="{preview_url(vi_binh, family)}"' in content
    assert 'hx-trigger="input delay:500ms, change"' in content


def test_it_refuses_other_communes_values_with_a_404_and_changes_nothing(
    vi_binh, family, commune_officer, other_commune_officer
):
    save_values(None, unit=vi_binh, year=YEAR, family=family, entries=[ValueEntry("3.1", "90")])
    client = client_for(other_commune_officer)
    assert client.get(entry_url(vi_binh, family)).status_code == 404
    data = {"3.1-value": "10", "3.1-version": "1"}
    assert client.post(entry_url(vi_binh, family), data).status_code == 404
    assert client.post(preview_url(vi_binh, family), data).status_code == 404
    value = stored(vi_binh, "3.1")
    assert value.value_number == 90 and value.version == 1


def test_the_district_officer_of_the_district_edits_its_communes_values(
    vi_binh, family, district_officer
):
    client = client_for(district_officer)
    data = form_data(client.get(entry_url(vi_binh, family)), {"3.1-value": "82"})
    page = text(client.post(entry_url(vi_binh, family), data, follow=True))
    assert "Đã lưu 1 chỉ tiêu: 3.1." in page
    assert stored(vi_binh, "3.1").entered_by == district_officer


def test_a_viewer_sees_the_values_read_only_and_may_not_post(vi_binh, family, viewer):
    save_values(None, unit=vi_binh, year=YEAR, family=family, entries=[ValueEntry("3.1", "90")])
    client = client_for(viewer)
    response = client.get(entry_url(vi_binh, family))
    assert response.status_code == 200
    form = read_form(response, id="entry-form")
    assert {"3.1-value", "3.2-value", "10-hand_verdict"} <= form.disabled
    assert 'data-testid="save"' not in response.content.decode()
    assert "hx-post" not in response.content.decode()
    assert "Bạn chỉ được xem số liệu của đơn vị này, không được sửa." in text(response)
    assert "3.1 đạt: 90% ≥ 80%" in text(response)
    data = {"3.1-value": "10", "3.1-version": "1"}
    assert client.post(entry_url(vi_binh, family), data).status_code == 403
    assert client.post(preview_url(vi_binh, family), data).status_code == 403
    assert stored(vi_binh, "3.1").value_number == 90


def test_a_second_save_from_a_page_loaded_before_the_first_is_refused_naming_who_changed_it(
    vi_binh, family, commune_officer, district_officer
):
    save_values(None, unit=vi_binh, year=YEAR, family=family, entries=[ValueEntry("3.1", "75")])
    first, second = client_for(commune_officer), client_for(district_officer)
    first_page = first.get(entry_url(vi_binh, family))
    second_page = second.get(entry_url(vi_binh, family))

    first.post(entry_url(vi_binh, family), form_data(first_page, {"3.1-value": "85"}))
    response = second.post(
        entry_url(vi_binh, family), form_data(second_page, {"3.1-value": "70", "3.2-value": "1"})
    )

    assert response.status_code == 200
    page = text(response)
    assert "Chưa lưu số liệu nào" in page
    assert "Chỉ tiêu 3.1 vừa được Xa sửa lúc" in page
    assert "(giá trị hiện tại: 85)" in page
    value = stored(vi_binh, "3.1")
    assert value.value_number == 85 and value.entered_by == commune_officer
    assert stored(vi_binh, "3.2") is None


def test_a_row_left_untouched_does_not_undo_what_someone_else_saved_meanwhile(
    vi_binh, family, commune_officer, district_officer
):
    save_values(None, unit=vi_binh, year=YEAR, family=family, entries=[ValueEntry("3.1", "75")])
    first, second = client_for(commune_officer), client_for(district_officer)
    first_page = first.get(entry_url(vi_binh, family))
    second_page = second.get(entry_url(vi_binh, family))

    first.post(entry_url(vi_binh, family), form_data(first_page, {"3.1-value": "85"}))
    page = text(
        second.post(
            entry_url(vi_binh, family), form_data(second_page, {"3.2-value": "1"}), follow=True
        )
    )

    assert "Đã lưu 1 chỉ tiêu: 3.2." in page
    assert stored(vi_binh, "3.1").value_number == 85
    assert stored(vi_binh, "3.2").value_bool is True


def test_an_invalid_number_refuses_the_whole_save_naming_the_indicator(
    vi_binh, family, commune_officer
):
    client = client_for(commune_officer)
    data = form_data(client.get(entry_url(vi_binh, family)), {"3.1-value": "abc", "3.2-value": "1"})
    response = client.post(entry_url(vi_binh, family), data)
    page = text(response)
    assert "Chưa lưu số liệu nào" in page
    assert page.count("Chỉ tiêu 3.1: «abc» không phải số.") == 2  # in the summary and the row
    assert "xem trước, chưa lưu" in page
    row = re.search(r'data-testid="indicator-3.1">(.*?)</tr>', response.content.decode(), re.S)
    assert "không phải số" in row.group(1)
    assert 'value="abc"' in row.group(1)  # what the user typed stays on the page
    assert IndicatorValue.objects.filter(unit=vi_binh).count() == 0


def test_a_percentage_above_100_is_refused_and_nothing_is_saved(vi_binh, family, commune_officer):
    client = client_for(commune_officer)
    data = form_data(
        client.get(entry_url(vi_binh, family)),
        {"3.1-value": "120", "3.2-value": "1", "10-hand_verdict": "1", "10-hand_reason": "x"},
    )
    page = text(client.post(entry_url(vi_binh, family), data))
    assert "Chỉ tiêu 3.1: tỷ lệ phải từ 0 đến 100 (đang là 120)." in page
    assert IndicatorValue.objects.filter(unit=vi_binh).count() == 0


def test_saving_an_unchanged_page_changes_nothing_and_keeps_demo_values_marked(
    vi_binh, family, commune_officer
):
    save_values(
        None,
        unit=vi_binh,
        year=YEAR,
        family=family,
        entries=[ValueEntry("3.1", "90"), ValueEntry("3.2", True)],
        illustrative=True,
    )
    client = client_for(commune_officer)
    page = text(
        client.post(
            entry_url(vi_binh, family),
            form_data(client.get(entry_url(vi_binh, family)), {}),
            follow=True,
        )
    )
    assert "Không có thay đổi nào cần lưu." in page
    value = stored(vi_binh, "3.1")
    assert value.version == 1 and value.illustrative and value.entered_by is None


def test_a_changed_demo_value_becomes_the_users_own(vi_binh, family, commune_officer):
    save_values(
        None, unit=vi_binh, year=YEAR, family=family, entries=[ValueEntry("3.1", "90")],
        illustrative=True,
    )  # fmt: skip
    client = client_for(commune_officer)
    data = form_data(client.get(entry_url(vi_binh, family)), {"3.1-value": "91,5"})
    client.post(entry_url(vi_binh, family), data)
    value = stored(vi_binh, "3.1")
    assert not value.illustrative and value.entered_by == commune_officer


def test_the_illustrative_badge_shows_only_when_a_value_is_illustrative(
    vi_binh, family, commune_officer
):
    client = client_for(commune_officer)
    save_values(None, unit=vi_binh, year=YEAR, family=family, entries=[ValueEntry("3.1", "90")])
    assert "Dữ liệu minh họa" not in text(client.get(entry_url(vi_binh, family)))
    save_values(
        None, unit=vi_binh, year=YEAR, family=family, entries=[ValueEntry("3.2", True)],
        illustrative=True,
    )  # fmt: skip
    response = client.get(entry_url(vi_binh, family))
    assert 'data-testid="illustrative"' in response.content.decode()
    assert "Dữ liệu minh họa" in text(response)


def test_the_year_and_family_selectors_lead_to_the_other_pages(vi_binh, family, commune_officer):
    response = client_for(commune_officer).get(entry_url(vi_binh, family))
    content = response.content.decode()
    for year in (2021, 2022, 2024, 2025):
        assert f'href="{entry_url(vi_binh, family, year)}"' in content
    assert "Nông thôn mới" in text(response)


def test_a_family_without_a_set_for_the_year_is_not_found(vi_binh, family, commune_officer):
    client = client_for(commune_officer)
    assert client.get(entry_url(vi_binh, family, 2030)).status_code == 404
    assert client.get(entry_url(vi_binh, "khong-co", YEAR)).status_code == 404


def test_the_unit_page_lists_the_years_and_families_to_enter(
    vi_binh, family, commune_officer, other_commune_officer
):
    save_values(None, unit=vi_binh, year=YEAR, family=family, entries=[ValueEntry("3.1", "90")])
    response = client_for(commune_officer).get(reverse("places:unit", args=[vi_binh.pk]))
    page = text(response)
    assert "Đánh giá tiêu chí" in page
    assert "2023: Nông thôn mới (đã có số liệu)" in page
    assert f'href="{entry_url(vi_binh, family)}"' in response.content.decode()
    # Someone who may not see the commune's values gets no such section.
    other = client_for(other_commune_officer).get(reverse("places:unit", args=[vi_binh.pk]))
    assert 'data-testid="entry-links"' not in other.content.decode()


# --- In the browser: htmx sends the typed values to the preview as the user types -------------


@pytest.fixture
def entry_page(page, transactional_db):
    """Live-server tests flush the database: this one loads its own units, set and user."""
    from nongthon.accounts.models import Role
    from nongthon.catalogue.services import load_set_file
    from nongthon.places.models import Edition, Level, Unit
    from nongthon.places.official_lists import load_units
    from tests.browser_support import login
    from tests.conftest import TINY_SET, make_user

    load_units(["93"])
    family = load_set_file(TINY_SET).criteria_set.family
    vi_binh = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31468")
    make_user("xa", vi_binh, Role.COMMUNE_OFFICER)
    login(page, "xa")
    page.goto(entry_url(vi_binh, family))
    return page, vi_binh


@pytest.mark.browser
def test_in_the_browser_verdicts_follow_the_typing_and_only_save_writes(entry_page):
    page, vi_binh = entry_page
    verdict = page.locator('[data-testid="verdict-3.1"]')
    assert "3.1 thiếu số liệu" in verdict.inner_text()
    page.fill('[name="3.1-value"]', "78,5")
    page.wait_for_selector('[data-testid="verdict-3.1"][data-status="not_met"]')
    assert "3.1 chưa đạt: 78,5% < 80%" in verdict.inner_text()
    assert "xem trước, chưa lưu" in page.inner_text("#entry-total")
    page.fill('[name="3.1-value"]', "85")
    page.wait_for_selector('[data-testid="verdict-3.1"][data-status="met"]')
    page.select_option('[name="3.2-value"]', "1")
    page.wait_for_selector('[data-testid="criterion-verdict-3"][data-status="met"]')
    assert not IndicatorValue.objects.filter(unit=vi_binh).exists()
    page.click("[data-testid=save]")
    page.wait_for_selector("text=Đã lưu 2 chỉ tiêu: 3.1, 3.2.")
    assert IndicatorValue.objects.filter(unit=vi_binh).count() == 2
