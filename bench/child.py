"""Runs inside one database's process (Django settings are read once per process) and prints
the results as JSON. NONGTHON_BENCH_PHASE says which benchmarks:

- `fresh`: an empty database, migrated here: loading the unit lists, the public OCOP catalogue
  over 20,000 synthetic products;
- `national`: a working copy of the national data set: recomputations, reads against their SQL
  floor, Excel imports, and the load test with gunicorn.

NONGTHON_BENCH_ONLY (comma-separated function names) runs a subset, e.g. `bench_reads`.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nongthon.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from bench.audit_log import bench_audit_log  # noqa: E402
from bench.dashboard import bench_dashboard  # noqa: E402
from bench.harness import Result, measure  # noqa: E402
from bench.load import bench_load  # noqa: E402
from bench.national_cases import bench_reads, bench_recompute  # noqa: E402
from bench.ocop_catalogue import bench_ocop_catalogue  # noqa: E402
from bench.reporting_summary import bench_reporting  # noqa: E402
from bench.values_import import bench_real_province_import, bench_values_import  # noqa: E402
from nongthon.places.models import Succession, Unit  # noqa: E402
from nongthon.places.official_lists import load_units  # noqa: E402


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bench_units(db: str) -> list[Result]:
    """Loading the whole country: the first load, then reloads that must change nothing."""
    first, _ = measure(load_units, runs=1)
    counts = (Unit.objects.count(), Succession.objects.count())
    again, again_p95 = measure(load_units, runs=3)
    assert counts == (Unit.objects.count(), Succession.objects.count()), "reload changed rows"
    note = f"{counts[0]:,} units, {counts[1]:,} links"
    return [
        Result("load_units: whole country, first load", db, 1, first, first, 60.0, note),
        Result("load_units: whole country, reload (no change)", db, 3, again, again_p95, 60.0),
    ]


PHASES = {
    "fresh": (bench_units, bench_ocop_catalogue, bench_reporting, bench_audit_log, bench_dashboard),
    "national": (
        bench_reads,
        bench_recompute,
        bench_values_import,
        bench_real_province_import,
        bench_load,
    ),
}


def main() -> None:
    db = os.environ.get("NONGTHON_BENCH_DB_LABEL", "db")
    phase = os.environ.get("NONGTHON_BENCH_PHASE", "fresh")
    only = {n for n in os.environ.get("NONGTHON_BENCH_ONLY", "").split(",") if n}
    call_command("migrate", interactive=False, verbosity=0)
    results = []
    for bench in PHASES[phase]:
        if only and bench.__name__ not in only:
            continue
        log(f"[{db}] {bench.__doc__.splitlines()[0]}")
        results += bench(db)
    print(json.dumps([asdict(r) for r in results]))


if __name__ == "__main__":
    main()
