"""Values, criteria sets and evaluations through the API: the same rules as the entry page
(permission, validation, stale versions, history, re-evaluation), reads by subtree and year,
other units' data answering 404."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nongthon.api.models import Scope
from nongthon.assessment.models import Evaluation, IndicatorValue
from nongthon.catalogue.models import CriteriaSet
from tests.api_support import api_as, error_code
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
YEAR, FAMILY = 2023, "test-xa-ntm"


def put(client, unit, entries, year=YEAR, family=FAMILY):
    return client.put(f"/values/{unit.pk}/{year}/{family}", {"entries": entries})


def test_a_commune_officer_saves_values_and_the_unit_is_evaluated_at_once(
    tiny_set, commune_officer, vi_binh
):
    client = api_as(commune_officer)
    response = put(
        client,
        vi_binh,
        [
            {"indicator_code": "3.1", "value": "85,5"},
            {"indicator_code": "3.2", "value": True},
            {"indicator_code": "10", "hand_verdict": True, "hand_reason": "Biên bản thẩm định"},
        ],
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert sorted(body["changed"]) == ["10", "3.1", "3.2"]
    assert body["evaluations"][0]["all_met"] is True
    row = IndicatorValue.objects.get(unit=vi_binh, indicator_code="3.1")
    assert row.value_number == Decimal("85.5")
    assert row.history.first().history_user == commune_officer  # the same history as the UI
    listed = client.get("/values", {"unit": vi_binh.pk, "year": YEAR}).json()
    assert [v["indicator_code"] for v in listed["items"]] == ["10", "3.1", "3.2"]
    assert listed["items"][1]["value"] == "85.5"


def test_bad_values_are_refused_whole_naming_the_indicator(tiny_set, commune_officer, vi_binh):
    response = put(
        api_as(commune_officer),
        vi_binh,
        [{"indicator_code": "3.1", "value": "150"}, {"indicator_code": "3.2", "value": True}],
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "3.1" in body["fields"] and "100" in body["fields"]["3.1"][0]
    assert not IndicatorValue.objects.filter(unit=vi_binh).exists()


def test_a_stale_version_is_refused_with_409(tiny_set, commune_officer, vi_binh):
    client = api_as(commune_officer)
    assert put(client, vi_binh, [{"indicator_code": "3.1", "value": 85}]).status_code == 200
    stale = put(client, vi_binh, [{"indicator_code": "3.1", "value": 90, "version": 0}])
    assert stale.status_code == 409
    assert error_code(stale) == "stale"
    fresh = put(client, vi_binh, [{"indicator_code": "3.1", "value": 90, "version": 1}])
    assert fresh.status_code == 200


def test_writing_another_communes_values_is_403_and_another_provinces_is_404(
    tiny_set, commune_officer, vi_dong, can_tho
):
    client = api_as(commune_officer)
    same_district = put(client, vi_dong, [{"indicator_code": "3.1", "value": 85}])
    assert same_district.status_code == 404  # not visible to a commune officer of Vị Bình
    district = make_user("huyen2", vi_dong.district, "district_officer")
    viewer = make_user("xem2", vi_dong, "viewer")
    assert (
        put(api_as(district), vi_dong, [{"indicator_code": "3.1", "value": 85}]).status_code == 200
    )
    refused = put(api_as(viewer), vi_dong, [{"indicator_code": "3.1", "value": 90}])
    assert refused.status_code == 403 and error_code(refused) == "forbidden"
    assert put(client, can_tho, [{"indicator_code": "3.1", "value": 85}]).status_code == 404


def test_a_read_only_token_cannot_save_values(tiny_set, commune_officer, vi_binh):
    response = put(
        api_as(commune_officer, Scope.READ), vi_binh, [{"indicator_code": "3.1", "value": 85}]
    )
    assert response.status_code == 403 and error_code(response) == "read_only_token"


def test_reads_are_limited_to_the_callers_units_and_filter_by_subtree_and_year(
    tiny_set, province_coordinator, commune_officer, vi_binh, long_tri, vi_thuy
):
    coordinator = api_as(province_coordinator)
    for unit in (vi_binh, long_tri):
        assert put(coordinator, unit, [{"indicator_code": "3.1", "value": 85}]).status_code == 200
    assert (
        put(coordinator, vi_binh, [{"indicator_code": "3.1", "value": 70}], year=2022).status_code
        == 200
    )
    assert coordinator.get("/values").json()["count"] == 3
    assert coordinator.get("/values", {"under": vi_thuy.pk}).json()["count"] == 2
    assert coordinator.get("/values", {"year": 2022}).json()["count"] == 1
    commune = api_as(commune_officer, Scope.READ)
    mine = commune.get("/values").json()
    assert {v["unit"]["code"] for v in mine["items"]} == {vi_binh.code}
    assert commune.get("/values", {"unit": long_tri.pk}).status_code == 404
    assert commune.get("/evaluations", {"unit": long_tri.pk}).status_code == 404
    assert {e["unit"]["code"] for e in commune.get("/evaluations").json()["items"]} == {
        vi_binh.code
    }
    other = Evaluation.objects.get(unit=long_tri)
    assert commune.get(f"/evaluations/{other.pk}").status_code == 404
    own = Evaluation.objects.filter(unit=vi_binh).first()
    detail = commune.get(f"/evaluations/{own.pk}").json()
    assert [c["number"] for c in detail["criteria"]] == [3, 10]


def test_paging_is_stable_and_bounded(tiny_set, province_coordinator, vi_binh):
    client = api_as(province_coordinator)
    put(
        client,
        vi_binh,
        [{"indicator_code": c, "value": v} for c, v in (("3.1", 85), ("3.2", True))],
    )
    first = client.get("/values", {"limit": 1}).json()
    second = client.get("/values", {"limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == 2
    assert first["items"][0]["id"] != second["items"][0]["id"]
    too_big = client.get("/values", {"limit": 501})
    assert too_big.status_code == 422 and error_code(too_big) == "invalid_input"


def test_the_summary_is_the_results_pages_figures_and_404_outside_the_scope(
    tiny_set, province_coordinator, commune_officer, vi_binh, hau_giang
):
    client = api_as(province_coordinator)
    entries = [
        {"indicator_code": "3.1", "value": 85},
        {"indicator_code": "3.2", "value": True},
        {"indicator_code": "10", "hand_verdict": True},
    ]
    put(client, vi_binh, entries)
    summary = client.get(
        "/evaluations/summary", {"unit": hau_giang.pk, "year": YEAR, "family": FAMILY}
    )
    assert summary.status_code == 200, summary.json()
    body = summary.json()
    assert (body["communes"], body["all_met"], body["average"]) == (1, 1, "2.0")
    assert [c["met"] for c in body["criteria"]] == [1, 1]
    refused = api_as(commune_officer).get(
        "/evaluations/summary", {"unit": hau_giang.pk, "year": YEAR, "family": FAMILY}
    )
    assert refused.status_code == 404


def test_criteria_sets_national_and_own_province_with_thresholds(tiny_set, commune_officer):
    client = api_as(commune_officer, Scope.READ)
    listed = client.get("/criteria-sets", {"family": FAMILY}).json()
    assert [s["code"] for s in listed["items"]] == [FAMILY]
    detail = client.get(f"/criteria-sets/{tiny_set.pk}").json()
    indicator = detail["criteria"][0]["indicators"][0]
    assert indicator["code"] == "3.1"
    assert {t["region"]: t["value"] for t in indicator["thresholds"]} == {
        "DBSCL": "80",
        "TDMNPB": "70",
    }


def test_another_provinces_refinement_is_not_listed_and_answers_404(
    tiny_set, commune_officer, can_tho
):
    other = CriteriaSet.objects.create(
        code="ct-ntm", version=1, name="Bộ tiêu chí Cần Thơ", level="commune", tier="ntm",
        period_from=2021, period_to=2025, basis_number="1/QĐ-UBND", family=FAMILY,
        province=can_tho, refines=tiny_set,
    )  # fmt: skip
    client = api_as(commune_officer, Scope.READ)
    assert "ct-ntm" not in [s["code"] for s in client.get("/criteria-sets").json()["items"]]
    assert client.get(f"/criteria-sets/{other.pk}").status_code == 404
