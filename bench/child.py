"""Runs inside one database's process: migrate, then time each benchmark; prints JSON."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nongthon.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from bench.harness import Result, measure  # noqa: E402
from bench.ocop_catalogue import bench_ocop_catalogue  # noqa: E402
from bench.values_import import bench_values_import  # noqa: E402
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


def main() -> None:
    db = os.environ.get("NONGTHON_BENCH_DB_LABEL", "db")
    call_command("migrate", interactive=False, verbosity=0)
    results = []
    for bench in (bench_units, bench_values_import, bench_ocop_catalogue):
        log(f"[{db}] {bench.__doc__.splitlines()[0]}")
        results += bench(db)
    print(json.dumps([asdict(r) for r in results]))


if __name__ == "__main__":
    main()
