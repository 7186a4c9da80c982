"""Confirmation of criteria by the responsible department: only that department confirms or
returns; returning needs a comment; a changed value re-opens the word; the commune sees it."""

import html
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nongthon.accounts.models import Role
from nongthon.assessment import confirmation
from nongthon.assessment.models import Confirmation
from nongthon.assessment.services import ValueEntry, save_values
from nongthon.catalogue.models import CriterionResponsibility
from nongthon.places.models import Agency, AgencyKind
from tests.conftest import client_for, make_user

YEAR = 2023


def enter(unit, family, **values):
    entries = []
    for code, value in values.items():
        if code == "10":
            entries.append(ValueEntry("10", hand_verdict=value, hand_reason="theo báo cáo xã"))
        else:
            entries.append(ValueEntry(code, value))
    save_values(None, unit=unit, year=YEAR, family=family, entries=entries)


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def decide_url(unit, family, number) -> str:
    return reverse("assessment:confirm_decide", args=[unit.pk, YEAR, family, number])


def card_url(unit, family) -> str:
    return reverse("assessment:results_scorecard", args=[unit.pk, YEAR, family])


@pytest.fixture
def family(tiny_set) -> str:
    return tiny_set.family


@pytest.fixture
def responsibility(hau_giang, family, so_nnptnt):
    """Sở NN&PTNT answers for criterion 3 (irrigation) in Hậu Giang."""
    return CriterionResponsibility.objects.create(
        province=hau_giang, family=family, criterion_number=3, agency=so_nnptnt
    )


@pytest.fixture
def vi_binh_values(vi_binh, family):
    """Criterion 3 met; criterion 10 not met by hand."""
    enter(vi_binh, family, **{"3.1": "90", "3.2": True, "10": False})


@pytest.fixture
def so_yte(hau_giang):
    return Agency.objects.create(
        unit=hau_giang, code="so-yte", name="Sở Y tế", kind=AgencyKind.DEPARTMENT
    )


@pytest.fixture
def health_officer(hau_giang, so_yte):
    return make_user("soyt", hau_giang, Role.DEPARTMENT_OFFICER, so_yte)


def test_the_responsible_department_confirms_criterion_3_of_vi_binh(
    responsibility, vi_binh_values, vi_binh, family, department_officer, so_nnptnt
):
    response = client_for(department_officer).post(
        decide_url(vi_binh, family, 3), {"action": "confirm", "comment": "Đủ hồ sơ", "version": 0}
    )
    assert response.status_code == 302
    row = Confirmation.objects.get(unit=vi_binh, year=YEAR, family=family, criterion_number=3)
    assert (row.status, row.agency, row.decided_by) == ("confirmed", so_nnptnt, department_officer)
    assert row.version == 1
    assert row.history.get().history_user == department_officer


def test_the_commune_sees_which_criteria_are_confirmed_pending_or_unassigned(
    responsibility, vi_binh_values, vi_binh, family, department_officer, commune_officer
):
    confirmation.confirm(
        department_officer, unit=vi_binh, year=YEAR, family=family, criterion_number=3
    )
    response = client_for(commune_officer).get(card_url(vi_binh, family))
    content, page = response.content.decode(), text(response)
    today = confirmation.timezone.localdate().strftime("%d/%m/%Y")
    assert f"Đã xác nhận bởi Sở Nông nghiệp và Phát triển nông thôn ngày {today}" in page
    assert "Chưa phân công cơ quan xác nhận" in page  # criterion 10
    assert 'data-testid="confirmation" data-status="confirmed"' in content
    # The commune reads; it has no confirm buttons.
    assert decide_url(vi_binh, family, 3) not in content


def test_the_department_sees_the_confirm_form_on_the_scorecard(
    responsibility, vi_binh_values, vi_binh, family, department_officer
):
    content = client_for(department_officer).get(card_url(vi_binh, family)).content.decode()
    assert decide_url(vi_binh, family, 3) in content
    assert decide_url(vi_binh, family, 10) not in content


def test_another_department_cannot_confirm(
    responsibility, vi_binh_values, vi_binh, family, health_officer
):
    with pytest.raises(PermissionDenied):
        confirmation.confirm(
            health_officer, unit=vi_binh, year=YEAR, family=family, criterion_number=3
        )
    response = client_for(health_officer).post(
        decide_url(vi_binh, family, 3), {"action": "confirm", "version": 0}
    )
    assert response.status_code == 403
    assert not Confirmation.objects.exists()


def test_a_commune_officer_cannot_confirm_its_own_criterion(
    responsibility, vi_binh_values, vi_binh, family, commune_officer
):
    response = client_for(commune_officer).post(
        decide_url(vi_binh, family, 3), {"action": "confirm", "version": 0}
    )
    assert response.status_code == 403
    assert not Confirmation.objects.exists()


def test_a_commune_the_user_cannot_see_is_not_found(
    responsibility, vi_binh_values, vi_binh, family, other_commune_officer
):
    response = client_for(other_commune_officer).post(
        decide_url(vi_binh, family, 3), {"action": "confirm", "version": 0}
    )
    assert response.status_code == 404


def test_a_criterion_with_no_responsible_agency_cannot_be_confirmed(
    responsibility, vi_binh_values, vi_binh, family, department_officer
):
    with pytest.raises(PermissionDenied):
        confirmation.return_criterion(
            department_officer,
            unit=vi_binh,
            year=YEAR,
            family=family,
            criterion_number=10,
            comment="Thiếu số liệu",
        )


def test_a_changed_value_reopens_the_confirmation_and_the_scorecard_says_so(
    responsibility, vi_binh_values, vi_binh, family, department_officer, commune_officer
):
    confirmation.confirm(
        department_officer, unit=vi_binh, year=YEAR, family=family, criterion_number=3
    )
    save_values(
        commune_officer,
        unit=vi_binh,
        year=YEAR,
        family=family,
        entries=[ValueEntry("3.1", "95")],
    )
    row = Confirmation.objects.get(unit=vi_binh, criterion_number=3)
    assert row.status == "pending"
    response = client_for(commune_officer).get(card_url(vi_binh, family))
    assert 'data-testid="confirmation" data-status="pending"' in response.content.decode()
    page = text(response)
    assert "Chờ xác nhận Sở Nông nghiệp và Phát triển nông thôn" in page
    assert "Mở lại vì số liệu thay đổi sau khi đã xác nhận." in page


def test_returning_needs_a_comment(
    responsibility, vi_binh_values, vi_binh, family, department_officer
):
    with pytest.raises(ValidationError) as caught:
        confirmation.return_criterion(
            department_officer,
            unit=vi_binh,
            year=YEAR,
            family=family,
            criterion_number=3,
            comment="  ",
        )
    assert "Trả lại tiêu chí 3 cần có ý kiến" in caught.value.message_dict["comment"][0]
    client = client_for(department_officer)
    response = client.post(
        decide_url(vi_binh, family, 3), {"action": "return", "version": 0}, follow=True
    )
    assert "Trả lại tiêu chí 3 cần có ý kiến" in text(response)
    assert not Confirmation.objects.exists()


def test_a_returned_criterion_shows_the_comment_to_the_commune(
    responsibility, vi_binh_values, vi_binh, family, department_officer, commune_officer
):
    client_for(department_officer).post(
        decide_url(vi_binh, family, 3),
        {"action": "return", "comment": "Bổ sung biên bản kiểm tra kênh mương", "version": 0},
    )
    page = text(client_for(commune_officer).get(card_url(vi_binh, family)))
    assert "Trả lại bởi Sở Nông nghiệp và Phát triển nông thôn" in page
    assert "Ý kiến: Bổ sung biên bản kiểm tra kênh mương" in page


def test_a_criterion_not_met_cannot_be_confirmed(
    responsibility, vi_binh, family, department_officer
):
    enter(vi_binh, family, **{"3.1": "60", "3.2": True})
    with pytest.raises(ValidationError) as caught:
        confirmation.confirm(
            department_officer, unit=vi_binh, year=YEAR, family=family, criterion_number=3
        )
    assert "đang «Chưa đạt» theo số liệu hiện tại" in caught.value.messages[0]


def test_a_decision_on_a_stale_page_is_refused(
    responsibility, vi_binh_values, vi_binh, family, department_officer, so_nnptnt, hau_giang
):
    colleague = make_user("sonn2", hau_giang, Role.DEPARTMENT_OFFICER, so_nnptnt)
    confirmation.confirm(
        colleague, unit=vi_binh, year=YEAR, family=family, criterion_number=3, expected_version=0
    )
    with pytest.raises(ValidationError) as caught:
        confirmation.return_criterion(
            department_officer,
            unit=vi_binh,
            year=YEAR,
            family=family,
            criterion_number=3,
            comment="Chưa đủ",
            expected_version=0,
        )
    assert "vừa được Sonn2 chuyển sang «Đã xác nhận»" in caught.value.messages[0]
    assert Confirmation.objects.get(criterion_number=3).status == "confirmed"


def test_the_queue_lists_the_departments_criteria_with_their_status(
    responsibility, vi_binh_values, vi_binh, vi_dong, family, department_officer
):
    enter(vi_dong, family, **{"3.1": "85", "3.2": True})
    confirmation.confirm(
        department_officer, unit=vi_binh, year=YEAR, family=family, criterion_number=3
    )
    client = client_for(department_officer)
    response = client.get(reverse("assessment:confirm_queue"))
    rows = re.findall(
        r'data-testid="queue-row" data-unit="(\d+)" data-criterion="(\d+)"',
        response.content.decode(),
    )
    assert sorted(rows) == [("31462", "3"), ("31468", "3")]  # never criterion 10
    assert "Tiêu chí 3 đạt: 2/2 chỉ tiêu đạt" in text(response)

    pending = client.get(reverse("assessment:confirm_queue") + "?status=pending")
    assert "Xã Vị Đông" in text(pending) and "Xã Vị Bình" not in text(pending)
    confirmed = client.get(reverse("assessment:confirm_queue") + "?status=confirmed")
    assert "Xã Vị Bình" in text(confirmed) and "Xã Vị Đông" not in text(confirmed)


def test_pending_for_an_agency_lists_what_waits(
    responsibility, vi_binh_values, vi_binh, family, so_yte, so_nnptnt
):
    assert [r.evaluation.unit for r in confirmation.pending_for_agency(so_nnptnt, YEAR)] == [
        vi_binh
    ]
    assert not confirmation.pending_for_agency(so_yte, YEAR).exists()


def test_confirming_from_the_queue_with_htmx_swaps_the_row(
    responsibility, vi_binh_values, vi_binh, family, department_officer
):
    response = client_for(department_officer).post(
        decide_url(vi_binh, family, 3),
        {"action": "confirm", "version": 0, "next": "/assessment/results/confirm/"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<tr data-testid="queue-row"')
    assert 'data-testid="confirmation" data-status="confirmed"' in content


def test_a_refused_htmx_decision_shows_the_reason_in_the_row(
    responsibility, vi_binh_values, vi_binh, family, department_officer
):
    response = client_for(department_officer).post(
        decide_url(vi_binh, family, 3),
        {"action": "return", "version": 0},
        headers={"HX-Request": "true"},
    )
    assert 'data-testid="decide-error"' in response.content.decode()
    assert "Trả lại tiêu chí 3 cần có ý kiến" in text(response)


def test_a_user_of_no_department_has_an_empty_queue(commune_officer):
    response = client_for(commune_officer).get(reverse("assessment:confirm_queue"))
    assert "Bạn không thuộc cơ quan nào được phân công xác nhận tiêu chí." in text(response)
