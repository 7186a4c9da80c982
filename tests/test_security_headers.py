"""Response headers and deployment settings (issue 11, part 2): a strict Content-Security-Policy
on every page (no inline script, style or handler left in the templates that would need it),
clickjacking protection, nosniff, the referrer policy, and `check --deploy` clean in production."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import client_for

SRC = Path(__file__).resolve().parents[1] / "src" / "nongthon"


def directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", ["/login/", "/ocop/san-pham/"])
def test_a_public_page_carries_the_security_headers(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert not any("unsafe" in v for values in csp.values() for v in values)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_signed_in_page_carries_the_csp_and_the_htmx_config_that_fits_it(province_coordinator):
    response = client_for(province_coordinator).get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html
    assert "/static/web/site.js" in html


def test_the_indicator_styles_htmx_no_longer_injects_are_in_site_css():
    css = (SRC / "web/static/web/site.css").read_text()
    assert ".htmx-indicator { opacity: 0; }" in css
    assert ".htmx-request .htmx-indicator" in css


TEMPLATES = sorted(SRC.rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_no_template_has_inline_script_handler_style_or_eval():
    offenders = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"{#.*?#}", "", text, flags=re.S)  # comments are not sent
        for pattern, what in (
            (INLINE_SCRIPT, "inline <script>"),
            (HANDLER, "on...= handler"),
            (re.compile(r"<style", re.I), "<style> element"),
            (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
            (re.compile(r"\shx-on[:-]", re.I), "hx-on (needs eval)"),
            (re.compile(r"javascript:", re.I), "javascript: URL"),
        ):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(SRC)}: {what}")
    assert offenders == []


def test_the_page_behaviours_the_templates_ask_for_are_in_site_js():
    js = (SRC / "web/static/web/site.js").read_text()
    wanted = re.compile(r"\b(data-(?:autosubmit|confirm|print|no-enter|progress|clears))\b")
    asked = {a for path in TEMPLATES for a in wanted.findall(path.read_text())}
    assert len(asked) == 6
    assert {a for a in asked if a not in js} == set()


def test_the_language_switch_submits_without_inline_script(province_coordinator):
    html = client_for(province_coordinator).get("/").content.decode()
    assert re.search(r'<select name="language"[^>]*data-autosubmit', html)


def test_check_deploy_in_production_reports_nothing(tmp_path):
    env = {
        **os.environ,
        "NONGTHON_ENV": "production",
        "NONGTHON_SECRET_KEY": secrets.token_urlsafe(50),
        "NONGTHON_ALLOWED_HOSTS": "ntm.example.gov.vn",
        "NONGTHON_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by conftest for the browser tests only
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, "DJANGO_SETTINGS_MODULE": "nongthon.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_on_secure_cookies_hsts_and_the_proxy_header(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEBUG, "
        "s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS)"
    )
    env = {
        **os.environ,
        "NONGTHON_ENV": "production",
        "NONGTHON_SECRET_KEY": secrets.token_urlsafe(50),
        "NONGTHON_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "nongthon.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["True"] * 5 + ["False", "True", "DENY"]
