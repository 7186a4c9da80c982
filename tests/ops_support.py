"""Helpers of the operations tests: a copy of the test database for commands that run in their
own process (backup, restore, gunicorn), data to back up, and a snapshot of every table.

Run as a script inside such a process: `python -m tests.ops_support build|wipe|snapshot OUT`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
from django.db import connection

REPO = Path(__file__).resolve().parent.parent
NONGTHON = Path(sys.executable).parent / "nongthon"


# ---- a database of its own for a subprocess -------------------------------------------------


def copy_test_database(folder: Path, suffix: str) -> str:
    """A DATABASE_URL to a copy of the session's test database (migrated, Hậu Giang loaded):
    SQLite through the backup API, PostgreSQL as a template. Call it outside any test
    transaction (from a module fixture, under django_db_blocker.unblock())."""
    if connection.vendor == "sqlite":
        target = folder / f"copy-{suffix}.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{target}"
    settings = connection.settings_dict
    name = f"{settings['NAME']}_{suffix}"[:63]
    connection.close()  # a template database must have no other session
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')
    return server_url(name)


def server_url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def admin_connection():
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def drop_database(url: str) -> None:
    if url.startswith("postgres"):
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NONGTHON_", "PYTEST_", "DJANGO_ALLOW"))
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "NONGTHON_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "nongthon.settings",
            "PYTHONPATH": str(REPO),
        }
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str], check: bool = True, **kwargs):
    done = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, **kwargs)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def nongthon(env: dict[str, str], *args: str, check: bool = True):
    return run([str(NONGTHON), *args], env, check=check)


def script(env: dict[str, str], *args: str):
    return run([sys.executable, "-m", "tests.ops_support", *args], env)


# ---- inside the subprocess ------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def build() -> None:
    """Users, a criteria set, values with their evaluations and history, an evidence file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nongthon.accounts.models import Role
    from nongthon.assessment import evidence
    from nongthon.assessment.services import ValueEntry, save_values
    from nongthon.catalogue.services import load_set_file
    from nongthon.places import hamlets
    from nongthon.places.models import Edition, HamletKind, Level, Unit
    from tests.conftest import TINY_SET, make_user

    criteria_set = load_set_file(TINY_SET).criteria_set
    vi_binh = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31468")
    officer = make_user("xa", vi_binh, Role.COMMUNE_OFFICER)
    for code, value in (("3.1", "78,5"), ("3.1", "85")):
        save_values(
            officer,
            unit=vi_binh,
            year=2023,
            family=criteria_set.family,
            entries=[ValueEntry(code, value)],
        )
    evidence.attach_evidence(
        officer,
        upload=SimpleUploadedFile("Biên bản họp.pdf", PDF),
        unit=vi_binh,
        year=2023,
        family=criteria_set.family,
        indicator_code="3.1",
    )
    hamlets.insert_hamlet(officer, commune=vi_binh, name="Ấp Sao Lưu", kind=HamletKind.AP)


def wipe() -> None:
    """Lose everything (every table emptied, the uploads gone), then add a row and a file that
    the backup does not have: a restore must leave neither."""
    from django.conf import settings
    from django.core.management import call_command

    from tests.conftest import make_user

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    make_user("nguoi-la")
    path = Path(settings.MEDIA_ROOT) / "stray.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("not in the backup")


# The coordinator's authenticator secret (hex, as django-otp stores it): the test computes codes.
COORDINATOR_TOTP_KEY = "3132333435363738393031323334353637383930"


def coordinator() -> None:
    """A province coordinator of Hậu Giang who logs in with the tests' password and a TOTP code
    (production requires two-factor sign-in for coordinators)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from nongthon.accounts.models import Role
    from nongthon.places.models import Edition, Level, Unit
    from tests.conftest import make_user

    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    user = make_user("tinh", province, Role.PROVINCE_COORDINATOR)
    TOTPDevice.objects.create(user=user, name="totp", key=COORDINATOR_TOTP_KEY, confirmed=True)


def replica_pages() -> dict:
    """With a primary and a replica that differ in one commune's name: which name does a
    dashboard show, and which a plain page? The user exists on the primary only."""
    from django.test import Client

    from nongthon.accounts.models import Role
    from nongthon.places.models import Edition, Level, Unit
    from tests.conftest import make_user

    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    user = make_user("tinh", province, Role.PROVINCE_COORDINATOR)
    vi_binh = Unit.objects.get(edition=Edition.PRE_2025, level=Level.COMMUNE, code="31468")
    Unit.objects.using("replica").filter(pk=vi_binh.pk).update(name="Vị Bình BẢN SAO")
    client = Client()
    client.force_login(user)
    dashboard = client.get(f"/recognition/unit/{vi_binh.pk}/")
    plain = client.get(f"/units/{vi_binh.pk}/")
    return {
        "dashboard_status": dashboard.status_code,
        "dashboard_from_replica": "Vị Bình BẢN SAO" in dashboard.content.decode(),
        "plain_status": plain.status_code,
        "plain_from_replica": "Vị Bình BẢN SAO" in plain.content.decode(),
        "primary_name": Unit.objects.get(pk=vi_binh.pk).name,
        "user_on_replica": Unit.objects.using("replica").filter(pk=vi_binh.pk).count() == 1
        and user.__class__.objects.using("replica").filter(username="tinh").exists(),
    }


def _cell(value: object) -> object:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, str) and value[:1] in ("{", "["):
        # A JSON column is stored as text on SQLite; loaddata writes it back with Django's
        # escaping ("\\u1ee7" for "ủ") where the evaluator wrote it raw: the same value.
        try:
            return json.dumps(json.loads(value), sort_keys=True, ensure_ascii=False)
        except ValueError:
            return value
    if isinstance(value, int | str | float | bool) or value is None:
        return value
    return repr(value)


def snapshot() -> dict:
    """Every table's rows (sorted) and every uploaded file's checksum."""
    from django.conf import settings

    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = [[_cell(v) for v in row] for row in cursor.fetchall()]
            tables[table] = sorted(rows, key=json.dumps)
    media = {}
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                media[path.relative_to(root).as_posix()] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return {"tables": tables, "media": media}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command = argv[0]
    if command == "build":
        build()
    elif command == "coordinator":
        coordinator()
    elif command == "replica":
        Path(argv[1]).write_text(json.dumps(replica_pages()))
    elif command == "wipe":
        wipe()
    elif command == "snapshot":
        Path(argv[1]).write_text(json.dumps(snapshot(), ensure_ascii=False, default=str))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
