"""A unit's designations for a year move it to the northern-mountain thresholds, recorded by the
district or province with their basis, and re-evaluate it at once."""

from nongthon.assessment.models import Evaluation
from nongthon.assessment.services import ValueEntry, save_values
from tests.conftest import client_for


def url(unit, tiny_set, year=2023):
    return f"/assessment/{unit.pk}/{year}/{tiny_set.family}/profile/"


def test_a_district_officer_marks_a_commune_especially_difficult_and_it_is_re_evaluated(
    tiny_set, vi_binh, district_officer
):
    save_values(
        None,
        unit=vi_binh,
        year=2023,
        family=tiny_set.family,
        entries=[ValueEntry("3.1", "75"), ValueEntry("3.2", True)],
    )
    before = Evaluation.objects.get(unit=vi_binh, year=2023)
    assert before.result["criteria"][0]["status"] == "not_met"
    response = client_for(district_officer).post(
        url(vi_binh, tiny_set),
        {"flags": ["dbkk"], "note": "QĐ 861/QĐ-TTg ngày 04/6/2021", "version": 0},
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(unit=vi_binh, year=2023)
    assert evaluation.effective_region == "TDMNPB"
    assert evaluation.result["criteria"][0]["status"] == "met"


def test_a_designation_needs_its_basis(tiny_set, vi_binh, district_officer):
    page = client_for(district_officer).post(
        url(vi_binh, tiny_set), {"flags": ["dbkk"], "note": "", "version": 0}
    )
    assert "Hãy ghi căn cứ" in page.content.decode()


def test_commune_officers_see_but_may_not_change_the_designations(
    tiny_set, vi_binh, commune_officer
):
    client = client_for(commune_officer)
    assert client.get(url(vi_binh, tiny_set)).status_code == 200
    response = client.post(url(vi_binh, tiny_set), {"flags": ["dbkk"], "note": "x", "version": 0})
    assert response.status_code == 403


def test_other_communes_profiles_are_not_found(tiny_set, vi_binh, other_commune_officer):
    assert client_for(other_commune_officer).get(url(vi_binh, tiny_set)).status_code == 404


def test_a_stale_profile_form_is_refused(tiny_set, vi_binh, district_officer, province_coordinator):
    data = {"commune_group": 2, "note": "QĐ 1/QĐ-UBND", "version": 0}
    assert client_for(district_officer).post(url(vi_binh, tiny_set), data).status_code == 302
    page = client_for(province_coordinator).post(
        url(vi_binh, tiny_set), {**data, "commune_group": 3}
    )
    assert "vừa được người khác sửa" in page.content.decode()
