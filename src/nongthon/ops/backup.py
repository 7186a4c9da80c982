"""Backups: one .tar.gz with the database, the uploaded files and a manifest.

The archive holds `manifest.json` (format, application version, database engine and how it was
dumped, date, a SHA-256 per file), the database (`database.sqlite3`, `database.dump` or
`database.jsonexact`) and `media/...` (MEDIA_ROOT: evidence, photos, uploaded plans).

How the database is dumped:
- SQLite: the online backup API (a consistent copy while the app keeps running).
- PostgreSQL: `pg_dump --format=custom` and `pg_restore` when the client tools are installed and
  not older than the server (pg_dump refuses a newer server).
- Otherwise Django's `dumpdata` / `loaddata` (`--method dumpdata`): it needs nothing but the
  app, which matters on a host with only the Python package, at the cost of size and speed (a
  JSON of every row, loaded back through the ORM, sequences reset after). It restores the same
  rows with the same keys, on the same engine.

Restore checks everything before it touches anything: every checksum, the engine (an archive of
another engine is refused), the format. Then the database, then MEDIA_ROOT (swapped in whole).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
METHODS = ("sqlite", "pg_dump", "dumpdata")
DATABASE_FILES = {
    "sqlite": "database.sqlite3",
    "pg_dump": "database.dump",
    "dumpdata": "database.jsonexact",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Vietnamese."""


@dataclass
class RestoreOutcome:
    manifest: dict
    media_files: int
    pending_migrations: int


def _app_version() -> str:
    try:
        return version("nongthon")
    except PackageNotFoundError:
        return "unknown"


def engine(alias: str = "default") -> str:
    """'sqlite' or 'postgresql' (Django's vendor name)."""
    return connections[alias].vendor


def _major(text: str) -> int | None:
    found = re.search(r"(\d+)(?:\.\d+)?", text)
    return int(found.group(1)) if found else None


def pg_tools_usable(alias: str = "default") -> bool:
    """pg_dump and pg_restore are installed and not older than the server."""
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        return False
    out = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=False)
    client = _major(out.stdout.split("(PostgreSQL)")[-1])  # "pg_dump (PostgreSQL) 15.20 (...)"
    connection = connections[alias]
    connection.ensure_connection()
    server = connection.pg_version // 10000
    return client is not None and client >= server


def default_method(alias: str = "default") -> str:
    vendor = engine(alias)
    if vendor == "sqlite":
        return "sqlite"
    if vendor == "postgresql" and pg_tools_usable(alias):
        return "pg_dump"
    return "dumpdata"


def _check_method(method: str, alias: str) -> None:
    vendor = engine(alias)
    if method not in METHODS:
        choices = ", ".join(METHODS)
        raise BackupError(f"Cách sao lưu «{method}» không có; chọn một trong: {choices}.")
    if method == "sqlite" and vendor != "sqlite":
        raise BackupError("Cách «sqlite» chỉ dùng cho cơ sở dữ liệu SQLite.")
    if method == "pg_dump" and vendor != "postgresql":
        raise BackupError("Cách «pg_dump» chỉ dùng cho PostgreSQL.")
    if method == "pg_dump" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        raise BackupError("Không tìm thấy pg_dump/pg_restore (gói postgresql-client).")


def _pg_env(alias: str) -> dict[str, str]:
    """libpq's environment for the client tools: no password on a command line."""
    s = connections[alias].settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", s.get("HOST")),
        ("PGPORT", s.get("PORT")),
        ("PGUSER", s.get("USER")),
        ("PGPASSWORD", s.get("PASSWORD")),
        ("PGDATABASE", s.get("NAME")),
    ):
        if value:
            env[key] = str(value)
    sslmode = (s.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} thất bại: {done.stderr.strip()[-2000:]}")


# ---- writing ---------------------------------------------------------------------------------


def _dump_database(folder: Path, method: str, alias: str) -> Path:
    target = folder / DATABASE_FILES[method]
    connection = connections[alias]
    if method == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    elif method == "pg_dump":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
            _pg_env(alias),
            "pg_dump",
        )
    else:
        # JSON with times to the microsecond (ops/exact_json.py), every row by its base manager.
        options = {"all": True, "format": "jsonexact", "database": alias, "verbosity": 0}
        call_command("dumpdata", output=str(target), **options)
    return target


class _HashingReader:
    """Hash exactly the bytes that go into the archive (a file may change while we read)."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> str:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return reader.digest.hexdigest()


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        (path, path.relative_to(root).as_posix()) for path in root.rglob("*") if path.is_file()
    )


def _applied_migrations(alias: str) -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def create_backup(output: Path, method: str | None = None, alias: str = "default") -> dict:
    """Write the archive to `output` (through a temporary name, so a failed backup leaves no
    archive that looks whole); returns the manifest."""
    method = method or default_method(alias)
    _check_method(method, alias)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    checksums: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="nongthon-backup-") as folder:
        dump = _dump_database(Path(folder), method, alias)
        with tarfile.open(partial, "w:gz") as archive:
            checksums[dump.name] = _add_file(archive, dump, dump.name)
            for path, relative in _media_files():
                name = MEDIA_PREFIX + relative
                checksums[name] = _add_file(archive, path, name)
            manifest = {
                "format": FORMAT,
                "application": "nongthon",
                "version": _app_version(),
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "engine": engine(alias),
                "method": method,
                "database_file": dump.name,
                "media_files": sum(name.startswith(MEDIA_PREFIX) for name in checksums),
                "migrations": _applied_migrations(alias),
                "sha256": checksums,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
    partial.replace(output)
    return manifest


# ---- reading ---------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unpack(archive_path: Path, folder: Path, alias: str = "default") -> dict:
    """Extract into `folder` and check it all; returns the manifest or raises BackupError."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive_path}.")
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            # "data": only plain files and folders, nothing outside `folder`, no odd modes.
            archive.extractall(folder, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(
            f"Tệp {archive_path.name} không phải bản sao lưu đọc được: {exc}"
        ) from exc
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"Tệp {archive_path.name} không có {MANIFEST}: không phải bản sao lưu.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} hỏng: {exc}") from exc
    if manifest.get("application") != "nongthon" or "sha256" not in manifest:
        raise BackupError(f"Tệp {archive_path.name} không phải bản sao lưu của nongthon.")
    if int(manifest.get("format", 0)) > FORMAT:
        raise BackupError(
            f"Bản sao lưu theo định dạng {manifest.get('format')}, mới hơn phiên bản này "
            f"({FORMAT}): hãy khôi phục bằng phiên bản nongthon đã tạo nó."
        )
    listed = dict(manifest["sha256"])
    present = {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path != manifest_path
    }
    for name in sorted(set(listed) - present):
        raise BackupError(f"Bản sao lưu thiếu tệp {name}: không khôi phục.")
    for name in sorted(present - set(listed)):
        raise BackupError(f"Bản sao lưu có tệp {name} không ghi trong {MANIFEST}: không khôi phục.")
    for name, expected in sorted(listed.items()):
        if _sha256(folder / name) != expected:
            raise BackupError(
                f"Tổng kiểm tra (SHA-256) của {name} không khớp: bản sao lưu đã bị hỏng hoặc "
                "bị sửa. Không khôi phục gì."
            )
    here = engine(alias)
    if manifest.get("engine") != here:
        raise BackupError(
            f"Bản sao lưu này của cơ sở dữ liệu {manifest.get('engine')}, còn hệ thống đang dùng "
            f"{here}: không khôi phục sang loại khác. Hãy đặt DATABASE_URL đúng loại."
        )
    method = manifest.get("method")
    if method not in METHODS or manifest.get("database_file") != DATABASE_FILES[method]:
        raise BackupError(f"{MANIFEST}: cách sao lưu «{method}» không rõ.")
    return manifest


def _restore_database(folder: Path, manifest: dict, alias: str) -> None:
    method = manifest["method"]
    dump = folder / manifest["database_file"]
    connection = connections[alias]
    if method == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            # The backup API writes the whole file into the live database, in one step.
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
    elif method == "pg_dump":
        if not shutil.which("pg_restore"):
            raise BackupError("Không tìm thấy pg_restore (gói postgresql-client).")
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ],
            _pg_env(alias),
            "pg_restore",
        )
    else:
        with transaction.atomic(using=alias):
            # Empty every table (no post-migrate signal: it would recreate rows the dump holds),
            # load the rows with their keys, then move the sequences past them.
            call_command(
                "flush", interactive=False, inhibit_post_migrate=True, database=alias, verbosity=0
            )
            call_command("loaddata", str(dump), database=alias, verbosity=0)
            _reset_sequences(alias)


def _reset_sequences(alias: str) -> None:
    from django.apps import apps
    from django.core.management.color import no_style

    connection = connections[alias]
    models = [m for config in apps.get_app_configs() for m in config.get_models()]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _restore_media(source: Path) -> int:
    """Swap MEDIA_ROOT for the archive's files in whole (renames on one file system)."""
    target = Path(settings.MEDIA_ROOT)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.restoring")
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staging)
    else:
        staging.mkdir()
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return sum(1 for p in target.rglob("*") if p.is_file())


def _pending_migrations(alias: str) -> int:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def restore_backup(archive_path: Path, alias: str = "default") -> RestoreOutcome:
    """Check the archive whole, then replace the database and MEDIA_ROOT with its content."""
    base = Path(settings.MEDIA_ROOT).parent
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".nongthon-restore-", dir=base) as folder:
        manifest = unpack(Path(archive_path), Path(folder), alias)
        _restore_database(Path(folder), manifest, alias)
        media = _restore_media(Path(folder) / MEDIA_PREFIX.rstrip("/"))
    return RestoreOutcome(manifest, media, _pending_migrations(alias))
