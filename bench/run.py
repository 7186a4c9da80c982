"""`make bench`: each benchmark on a fresh SQLite file and, when reachable, on PostgreSQL.

Each database gets its own child process, because Django settings are read once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import Result, print_table, save

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "NONGTHON_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/nongthon_bench"
)


def _pg_reachable() -> bool:
    probe = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "pg_reachable.py"), PG_URL], check=False
    )
    return probe.returncode == 0


def _run_child(database_url: str, label: str) -> list[Result]:
    env = {**os.environ, "DATABASE_URL": database_url, "NONGTHON_BENCH_DB_LABEL": label}
    out = subprocess.run(
        [sys.executable, "-m", "bench.child"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(out.stderr)
    return [Result(**r) for r in json.loads(out.stdout)]


def main() -> None:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        results += _run_child(f"sqlite:///{tmp}/bench.sqlite3", "sqlite")
    if _pg_reachable():
        _recreate_pg_database()
        results += _run_child(PG_URL, "postgresql")
    else:
        print(f"PostgreSQL not reachable at {PG_URL}: skipped", file=sys.stderr)
    print_table(results)
    path = ROOT / "bench-results" / "latest.json"
    save(results, path)
    print(f"\nJSON: {path.relative_to(ROOT)}")


def _recreate_pg_database() -> None:
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(PG_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
