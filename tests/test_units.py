"""Administrative units: the two official lists, codes with validity, succession both ways."""

import datetime as dt

import pytest

from nongthon.places import queries
from nongthon.places.models import Edition, Level, Succession, Unit, UnitKind
from nongthon.places.official_lists import load_units
from tests.conftest import client_for


def test_hau_giang_has_8_districts_and_75_communes_of_which_51_xa(hau_giang):
    subtree = Unit.objects.subtree(hau_giang, include_self=False)
    assert subtree.filter(level=Level.DISTRICT).count() == 8
    assert subtree.communes().count() == 75
    assert subtree.communes().filter(kind=UnitKind.XA).count() == 51


def test_can_tho_2025_has_103_communes(can_tho):
    communes = Unit.objects.subtree(can_tho).communes()
    assert communes.count() == 103
    assert communes.filter(kind=UnitKind.PHUONG).count() == 31


def test_every_hau_giang_commune_became_part_of_a_can_tho_commune(hau_giang, can_tho):
    for commune in Unit.objects.subtree(hau_giang).communes():
        successors = [s.successor for s in queries.became_part_of(commune)]
        assert successors, commune.name
        assert all(s.province_id == can_tho.pk for s in successors), commune.name


def test_vi_thanh_1_is_formed_from_vi_dong_vi_thanh_and_vi_binh(db):
    vi_thanh_1 = Unit.objects.get(edition=Edition.Y2025, code="31465")
    assert vi_thanh_1.name == "Xã Vị Thanh 1"
    sources = {s.predecessor.code for s in queries.formed_from(vi_thanh_1)}
    assert sources == {"31462", "31465", "31468"}


def test_a_reused_code_means_different_units_before_and_after_the_reform(db):
    before = queries.unit_by_code("31321", dt.date(2025, 6, 30), Level.COMMUNE)
    after = queries.unit_by_code("31321", dt.date(2025, 7, 1), Level.COMMUNE)
    assert before.name == "Phường III"
    assert after.name == "Phường Vị Thanh"
    assert before.valid_to == dt.date(2025, 6, 30)
    assert after.valid_from == dt.date(2025, 7, 1)


def test_a_split_commune_is_partly_merged_with_one_default_successor(hau_giang):
    phu_huu = Unit.objects.get(edition=Edition.PRE_2025, code="31378")
    links = list(queries.became_part_of(phu_huu))
    assert len(links) > 1
    assert {s.kind for s in links} == {Succession.Kind.PARTIAL}
    assert sum(s.is_default for s in links) == 1


def test_the_old_province_carries_its_region_and_so_do_its_communes(hau_giang, vi_binh):
    assert hau_giang.region.code == "DBSCL"
    assert vi_binh.effective_region().code == "DBSCL"


def test_loading_twice_leaves_the_same_rows(db):
    def snapshot():
        units = list(
            Unit.objects.order_by("edition", "level", "code").values_list(
                "edition",
                "level",
                "code",
                "name",
                "parent__code",
                "valid_from",
                "valid_to",
                "latitude",
                "region__code",
            )
        )
        links = sorted(
            Succession.objects.values_list(
                "predecessor__code", "successor__code", "kind", "is_default"
            )
        )
        return units, links

    load_units(["94"])
    first = snapshot()
    result = load_units(["93", "94"])
    assert (result.created, result.updated, result.links_created) == (0, 0, 0)
    assert snapshot() == first


def test_subtree_of_a_district_is_one_query(vi_thuy, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = list(
            Unit.objects.subtree(vi_thuy, include_self=False).values_list("code", flat=True)
        )
    assert len(codes) == 10


@pytest.mark.parametrize("text", ["vi thanh", "Vị Thanh", "VI THANH"])
def test_search_ignores_diacritics_and_case(db, text):
    names = {u.name for u in queries.search_units(text)}
    assert "Phường Vị Thanh" in names
    assert "Thành phố Vị Thanh" in names
    assert not any("Vĩnh" in n for n in names)


def test_search_by_code(db):
    assert [u.name for u in queries.search_units("31468")] == ["Xã Vị Bình"]


def test_a_pasted_paragraph_searches_by_its_first_distinct_words(db):
    # 600 words would be 600 LIKEs: deeper than SQLite's expression limit (a server error).
    text = "binh " * 300 + "vi\x85" * 300
    names = {u.name for u in queries.search_units(text)}
    assert "Xã Vị Bình" in names and all("Bình" in n and "Vị" in n for n in names)


def test_commune_page_shows_where_it_went_and_the_new_unit_where_it_came_from(viewer, vi_binh):
    client = client_for(viewer)
    page = client.get(f"/units/{vi_binh.pk}/").content.decode()
    assert "Đã sáp nhập vào" in page and "Xã Vị Thanh 1" in page
    new = Unit.objects.get(edition=Edition.Y2025, code="31465")
    page = client.get(f"/units/{new.pk}/").content.decode()
    assert "Hình thành từ" in page and "Xã Vị Bình" in page and "Huyện Vị Thủy" in page


def test_browse_lists_provinces_and_searches_without_diacritics(viewer):
    client = client_for(viewer)
    page = client.get("/units/?edition=pre2025").content.decode()
    assert "Tỉnh Hậu Giang" in page
    page = client.get("/units/?edition=pre2025&q=vi+binh").content.decode()
    assert "Xã Vị Bình" in page


def test_unit_pages_need_login(client, vi_binh):
    response = client.get(f"/units/{vi_binh.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
