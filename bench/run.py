"""`make bench`: every benchmark on SQLite and, when reachable, on PostgreSQL.

Two phases per database, each in its own child process (Django settings are read once per
process): `fresh` on an empty database, `national` on a working copy of the national data set,
which is built once (minutes) and cached (see bench/national_db.py). Options:

    python -m bench.run [--sqlite-only | --postgres-only] [--only bench_reads,bench_load]
                        [--skip-fresh]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import national_db
from bench.harness import Result, print_table, save

ROOT = Path(__file__).resolve().parent.parent
PG_URL = national_db.PG_URL


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _pg_reachable() -> bool:
    probe = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "pg_reachable.py"), PG_URL], check=False
    )
    return probe.returncode == 0


def _run_child(database_url: str, label: str, phase: str, only: str) -> list[Result]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NONGTHON_BENCH_DB_LABEL": label,
        "NONGTHON_BENCH_PHASE": phase,
        "NONGTHON_BENCH_ONLY": only,
        "NONGTHON_DEBUG": "0",
    }
    out = subprocess.run(
        [sys.executable, "-m", "bench.child"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return [Result(**r) for r in json.loads(out.stdout)]


def _build_result(label: str, seconds: float | None) -> list[Result]:
    if seconds is None:
        return []
    return [
        Result(
            "build: national data set (demo --national)",
            label,
            1,
            seconds,
            seconds,
            note="built once, cached for later runs",
        )
    ]


def _sqlite(args, results: list[Result]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_fresh:
            results += _run_child(f"sqlite:///{tmp}/fresh.sqlite3", "sqlite", "fresh", args.only)
        built = national_db.ensure_sqlite(log)
        results += _build_result("sqlite", built)
        url = national_db.sqlite_working_copy(Path(tmp))
        results += _run_child(url, "sqlite", "national", args.only)


def _postgres(args, results: list[Result]) -> None:
    if not _pg_reachable():
        log(f"PostgreSQL not reachable at {PG_URL}: skipped")
        return
    if not args.skip_fresh:
        fresh = _fresh_pg()
        results += _run_child(fresh, "postgresql", "fresh", args.only)
    built = national_db.ensure_postgres(log)
    results += _build_result("postgresql", built)
    url = national_db.postgres_working_copy()
    try:
        results += _run_child(url, "postgresql", "national", args.only)
    finally:
        national_db.drop_postgres_working_copy()


def _fresh_pg() -> str:
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(PG_URL)
    name = f"{url.path.lstrip('/')}_fresh"
    with psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url._replace(path=f"/{name}").geturl()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--skip-fresh", action="store_true", help="only the national phase")
    parser.add_argument("--only", default="", help="comma-separated benchmark functions")
    args = parser.parse_args()
    started = time.perf_counter()
    results: list[Result] = []
    if not args.postgres_only:
        _sqlite(args, results)
    if not args.sqlite_only:
        _postgres(args, results)
    print_table(results)
    path = ROOT / "bench-results" / "latest.json"
    load = os.getloadavg()
    save(results, path, {"load_average": load, "seconds": time.perf_counter() - started})
    print(f"\nJSON: {path.relative_to(ROOT)}  (load average at the end: {load[0]:.1f})")


if __name__ == "__main__":
    main()
