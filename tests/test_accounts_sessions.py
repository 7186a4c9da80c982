"""Session expiry: a session lives at most NONGTHON_SESSION_SECONDS (8 hours) on the server, and
an expired one is a logged-out one."""

import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD


def logged_in() -> Client:
    client = Client()
    client.post("/login/", {"username": "xa", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


def test_a_new_session_expires_after_the_configured_lifetime(commune_officer):
    client = logged_in()
    session = Session.objects.get(session_key=client.session.session_key)
    lifetime = session.expire_date - timezone.now()
    assert dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < lifetime
    assert lifetime <= dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_an_expired_session_is_sent_back_to_login(commune_officer):
    client = logged_in()
    assert client.get("/accounts/me/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_session_lifetime_follows_the_setting(settings, commune_officer):
    settings.SESSION_COOKIE_AGE = 600
    client = logged_in()
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date - timezone.now() <= dt.timedelta(seconds=600)
