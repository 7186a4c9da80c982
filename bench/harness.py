"""A small benchmark harness: repeated timings, median and p95, targets with PASS/MISS, a
printed table and JSON.

A result can carry three kinds of target: a time (`target_s`, judged on the p95), a ratio of
the app's median to its raw-SQL floor (`ratio_target`), and a measured value such as requests
per second or megabytes (`value`, `value_target`, `higher_is_better`). Every target it carries
must hold for PASS.
"""

from __future__ import annotations

import json
import platform
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
    median_s: float | None
    p95_s: float | None
    target_s: float | None = None
    note: str = ""
    sql_median_s: float | None = None
    ratio_target: float | None = None
    value: float | None = None
    unit: str = ""
    value_target: float | None = None
    higher_is_better: bool = False

    @property
    def ratio(self) -> float | None:
        if self.sql_median_s and self.median_s is not None:
            return self.median_s / self.sql_median_s
        return None

    @property
    def verdict(self) -> str:
        checks = []
        if self.target_s is not None and self.p95_s is not None:
            checks.append(self.p95_s <= self.target_s)
        if self.ratio_target is not None and self.ratio is not None:
            checks.append(self.ratio <= self.ratio_target)
        if self.value_target is not None and self.value is not None:
            if self.higher_is_better:
                checks.append(self.value >= self.value_target)
            else:
                checks.append(self.value <= self.value_target)
        if not checks:
            return ""
        return "PASS" if all(checks) else "MISS"


def analyze() -> None:
    """Refresh the planner's statistics after seeding in bulk, as autovacuum would before anyone
    reads: PostgreSQL plans a 10,000-row subquery as one row on fresh tables (a 20 s dashboard
    instead of 0,2 s). SQLite keeps its default plans (no sqlite_stat1), as a deployment would."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _target(r: Result) -> str:
    parts = []
    if r.target_s is not None:
        parts.append(f"p95≤{_seconds(r.target_s)}")
    if r.ratio_target is not None:
        parts.append(f"×≤{r.ratio_target:g}")
    if r.value_target is not None:
        parts.append(f"{'≥' if r.higher_is_better else '≤'}{r.value_target:g} {r.unit}")
    return ", ".join(parts) or "—"


def print_table(results: list[Result]) -> None:
    header = (
        f"{'benchmark':52} {'db':10} {'runs':>4} {'median':>9} {'p95':>9} {'SQL':>8} "
        f"{'app/SQL':>7} {'value':>11}  {'target':22} verdict  note"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = f"{r.ratio:.1f}" if r.ratio is not None else "—"
        value = f"{r.value:,.0f} {r.unit}" if r.value is not None else "—"
        print(
            f"{r.name[:52]:52} {r.database:10} {r.runs:>4} {_seconds(r.median_s):>9} "
            f"{_seconds(r.p95_s):>9} {_seconds(r.sql_median_s):>8} {ratio:>7} {value:>11}  "
            f"{_target(r):22} {r.verdict or '—':7}  {r.note}"
        )


def save(results: list[Result], path: Path, meta: dict | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [asdict(r) | {"ratio": r.ratio, "verdict": r.verdict} for r in results]
    info = {"machine": platform.node(), "python": platform.python_version()} | (meta or {})
    path.write_text(json.dumps({"meta": info, "results": rows}, indent=2, ensure_ascii=False))
