"""The health check and the request log, in process: /healthz answers before host checks and
HTTPS redirects; every request is one log line with its id, user, path, status and duration,
formatted as one JSON object per line in production."""

from __future__ import annotations

import json
import logging

import pytest

from nongthon.ops.logs import JsonFormatter, RequestContextFilter
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_with_json_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["databases"]["default"]["ok"] is True
    assert body["jobs"] == {"mode": "immediate"}


def test_healthz_skips_the_host_check_and_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["ntm.example.gov.vn"]
    # A load balancer probes by address over plain HTTP.
    assert client.get("/healthz", HTTP_HOST="10.0.0.5").status_code == 200
    assert client.get("/login/", HTTP_HOST="ntm.example.gov.vn").status_code == 301


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db import OperationalError

    from nongthon.ops import health

    class Broken:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError('connection to server at "10.1.2.3", port 5432 failed')

        def close(self):
            raise OperationalError("already gone")

    monkeypatch.setattr(health, "connections", {"default": Broken()})
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body == {
        "status": "unavailable",
        "version": body["version"],
        "databases": {"default": {"ok": False, "error": "OperationalError"}},
    }
    assert "10.1.2.3" not in response.content.decode()


def test_each_request_is_logged_with_its_id_user_path_status_and_duration(viewer, caplog):
    client = client_for(viewer)
    with caplog.at_level(logging.INFO, logger="nongthon.request"):
        response = client.get("/units/", HTTP_X_REQUEST_ID="lb-0123456789")
    assert response["X-Request-ID"] == "lb-0123456789"
    record = next(r for r in caplog.records if r.name == "nongthon.request")
    assert (record.method, record.path, record.status) == ("GET", "/units/", 200)
    assert record.user == "xem" and record.user_id == viewer.pk
    assert record.duration_ms > 0
    assert record.request_id == "lb-0123456789"


def test_an_unusable_incoming_request_id_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="nongthon.request"):
        response = client.get("/login/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert len(response["X-Request-ID"]) == 32 and "\n" not in response["X-Request-ID"]
    record = next(r for r in caplog.records if r.name == "nongthon.request")
    assert record.user is None  # anonymous: no query was made to find out


def test_the_json_formatter_writes_one_object_per_line_with_the_request_fields():
    record = logging.LogRecord(
        "nongthon.request", logging.INFO, __file__, 1, "GET %s", ("/",), None
    )
    record.path, record.status, record.duration_ms, record.user = "/", 200, 12.5, "tinh"
    RequestContextFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["logger"] == "nongthon.request" and data["level"] == "INFO"
    assert data["message"] == "GET /" and data["request_id"] == "-"
    assert (data["path"], data["status"], data["duration_ms"], data["user"]) == (
        "/",
        200,
        12.5,
        "tinh",
    )
    assert data["time"][:4].isdigit() and "T" in data["time"]
