"""Reporting over 10,000 communes: the dashboard's summary, the grid of a province (districts
with their communes' rates) and the list of missing reports, on a synthetic province of 100
districts × 100 xã with a year of monthly and quarterly commune reports (about 85 % sent).

Units and reports are synthetic (bulk-created, codes X0000-X9999) for timing only. The 0.5 s
target is ours, not the issue's.
"""

from __future__ import annotations

import datetime as dt

from bench.harness import Result, analyze, measure
from nongthon.places.models import Edition, Level, Unit, UnitKind
from nongthon.places.text import fold
from nongthon.reporting import queries, services
from nongthon.reporting.models import ReportPeriod, Status, Submission

DISTRICTS, PER_DISTRICT = 100, 100
RUNS = 5
TARGET_S = 0.5
ON = dt.date(2024, 1, 1)


def _unit(code: str, name: str, level: str, kind: str, parent: Unit | None) -> Unit:
    unit = Unit(
        edition=Edition.PRE_2025, level=level, kind=kind, code=code, name=name, short_name=name
    )
    unit.search_text = fold(name)
    if parent is not None:
        unit.parent = parent
        unit.province = parent if parent.level == Level.PROVINCE else parent.province
        unit.district = parent if parent.level == Level.DISTRICT else None
    return unit


def _seed() -> Unit:
    province = _unit("ZZ", "Tỉnh Thử nghiệm", Level.PROVINCE, UnitKind.TINH, None)
    province.save()
    districts = Unit.objects.bulk_create(
        _unit(f"Y{d:03d}", f"Huyện {d}", Level.DISTRICT, UnitKind.HUYEN, province)
        for d in range(DISTRICTS)
    )
    communes = Unit.objects.bulk_create(
        (
            _unit(f"X{d * PER_DISTRICT + c:04d}", f"Xã {d}-{c}", Level.COMMUNE, UnitKind.XA, dist)
            for d, dist in enumerate(districts)
            for c in range(PER_DISTRICT)
        ),
        batch_size=2000,
    )
    services.ensure_periods(province, 2023, today=dt.date(2023, 1, 1))
    periods = ReportPeriod.objects.filter(province=province, rule_code__in=["xa-thang", "xa-quy"])
    rows = []
    for period in periods:
        for n, commune in enumerate(communes):
            draw = (n * 7919 + period.number * 104729) % 100
            if draw >= 85:
                continue  # about 15 % never sent
            late = draw >= 75
            day = period.deadline + dt.timedelta(days=3 if late else -2)
            rows.append(
                Submission(
                    period=period,
                    unit=commune,
                    district_id=commune.district_id,  # bulk_create skips save()
                    status=Status.SUBMITTED,
                    first_submitted_on=day,
                    figures={"values": {}},
                )
            )
    Submission.objects.bulk_create(rows, batch_size=5000)
    return province


def bench_reporting(db: str) -> list[Result]:
    """Reporting over 10,000 communes: summary, grid, missing list."""
    province = _seed()
    analyze()
    sent = Submission.objects.filter(unit__province=province).count()
    note = f"{DISTRICTS * PER_DISTRICT:,} xã, {sent:,} reports"
    summary = queries.reporting_summary(province, ON, limit=50)
    assert summary.expected > DISTRICTS * PER_DISTRICT * 16, summary.expected
    cases = [
        ("reporting_summary(province)", lambda: queries.reporting_summary(province, ON)),
        (
            "grid: province × monthly xã reports",
            lambda: queries.grid(province, "xa-thang", 2023, ON),
        ),
        (
            "missing list: first 500",
            lambda: queries.problem_rows(province, ON, dt.date(2023, 1, 1), "missing"),
        ),
    ]
    results = []
    for label, run in cases:
        median, p95 = measure(run, runs=RUNS)
        results.append(Result(f"reporting: {label}", db, RUNS, median, p95, TARGET_S, note))
    return results
