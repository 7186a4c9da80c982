"""`nongthon backup` / `nongthon restore`: a round trip gives back every row of every table and
every uploaded file, on the suite's database (SQLite, or PostgreSQL in the PostgreSQL run), with
the native dump (SQLite backup API / pg_dump) and with the dumpdata fallback. The commands run
in their own process against a copy of the test database. A damaged archive, or one of another
engine, is refused before anything is touched."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from nongthon.ops import backup
from tests.ops_support import (
    copy_test_database,
    drop_database,
    environment,
    nongthon,
    script,
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("backup")
    with django_db_blocker.unblock():
        url = copy_test_database(folder, "backup")
    env = environment(url, folder / "data")
    script(env, "build")
    yield {"env": env, "folder": folder}
    with django_db_blocker.unblock():
        drop_database(url)


def snapshot(world, name: str) -> dict:
    out = world["folder"] / f"{name}.json"
    script(world["env"], "snapshot", str(out))
    return json.loads(out.read_text())


def native_method() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "pg_dump"


@pytest.mark.parametrize("method", ["native", "dumpdata"])
def test_backup_wipe_restore_gives_back_every_row_and_every_file(world, method):
    method = native_method() if method == "native" else method
    if method == "pg_dump" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed (apt-get install postgresql-client)")
    before = snapshot(world, f"before-{method}")
    # The data is really there: the tables the build filled, and the evidence file.
    assert any(row for row in before["tables"]["assessment_indicatorvalue"])
    assert len(before["tables"]["assessment_evaluation"]) == 1
    assert [name for name in before["media"] if name.endswith(".pdf")]
    archive = world["folder"] / f"nongthon-{method}.tar.gz"

    made = nongthon(world["env"], "backup", "--output", str(archive), "--method", method)
    assert f"({method})" in made.stdout and "1 tệp tải lên" in made.stdout

    script(world["env"], "wipe")  # every table emptied, uploads gone, a stray row and file

    restored = nongthon(world["env"], "restore", str(archive), "--noinput")
    assert "Đã khôi phục" in restored.stdout
    after = snapshot(world, f"after-{method}")
    assert after["media"] == before["media"]
    for table, rows in before["tables"].items():
        assert after["tables"][table] == rows, table
    assert after == before


def test_the_archive_has_a_manifest_with_engine_date_and_checksums(world):
    archive = world["folder"] / "manifest.tar.gz"
    nongthon(world["env"], "backup", "-o", str(archive))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["engine"] == connection.vendor
    assert manifest["method"] == native_method()
    assert manifest["format"] == backup.FORMAT and manifest["created_at"]
    assert set(manifest["sha256"]) == set(names) - {"manifest.json"}
    assert manifest["database_file"] in names
    assert manifest["migrations"]["ops"] == ["0001_initial"]


def rewrite(source: Path, target: Path, change) -> None:
    """Copy an archive, passing each member's bytes through change(name, data)."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


@pytest.fixture(scope="module")
def archive(world) -> Path:
    path = world["folder"] / "good.tar.gz"
    nongthon(world["env"], "backup", "-o", str(path))
    return path


def test_an_archive_with_a_bad_checksum_is_refused(archive, tmp_path, db):
    def flip_a_byte(name: str, data: bytes) -> bytes:
        if name.startswith("database."):
            return data[:100] + bytes([data[100] ^ 1]) + data[101:]
        return data

    damaged = tmp_path / "damaged.tar.gz"
    rewrite(archive, damaged, flip_a_byte)
    refusal = r"Tổng kiểm tra \(SHA-256\) của database\..* không khớp"
    with pytest.raises(CommandError, match=refusal):
        call_command("restore", str(damaged), "--noinput")


def test_an_archive_of_another_engine_is_refused(archive, tmp_path, db):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def relabel(name: str, data: bytes) -> bytes:
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["engine"] = other
            return json.dumps(manifest).encode()
        return data

    foreign = tmp_path / "foreign.tar.gz"
    rewrite(archive, foreign, relabel)
    with pytest.raises(CommandError, match=f"cơ sở dữ liệu {other}, còn hệ thống đang dùng"):
        call_command("restore", str(foreign), "--noinput")


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", str(junk), "--noinput")


def test_an_extra_file_smuggled_into_the_archive_is_refused(archive, tmp_path, db):
    smuggled = tmp_path / "smuggled.tar.gz"
    with tarfile.open(archive) as old:
        members = [(m, old.extractfile(m).read()) for m in old.getmembers()]
    with tarfile.open(smuggled, "w:gz") as new:
        for member, data in members:
            new.addfile(member, io.BytesIO(data))
        # A member the manifest does not list.
        extra = tarfile.TarInfo("media/extra.txt")
        extra.size = 5
        new.addfile(extra, io.BytesIO(b"extra"))
    with pytest.raises(CommandError, match="media/extra.txt không ghi trong manifest.json"):
        call_command("restore", str(smuggled), "--noinput")


def test_without_pg_tools_postgresql_falls_back_to_dumpdata(db, monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    expected = "sqlite" if connection.vendor == "sqlite" else "dumpdata"
    assert backup.default_method() == expected
