"""History of changes: who, when, before → after, shown to coordinators within their scope."""

from nongthon.places.models import Hamlet, HamletKind
from tests.conftest import client_for


def rename(hamlet: Hamlet, new_name: str, by) -> None:
    hamlet.name = new_name
    hamlet._history_user = by
    hamlet.save()


def test_district_officer_reads_who_renamed_a_hamlet_in_the_district(
    district_officer, commune_officer, vi_binh
):
    hamlet = Hamlet(commune=vi_binh, name="Ấp 1", kind=HamletKind.AP)
    hamlet._history_user = commune_officer
    hamlet.save()
    rename(hamlet, "Ấp Bình Thuận", commune_officer)
    page = client_for(district_officer).get("/units/history/").content.decode()
    assert "Ấp Bình Thuận" in page
    assert 'class="history-before">Ấp 1<' in page
    assert 'class="history-after">Ấp Bình Thuận<' in page
    assert commune_officer.display_name in page


def test_changes_outside_the_district_are_not_in_its_feed(district_officer, long_tri):
    Hamlet(commune=long_tri, name="Ấp Long Trị 7", kind=HamletKind.AP).save()
    page = client_for(district_officer).get("/units/history/").content.decode()
    assert "Ấp Long Trị 7" not in page


def test_province_coordinator_sees_changes_across_the_province(province_coordinator, long_tri):
    Hamlet(commune=long_tri, name="Ấp Long Trị 7", kind=HamletKind.AP).save()
    page = client_for(province_coordinator).get("/units/history/").content.decode()
    assert "Ấp Long Trị 7" in page


def test_commune_officers_and_viewers_have_no_history_feed(commune_officer, viewer):
    assert client_for(commune_officer).get("/units/history/").status_code == 403
    assert client_for(viewer).get("/units/history/").status_code == 403


def test_unit_history_page_is_for_coordinators_of_that_unit(
    district_officer, commune_officer, vi_binh, long_tri
):
    assert client_for(district_officer).get(f"/units/{vi_binh.pk}/history/").status_code == 200
    assert client_for(district_officer).get(f"/units/{long_tri.pk}/history/").status_code == 403
    assert client_for(commune_officer).get(f"/units/{vi_binh.pk}/history/").status_code == 403


def test_granting_a_role_appears_in_the_feed(province_coordinator, commune_officer):
    page = client_for(province_coordinator).get("/units/history/").content.decode()
    assert "Cán bộ cấp xã: Xã Vị Bình" in page
