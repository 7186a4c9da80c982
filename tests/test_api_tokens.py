"""Personal API tokens: stored hashed, shown once, scoped, revocable, expiring; the session
works for the browser with CSRF on writes; the token page in the user's account."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.test import Client
from django.utils import timezone

from nongthon.api import tokens
from nongthon.api.models import ApiToken, Scope
from tests.api_support import API, ApiClient, api_as, error_code, token_for
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_its_sha256_never_in_clear(commune_officer):
    created = tokens.create_token(commune_officer, name="Cổng tỉnh", scope=Scope.READ)
    stored = ApiToken.objects.get(pk=created.token.pk)
    assert created.secret.startswith("ntk_")
    assert stored.key_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.prefix == created.secret[:12]


def test_a_token_authenticates_as_its_user_and_records_last_use(commune_officer):
    secret = token_for(commune_officer, Scope.READ)
    response = ApiClient(secret).get("/me")
    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["auth"], body["token_scope"]) == ("xa", "token", "read")
    assert body["memberships"][0]["unit"]["code"] == "31468"
    assert ApiToken.objects.get(user=commune_officer).last_used_at is not None


def test_no_credentials_or_an_unknown_token_is_401_with_a_json_code(db):
    for client in (ApiClient(), ApiClient("ntk_not-a-real-token"), ApiClient("garbage")):
        response = client.get("/me")
        assert response.status_code == 401
        assert error_code(response) == "unauthenticated"
        assert "xác thực" in response.json()["message"]


def test_a_revoked_token_stops_working(commune_officer):
    created = tokens.create_token(commune_officer, name="x", scope=Scope.READ)
    tokens.revoke_token(commune_officer, created.token)
    assert ApiClient(created.secret).get("/me").status_code == 401


def test_an_expired_token_stops_working(commune_officer):
    created = tokens.create_token(
        commune_officer,
        name="x",
        scope=Scope.READ,
        expires_on=timezone.localdate() + dt.timedelta(days=1),
    )
    assert ApiClient(created.secret).get("/me").status_code == 200
    ApiToken.objects.filter(pk=created.token.pk).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert ApiClient(created.secret).get("/me").status_code == 401


def test_a_deactivated_users_token_stops_working(commune_officer):
    secret = token_for(commune_officer)
    commune_officer.is_active = False
    commune_officer.save()
    assert ApiClient(secret).get("/me").status_code == 401


def test_a_read_only_token_cannot_write_even_when_its_user_may(province_coordinator, hau_giang):
    client = api_as(province_coordinator, Scope.READ)
    response = client.post(
        "/agencies", {"unit_id": hau_giang.pk, "name": "Ban Dân tộc", "kind": "department"}
    )
    assert response.status_code == 403
    assert error_code(response) == "read_only_token"
    assert not hau_giang.agencies.filter(name="Ban Dân tộc").exists()
    write = api_as(province_coordinator, Scope.WRITE).post(
        "/agencies", {"unit_id": hau_giang.pk, "name": "Ban Dân tộc", "kind": "department"}
    )
    assert write.status_code == 201, write.json()


def test_token_creation_refuses_a_blank_name_a_bad_scope_and_a_past_expiry(commune_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        tokens.create_token(
            commune_officer, name=" ", scope="admin", expires_on=timezone.localdate()
        )
    assert set(error.value.message_dict) == {"name", "scope", "expires_on"}


def test_only_the_owner_or_an_admin_revokes_a_token(commune_officer, other_commune_officer):
    from django.core.exceptions import PermissionDenied

    created = tokens.create_token(commune_officer, name="x", scope=Scope.READ)
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(other_commune_officer, created.token)


def test_the_session_reads_without_csrf_but_writes_need_the_csrf_header(
    province_coordinator, hau_giang
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(province_coordinator)
    assert browser.get(f"{API}/me").json()["auth"] == "session"
    payload = json.dumps({"unit_id": hau_giang.pk, "name": "Ban Tôn giáo", "kind": "department"})
    refused = browser.post(f"{API}/agencies", payload, content_type="application/json")
    assert refused.status_code == 403
    assert error_code(refused) == "csrf_failed"
    browser.get("/api/tokens/")  # any page sets the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post(
        f"{API}/agencies", payload, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201, accepted.json()


def test_the_token_page_creates_a_token_shown_once_and_revokes_it(commune_officer):
    browser = client_for(commune_officer)
    page = browser.get("/api/tokens/")
    assert page.status_code == 200
    assert "Khóa truy cập API" in page.content.decode()
    created = browser.post("/api/tokens/", {"name": "Cổng xã", "scope": "read"})
    assert created.status_code == 200
    token = ApiToken.objects.get(user=commune_officer)
    html = created.content.decode()
    secret = html.split('data-testid="token-secret">')[1].split("<")[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.key_hash
    assert ApiClient(secret).get("/me").status_code == 200
    again = browser.get("/api/tokens/").content.decode()
    assert secret not in again and token.prefix in again
    revoked = browser.post(f"/api/tokens/{token.pk}/revoke/")
    assert revoked.status_code == 302
    assert ApiClient(secret).get("/me").status_code == 401


def test_the_token_page_refuses_bad_input_and_hides_other_users_tokens(
    commune_officer, other_commune_officer
):
    browser = client_for(commune_officer)
    bad = browser.post("/api/tokens/", {"name": "", "scope": "read"})
    assert bad.status_code == 422
    assert not ApiToken.objects.exists()
    theirs = tokens.create_token(other_commune_officer, name="của người khác", scope="read")
    assert browser.post(f"/api/tokens/{theirs.token.pk}/revoke/").status_code == 404
    assert "của người khác" not in browser.get("/api/tokens/").content.decode()
    assert ApiToken.objects.get(pk=theirs.token.pk).revoked_at is None


def test_the_user_menu_links_to_the_token_page(commune_officer):
    html = client_for(commune_officer).get("/accounts/me/").content.decode()
    assert 'data-testid="user-menu-api_tokens"' in html
    assert 'href="/api/tokens/"' in html


def test_anonymous_visitors_are_sent_to_login_from_the_token_page(db):
    response = Client().get("/api/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_token_never_reaches_beyond_its_users_memberships(commune_officer, long_tri):
    make_user("xa2")
    client = api_as(commune_officer, Scope.READ)
    agency_404 = client.get("/agencies", {"unit": long_tri.pk})
    assert agency_404.status_code == 404
    assert error_code(agency_404) == "not_found"
