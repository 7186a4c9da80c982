"""The project as a whole: production checks, Vietnamese formats, the English switch, demo data."""

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

from nongthon.accounts.models import Membership, Role, User
from nongthon.demo.builder import DEMO_USERS, build_agencies, build_hamlets, build_users
from nongthon.places.models import Hamlet
from tests.conftest import client_for


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "NONGTHON_ENV": "production",
        "NONGTHON_SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-" + "y" * 20,
        "NONGTHON_ALLOWED_HOSTS": "ntm.example.gov.vn",
        "NONGTHON_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/check.sqlite3",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    nongthon = Path(sys.executable).parent / "nongthon"
    result = subprocess.run(
        [str(nongthon), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "NONGTHON_ENV": "production", "NONGTHON_SECRET_KEY": ""}
    nongthon = Path(sys.executable).parent / "nongthon"
    result = subprocess.run(
        [str(nongthon), "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "NONGTHON_SECRET_KEY" in result.stderr


def render(text: str, **context) -> str:
    return Template("{% load l10n %}" + text).render(Context(context))


def test_vietnamese_dates_are_dd_mm_yyyy_and_numbers_use_dot_thousands_comma_decimals():
    with translation.override("vi"):
        assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=dt.date(2025, 6, 30)) == "30/06/2025"
        assert render("{{ n }}", n=Decimal("1234.5")) == "1.234,5"
        assert render("{{ n }}", n=6259605) == "6.259.605"


def test_english_formats_when_english_is_chosen():
    with translation.override("en"):
        assert render("{{ n }}", n=Decimal("1234.5")) == "1,234.5"


def test_the_interface_switches_to_english(viewer):
    client = client_for(viewer)
    client.cookies["django_language"] = "en"
    page = client.get("/units/").content.decode()
    assert "Administrative units" in page
    client.cookies["django_language"] = "vi"
    assert "Đơn vị hành chính" in client.get("/units/").content.decode()


def test_demo_has_one_user_per_role_with_hamlets_and_agencies(db):
    build_agencies(lambda _m: None)
    build_hamlets(lambda _m: None)
    build_users(lambda _m: None)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.filter(username__in=[u.username for u in DEMO_USERS]).count() == len(
        DEMO_USERS
    )
    vi_binh_hamlets = Hamlet.objects.filter(commune__code="31468", commune__edition="pre2025")
    assert vi_binh_hamlets.count() >= 3


def test_the_browsers_language_does_not_switch_the_interface_to_english(viewer):
    client = client_for(viewer)
    page = client.get("/units/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đơn vị hành chính" in page
