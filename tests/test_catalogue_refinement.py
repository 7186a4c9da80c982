"""A province refines a national criteria set: in the pages or by uploading its own file; may only
be stricter; a change to a version in use makes a new version and old evaluations keep theirs."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from nongthon.accounts.models import Role
from nongthon.assessment.models import Evaluation
from nongthon.assessment.services import ValueEntry, save_values
from nongthon.catalogue import queries, refinement
from nongthon.catalogue.models import CriteriaSet, Indicator, SetStatus, Threshold
from tests.conftest import client_for, make_user

BASIS = "864/QĐ-UBND"
YEAR = 2023


@pytest.fixture
def can_tho_coordinator(can_tho):
    return make_user("cantho", can_tho, Role.PROVINCE_COORDINATOR)


@pytest.fixture
def hg_set(tiny_set, province_coordinator, hau_giang) -> CriteriaSet:
    """Hậu Giang's refinement of the tiny set, under QĐ 864/QĐ-UBND of 05/05/2022."""
    return refinement.refine(
        province_coordinator,
        national_set=tiny_set,
        province=hau_giang,
        basis_number=BASIS,
        basis_date=dt.date(2022, 5, 5),
        basis_article="Điều 1",
    ).criteria_set


def enter_values(user, unit, percent: str = "82") -> None:
    save_values(
        user,
        unit=unit,
        year=YEAR,
        family="test-xa-ntm",
        entries=[
            ValueEntry("3.1", percent),
            ValueEntry("3.2", True),
            ValueEntry("10", hand_verdict=True, hand_reason="Theo số liệu thống kê"),
        ],
    )


def tighten(user, province_set, value=85, **extra):
    return refinement.set_threshold(
        user,
        province_set=province_set,
        indicator_code="3.1",
        comparator=">=",
        value=Decimal(value),
        region="DBSCL",
        basis=BASIS,
        **extra,
    )


def threshold_of(criteria_set, code: str, region: str = "") -> Threshold:
    return Threshold.objects.get(
        indicator__criterion__criteria_set=criteria_set, indicator__code=code, region=region
    )


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def indicator_reason(evaluation: Evaluation, code: str) -> str:
    for c in evaluation.result["criteria"]:
        for i in c["indicators"]:
            if i["code"] == code:
                return i["reason"]
    raise KeyError(code)


def threshold_post(criteria_set, **fields) -> dict:
    data = {
        "indicator_code": "3.1",
        "comparator": ">=",
        "value": "85",
        "categories": "",
        "region": "DBSCL",
        "group": "",
        "year": "",
        "basis": BASIS,
        "content_hash": criteria_set.content_hash,
    }
    data.update(fields)
    return data


# --- refining ---------------------------------------------------------------------------------


def test_a_stored_set_dumps_back_to_the_content_of_its_file(tiny_set):
    assert queries.dump_set(tiny_set).content_hash() == tiny_set.content_hash


def test_a_coordinator_refines_the_national_set_as_a_full_copy_under_the_provinces_decision(
    tiny_set, province_coordinator, hau_giang
):
    client = client_for(province_coordinator)
    assert "Cụ thể hóa cho tỉnh" in page(client, f"/criteria/{tiny_set.pk}/")
    response = client.post(
        f"/criteria/{tiny_set.pk}/refine/",
        {
            "province": hau_giang.pk,
            "basis_number": BASIS,
            "basis_date": "2022-05-05",
            "basis_article": "Điều 1",
            "name": "",
            "change_note": "",
        },
    )
    assert response.status_code == 302
    mine = CriteriaSet.objects.get(code="93-test-xa-ntm")
    assert response["Location"] == f"/criteria/{mine.pk}/"
    assert (mine.family, mine.refines, mine.province, mine.version) == (
        tiny_set.family,
        tiny_set,
        hau_giang,
        1,
    )
    assert (mine.basis_number, mine.basis_date) == (BASIS, dt.date(2022, 5, 5))
    copied = queries.dump_set(mine)
    national = queries.dump_set(tiny_set)
    assert copied.criteria == national.criteria
    assert copied.region_overrides == national.region_overrides

    text = page(client, f"/criteria/{mine.pk}/")
    assert "93-test-xa-ntm" in text and "864/QĐ-UBND" in text and "05/05/2022" in text
    assert "≥ 80%" in text and "nguồn thứ cấp" in text
    assert "cụ thể hóa bộ tiêu chí test-xa-ntm phiên bản 1 cho Tỉnh Hậu Giang" in text
    assert "Chưa có khác biệt" in text


def test_a_province_refines_a_set_only_once(hg_set, tiny_set, province_coordinator, hau_giang):
    with pytest.raises(ValidationError, match="đã có bộ tiêu chí"):
        refinement.refine(
            province_coordinator,
            national_set=tiny_set,
            province=hau_giang,
            basis_number="999/QĐ-UBND",
            basis_date=dt.date(2023, 1, 1),
        )


def test_a_province_of_the_2025_list_cannot_refine_a_2021_2025_set(
    tiny_set, can_tho, can_tho_coordinator
):
    with pytest.raises(ValidationError, match="không áp dụng bộ tiêu chí giai đoạn 2021–2025"):
        refinement.refine(
            can_tho_coordinator,
            national_set=tiny_set,
            province=can_tho,
            basis_number="1/QĐ-UBND",
            basis_date=dt.date(2025, 8, 1),
        )


@pytest.mark.parametrize(
    "who", ["commune_officer", "district_officer", "can_tho_coordinator", "viewer"]
)
def test_only_the_provinces_coordinators_refine(request, who, tiny_set, hau_giang):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert "Cụ thể hóa cho tỉnh" not in page(client, f"/criteria/{tiny_set.pk}/")
    assert client.get(f"/criteria/{tiny_set.pk}/refine/").status_code == 403
    response = client.post(
        f"/criteria/{tiny_set.pk}/refine/",
        {"province": hau_giang.pk, "basis_number": BASIS, "basis_date": "2022-05-05"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        refinement.refine(
            user,
            national_set=tiny_set,
            province=hau_giang,
            basis_number=BASIS,
            basis_date=dt.date(2022, 5, 5),
        )
    assert not CriteriaSet.objects.filter(province=hau_giang).exists()


@pytest.mark.parametrize(
    "who", ["commune_officer", "district_officer", "can_tho_coordinator", "department_officer"]
)
def test_only_the_provinces_coordinators_change_its_set(request, who, hg_set):
    user = request.getfixturevalue(who)
    client = client_for(user)
    text = page(client, f"/criteria/{hg_set.pk}/")  # the law is readable by everyone
    assert "Quy định ngưỡng" not in text
    for url in ("threshold/", "threshold/remove/?indicator=3.1", "indicator/"):
        assert client.get(f"/criteria/{hg_set.pk}/{url}").status_code == 403
    response = client.post(f"/criteria/{hg_set.pk}/threshold/", threshold_post(hg_set))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        tighten(user, hg_set)
    assert threshold_of(hg_set, "3.1", "DBSCL").value == 80


def test_a_national_set_has_no_province_change_pages(tiny_set, system_admin):
    client = client_for(system_admin)
    assert client.get(f"/criteria/{tiny_set.pk}/threshold/").status_code == 404


# --- tightening: in place or a new version -----------------------------------------------------


def test_tightening_an_unused_version_edits_it_in_place(hg_set, province_coordinator):
    outcome = tighten(province_coordinator, hg_set)
    assert outcome.action == "replaced"
    assert CriteriaSet.objects.filter(code="93-test-xa-ntm").count() == 1
    hg_set.refresh_from_db()
    assert hg_set.version == 1 and hg_set.status == SetStatus.ACTIVE
    row = threshold_of(hg_set, "3.1", "DBSCL")
    assert (row.value, row.status, row.source) == (85, Threshold.Status.PROVINCIAL, BASIS)
    lines = hg_set.change_note.splitlines()
    assert lines[0].startswith("864/QĐ-UBND: cụ thể hóa")
    assert lines[1] == "864/QĐ-UBND: chỉ tiêu 3.1, vùng Đồng bằng sông Cửu Long: ≥ 80% → ≥ 85%"


def test_tightening_a_used_version_makes_a_new_one_and_old_evaluations_keep_theirs(
    hg_set, province_coordinator, commune_officer, other_commune_officer, vi_binh, vi_dong
):
    enter_values(commune_officer, vi_binh)
    before = Evaluation.objects.get(unit=vi_binh, year=YEAR, criteria_set=hg_set)
    old_reason = indicator_reason(before, "3.1")
    assert old_reason.startswith("3.1 đạt: 82% ≥ 80%")
    assert before.criterion_results.get(criterion_number=3).status == "met"

    client = client_for(province_coordinator)
    response = client.post(f"/criteria/{hg_set.pk}/threshold/", threshold_post(hg_set))
    assert response.status_code == 302
    v2 = CriteriaSet.objects.get(code="93-test-xa-ntm", status=SetStatus.ACTIVE)
    assert v2.version == 2 and v2.pk != hg_set.pk
    hg_set.refresh_from_db()
    assert hg_set.status == SetStatus.SUPERSEDED
    assert threshold_of(hg_set, "3.1", "DBSCL").value == 80  # the old version is never edited
    assert threshold_of(v2, "3.1", "DBSCL").value == 85
    assert v2.change_note == (
        "864/QĐ-UBND: chỉ tiêu 3.1, vùng Đồng bằng sông Cửu Long: ≥ 80% → ≥ 85%"
    )

    # The evaluation made before keeps its version and its reason, and reads the same again.
    before.refresh_from_db()
    assert before.criteria_set_id == hg_set.pk
    assert indicator_reason(before, "3.1") == old_reason
    again = queries.reexplain(before)
    assert (again.code, again.version) == ("93-test-xa-ntm", 1)
    assert again.criterion(3).indicators[0].reason == old_reason

    # The units the set governs were evaluated again under version 2.
    after = Evaluation.objects.get(unit=vi_binh, year=YEAR, criteria_set=v2)
    assert indicator_reason(after, "3.1").startswith("3.1 chưa đạt: 82% < 85%")
    assert "864/QĐ-UBND" in indicator_reason(after, "3.1")
    assert after.criterion_results.get(criterion_number=3).status == "not_met"

    # A new evaluation uses version 2 only.
    enter_values(other_commune_officer, vi_dong, percent="90")
    assert list(
        Evaluation.objects.filter(unit=vi_dong, criteria_set__code="93-test-xa-ntm").values_list(
            "criteria_set__version", flat=True
        )
    ) == [2]

    text = page(client, f"/criteria/{v2.pk}/")
    assert "phiên bản 2" in text and "≥ 85%" in text and "do tỉnh quy định" in text
    versions = text[text.index('data-testid="versions"') :]
    assert "864/QĐ-UBND: chỉ tiêu 3.1, vùng Đồng bằng sông Cửu Long: ≥ 80% → ≥ 85%" in versions
    assert "1 thay đổi so với phiên bản trước" in versions
    old_page = page(client, f"/criteria/{hg_set.pk}/")
    assert "Phiên bản này đã được thay" in old_page and "≥ 80%" in old_page


def test_a_change_from_a_page_of_an_older_state_is_refused(hg_set, province_coordinator):
    client = client_for(province_coordinator)
    stale = threshold_post(hg_set, value="90")
    tighten(province_coordinator, hg_set)  # someone else, meanwhile
    response = client.post(f"/criteria/{hg_set.pk}/threshold/", stale)
    assert response.status_code == 409
    text = response.content.decode()
    assert "vừa được" in text and "chưa được lưu" in text and "≥ 85%" in text
    hg_set.refresh_from_db()
    assert threshold_of(hg_set, "3.1", "DBSCL").value == 85


def test_a_form_from_a_version_since_replaced_is_refused_then_goes_to_the_new_one(
    hg_set, province_coordinator, commune_officer, vi_binh
):
    enter_values(commune_officer, vi_binh)
    client = client_for(province_coordinator)
    stale = threshold_post(hg_set, value="90")
    v2 = tighten(province_coordinator, hg_set).criteria_set  # someone else, meanwhile
    response = client.post(f"/criteria/{hg_set.pk}/threshold/", stale)
    assert response.status_code == 409
    text = response.content.decode()
    assert "phiên bản 2: 864/QĐ-UBND: chỉ tiêu 3.1" in text
    assert f'action="/criteria/{v2.pk}/threshold/"' in text
    again = dict(stale, content_hash=re.search(r'name="content_hash" value="(\w+)"', text)[1])
    assert client.post(f"/criteria/{v2.pk}/threshold/", again).status_code == 302
    assert threshold_of(queries.active_version(v2.code), "3.1", "DBSCL").value == 90


def test_the_record_of_a_change_is_written_in_vietnamese_whatever_the_page_language(
    hg_set, province_coordinator
):
    with translation.override("en"):
        outcome = tighten(province_coordinator, hg_set)
    assert outcome.note == (
        "864/QĐ-UBND: chỉ tiêu 3.1, vùng Đồng bằng sông Cửu Long: ≥ 80% → ≥ 85%"
    )


def test_loosening_a_national_threshold_is_refused(hg_set, province_coordinator):
    with pytest.raises(ValidationError) as caught:
        tighten(province_coordinator, hg_set, value=70)
    assert caught.value.messages == [
        "Chỉ tiêu 3.1, vùng Đồng bằng sông Cửu Long: ngưỡng ≥ 70% lỏng hơn ngưỡng quốc gia "
        "≥ 80% (vùng Đồng bằng sông Cửu Long; Bộ thử nghiệm). Tỉnh chỉ được quy định chặt hơn "
        "bộ tiêu chí quốc gia."
    ]
    client = client_for(province_coordinator)
    response = client.post(f"/criteria/{hg_set.pk}/threshold/", threshold_post(hg_set, value="70"))
    assert response.status_code == 200
    assert "lỏng hơn ngưỡng quốc gia" in response.content.decode()
    assert threshold_of(hg_set, "3.1", "DBSCL").value == 80


def test_a_general_threshold_may_not_undercut_a_regional_national_one(hg_set, province_coordinator):
    # "≥ 75% everywhere" is stricter than TDMNPB's 70 and, while the ĐBSCL row stays, harmless.
    hg_set = refinement.set_threshold(
        province_coordinator,
        province_set=hg_set,
        indicator_code="3.1",
        comparator=">=",
        value=Decimal(75),
        basis=BASIS,
    ).criteria_set
    with pytest.raises(ValidationError) as caught:
        refinement.remove_threshold(
            province_coordinator,
            province_set=hg_set,
            indicator_code="3.1",
            region="DBSCL",
            basis=BASIS,
        )
    assert caught.value.messages == [
        "Chỉ tiêu 3.1, áp dụng chung: ngưỡng ≥ 75% lỏng hơn ngưỡng quốc gia ≥ 80% (vùng Đồng "
        "bằng sông Cửu Long; Bộ thử nghiệm). Tỉnh chỉ được quy định chặt hơn bộ tiêu chí quốc gia."
    ]


def test_a_national_threshold_may_not_be_dropped(hg_set, province_coordinator):
    with pytest.raises(ValidationError) as caught:
        refinement.remove_threshold(
            province_coordinator, province_set=hg_set, indicator_code="3.2", basis=BASIS
        )
    assert caught.value.messages == [
        "Chỉ tiêu 3.2, áp dụng chung: bộ quốc gia quy định Đạt (Bộ thử nghiệm) nhưng bộ của "
        "tỉnh không còn ngưỡng nào áp dụng. Tỉnh không được bỏ ngưỡng quốc gia."
    ]


def test_nothing_to_change_is_said_so(hg_set, province_coordinator):
    hg_set = tighten(province_coordinator, hg_set).criteria_set
    with pytest.raises(ValidationError, match="Không có gì thay đổi"):
        tighten(province_coordinator, hg_set)


def test_a_change_needs_its_legal_basis_and_a_valid_threshold(hg_set, province_coordinator):
    client = client_for(province_coordinator)
    response = client.post(
        f"/criteria/{hg_set.pk}/threshold/",
        threshold_post(hg_set, indicator_code="3.2", comparator=">=", value="", basis=""),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "This field is required" in text or "Trường này là bắt buộc" in text
    with pytest.raises(ValidationError) as caught:
        refinement.set_threshold(
            province_coordinator,
            province_set=hg_set,
            indicator_code="3.2",
            comparator=">=",
            value=Decimal(1),
            year=2030,
            basis="",
        )
    errors = caught.value.message_dict
    assert errors["basis"] == ["Hãy ghi căn cứ pháp lý của thay đổi (số, ngày văn bản)."]
    assert errors["comparator"] == ["Chỉ tiêu 3.2 là đạt/chưa đạt: ngưỡng chỉ có thể là «Đạt»."]
    assert errors["year"] == ["Năm 2030 nằm ngoài giai đoạn 2021–2025 của bộ tiêu chí."]


def test_a_province_sets_a_threshold_where_the_national_set_has_none(hg_set, province_coordinator):
    client = client_for(province_coordinator)
    response = client.post(
        f"/criteria/{hg_set.pk}/threshold/",
        threshold_post(
            hg_set,
            indicator_code="10",
            value="1.234,5",
            region="DBSCL",
            year="2023",
        ),
    )
    assert response.status_code == 302
    row = threshold_of(hg_set, "10", "DBSCL")
    assert (row.value, row.year, row.status) == (Decimal("1234.5"), 2023, "provincial")
    text = page(client, f"/criteria/{hg_set.pk}/")
    assert "≥ 1.234,5 triệu đồng/người" in text
    assert "Vùng Đồng bằng sông Cửu Long, năm 2023" in text
    differences = text[text.index('data-testid="from-national"') :]
    assert "thêm ngưỡng ≥ 1.234,5 triệu đồng/người" in differences

    # ... and, being its own, may drop it again (with a basis), from the link beside it.
    link = re.search(r'href="([^"]*/threshold/remove/\?[^"]*)"', text).group(1)
    assert link.endswith("indicator=10&amp;region=DBSCL&amp;group=&amp;year=2023")
    form = page(client, link.replace("&amp;", "&"))
    assert "Bỏ ngưỡng của chỉ tiêu 10, vùng DBSCL, năm 2023" in form
    response = client.post(
        link.replace("&amp;", "&"),
        {
            "indicator_code": "10",
            "region": "DBSCL",
            "group": "",
            "year": "2023",
            "basis": "900/QĐ-UBND",
            "content_hash": re.search(r'name="content_hash" value="(\w+)"', form).group(1),
        },
    )
    assert response.status_code == 302
    assert not Threshold.objects.filter(
        indicator__criterion__criteria_set=hg_set, indicator__code="10"
    ).exists()
    hg_set.refresh_from_db()
    assert hg_set.change_note.splitlines()[-1].startswith("900/QĐ-UBND: chỉ tiêu 10, vùng")


def test_a_province_adds_its_own_indicator(hg_set, province_coordinator):
    client = client_for(province_coordinator)
    response = client.post(
        f"/criteria/{hg_set.pk}/indicator/",
        {
            "criterion_number": "3",
            "code": "3.3",
            "name": "Tỷ lệ kênh mương nội đồng được kiên cố hóa",
            "kind": "percent",
            "unit": "%",
            "indicator_categories": "",
            "note": "",
            "with_threshold": "on",
            "comparator": ">=",
            "value": "70",
            "categories": "",
            "region": "",
            "group": "",
            "year": "",
            "basis": BASIS,
            "content_hash": hg_set.content_hash,
        },
    )
    assert response.status_code == 302
    added = Indicator.objects.get(criterion__criteria_set=hg_set, code="3.3")
    assert added.criterion.number == 3
    assert added.thresholds.get().status == "provincial"
    text = page(client, f"/criteria/{hg_set.pk}/")
    assert "Tỷ lệ kênh mương nội đồng được kiên cố hóa" in text
    assert "Thêm chỉ tiêu 3.3" in text


def test_adding_an_indicator_with_a_code_in_use_is_refused(hg_set, province_coordinator):
    with pytest.raises(ValidationError) as caught:
        refinement.add_indicator(
            province_coordinator,
            province_set=hg_set,
            criterion_number=3,
            code="3.1",
            name="Trùng mã",
            kind="percent",
            basis=BASIS,
        )
    assert caught.value.message_dict["code"] == ["Mã chỉ tiêu «3.1» đã có trong bộ tiêu chí."]


def test_stricter_means_every_accepted_value_passes_the_national_rule():
    def t(comparator, value=None, categories=()):
        return refinement.ThresholdData(
            comparator, Decimal(value) if value is not None else None, list(categories),
            "", None, None, "", "secondary",
        )  # fmt: skip

    strict = refinement.at_least_as_strict
    assert strict(t(">=", 85), t(">=", 80)) and not strict(t(">=", 70), t(">=", 80))
    assert strict(t(">", 80), t(">=", 80)) and not strict(t(">=", 80), t(">", 80))
    assert strict(t("<=", 5), t("<=", 10)) and not strict(t("<", 11), t("<=", 10))
    assert strict(t("=", 100), t(">=", 80)) and not strict(t(">=", 100), t("=", 100))
    assert strict(t("yes"), t("yes")) and not strict(t(">=", 1), t("yes"))
    assert strict(t("in", categories=["A"]), t("in", categories=["A", "B"]))
    assert not strict(t("in", categories=["A", "C"]), t("in", categories=["A", "B"]))
    assert not strict(t("<=", 80), t(">=", 80))


# --- uploading a province's file ---------------------------------------------------------------

GOOD_FILE = """\
code: 93-test-xa-ntm
family: test-xa-ntm
refines: test-xa-ntm
province: "93"
name: Bộ tiêu chí xã nông thôn mới tỉnh Hậu Giang (thử nghiệm)
level: commune
tier: ntm
period: [2021, 2025]
legal_basis:
  number: 864/QĐ-UBND
  date: 2022-05-05
  issuer: Ủy ban nhân dân tỉnh Hậu Giang
criteria:
  - number: 3
    name: Thủy lợi và phòng, chống thiên tai
    group: II. Hạ tầng kinh tế - xã hội
    indicators:
      - code: "3.1"
        name: Tỷ lệ diện tích đất sản xuất nông nghiệp được tưới và tiêu nước chủ động
        kind: percent
        unit: "%"
        thresholds:
          - comparator: ">="
            value: VALUE
            region: DBSCL
            source: 864/QĐ-UBND
            status: provincial
          - {comparator: ">=", value: 70, region: TDMNPB, source: Bộ thử nghiệm, status: secondary}
      - code: "3.2"
        name: Đảm bảo yêu cầu chủ động về phòng, chống thiên tai theo phương châm 4 tại chỗ
        kind: boolean
        thresholds:
          - {comparator: yes, source: "Bộ thử nghiệm", status: secondary}
  - number: 10
    name: Thu nhập
    group: III. Kinh tế và tổ chức sản xuất
    key: true
    indicators:
      - code: "10"
        name: Thu nhập bình quân đầu người khu vực nông thôn
        kind: amount
        unit: triệu đồng/người
"""


def upload(client, hau_giang, text: str, name: str = "hau-giang.yaml"):
    return client.post(
        "/criteria/upload/",
        {
            "province": hau_giang.pk,
            "file": SimpleUploadedFile(name, text.encode(), content_type="text/yaml"),
            "change_note": "",
        },
    )


def test_a_coordinator_uploads_the_provinces_file(tiny_set, province_coordinator, hau_giang):
    client = client_for(province_coordinator)
    response = upload(client, hau_giang, GOOD_FILE.replace("VALUE", "85"))
    assert response.status_code == 302
    mine = CriteriaSet.objects.get(code="93-test-xa-ntm")
    assert (mine.refines, mine.province, mine.source_file) == (
        tiny_set,
        hau_giang,
        "hau-giang.yaml",
    )
    assert mine.change_note == "864/QĐ-UBND: tải lên tệp hau-giang.yaml"
    assert threshold_of(mine, "3.1", "DBSCL").value == 85
    text = page(client, f"/criteria/{mine.pk}/")
    assert "Chỉ tiêu 3.1, vùng Đồng bằng sông Cửu Long: ≥ 80% → ≥ 85% (864/QĐ-UBND)" in text

    # The same file again changes nothing.
    response = upload(client, hau_giang, GOOD_FILE.replace("VALUE", "85"))
    assert response.status_code == 302
    assert CriteriaSet.objects.filter(code="93-test-xa-ntm").count() == 1


def test_a_malformed_upload_lists_every_problem_and_stores_nothing(
    tiny_set, province_coordinator, hau_giang
):
    broken = (
        GOOD_FILE.replace("VALUE", "85")
        .replace("    name: Thu nhập\n", "")
        .replace(
            '{comparator: yes, source: "Bộ thử nghiệm", status: secondary}', "{comparator: về}"
        )
        .replace("region: TDMNPB", "region: MIENTAY")
    )
    before = CriteriaSet.objects.count()
    response = upload(client_for(province_coordinator), hau_giang, broken, "loi.yaml")
    assert response.status_code == 200
    text = response.content.decode()
    problems = re.findall(r"<li>(tệp loi\.yaml, dòng \d+[^<]*)</li>", text)
    fields = " ".join(problems)
    assert len(problems) == 5, problems
    assert "trường «name»: thiếu giá trị" in fields
    assert "trường «region»: «MIENTAY» không phải vùng" in fields
    assert "trường «comparator»: «về» không hợp lệ" in fields
    assert "trường «source»: thiếu giá trị" in fields and "trường «status»: thiếu giá trị" in fields
    assert "chưa lưu gì" in text
    assert CriteriaSet.objects.count() == before


def test_an_upload_looser_than_the_national_set_is_refused_naming_the_line(
    tiny_set, province_coordinator, hau_giang
):
    looser = (
        GOOD_FILE.replace("VALUE", "75")
        .replace('province: "93"', 'province: "94"')
        .replace("code: 93-test-xa-ntm", "code: hg-xa")
    )
    response = upload(client_for(province_coordinator), hau_giang, looser)
    text = response.content.decode()
    line = GOOD_FILE.splitlines().index('      - code: "3.1"') + 1
    assert f"tệp hau-giang.yaml, dòng {line}, trường «3.1»" in text
    assert "ngưỡng ≥ 75% lỏng hơn ngưỡng quốc gia ≥ 80%" in text
    assert "trường «province»: tệp ghi tỉnh mã «94»" in text
    assert "trường «code»: mã bộ tiêu chí của tỉnh phải là «93-test-xa-ntm»" in text
    assert not CriteriaSet.objects.filter(province=hau_giang).exists()


@pytest.mark.parametrize("who", ["commune_officer", "district_officer", "can_tho_coordinator"])
def test_only_the_provinces_coordinators_upload(request, who, tiny_set, hau_giang):
    user = request.getfixturevalue(who)
    client = client_for(user)
    # Cần Thơ's coordinator has a province of their own to upload for, but not Hậu Giang.
    expected = 200 if who == "can_tho_coordinator" else 403
    assert client.get("/criteria/upload/").status_code == expected
    assert upload(client, hau_giang, GOOD_FILE.replace("VALUE", "85")).status_code == 403
    with pytest.raises(PermissionDenied):
        refinement.upload_refinement(
            user, province=hau_giang, text=GOOD_FILE.replace("VALUE", "85"), filename="x.yaml"
        )
    assert not CriteriaSet.objects.filter(province=hau_giang).exists()


# --- the pages --------------------------------------------------------------------------------


def test_the_list_shows_national_sets_and_the_users_provinces_refinements(
    hg_set, viewer, can_tho_coordinator
):
    text = page(client_for(viewer), "/criteria/")
    assert "test-xa-ntm" in text and "93-test-xa-ntm" in text
    assert "864/QĐ-UBND" in text and "05/05/2022" in text and "Đang áp dụng" in text
    other = page(client_for(can_tho_coordinator), "/criteria/")
    assert "Bộ tiêu chí thử nghiệm cấp xã" in other and "93-test-xa-ntm" not in other
    assert "test-xa-ntm" not in page(client_for(viewer), "/criteria/?level=district")
    assert "test-xa-ntm" not in page(client_for(viewer), "/criteria/?tier=nang_cao")
    assert "test-xa-ntm" in page(client_for(viewer), "/criteria/?period=2021-2025")


def test_the_set_page_shows_thresholds_key_criteria_and_hand_judged_indicators(tiny_set, viewer):
    text = page(client_for(viewer), f"/criteria/{tiny_set.pk}/")
    assert "318/QĐ-TTg" in text and "08/03/2022" in text
    assert "Tiêu chí 3. Thủy lợi và phòng, chống thiên tai" in text
    assert "Vùng Đồng bằng sông Cửu Long:</span> <strong>≥ 80%" in text
    assert "Vùng Trung du và miền núi phía Bắc:</span> <strong>≥ 70%" in text
    assert "nguồn thứ cấp" in text
    criterion_10 = text[text.index('data-testid="criterion-10"') :]
    assert "tiêu chí then chốt" in criterion_10 and "đánh giá thủ công" in criterion_10


def test_pages_need_login(client, tiny_set):
    response = client.get(f"/criteria/{tiny_set.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
