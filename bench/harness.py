"""A small benchmark harness: repeated timings, median and p95, a printed table and JSON."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Result:
    name: str
    database: str
    runs: int
    median_s: float
    p95_s: float
    target_s: float | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.target_s is None:
            return ""
        return "ok" if self.median_s <= self.target_s else "SLOW"


def measure(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def print_table(results: list[Result]) -> None:
    header = f"{'benchmark':48} {'db':10} {'runs':>4} {'median s':>9} {'p95 s':>9} {'target':>7}  "
    print(header)
    print("-" * len(header))
    for r in results:
        target = f"{r.target_s:g}" if r.target_s is not None else "—"
        print(
            f"{r.name:48} {r.database:10} {r.runs:>4} {r.median_s:>9.3f} {r.p95_s:>9.3f} "
            f"{target:>7}  {r.verdict} {r.note}"
        )


def save(results: list[Result], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False))
