"""Which agency answers for each criterion in a province: assigned by the province's coordinators,
with the decision it rests on, and shown on the set's page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongthon.accounts.models import Role
from nongthon.catalogue import queries, responsibility
from nongthon.catalogue.models import CriterionResponsibility
from nongthon.places.models import Agency, AgencyKind
from tests.conftest import client_for, make_user

BASIS = "QĐ 1234/QĐ-UBND ngày 15/6/2022"
FAMILY = "test-xa-ntm"


@pytest.fixture
def can_tho_coordinator(can_tho):
    return make_user("cantho", can_tho, Role.PROVINCE_COORDINATOR)


@pytest.fixture
def coordination_office(hau_giang):
    return Agency.objects.create(
        unit=hau_giang,
        code="vpdp",
        name="Văn phòng Điều phối nông thôn mới tỉnh",
        kind=AgencyKind.COORDINATION,
    )


def url(province) -> str:
    return f"/criteria/responsibility/{province.pk}/{FAMILY}/"


def assign(user, province, agency, number: int = 3, basis: str = BASIS, **extra):
    return responsibility.assign_responsibility(
        user,
        province=province,
        family=FAMILY,
        criterion_number=number,
        agency=agency,
        basis=basis,
        **extra,
    )


def test_a_coordinator_assigns_a_department_and_the_set_page_shows_it(
    tiny_set, hau_giang, so_nnptnt, coordination_office, province_coordinator, viewer
):
    client = client_for(province_coordinator)
    text = client.get(url(hau_giang)).content.decode()
    assert "3. Thủy lợi và phòng, chống thiên tai" in text and "10. Thu nhập" in text
    assert "Sở Nông nghiệp và Phát triển nông thôn" in text
    assert "Văn phòng Điều phối nông thôn mới tỉnh" in text
    response = client.post(
        url(hau_giang),
        {"criterion_number": 3, "agency": so_nnptnt.pk, "basis": BASIS, "expected_agency": 0},
    )
    assert response.status_code == 302
    assert queries.responsible_agency(hau_giang, FAMILY, 3) == so_nnptnt
    assert queries.responsible_agency(hau_giang, FAMILY, 10) is None

    text = client_for(viewer).get(f"/criteria/{tiny_set.pk}/").content.decode()
    shown = text[text.index('data-testid="responsible-3"') :]
    assert shown.split("</span>")[0].count("Sở Nông nghiệp và Phát triển nông thôn") == 1
    assert BASIS in text
    assert "chưa phân công" in text[text.index('data-testid="responsible-10"') :]
    assert "Phân công cơ quan phụ trách" not in text  # a viewer reads, does not assign


def test_reassigning_says_who_changed_it_and_what_it_was(
    tiny_set, hau_giang, so_nnptnt, coordination_office, province_coordinator
):
    first = assign(province_coordinator, hau_giang, so_nnptnt)
    assert (first.action, first.previous_agency, first.changed_by) == (
        "assigned",
        None,
        province_coordinator,
    )
    second = assign(province_coordinator, hau_giang, coordination_office, basis="QĐ 99/QĐ-UBND")
    assert second.action == "changed"
    assert (second.previous_agency, second.previous_basis) == (so_nnptnt, BASIS)
    assert second.responsibility.agency == coordination_office
    assert CriterionResponsibility.objects.count() == 1
    removed = assign(province_coordinator, hau_giang, None, basis="")
    assert removed.action == "removed" and removed.previous_agency == coordination_office
    assert queries.responsible_agency(hau_giang, FAMILY, 3) is None


def test_an_assignment_changed_meanwhile_is_refused(
    tiny_set, hau_giang, so_nnptnt, coordination_office, province_coordinator
):
    client = client_for(province_coordinator)
    assign(province_coordinator, hau_giang, coordination_office)  # someone else, meanwhile
    response = client.post(
        url(hau_giang),
        {"criterion_number": 3, "agency": so_nnptnt.pk, "basis": BASIS, "expected_agency": 0},
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "vừa được phân công cho Văn phòng Điều phối nông thôn mới tỉnh" in text
    assert queries.responsible_agency(hau_giang, FAMILY, 3) == coordination_office


@pytest.mark.parametrize(
    "who",
    [
        "commune_officer",
        "district_officer",
        "department_officer",
        "viewer",
        "can_tho_coordinator",
    ],
)
def test_only_the_provinces_coordinators_assign(request, who, tiny_set, hau_giang, so_nnptnt):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(url(hau_giang)).status_code == 403
    response = client.post(
        url(hau_giang),
        {"criterion_number": 3, "agency": so_nnptnt.pk, "basis": BASIS, "expected_agency": 0},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        assign(user, hau_giang, so_nnptnt)
    assert not CriterionResponsibility.objects.exists()


def test_an_agency_of_another_province_or_a_district_is_refused(
    tiny_set, hau_giang, can_tho, vi_thuy, province_coordinator
):
    elsewhere = Agency.objects.create(
        unit=can_tho,
        code="so-nnmt",
        name="Sở Nông nghiệp và Môi trường thành phố Cần Thơ",
        kind=AgencyKind.DEPARTMENT,
    )
    district_office = Agency.objects.create(
        unit=vi_thuy, code="phong-nn", name="Phòng NN&PTNT huyện Vị Thủy", kind="district_office"
    )
    for agency in (elsewhere, district_office):
        with pytest.raises(ValidationError) as caught:
            assign(province_coordinator, hau_giang, agency)
        assert caught.value.message_dict["agency"] == [
            f"«{agency.name}» không phải cơ quan của Tỉnh Hậu Giang."
        ]
    response = client_for(province_coordinator).post(
        url(hau_giang),
        {"criterion_number": 3, "agency": elsewhere.pk, "basis": BASIS, "expected_agency": 0},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "Hãy chọn" in (
        response.content.decode()
    )
    assert not CriterionResponsibility.objects.exists()


def test_an_assignment_needs_its_basis_and_a_criterion_of_the_set(
    tiny_set, hau_giang, so_nnptnt, province_coordinator
):
    with pytest.raises(ValidationError) as caught:
        assign(province_coordinator, hau_giang, so_nnptnt, number=17, basis="")
    assert caught.value.message_dict == {
        "criterion_number": ["Bộ tiêu chí «test-xa-ntm» không có tiêu chí số 17."],
        "basis": ["Hãy ghi căn cứ phân công (số, ngày quyết định)."],
    }


def test_an_unknown_family_has_no_assignment_page(db, hau_giang, province_coordinator):
    response = client_for(province_coordinator).get(
        f"/criteria/responsibility/{hau_giang.pk}/khong-co/"
    )
    assert response.status_code == 404
