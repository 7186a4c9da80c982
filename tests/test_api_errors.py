"""The API's contract: the OpenAPI document with Vietnamese and English texts, the docs page,
JSON errors with a stable code and a Vietnamese message for each refusal status, and a refused
read that looks exactly like a missing object."""

from __future__ import annotations

import pytest
from django.test import Client

from nongthon.api.models import Scope
from tests.api_support import API, ApiClient, api_as

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_served_with_both_languages(db):
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "nongthon API"
    assert "*English:*" in document["info"]["description"]
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) >= 40
    for op in operations:
        assert "*English:*" in op["description"], op["operationId"]
        assert op["summary"] and not op["summary"].isascii() or "OCOP" in op["summary"]
        assert {"401", "403", "404", "422"} <= set(op["responses"]), op["operationId"]
    schemes = document["components"]["securitySchemes"]
    assert {"TokenAuth", "SessionAuth"} <= set(schemes)


def test_the_docs_page_is_served_with_local_files(db):
    page = Client().get(f"{API}/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger" in html.lower() and "cdn" not in html.lower()


def test_each_refusal_is_json_with_a_code_and_a_vietnamese_message(province_coordinator, hau_giang):
    client = api_as(province_coordinator)
    cases = {
        400: client.post("/agencies", "{not json", content_type="application/json"),
        401: ApiClient().get("/units"),
        403: api_as(province_coordinator, Scope.READ).post("/agencies", {"unit_id": 1}),
        404: client.get("/agencies/987654321"),
        422: client.post("/agencies", {"unit_id": hau_giang.pk, "name": "", "kind": "department"}),
    }
    expected = {
        400: "bad_request",
        401: "unauthenticated",
        403: "read_only_token",
        404: "not_found",
        422: "invalid",
    }
    for status, response in cases.items():
        assert response.status_code == status, (status, response.content)
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        assert body["code"] == expected[status]
        assert not body["message"].isascii(), body  # Vietnamese
    assert "name" in cases[422].json()["fields"]
    bad_query = client.get("/units", {"limit": "nhiều"})
    assert bad_query.status_code == 422 and bad_query.json()["code"] == "invalid_input"
    assert "limit" in bad_query.json()["fields"]
    nowhere = client.post("/khong-co/duong-dan")
    assert nowhere.status_code == 404 and nowhere.json()["code"] == "not_found"


def test_a_refused_read_is_indistinguishable_from_a_missing_object(commune_officer, hau_giang):
    from nongthon.places.models import Agency

    agency = Agency.objects.create(unit=hau_giang, code="so-x", name="Sở X", kind="department")
    client = api_as(commune_officer, Scope.READ)
    refused, missing = client.get(f"/agencies/{agency.pk}"), client.get("/agencies/999999999")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()


def test_lists_page_in_a_stable_order(province_coordinator):
    client = api_as(province_coordinator, Scope.READ)
    first = client.get("/units", {"edition": "pre2025", "limit": 10}).json()
    second = client.get("/units", {"edition": "pre2025", "limit": 10, "offset": 10}).json()
    codes = [u["code"] for u in first["items"] + second["items"]]
    assert codes == sorted(codes) and len(set(codes)) == 20
    assert first["count"] == second["count"] > 20
