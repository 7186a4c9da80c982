"""The production setup for real: gunicorn on loopback with NONGTHON_ENV=production (the package's
gunicorn config, JSON logs, WhiteNoise's compressed and hashed static files, the database queue,
PostgreSQL with Django's connection pool in the PostgreSQL run of the suite, SQLite otherwise):
the health check, a login and the home page; and, pointed at a closed port, the app still
starts and its health check says 503 instead of crashing."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import PASSWORD
from tests.ops_support import (
    COORDINATOR_TOTP_KEY,
    NONGTHON,
    REPO,
    copy_test_database,
    drop_database,
    environment,
    nongthon,
    script,
)

# The test database must exist (pytest-django creates it only for files that ask for it).
pytestmark = pytest.mark.django_db

SECRET = "production-test-" + "k" * 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = int(env["NONGTHON_BIND"].rsplit(":", 1)[1])
        self.log = log
        self.handle = log.open("w")
        self.process = subprocess.Popen(
            [str(NONGTHON), "serve"], env=env, cwd=REPO, stdout=self.handle, stderr=self.handle
        )

    def request(self, method: str, path: str, headers: dict | None = None, body: str = ""):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        conn.request(method, path, body=body.encode() or None, headers=sent)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, response.headers, data

    def wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                self.request("GET", "/healthz")
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError("gunicorn did not answer:\n" + self.log.read_text())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.handle.close()


def production_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return environment(
        database_url,
        data_dir,
        NONGTHON_ENV="production",
        NONGTHON_SECRET_KEY=SECRET,
        NONGTHON_ALLOWED_HOSTS="127.0.0.1,localhost",
        NONGTHON_BIND=f"127.0.0.1:{free_port()}",
        NONGTHON_WORKERS="2",
        NONGTHON_THREADS="2",
        **extra,
    )


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    with django_db_blocker.unblock():
        url = copy_test_database(folder, "gunicorn")
        pooled = connection.vendor == "postgresql"
    env = production_env(url, folder / "data", NONGTHON_DB_POOL="1" if pooled else "")
    script(env, "coordinator")
    nongthon(env, "collectstatic", "--noinput", "-v0")
    server = Server(env, folder / "gunicorn.log")
    server.static_root = folder / "data" / "static"
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()
        with django_db_blocker.unblock():
            drop_database(url)


HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS-terminating proxy sends


def test_the_health_check_answers_ok_with_the_engine_and_the_queue(server):
    status, headers, body = server.request("GET", "/healthz")  # plain HTTP: no redirect
    assert status == 200 and headers["Cache-Control"] == "no-store"
    report = json.loads(body)
    assert report["status"] == "ok"
    assert report["databases"]["default"]["engine"] == connection.vendor
    assert report["jobs"] == {"mode": "database", "waiting": 0, "oldest_seconds": 0}


def test_static_files_are_hashed_compressed_and_cached_for_a_year(server):
    manifest = json.loads((server.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/bootstrap.min.css"]
    assert re.search(r"\.[0-9a-f]{12}\.css$", hashed)
    status, headers, body = server.request(
        "GET", f"/static/{hashed}", {**HTTPS, "Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert "Accept-Encoding" in headers["Vary"]
    assert body[:2] == b"\x1f\x8b"  # gzip's magic number


def cookies_of(headers) -> dict[str, str]:
    found = {}
    for line in headers.get_all("Set-Cookie") or []:
        name, value = line.split(";", 1)[0].split("=", 1)
        found[name] = value
    return found


def post_form(server, path: str, cookies: dict[str, str], page: bytes, fields: str):
    """POST a form the way a browser behind the TLS proxy does (CSRF token, origin, cookies)."""
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    origin = f"https://127.0.0.1:{server.port}"
    return server.request(
        "POST",
        path,
        {
            **HTTPS,
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"{origin}{path}",
            "Origin": origin,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        f"csrfmiddlewaretoken={token}&{fields}",
    )


def test_a_coordinator_logs_in_with_a_code_and_opens_the_home_page(server):
    """Production requires two-factor sign-in of coordinators: password, then the TOTP code."""
    status, headers, body = server.request("GET", "/login/", HTTPS)
    assert status == 200
    cookies = {"csrftoken": cookies_of(headers)["csrftoken"]}
    password = PASSWORD.replace("@", "%40")
    status, headers, _body = post_form(
        server, "/login/", cookies, body, f"username=tinh&password={password}"
    )
    assert status == 302 and headers["Location"] == "/"
    session_cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("sessionid="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    cookies.update(cookies_of(headers))

    status, headers, _body = server.request("GET", "/", {**HTTPS, "Cookie": session_of(cookies)})
    assert status == 302 and "/2fa/verify/" in headers["Location"]  # the code is owed first
    verify = headers["Location"]
    status, headers, body = server.request("GET", verify, {**HTTPS, "Cookie": session_of(cookies)})
    assert status == 200
    cookies.update(cookies_of(headers))  # the CSRF token was rotated at login
    status, headers, _body = post_form(
        server, verify.split("?")[0], cookies, body, f"token={totp_now()}&next=/"
    )
    assert status == 302 and headers["Location"] == "/"
    cookies.update(cookies_of(headers))  # the session id is rotated on verification

    status, headers, body = server.request("GET", "/", {**HTTPS, "Cookie": session_of(cookies)})
    assert status == 200
    page = body.decode()
    assert "Tinh" in page and "Tỉnh Hậu Giang" in page
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert len(headers["X-Request-ID"]) == 32


def session_of(cookies: dict[str, str]) -> str:
    return f"sessionid={cookies['sessionid']}"


def totp_now() -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(COORDINATOR_TOTP_KEY)).token():06d}"


def test_each_request_is_one_json_log_line_with_id_user_path_status_and_duration(server):
    server.request("GET", "/login/", {**HTTPS, "X-Request-ID": "proxy-id-12345"})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [json.loads(line) for line in server.log.read_text().splitlines() if line]
        mine = [r for r in lines if r.get("request_id") == "proxy-id-12345"]
        if mine:
            break
        time.sleep(0.2)
    record = mine[0]
    assert record["logger"] == "nongthon.request"
    assert (record["method"], record["path"], record["status"]) == ("GET", "/login/", 200)
    assert record["duration_ms"] > 0 and record["user"] is None and record["time"]
    home = [r for r in lines if r.get("path") == "/" and r.get("status") == 200]
    assert home and home[0]["user"] == "tinh"  # (from the login test, same server)


def test_with_the_database_unreachable_the_app_starts_and_reports_unhealthy(tmp_path):
    closed = free_port()  # nothing listens there
    env = production_env(
        f"postgres://nongthon@127.0.0.1:{closed}/nongthon",
        tmp_path / "data",
        NONGTHON_DB_POOL="1",
        NONGTHON_DB_POOL_TIMEOUT="2",
        NONGTHON_DB_CONNECT_TIMEOUT="2",
    )
    server = Server(env, tmp_path / "gunicorn.log")
    try:
        server.wait_until_up()
        for _ in range(2):  # and again: the worker did not die on the first failure
            status, _headers, body = server.request("GET", "/healthz")
            assert status == 503
            report = json.loads(body)
            assert report["status"] == "unavailable"
            assert report["databases"]["default"]["ok"] is False
            assert "127.0.0.1" not in body.decode()  # no host or port leaks out
        assert server.process.poll() is None
    finally:
        server.stop()
