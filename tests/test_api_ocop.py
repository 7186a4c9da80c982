"""OCOP through the API: officers see their area's producers and products, a producer account
only its own; the public catalogue needs no login and shows exactly what the public pages show
(no score, no council, contacts only when published)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from nongthon.api.models import Scope
from nongthon.ocop import services
from nongthon.ocop.models import Product
from tests.api_support import API, ApiClient, api_as, error_code
from tests.conftest import make_user
from tests.ocop_support import (
    SECRET_EMAIL,
    SECRET_PHONE,
    council_with,
    producer_at,
    product_of,
    scored,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(hau_giang, vi_binh):
    producer = producer_at(vi_binh)
    product = product_of(producer)
    council, users = council_with(hau_giang, level="central")
    evaluation = scored(product, council, users, 100, dt.date(2026, 6, 10))
    services.issue_certificate(
        None, evaluation=evaluation, decision_no="12/QĐ-UBND", decision_date=dt.date(2026, 6, 20)
    )
    return Product.objects.get(pk=product.pk)


def test_anonymous_callers_get_the_public_catalogue_and_nothing_else(certified):
    anonymous = ApiClient()
    listed = anonymous.get("/public/ocop/products")
    assert listed.status_code == 200
    item = listed.json()["items"][0]
    star = certified.certificates.get().star
    assert star >= 3
    assert (item["name"], item["certificate"]["star"]) == ("Bưởi da xanh", star)
    assert item["phone"] is None and item["email"] is None
    text = listed.content.decode()
    assert SECRET_PHONE not in text and SECRET_EMAIL not in text
    for private in ("score", "total", "council", "points", "comment"):
        assert private not in item
    one = anonymous.get(f"/public/ocop/products/{certified.public_id}")
    assert one.status_code == 200 and one.json()["url"].endswith(
        f"/ocop/san-pham/{certified.public_id}/"
    )
    for path in ("/ocop/products", "/ocop/producers", "/ocop/certificates", "/values", "/me"):
        refused = anonymous.get(path)
        assert refused.status_code == 401 and error_code(refused) == "unauthenticated"


def test_published_contacts_appear_and_uncertified_products_stay_out(certified, vi_binh):
    producer = certified.producer
    services.save_producer(
        None, producer=producer, expected_version=producer.version, contacts_public=True
    )
    item = ApiClient().get("/public/ocop/products").json()["items"][0]
    assert (item["phone"], item["email"]) == (SECRET_PHONE, SECRET_EMAIL)
    draft = product_of(producer_at(vi_binh, "Tổ hợp tác khác"), name="Mắm cá")
    assert ApiClient().get(f"/public/ocop/products/{draft.public_id}").status_code == 404
    assert ApiClient().get("/public/ocop/products", {"q": "mam ca"}).json()["count"] == 0
    star = certified.certificates.get().star
    assert (
        ApiClient().get("/public/ocop/products", {"q": "buoi", "star": star}).json()["count"] == 1
    )
    assert ApiClient().get("/public/ocop/products", {"star": star - 1}).json()["count"] == 0


def test_officers_see_their_area_and_other_areas_answer_404(certified, long_tri, commune_officer):
    other = product_of(producer_at(long_tri, "HTX Long Trị"), name="Khóm")
    client = api_as(commune_officer, Scope.READ)
    assert [p["name"] for p in client.get("/ocop/products").json()["items"]] == ["Bưởi da xanh"]
    assert client.get(f"/ocop/products/{certified.pk}").json()["star"] >= 3
    assert client.get(f"/ocop/products/{other.pk}").status_code == 404
    assert client.get(f"/ocop/producers/{other.producer_id}").status_code == 404
    producers = client.get("/ocop/producers").json()["items"]
    assert [p["name"] for p in producers] == ["HTX Bưởi Vị Bình"]
    assert producers[0]["phone"] == SECRET_PHONE  # officers see private contacts, as on the pages
    certs = client.get("/ocop/certificates").json()["items"]
    assert [(c["decision_no"], c["status"]) for c in certs] == [("12/QĐ-UBND", "valid")]
    assert client.get("/ocop/certificates", {"status": "revoked"}).json()["count"] == 0
    assert (
        client.get("/ocop/certificates", {"on": "2029-07-01", "status": "expired"}).json()["count"]
        == 1
    )
    assert client.get(f"/ocop/certificates/{certs[0]['id']}").status_code == 200


def test_a_producer_account_sees_and_edits_only_its_own(certified, vi_binh, vi_dong):
    neighbour = product_of(producer_at(vi_binh, "Hộ bên cạnh"), name="Bánh tét")
    account = make_user("chuthe", vi_binh, "ocop_producer")
    services.link_producer_user(None, producer=certified.producer, user=account)
    client = api_as(account)
    assert [p["id"] for p in client.get("/ocop/products").json()["items"]] == [certified.pk]
    assert client.get(f"/ocop/products/{neighbour.pk}").status_code == 404
    changed = client.patch(
        f"/ocop/products/{certified.pk}", {"version": certified.version, "description": "Mới"}
    )
    assert changed.status_code == 200 and changed.json()["description"] == "Mới"
    stale = client.patch(
        f"/ocop/products/{certified.pk}", {"version": certified.version, "description": "Cũ"}
    )
    assert stale.status_code == 409 and error_code(stale) == "stale"
    theirs = client.patch(f"/ocop/products/{neighbour.pk}", {"version": 1, "description": "X"})
    assert theirs.status_code == 404
    new_producer = client.post(
        "/ocop/producers", {"commune_id": vi_binh.pk, "name": "X", "kind": "ho"}
    )
    assert new_producer.status_code in (403, 404)


def test_officers_create_producers_and_products_and_viewers_cannot(
    commune_officer, viewer, vi_binh
):
    client = api_as(commune_officer)
    producer = client.post(
        "/ocop/producers",
        {
            "commune_id": vi_binh.pk,
            "name": "HTX Mới",
            "kind": "htx",
            "tax_code": "123",
            "email": "x@y.vn",
        },
    )
    assert producer.status_code == 422 and "tax_code" in producer.json()["fields"]
    bad_email = client.post(
        "/ocop/producers",
        {"commune_id": vi_binh.pk, "name": "HTX", "kind": "htx", "email": "không"},
    )
    assert bad_email.status_code == 422 and error_code(bad_email) == "invalid_input"
    producer = client.post(
        "/ocop/producers", {"commune_id": vi_binh.pk, "name": "HTX Mới", "kind": "htx"}
    )
    assert producer.status_code == 201, producer.json()
    product = client.post(
        "/ocop/products",
        {
            "producer_id": producer.json()["id"],
            "commune_id": vi_binh.pk,
            "name": "Gạo",
            "rule": "qd26-2026",
            "sheet_number": 1,
        },
    )
    assert product.status_code == 201, product.json()
    assert product.json()["group"] != ""
    refused = api_as(viewer).post(
        "/ocop/producers", {"commune_id": vi_binh.pk, "name": "Y", "kind": "ho"}
    )
    assert refused.status_code == 403


def test_the_session_works_for_the_browser(certified, commune_officer):
    browser = Client()
    browser.force_login(commune_officer)
    assert browser.get(f"{API}/ocop/products").json()["count"] == 1


def test_a_producer_is_changed_with_its_version_and_only_within_the_area(
    commune_officer, other_commune_officer, vi_binh
):
    producer = producer_at(vi_binh)
    client = api_as(commune_officer)
    changed = client.patch(
        f"/ocop/producers/{producer.pk}", {"version": producer.version, "contacts_public": True}
    )
    assert changed.status_code == 200 and changed.json()["contacts_public"] is True
    stale = client.patch(
        f"/ocop/producers/{producer.pk}", {"version": producer.version, "phone": "1"}
    )
    assert stale.status_code == 409
    other = api_as(other_commune_officer).patch(
        f"/ocop/producers/{producer.pk}", {"version": changed.json()["version"], "phone": "1"}
    )
    assert other.status_code == 404
