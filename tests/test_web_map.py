"""The communes map: its JSON (points from the official list's coordinates, criteria met per
year, titles as intervals, polygons where a boundary file is active), who may read it, tiles
only when configured; and the boundary files a system admin loads (checked feature by feature,
all or nothing, the previous file kept inactive)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nongthon.accounts.models import Role
from nongthon.catalogue.models import Tier
from nongthon.places.models import Level, Unit
from nongthon.web import boundaries
from nongthon.web.models import BoundaryFile, CommuneBoundary
from tests.conftest import client_for, make_user
from tests.test_web_dashboard import evaluate, grant

pytestmark = pytest.mark.django_db


def square(unit: Unit, half: float = 0.01) -> dict:
    lon, lat = float(unit.longitude), float(unit.latitude)
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feature(code, geometry, key="ma_xa") -> dict:
    return {"type": "Feature", "properties": {key: code}, "geometry": geometry}


def load(admin, province, content, **extra):
    fields = {
        "name": "ranh-gioi.geojson",
        "source": "Sở Nông nghiệp và Môi trường",
        "licence": "Văn bản cho phép số 1/SNNMT",
        "code_property": "ma_xa",
    } | extra
    return boundaries.load_boundary_file(admin, province, content, **fields)


# --- The map's data ---------------------------------------------------------------------------


def test_every_commune_of_hau_giang_has_a_point_from_the_official_list(hau_giang):
    communes = Unit.objects.filter(province=hau_giang, level=Level.COMMUNE)
    assert communes.count() == 75
    assert communes.filter(latitude__isnull=True).count() == 0
    assert {u.source for u in communes} == {communes.first().source}
    assert communes.first().source.startswith("vietnamadminunits")


def test_map_data_carries_points_results_and_titles(tiny_set, hau_giang, vi_binh, vi_dong):
    evaluate(vi_binh, tiny_set, 2022, failing=[3])
    evaluate(vi_binh, tiny_set, 2023)
    grant(vi_binh, Tier.NTM, dt.date(2023, 6, 1), "1/QĐ-UBND")
    client = client_for(make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR))
    data = client.get(reverse("web:map_data", args=[hau_giang.pk])).json()
    assert data["years"] == [2022, 2023] and data["year"] == 2023
    assert len(data["communes"]) == 75
    assert all(c["lat"] and c["lon"] and c["geometry"] is None for c in data["communes"])
    binh = next(c for c in data["communes"] if c["id"] == vi_binh.pk)
    assert binh["years"]["2022"]["met"] == 1 and binh["years"]["2023"]["met"] == 2
    assert binh["years"]["2023"]["url"] == reverse(
        "assessment:results_scorecard", args=[vi_binh.pk, 2023, tiny_set.family]
    )
    assert binh["titles"] == [["ntm", "2023-06-01", None]]
    dong = next(c for c in data["communes"] if c["id"] == vi_dong.pk)
    assert dong["years"] == {} and dong["titles"] == []
    assert "vietnamadminunits" in data["source"]
    assert len(data["districts"]) == 8


def test_a_district_map_holds_its_communes_only(vi_thuy):
    client = client_for(make_user("huyen", vi_thuy, Role.DISTRICT_OFFICER))
    data = client.get(reverse("web:map_data", args=[vi_thuy.pk])).json()
    expected = Unit.objects.filter(district=vi_thuy, level=Level.COMMUNE).count()
    assert len(data["communes"]) == expected and {c["district"] for c in data["communes"]} == {
        vi_thuy.pk
    }


def test_the_map_of_a_unit_out_of_reach_answers_404(hau_giang, vi_thuy, vi_binh, long_tri):
    district = client_for(make_user("huyen", vi_thuy, Role.DISTRICT_OFFICER))
    assert district.get(reverse("web:map", args=[hau_giang.pk])).status_code == 404
    assert district.get(reverse("web:map_data", args=[hau_giang.pk])).status_code == 404
    assert district.get(reverse("web:map_data", args=[long_tri.district_id])).status_code == 404
    # A commune has no map of its own.
    commune = client_for(make_user("xa", vi_binh, Role.COMMUNE_OFFICER))
    assert commune.get(reverse("web:map", args=[vi_binh.pk])).status_code == 404
    assert (
        client_for(make_user("anon_like"))
        .get(reverse("web:map_data", args=[vi_thuy.pk]))
        .status_code
        == 404
    )


def test_the_map_needs_a_login(client, hau_giang):
    response = client.get(reverse("web:map_data", args=[hau_giang.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_without_a_tile_setting_the_map_has_no_tiles(hau_giang, settings):
    client = client_for(make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR))
    settings.NONGTHON_MAP_TILES_URL = ""
    page = client.get(reverse("web:map", args=[hau_giang.pk]))
    assert page.context["config"]["tiles"] is None
    assert "tile.openstreetmap" not in page.content.decode()
    settings.NONGTHON_MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.NONGTHON_MAP_TILES_ATTRIBUTION = "© Ví dụ"
    page = client.get(reverse("web:map", args=[hau_giang.pk]))
    assert page.context["config"]["tiles"]["url"].startswith("https://tiles.example.org/")
    assert '<script id="map-config" type="application/json">' in page.content.decode()


# --- Boundary files ---------------------------------------------------------------------------


def test_an_admin_loads_a_boundary_file_and_the_map_draws_its_polygons(
    system_admin, hau_giang, vi_binh, vi_dong
):
    record = load(
        system_admin,
        hau_giang,
        geojson(
            feature(vi_binh.code, square(vi_binh)), feature(int(vi_dong.code), square(vi_dong))
        ),
    )
    assert record.feature_count == 2 and record.active
    data = client_for(system_admin).get(reverse("web:map_data", args=[hau_giang.pk])).json()
    drawn = {c["id"]: c["geometry"] for c in data["communes"] if c["geometry"]}
    assert set(drawn) == {vi_binh.pk, vi_dong.pk}
    assert drawn[vi_binh.pk]["type"] == "Polygon"


def test_a_new_file_replaces_the_active_one_and_the_old_one_is_kept(
    system_admin, hau_giang, vi_binh
):
    first = load(system_admin, hau_giang, geojson(feature(vi_binh.code, square(vi_binh))))
    second = load(system_admin, hau_giang, geojson(feature(vi_binh.code, square(vi_binh, 0.02))))
    first.refresh_from_db()
    assert not first.active and second.active
    assert boundaries.active_file(hau_giang.pk) == second
    assert first.history.filter(active=False).exists()
    assert CommuneBoundary.objects.filter(file=first).count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "không phải JSON hợp lệ: dòng 1"),
        (b'{"type": "Feature"}', "FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "không có đối tượng"),
    ],
)
def test_a_file_that_is_not_geojson_is_refused(system_admin, hau_giang, content, message):
    with pytest.raises(ValidationError) as refused:
        load(system_admin, hau_giang, content)
    assert message in " ".join(refused.value.messages)
    assert not BoundaryFile.objects.exists()


def test_every_bad_feature_is_named_and_nothing_is_saved(
    system_admin, hau_giang, vi_binh, vi_dong, long_tri, can_tho
):
    projected = {
        "type": "Polygon",
        "coordinates": [
            [[580000, 1080000], [581000, 1080000], [581000, 1081000], [580000, 1080000]]
        ],
    }
    open_ring = square(long_tri)
    open_ring["coordinates"][0] = open_ring["coordinates"][0][:-1] + [[105.0, 9.0]]
    other = Unit.objects.filter(province=can_tho, level=Level.COMMUNE).first()
    content = geojson(
        feature(vi_binh.code, square(vi_binh)),  # fine
        feature(vi_binh.code, square(vi_binh)),  # duplicate
        feature(vi_dong.code, projected),  # VN-2000 metres, not degrees
        feature(long_tri.code, open_ring),  # not closed
        feature(other.code, square(vi_binh)),  # a 2025 code, not Hậu Giang's
        feature("31379", square(vi_binh)),  # Phú Tân's code on Vị Bình's shape: far from it
        {"type": "Feature", "properties": {"ten": "x"}, "geometry": square(vi_binh)},
        feature(vi_thuy_code := "31465", {"type": "Point", "coordinates": [105.5, 9.8]}),
    )
    with pytest.raises(ValidationError) as refused:
        load(system_admin, hau_giang, content)
    messages = refused.value.messages
    assert len(messages) == 7
    assert messages[0].startswith("Đối tượng thứ 2 (mã 31468): mã 31468 đã có ở đối tượng thứ 1")
    assert "nằm ngoài Việt Nam" in messages[1] and "WGS84" in messages[1]
    assert "không khép kín" in messages[2]
    assert f"không có xã mã {other.code} thuộc Tỉnh Hậu Giang" in messages[3]
    assert "ranh giới không chứa vị trí đã biết" in messages[4]
    assert messages[5].startswith("Đối tượng thứ 7: thiếu thuộc tính «ma_xa»")
    assert f"Đối tượng thứ 8 (mã {vi_thuy_code}): hình học phải là Polygon" in messages[6]
    assert not BoundaryFile.objects.exists() and not CommuneBoundary.objects.exists()


def test_source_and_licence_are_required(system_admin, hau_giang, vi_binh):
    with pytest.raises(ValidationError) as refused:
        load(system_admin, hau_giang, geojson(feature(vi_binh.code, square(vi_binh))), licence=" ")
    assert "licence" in refused.value.error_dict


def test_only_system_admins_load_boundaries(province_coordinator, hau_giang, vi_binh, system_admin):
    with pytest.raises(PermissionDenied):
        load(province_coordinator, hau_giang, geojson(feature(vi_binh.code, square(vi_binh))))
    client = client_for(province_coordinator)
    assert client.get(reverse("web:boundaries")).status_code == 403
    assert client_for(system_admin).get(reverse("web:boundaries")).status_code == 200


def test_the_upload_page_loads_a_file_or_shows_every_problem(system_admin, hau_giang, vi_binh):
    client = client_for(system_admin)
    fields = {
        "province": hau_giang.pk,
        "code_property": "ma_xa",
        "source": "Sở Nông nghiệp và Môi trường",
        "licence": "Văn bản cho phép số 1/SNNMT",
    }
    bad = SimpleUploadedFile("sai.geojson", geojson(feature("99999", square(vi_binh))))
    response = client.post(reverse("web:boundaries"), {**fields, "file": bad})
    assert response.status_code == 200
    assert "không có xã mã 99999" in response.content.decode()
    good = SimpleUploadedFile("dung.geojson", geojson(feature(vi_binh.code, square(vi_binh))))
    response = client.post(reverse("web:boundaries"), {**fields, "file": good}, follow=True)
    assert "Đã nạp ranh giới 1 xã của Tỉnh Hậu Giang" in response.content.decode()
    assert BoundaryFile.objects.get().uploaded_by == system_admin
