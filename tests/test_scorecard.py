"""The unit scorecard: every criterion of the stored evaluation with its verdict and reasons,
the region, the set version and its basis, evidence counts, history links, confirmation status;
printable; seen only by those who may see the unit's values."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from nongthon.assessment.models import Evaluation, Evidence, IndicatorValue, UnitProfile
from nongthon.assessment.services import ValueEntry, save_values
from tests.conftest import client_for

YEAR = 2023


def enter(unit, family, illustrative=False, actor=None, **values):
    entries = []
    for code, value in values.items():
        if code == "10":
            entries.append(ValueEntry("10", hand_verdict=value, hand_reason="theo báo cáo xã"))
        else:
            entries.append(ValueEntry(code, value))
    return save_values(
        actor, unit=unit, year=YEAR, family=family, entries=entries, illustrative=illustrative
    )


def text(response) -> str:
    """What the user reads: tags dropped, entities decoded, whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def card_url(unit, family, year=YEAR) -> str:
    return reverse("assessment:results_scorecard", args=[unit.pk, year, family])


@pytest.fixture
def family(tiny_set) -> str:
    return tiny_set.family


@pytest.fixture
def vi_binh_values(vi_binh, family):
    """Criterion 3 met (90% ≥ 80%, 4 tại chỗ đạt), criterion 10 judged not met by hand."""
    enter(vi_binh, family, **{"3.1": "90", "3.2": True, "10": False})


def test_it_shows_every_criterion_with_its_reason_and_one_of_two_met(
    vi_binh_values, vi_binh, family, commune_officer
):
    response = client_for(commune_officer).get(card_url(vi_binh, family))
    assert response.status_code == 200
    page = text(response)
    assert "Đạt 1/2 tiêu chí" in page
    assert "3. Thủy lợi và phòng, chống thiên tai" in page
    assert "Tiêu chí 3 đạt: 2/2 chỉ tiêu đạt" in page
    assert "3.1 đạt: 90% ≥ 80%, vùng Đồng bằng sông Cửu Long" in page
    assert "Tiêu chí 10 chưa đạt: 10 chưa đạt (đánh giá thủ công): theo báo cáo xã" in page
    assert 'data-testid="criterion-3" data-status="met"' in response.content.decode()
    assert 'data-testid="criterion-10" data-status="not_met"' in response.content.decode()


def test_it_names_the_set_version_its_legal_basis_and_the_region(
    vi_binh_values, vi_binh, family, commune_officer
):
    page = text(client_for(commune_officer).get(card_url(vi_binh, family)))
    assert "Bộ tiêu chí thử nghiệm cấp xã — phiên bản 1" in page
    assert "318/QĐ-TTg ngày 08/03/2022 của Thủ tướng Chính phủ, Phụ lục I" in page
    assert "Đồng bằng sông Cửu Long — theo vùng kinh tế - xã hội của tỉnh" in page


def test_it_explains_why_a_commune_uses_the_northern_mountain_thresholds(
    vi_binh, family, commune_officer
):
    UnitProfile.objects.create(unit=vi_binh, year=YEAR, flags=["dbkk"])
    enter(vi_binh, family, **{"3.1": "75", "3.2": True})
    page = text(client_for(commune_officer).get(card_url(vi_binh, family)))
    assert "Trung du và miền núi phía Bắc — áp dụng mức vùng TDMNPB (dbkk" in page
    assert "3.1 đạt: 75% ≥ 70%" in page


def test_it_reads_the_stored_evaluation_and_never_recomputes(
    vi_binh_values, vi_binh, family, commune_officer
):
    evaluation = Evaluation.objects.get(unit=vi_binh, year=YEAR)
    evaluation.result["criteria"][0]["reason"] = "Lý do đã lưu"
    evaluation.save()
    page = text(client_for(commune_officer).get(card_url(vi_binh, family)))
    assert "Lý do đã lưu" in page


def test_it_counts_the_evidence_of_each_indicator_but_not_removed_files(
    vi_binh_values, vi_binh, family, commune_officer
):
    value = IndicatorValue.objects.get(unit=vi_binh, year=YEAR, indicator_code="3.1")
    for name in ("bien-ban.pdf", "anh.jpg", "cu.pdf"):
        Evidence.objects.create(
            value=value, file=f"evidence/{name}", original_name=name, size=10, content_type="x"
        )
    Evidence.objects.filter(original_name="cu.pdf").update(removed_at="2023-05-01T00:00Z")
    content = client_for(commune_officer).get(card_url(vi_binh, family)).content.decode()
    row = re.search(r'data-testid="indicator-3.1">(.*?)</tr>', content, re.S).group(1)
    assert re.search(r'data-testid="evidence-count">2<', row)
    row = re.search(r'data-testid="indicator-3.2">(.*?)</tr>', content, re.S).group(1)
    assert re.search(r'data-testid="evidence-count">0<', row)


def test_each_value_links_to_its_history(vi_binh, family, commune_officer):
    enter(vi_binh, family, actor=commune_officer, **{"3.1": "78"})
    enter(vi_binh, family, actor=commune_officer, **{"3.1": Decimal("85")})
    client = client_for(commune_officer)
    history_url = reverse(
        "assessment:results_value_history", args=[vi_binh.pk, YEAR, family, "3.1"]
    )
    assert history_url in client.get(card_url(vi_binh, family)).content.decode()
    page = text(client.get(history_url))
    assert "Lịch sử chỉ tiêu 3.1: Xã Vị Bình, năm 2023" in page
    assert re.search(r"Xa Số liệu chỉ tiêu: Xã Vị Bình 2023 3.1 Sửa Giá trị: 78\S* → 85", page)
    assert "Xa Số liệu chỉ tiêu: Xã Vị Bình 2023 3.1 Tạo mới" in page


def test_it_says_so_when_the_values_are_illustrative(vi_binh, family, commune_officer):
    client = client_for(commune_officer)
    enter(vi_binh, family, **{"3.1": "90"})
    assert "Dữ liệu minh họa" not in text(client.get(card_url(vi_binh, family)))
    enter(vi_binh, family, illustrative=True, **{"3.2": True})
    assert "Dữ liệu minh họa" in text(client.get(card_url(vi_binh, family)))


def test_it_is_printable(vi_binh_values, vi_binh, family, commune_officer):
    content = client_for(commune_officer).get(card_url(vi_binh, family)).content.decode()
    # Print styles and the print button come from static files (the CSP forbids inline ones).
    assert 'href="/static/web/print.css" media="print"' in content
    assert "data-print" in content
    assert ">In</button>" in content


def test_a_commune_without_values_has_no_evaluation_yet(vi_binh, family, commune_officer):
    page = text(client_for(commune_officer).get(card_url(vi_binh, family)))
    assert "Xã Vị Bình chưa có kết quả đánh giá năm 2023" in page


def test_the_district_and_the_province_see_the_communes_scorecard(
    vi_binh_values, vi_binh, family, district_officer, province_coordinator, viewer
):
    for user in (district_officer, province_coordinator, viewer):
        assert client_for(user).get(card_url(vi_binh, family)).status_code == 200


def test_it_refuses_another_communes_officer_with_404(
    vi_binh_values, vi_binh, family, other_commune_officer
):
    client = client_for(other_commune_officer)
    assert client.get(card_url(vi_binh, family)).status_code == 404
    history_url = reverse(
        "assessment:results_value_history", args=[vi_binh.pk, YEAR, family, "3.1"]
    )
    assert client.get(history_url).status_code == 404


def test_it_refuses_an_officer_of_another_district_with_404(
    vi_binh_values, vi_binh, family, long_tri
):
    from nongthon.accounts.models import Role
    from tests.conftest import make_user

    other_district = make_user("huyenkhac", long_tri.district, Role.DISTRICT_OFFICER)
    assert client_for(other_district).get(card_url(vi_binh, family)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(vi_binh_values, vi_binh, family, client):
    response = client.get(card_url(vi_binh, family))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
