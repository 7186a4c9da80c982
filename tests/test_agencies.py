"""Agencies: the default set per province, and coordinators adding, renaming, ending, merging."""

import datetime as dt

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from nongthon.accounts.models import Role
from nongthon.places import agencies
from nongthon.places.models import Agency, AgencyKind, Level, Unit, UnitKind
from tests.conftest import client_for, make_user

MERGE_DAY = dt.date(2025, 3, 1)


@pytest.fixture
def hg_agencies(hau_giang):
    return agencies.create_default_agencies(hau_giang)


@pytest.fixture
def can_tho_coordinator(can_tho):
    return make_user("cantho", can_tho, Role.PROVINCE_COORDINATOR)


def agency(unit: Unit, code: str) -> Agency:
    return Agency.objects.get(unit=unit, code=code)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the default set --------------------------------------------------------------------------


def test_the_default_set_for_hau_giang_creates_departments_district_offices_and_75_committees(
    hau_giang, hg_agencies
):
    names = set(Agency.objects.filter(unit=hau_giang).values_list("name", flat=True))
    assert {
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Kế hoạch và Đầu tư",
        "Sở Tài chính",
        "Sở Xây dựng",
        "Sở Giao thông vận tải",
        "Sở Công Thương",
        "Sở Giáo dục và Đào tạo",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Thông tin và Truyền thông",
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Y tế",
        "Sở Tài nguyên và Môi trường",
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Sở Khoa học và Công nghệ",
        "Công an tỉnh Hậu Giang",
        "Bộ Chỉ huy Quân sự tỉnh Hậu Giang",
        "Cục Thống kê tỉnh Hậu Giang",
        "Văn phòng Điều phối nông thôn mới tỉnh",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Hội Nông dân tỉnh",
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Tỉnh đoàn",
        "Liên đoàn Lao động tỉnh",
        "Hội Cựu chiến binh tỉnh",
        "Ngân hàng Chính sách xã hội chi nhánh tỉnh Hậu Giang",
        "Liên minh Hợp tác xã tỉnh Hậu Giang",
        "Ủy ban nhân dân tỉnh Hậu Giang",
    } <= names

    districts = Unit.objects.subtree(hau_giang).filter(level=Level.DISTRICT)
    assert districts.count() == 8
    everywhere = {
        "Ủy ban nhân dân",
        "Phòng Tài chính - Kế hoạch",
        "Phòng Văn hóa và Thông tin",
        "Phòng Giáo dục và Đào tạo",
        "Phòng Y tế",
        "Phòng Lao động - Thương binh và Xã hội",
        "Phòng Tài nguyên và Môi trường",
        "Phòng Nội vụ",
        "Phòng Tư pháp",
    }
    for district in districts:
        own = set(district.agencies.values_list("name", flat=True))
        assert {n for n in everywhere if any(o.startswith(n) for o in own)} == everywhere
        if district.kind == UnitKind.HUYEN:
            assert {"Phòng Nông nghiệp và Phát triển nông thôn", "Phòng Kinh tế và Hạ tầng"} <= own
            assert "Phòng Kinh tế" not in own
        else:
            assert "Phòng Kinh tế" in own, district.name
            assert "Phòng Nông nghiệp và Phát triển nông thôn" not in own
    assert Agency.objects.filter(unit__in=districts, code="phong-nnptnt").count() == 5
    assert agency(districts.get(code="935"), "ubnd").name == "Ủy ban nhân dân huyện Vị Thủy"

    committees = Agency.objects.filter(
        unit__province=hau_giang, unit__level=Level.COMMUNE, kind=AgencyKind.PEOPLES_COMMITTEE
    )
    assert committees.count() == 75
    assert set(committees.values_list("name", flat=True)) >= {
        "Ủy ban nhân dân xã Vị Bình",
        "Ủy ban nhân dân phường I",
        "Ủy ban nhân dân thị trấn Nàng Mau",
    }
    assert hg_agencies.created[Level.COMMUNE] == 75
    # They live as long as their units: Hậu Giang's ended on 30/06/2025.
    assert set(committees.values_list("valid_to", flat=True)) == {dt.date(2025, 6, 30)}


def test_running_the_default_set_twice_creates_nothing_and_keeps_an_edited_name(
    hau_giang, hg_agencies, province_coordinator
):
    office = agency(hau_giang, "vpdp-ntm")
    agencies.rename_agency(
        province_coordinator,
        agency=office,
        expected_version=office.version,
        name="Văn phòng Điều phối các chương trình mục tiêu quốc gia tỉnh",
    )
    before = Agency.objects.count()
    again = agencies.create_default_agencies(hau_giang)
    assert again.total_created == 0
    assert again.existing == hg_agencies.total_created
    assert Agency.objects.count() == before
    assert agency(hau_giang, "vpdp-ntm").name == (
        "Văn phòng Điều phối các chương trình mục tiêu quốc gia tỉnh"
    )


def test_the_2025_set_for_can_tho_has_merged_departments_and_no_district_offices(can_tho):
    counts = agencies.create_default_agencies(can_tho)
    assert counts.created[Level.DISTRICT] == 0
    province = set(Agency.objects.filter(unit=can_tho).values_list("name", flat=True))
    assert {
        "Sở Nông nghiệp và Môi trường",
        "Sở Tài chính",
        "Sở Xây dựng",
        "Sở Khoa học và Công nghệ",
        "Sở Nội vụ",
        "Sở Dân tộc và Tôn giáo",
        "Ủy ban nhân dân thành phố Cần Thơ",
        "Thành đoàn",
    } <= province
    gone = {"Sở Nông nghiệp và Phát triển nông thôn", "Sở Kế hoạch và Đầu tư"}
    assert not gone & province
    assert not Agency.objects.filter(unit__province=can_tho, kind=AgencyKind.DISTRICT_OFFICE)
    committees = Agency.objects.filter(unit__province=can_tho, unit__level=Level.COMMUNE)
    assert committees.count() == 103
    assert committees.filter(name="Ủy ban nhân dân xã Vị Thanh 1").exists()
    assert set(committees.values_list("valid_from", flat=True)) == {dt.date(2025, 7, 1)}


def test_the_command_creates_the_set_of_the_edition_asked_for(hau_giang, can_tho, capsys):
    call_command("create_agencies", "--province", "92", "--edition", "2025")
    assert "Thành phố Cần Thơ" in capsys.readouterr().out
    assert Agency.objects.filter(unit=can_tho).exists()
    assert not Agency.objects.filter(unit=hau_giang).exists()
    call_command("create_agencies", "--province", "93")
    assert agency(hau_giang, "so-nnptnt").is_current is False  # ended with the province
    assert not Agency.objects.filter(unit=hau_giang, code="so-nnmt").exists()


def test_every_list_of_the_default_set_names_its_source():
    data = yaml.safe_load(agencies.DATA_FILE.read_text(encoding="utf-8"))
    for edition in data["sets"].values():
        for level in ("province", "district", "commune"):
            for group in edition.get(level) or []:
                assert group["source"].strip()
                assert isinstance(group["verified"], bool)
    assert data["mergers"]["verified"] is False
    assert "01/03/2025" in data["mergers"]["basis"]
    assert agencies.default_sets().levels["2025"]["district"] == []


# --- the 2025 department mergers --------------------------------------------------------------


def test_apply_mergers_does_nothing_unless_called(hau_giang, hg_agencies):
    assert not Agency.objects.filter(unit=hau_giang, code="so-nnmt").exists()
    assert agency(hau_giang, "so-nnptnt").succeeded_by is None
    assert agency(hau_giang, "so-khdt").valid_to == dt.date(2025, 6, 30)


def test_apply_mergers_merges_the_departments_from_the_day_given(hau_giang, hg_agencies):
    results = agencies.apply_mergers(
        None, province=hau_giang, on=MERGE_DAY, basis="QĐ số 01/QĐ-UBND (thử nghiệm)"
    )
    nnmt = agency(hau_giang, "so-nnmt")
    assert nnmt.name == "Sở Nông nghiệp và Môi trường"
    assert nnmt.valid_from == MERGE_DAY
    for code, successor in [
        ("so-nnptnt", nnmt),
        ("so-tnmt", nnmt),
        ("so-khdt", agency(hau_giang, "so-tai-chinh")),
        ("so-gtvt", agency(hau_giang, "so-xay-dung")),
    ]:
        old = agency(hau_giang, code)
        assert old.valid_to == dt.date(2025, 2, 28), code
        assert old.succeeded_by == successor, code
    assert len(results) == 5  # NN&MT, Tài chính, Xây dựng, KH&CN, Nội vụ (no Ban Dân tộc)
    again = agencies.apply_mergers(None, province=hau_giang, on=MERGE_DAY, basis="lần hai")
    assert again == []


def test_apply_mergers_leaves_a_2025_province_alone(can_tho):
    agencies.create_default_agencies(can_tho)
    assert agencies.apply_mergers(None, province=can_tho, on=dt.date(2025, 8, 1), basis="x") == []


# --- renaming, with history and optimistic locking ---------------------------------------------


def test_a_coordinator_renames_an_agency_and_the_history_shows_before_after_and_who(
    hau_giang, hg_agencies, province_coordinator
):
    office = agency(hau_giang, "vpdp-ntm")
    client = client_for(province_coordinator)
    response = client.post(
        f"/units/agencies/{office.pk}/rename/",
        {
            "name": "Văn phòng Điều phối các chương trình mục tiêu quốc gia tỉnh",
            "short_name": "VPĐP các CTMTQG tỉnh",
            "reason": "Theo Kế hoạch năm 2023",
            "version": office.version,
        },
    )
    assert response.status_code == 302
    html = page(client, f"/units/agencies/{office.pk}/")
    assert "Văn phòng Điều phối các chương trình mục tiêu quốc gia tỉnh" in html
    history = html.split('data-testid="history"')[1]
    assert "Văn phòng Điều phối nông thôn mới tỉnh" in history  # before
    assert "Văn phòng Điều phối các chương trình mục tiêu quốc gia tỉnh" in history  # after
    assert province_coordinator.display_name in history
    assert "Theo Kế hoạch năm 2023" in history


def test_a_concurrent_rename_is_refused_and_says_what_changed(
    hau_giang, hg_agencies, province_coordinator, system_admin
):
    office = agency(hau_giang, "so-y-te")
    loaded = office.version
    agencies.rename_agency(system_admin, agency=office, expected_version=loaded, name="Sở Y tế (A)")
    client = client_for(province_coordinator)
    response = client.post(
        f"/units/agencies/{office.pk}/rename/",
        {"name": "Sở Y tế (B)", "short_name": "", "reason": "", "version": loaded},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Người khác đã sửa cơ quan" in html
    assert "Sở Y tế (A)" in html
    assert system_admin.display_name in html
    assert agency(hau_giang, "so-y-te").name == "Sở Y tế (A)"
    with pytest.raises(ValidationError):
        agencies.rename_agency(
            province_coordinator, agency=office, expected_version=loaded, name="Sở Y tế (C)"
        )


def test_a_rename_to_a_name_the_unit_already_has_is_refused(
    hau_giang, hg_agencies, province_coordinator
):
    office = agency(hau_giang, "so-y-te")
    response = client_for(province_coordinator).post(
        f"/units/agencies/{office.pk}/rename/",
        {"name": "sở tư pháp", "short_name": "", "reason": "", "version": office.version},
    )
    assert response.status_code == 200
    assert "Tỉnh Hậu Giang đã có cơ quan «Sở Tư pháp»." in response.content.decode()


# --- who may see and change ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_fixture", "unit_fixture"),
    [
        ("commune_officer", "vi_binh"),
        ("district_officer", "vi_thuy"),
        ("viewer", "hau_giang"),
    ],
)
def test_people_who_are_not_province_coordinators_may_look_but_not_edit(
    db, request, hg_agencies, user_fixture, unit_fixture
):
    user = request.getfixturevalue(user_fixture)
    unit = request.getfixturevalue(unit_fixture)
    target = agency(unit, "ubnd")
    client = client_for(user)
    html = page(client, f"/units/agencies/{target.pk}/")
    assert target.name in html
    assert "Đổi tên" not in html
    assert client.get(f"/units/agencies/{target.pk}/rename/").status_code == 403
    rename = {"name": "Tên khác", "short_name": "", "reason": "", "version": target.version}
    assert client.post(f"/units/agencies/{target.pk}/rename/", rename).status_code == 403
    assert client.get(f"/units/agencies/{target.pk}/end/").status_code == 403
    assert client.get(f"/units/agencies/unit/{unit.pk}/add/").status_code == 403
    assert client.get(f"/units/agencies/unit/{unit.pk}/merge/").status_code == 403
    assert agency(unit, "ubnd").name == target.name
    with pytest.raises(PermissionDenied):
        agencies.rename_agency(user, agency=target, expected_version=1, name="Tên khác")


def test_a_commune_officer_does_not_see_the_provinces_departments(
    hau_giang, hg_agencies, commune_officer
):
    department = agency(hau_giang, "so-nnptnt")
    assert client_for(commune_officer).get(f"/units/agencies/{department.pk}/").status_code == 404


def test_a_user_of_another_province_gets_404(hau_giang, hg_agencies, can_tho_coordinator):
    client = client_for(can_tho_coordinator)
    department = agency(hau_giang, "so-nnptnt")
    for url in (
        f"/units/agencies/{department.pk}/",
        f"/units/agencies/{department.pk}/rename/",
        f"/units/agencies/{department.pk}/end/",
        f"/units/agencies/unit/{hau_giang.pk}/add/",
        f"/units/agencies/unit/{hau_giang.pk}/merge/",
    ):
        assert client.get(url).status_code == 404, url
    assert "Sở Nông nghiệp" not in page(client, f"/units/{hau_giang.pk}/")


def test_the_unit_page_shows_agencies_and_edit_links_to_the_coordinator(
    hau_giang, hg_agencies, province_coordinator, viewer
):
    html = page(client_for(province_coordinator), f"/units/{hau_giang.pk}/")
    section = html.split('data-testid="agencies"')[1]
    assert "Sở Nông nghiệp và Phát triển nông thôn" in section
    assert "Thêm cơ quan" in section
    assert 'data-testid="ended-agencies"' not in section  # ended with the province: current here
    assert "Thêm cơ quan" not in page(client_for(viewer), f"/units/{hau_giang.pk}/")


# --- adding, ending, merging -----------------------------------------------------------------


def test_a_coordinator_adds_an_agency_with_a_code_made_from_its_short_name(
    hau_giang, hg_agencies, province_coordinator
):
    client = client_for(province_coordinator)
    response = client.post(
        f"/units/agencies/unit/{hau_giang.pk}/add/",
        {
            "name": "Ban Dân tộc tỉnh",
            "short_name": "Ban Dân tộc",
            "kind": AgencyKind.DEPARTMENT,
            "code": "",
            "valid_from": "",
            "basis": "",
        },
    )
    assert response.status_code == 302
    added = agency(hau_giang, "ban-dan-toc")
    assert added.valid_to == hau_giang.valid_to
    assert "Ban Dân tộc tỉnh" in page(client, f"/units/{hau_giang.pk}/")
    duplicate = client.post(
        f"/units/agencies/unit/{hau_giang.pk}/add/",
        {"name": "Sở Y tế", "kind": AgencyKind.DEPARTMENT, "code": "so-moi"},
    )
    assert "Tỉnh Hậu Giang đã có cơ quan «Sở Y tế»." in duplicate.content.decode()


def test_ending_an_agency_keeps_it_with_its_successor_and_basis(
    hau_giang, hg_agencies, province_coordinator
):
    old, successor = agency(hau_giang, "so-tttt"), agency(hau_giang, "so-khcn")
    client = client_for(province_coordinator)
    response = client.post(
        f"/units/agencies/{old.pk}/end/",
        {
            "valid_to": "2025-02-28",
            "successor": successor.pk,
            "basis": "QĐ số 02/QĐ-UBND",
            "version": old.version,
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.valid_to, old.succeeded_by, old.basis) == (
        dt.date(2025, 2, 28),
        successor,
        "QĐ số 02/QĐ-UBND",
    )
    html = page(client, f"/units/agencies/{successor.pk}/")
    assert "Sở Thông tin và Truyền thông" in html.split('data-testid="agency-predecessors"')[1]


def test_ending_refuses_a_successor_from_another_province_and_a_missing_basis(
    hau_giang, hg_agencies, system_admin
):
    old = agency(hau_giang, "so-tttt")
    elsewhere = Unit.objects.create(
        edition="pre2025",
        level=Level.PROVINCE,
        kind=UnitKind.TINH,
        code="94",
        name="Tỉnh Sóc Trăng",
        short_name="Sóc Trăng",
        valid_to=dt.date(2025, 6, 30),
    )
    stranger = Agency.objects.create(
        unit=elsewhere, code="so-khcn", name="Sở Khoa học và Công nghệ", kind=AgencyKind.DEPARTMENT
    )
    with pytest.raises(ValidationError) as refused:
        agencies.end_agency(
            system_admin,
            agency=old,
            expected_version=old.version,
            valid_to=dt.date(2025, 2, 28),
            successor=stranger,
            basis="QĐ số 02/QĐ-UBND",
        )
    assert "phải thuộc cùng tỉnh" in str(refused.value)
    with pytest.raises(ValidationError) as no_basis:
        agencies.end_agency(
            system_admin,
            agency=old,
            expected_version=old.version,
            valid_to=dt.date(2025, 2, 28),
            basis=" ",
        )
    assert "Hãy nhập căn cứ" in str(no_basis.value)
    assert agency(hau_giang, "so-tttt").valid_to == hau_giang.valid_to


def test_a_hau_giang_department_may_be_succeeded_by_the_can_tho_department(
    hau_giang, can_tho, hg_agencies, system_admin
):
    agencies.create_default_agencies(can_tho)
    old, new = agency(hau_giang, "so-y-te"), agency(can_tho, "so-y-te")
    agencies.end_agency(
        system_admin,
        agency=old,
        expected_version=old.version,
        valid_to=dt.date(2025, 6, 30),
        successor=new,
        basis="NQ 202/2025/QH15",
    )
    assert agency(hau_giang, "so-y-te").succeeded_by == new
    html = page(client_for(system_admin), f"/units/{hau_giang.pk}/")
    current = html.split('data-testid="current-agencies"')[1].split("</table>")[0]
    assert "→" in current  # it lived as long as the province, then went on in Cần Thơ


def test_merging_two_departments_ends_both_with_successor_and_keeps_them_visible_as_ended(
    hau_giang, hg_agencies, province_coordinator
):
    nnptnt, tnmt = agency(hau_giang, "so-nnptnt"), agency(hau_giang, "so-tnmt")
    client = client_for(province_coordinator)
    form = page(client, f"/units/agencies/unit/{hau_giang.pk}/merge/")
    assert "Sở Tài nguyên và Môi trường" in form
    response = client.post(
        f"/units/agencies/unit/{hau_giang.pk}/merge/",
        {
            "agencies": [nnptnt.pk, tnmt.pk],
            "on": "2025-03-01",
            "name": "Sở Nông nghiệp và Môi trường",
            "short_name": "Sở NN&MT",
            "kind": AgencyKind.DEPARTMENT,
            "code": "so-nnmt",
            "basis": "QĐ số 03/QĐ-UBND",
            "versions": f"{nnptnt.pk}:{nnptnt.version},{tnmt.pk}:{tnmt.version}",
        },
    )
    assert response.status_code == 302
    new = agency(hau_giang, "so-nnmt")
    for old in (nnptnt, tnmt):
        old.refresh_from_db()
        assert old.valid_to == dt.date(2025, 2, 28)
        assert old.succeeded_by == new
    assert new.valid_from == MERGE_DAY
    assert new.valid_to == hau_giang.valid_to

    html = page(client, f"/units/{hau_giang.pk}/")
    ended = html.split('data-testid="ended-agencies"')[1].split("</details>")[0]
    assert "Sở Nông nghiệp và Phát triển nông thôn" in ended
    assert "Sở Tài nguyên và Môi trường" in ended
    assert "→" in ended and "Sở Nông nghiệp và Môi trường" in ended
    current = html.split('data-testid="current-agencies"')[1].split("</table>")[0]
    assert "Sở Nông nghiệp và Môi trường" in current
    assert "Sở Tài nguyên và Môi trường" not in current

    detail = page(client, f"/units/agencies/{nnptnt.pk}/")
    assert "Đã kết thúc" in detail
    assert "Sở Nông nghiệp và Môi trường" in detail.split('data-testid="agency-successors"')[1]


def test_a_merge_is_all_or_nothing(hau_giang, hg_agencies, province_coordinator):
    nnptnt, tnmt = agency(hau_giang, "so-nnptnt"), agency(hau_giang, "so-tnmt")
    with pytest.raises(ValidationError):
        agencies.merge_agencies(
            province_coordinator,
            agencies=[nnptnt, tnmt],
            on=MERGE_DAY,
            name="Sở Y tế",  # the unit already has it
            kind=AgencyKind.DEPARTMENT,
            basis="QĐ",
        )
    with pytest.raises(ValidationError) as one:
        agencies.merge_agencies(
            province_coordinator,
            agencies=[nnptnt],
            on=MERGE_DAY,
            name="Sở mới",
            kind=AgencyKind.DEPARTMENT,
            basis="QĐ",
        )
    assert "ít nhất hai" in str(one.value)
    nnptnt.refresh_from_db()
    assert nnptnt.succeeded_by is None
    assert nnptnt.valid_to == hau_giang.valid_to


def test_a_merge_refuses_agencies_changed_since_the_form_was_loaded(
    hau_giang, hg_agencies, province_coordinator, system_admin
):
    nnptnt, tnmt = agency(hau_giang, "so-nnptnt"), agency(hau_giang, "so-tnmt")
    versions = {nnptnt.pk: nnptnt.version, tnmt.pk: tnmt.version}
    agencies.rename_agency(
        system_admin, agency=tnmt, expected_version=tnmt.version, name="Sở TN&MT tỉnh"
    )
    with pytest.raises(ValidationError) as stale:
        agencies.merge_agencies(
            province_coordinator,
            agencies=[nnptnt, tnmt],
            on=MERGE_DAY,
            name="Sở Nông nghiệp và Môi trường",
            kind=AgencyKind.DEPARTMENT,
            basis="QĐ",
            expected_versions=versions,
        )
    assert "Người khác đã sửa" in str(stale.value)
    assert not Agency.objects.filter(unit=hau_giang, name="Sở Nông nghiệp và Môi trường").exists()


def test_the_end_form_offers_the_provinces_agencies_first_and_no_commune_committees(
    hau_giang, can_tho, hg_agencies, system_admin
):
    agencies.create_default_agencies(can_tho)
    old = agency(hau_giang, "so-tnmt")
    html = page(client_for(system_admin), f"/units/agencies/{old.pk}/end/")
    options = html.split('name="successor"')[1].split("</select>")[0]
    assert options.index("Sở Tài chính — Tỉnh Hậu Giang") < options.index(
        "Sở Nông nghiệp và Môi trường — Thành phố Cần Thơ"
    )
    assert "Ủy ban nhân dân xã" not in options
    assert "Sở Tài nguyên và Môi trường — Tỉnh Hậu Giang" not in options  # not itself


def test_the_command_applies_the_mergers_only_when_asked_with_a_basis(hau_giang, capsys):
    with pytest.raises(CommandError):
        call_command("create_agencies", "--province", "93", "--apply-mergers", "2025-03-01")
    call_command(
        "create_agencies",
        "--province",
        "93",
        "--apply-mergers",
        "2025-03-01",
        "--basis",
        "QĐ số 01/QĐ-UBND",
    )
    out = capsys.readouterr().out
    assert "chưa được xác minh" in out
    assert "Sở Kế hoạch và Đầu tư → Sở Tài chính" in out
    assert agency(hau_giang, "so-khdt").succeeded_by == agency(hau_giang, "so-tai-chinh")
    with pytest.raises(CommandError):
        call_command("create_agencies", "--province", "99")
