"""The national data set for benchmarks: built once per database kind, reused by later runs.

SQLite: `var/bench/national.sqlite3`; PostgreSQL: the database `nongthon_bench` (override with
NONGTHON_BENCH_POSTGRES_URL). Each carries a stamp (a hash of the migrations and of the demo
generator's code): when the code changes, the next `make bench` rebuilds it. Benchmarks never
run on the cached copy itself (they change data: thresholds, imports): each run gets a working
copy (a file copy; `CREATE DATABASE ... TEMPLATE` on PostgreSQL), dropped afterwards.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "nongthon"
CACHE = ROOT / "var" / "bench"
SQLITE_FILE = CACHE / "national.sqlite3"
SQLITE_STAMP = CACHE / "national.stamp"
PG_URL = os.environ.get(
    "NONGTHON_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/nongthon_bench"
)


def stamp() -> str:
    """Changes when the schema or the national generator changes (not for the ordinary demo's
    small part, nor for how evaluations are computed: the first recompute rewrites those)."""
    digest = hashlib.sha256()
    files = sorted(SRC.glob("*/migrations/*.py")) + sorted((SRC / "demo" / "national").glob("*.py"))
    for path in files:
        digest.update(str(path.relative_to(SRC)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _build(database_url: str, log) -> float:
    """`nongthon demo --no-serve --national` in a child process (its own settings)."""
    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": database_url}
    log(f"Xây dữ liệu toàn quốc ({database_url.split('@')[-1]}), vài phút...")
    subprocess.run(
        [sys.executable, "-m", "nongthon.cli", "demo", "--no-serve", "--national"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=sys.stderr,
    )
    return time.perf_counter() - started


# --- SQLite -------------------------------------------------------------------------------------


def ensure_sqlite(log) -> float | None:
    """The cached file, built when missing or stale; returns the build time (None: reused)."""
    wanted = stamp()
    if SQLITE_FILE.exists() and SQLITE_STAMP.exists() and SQLITE_STAMP.read_text() == wanted:
        return None
    CACHE.mkdir(parents=True, exist_ok=True)
    building = CACHE / "national.building.sqlite3"
    for path in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        path.unlink(missing_ok=True)
    seconds = _build(f"sqlite:///{building}", log)
    with closing(sqlite3.connect(building)) as conn:  # fold the WAL in: one file to copy
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("ANALYZE")
    os.replace(building, SQLITE_FILE)
    SQLITE_STAMP.write_text(wanted)
    return seconds


def sqlite_working_copy(directory: Path) -> str:
    target = directory / "national-run.sqlite3"
    shutil.copyfile(SQLITE_FILE, target)
    return f"sqlite:///{target}"


# --- PostgreSQL ---------------------------------------------------------------------------------


def _admin():
    import psycopg

    url = urlparse(PG_URL)
    return psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname="postgres",
        autocommit=True,
    )


def _name() -> str:
    return urlparse(PG_URL).path.lstrip("/")


def _url_for(name: str) -> str:
    url = urlparse(PG_URL)
    return url._replace(path=f"/{name}").geturl()


def _comment(conn, name: str) -> str | None:
    row = conn.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    ).fetchone()
    return row[0] if row else None


def ensure_postgres(log) -> float | None:
    name, wanted = _name(), stamp()
    with _admin() as conn:
        if _comment(conn, name) == wanted:
            return None
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    seconds = _build(PG_URL, log)
    with _admin() as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{wanted}'")
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return seconds


def postgres_working_copy() -> str:
    run = f"{_name()}_run"
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{run}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{run}" TEMPLATE "{_name()}"')
    return _url_for(run)


def drop_postgres_working_copy() -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{_name()}_run" WITH (FORCE)')
