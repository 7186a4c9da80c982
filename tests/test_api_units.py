"""Units and agencies through the API: the official lists to any signed-in caller, agencies
only within the caller's memberships, changes through places.agencies with its rules."""

from __future__ import annotations

import pytest

from nongthon.api.models import Scope
from nongthon.places.models import Agency
from tests.api_support import api_as, error_code

pytestmark = pytest.mark.django_db


def test_units_are_listed_by_edition_level_parent_and_subtree(commune_officer, vi_thuy, can_tho):
    client = api_as(commune_officer, Scope.READ)
    district = client.get("/units", {"parent": vi_thuy.pk}).json()
    assert district["count"] == vi_thuy.children.count() > 0
    assert client.get("/units", {"under": vi_thuy.pk}).json()["count"] == district["count"] + 1
    found = client.get("/units", {"q": "vi binh", "edition": "pre2025"}).json()["items"]
    assert "31468" in [u["code"] for u in found]
    other = client.get(f"/units/{can_tho.pk}")  # the official lists are public law
    assert other.status_code == 200 and other.json()["edition"] == "2025"
    assert client.get("/units/999999999").status_code == 404


def test_agencies_are_visible_only_within_the_callers_units(
    commune_officer, province_coordinator, hau_giang, vi_binh
):
    own = Agency.objects.create(unit=vi_binh, code="ubnd", name="UBND xã Vị Bình", kind="committee")
    province = Agency.objects.create(
        unit=hau_giang, code="so-y-te", name="Sở Y tế", kind="department"
    )
    commune = api_as(commune_officer, Scope.READ)
    assert [a["id"] for a in commune.get("/agencies").json()["items"]] == [own.pk]
    assert commune.get(f"/agencies/{province.pk}").status_code == 404
    assert commune.get("/agencies", {"unit": hau_giang.pk}).status_code == 404
    coordinator = api_as(province_coordinator, Scope.READ)
    assert coordinator.get("/agencies", {"under": hau_giang.pk}).json()["count"] == 2


def test_renaming_an_agency_follows_its_rules(
    province_coordinator, commune_officer, hau_giang, vi_binh
):
    agency = Agency.objects.create(unit=hau_giang, code="so-x", name="Sở X", kind="department")
    client = api_as(province_coordinator)
    renamed = client.post(
        f"/agencies/{agency.pk}/rename", {"version": 1, "name": "Sở Y", "reason": "QĐ 5"}
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Sở Y"
    stale = client.post(f"/agencies/{agency.pk}/rename", {"version": 1, "name": "Sở Z"})
    assert stale.status_code == 409 and error_code(stale) == "stale"
    same = client.post(f"/agencies/{agency.pk}/rename", {"version": 2, "name": "Sở Y"})
    assert same.status_code == 422 and "name" in same.json()["fields"]
    assert Agency.objects.get(pk=agency.pk).history.first().history_user == province_coordinator
    own = Agency.objects.create(unit=vi_binh, code="ubnd", name="UBND xã", kind="committee")
    refused = api_as(commune_officer).post(
        f"/agencies/{own.pk}/rename", {"version": 1, "name": "UBND"}
    )
    assert refused.status_code == 403 and error_code(refused) == "forbidden"
    hidden = api_as(commune_officer).post(
        f"/agencies/{agency.pk}/rename", {"version": 2, "name": "A"}
    )
    assert hidden.status_code == 404


def test_adding_an_agency_to_another_province_is_404(province_coordinator, can_tho):
    response = api_as(province_coordinator).post(
        "/agencies", {"unit_id": can_tho.pk, "name": "Sở Nội vụ", "kind": "department"}
    )
    assert response.status_code == 404
