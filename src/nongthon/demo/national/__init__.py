"""`nongthon demo --national`: an illustrative data set for the whole country, for load tests,
benchmarks and demonstrations at scale.

For every commune of the pre-2025 list: values of every indicator of the 2021-2025 set (QĐ 318)
for 2021-2025, their stored evaluations and titles; ~20,000 OCOP products with evaluations and
certificates; funding lines and works; a yearly plan per province. For every commune of the
2025 list: the same under the 2026-2030 set (QĐ 51/2025), values for 2026-2030, ~2,000 OCOP
products, funding and a plan for 2026. Deterministic for a seed (each province from its own
generator, so one province built alone is the same as in the full build); built on top of the
ordinary demo, whose Hậu Giang data it leaves alone. Every row is marked illustrative.

Rows are written with `nongthon.bulk_insert` (executemany / COPY), without history records:
millions of history rows for made-up data would double the database for nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from nongthon.assessment.evaluation import _region_names
from nongthon.catalogue.services import active_set
from nongthon.catalogue.specs import spec_for
from nongthon.demo.national.assessment import PERIODS, Period, build_province
from nongthon.demo.national.funding import build_funding
from nongthon.demo.national.ocop import PRODUCTS_2025, PRODUCTS_PRE2025, build_ocop
from nongthon.demo.national.plans import build_plans, has_plans
from nongthon.demo.national.titles import build_titles
from nongthon.places.models import Edition, Level, Unit

DEFAULT_SEED = 2025
NATIONAL_COMMUNES = {Edition.PRE_2025: 10_035, Edition.Y2025: 3_321}  # the two official lists


@dataclass
class Counts:
    provinces: int = 0
    skipped: int = 0
    values: int = 0
    evaluations: int = 0
    titles: int = 0
    products: int = 0
    funding: int = 0
    plans: int = 0
    seconds: float = 0.0
    by_phase: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"{self.provinces} tỉnh ({self.skipped} đã có), {self.values:,} giá trị, "
            f"{self.evaluations:,} kết quả đánh giá, {self.titles:,} danh hiệu, "
            f"{self.products:,} sản phẩm OCOP, {self.funding:,} dòng vốn và công trình, "
            f"{self.plans} kế hoạch, {self.seconds:.0f} giây"
        ).replace(",", ".")


def _bar(items: list, label: str, show: bool):
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="tỉnh", leave=True, dynamic_ncols=True)


def _products_per_province(edition: str, total: int) -> dict[int, int]:
    """Products by commune count, at the national density (the total over the edition's
    commune count), so a partial build makes what the full one makes for those provinces."""
    per = dict(
        Unit.objects.filter(edition=edition, level=Level.COMMUNE)
        .values("province_id")
        .annotate(n=Count("pk"))
        .values_list("province_id", "n")
    )
    communes = NATIONAL_COMMUNES[edition]
    return {pk: round(total * n / communes) for pk, n in per.items()}


def build_national(
    say: Callable[[str], None] = print,
    *,
    seed: int = DEFAULT_SEED,
    provinces: list[str] | None = None,
    progress: bool = True,
) -> Counts:
    """Build (or complete) the national data set; provinces already built are skipped."""
    counts = Counts()
    started = time.perf_counter()
    names = _region_names()
    for period in PERIODS:
        _build_period(period, say, seed, provinces, progress, names, counts)
    _refresh_statistics()
    counts.seconds = time.perf_counter() - started
    say("Dữ liệu minh họa toàn quốc: " + counts.line())
    return counts


def _refresh_statistics() -> None:
    """Millions of rows written by COPY leave PostgreSQL planning from empty-table statistics
    until autovacuum passes (a province dashboard took 20 s instead of 0,2 s): analyze now."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _build_period(
    period: Period, say, seed: int, codes, progress: bool, names, counts: Counts
) -> None:
    criteria_set = active_set(period.set_code)
    if criteria_set is None:
        say(f"Chưa nạp bộ tiêu chí {period.set_code}: bỏ qua")
        return
    spec = spec_for(criteria_set)
    chosen = Unit.objects.filter(edition=period.edition, level=Level.PROVINCE).select_related(
        "region"
    )
    if codes:
        chosen = chosen.filter(code__in=[c.zfill(2) for c in codes])
    pre2025 = period.edition == Edition.PRE_2025
    products = _products_per_province(
        period.edition, PRODUCTS_PRE2025 if pre2025 else PRODUCTS_2025
    )
    money_years = period.years if pre2025 else period.years[:1]
    plan_years = period.years[1:] if pre2025 else period.years[:1]
    label = f"{criteria_set.code} {period.years[0]}-{period.years[-1]}"
    for province in _bar(list(chosen.order_by("code")), label, progress):
        counts.provinces += 1
        if has_plans(province):
            counts.skipped += 1
            continue
        with transaction.atomic():
            phases = {}
            t = time.perf_counter()
            done = build_province(province, period, criteria_set, spec, names, seed)
            phases["values+evaluations"] = time.perf_counter() - t
            counts.values += done.values
            counts.evaluations += done.evaluations
            t = time.perf_counter()
            counts.titles += build_titles(province, period, done.communes, seed)
            counts.products += build_ocop(
                province, seed, products.get(province.pk, 0), 2020 if pre2025 else 2026
            )
            counts.funding += build_funding(
                province, period, spec, done.communes, seed, money_years
            )
            phases["titles+ocop+funding"] = time.perf_counter() - t
            t = time.perf_counter()
            counts.plans += build_plans(province, period, plan_years, len(done.communes))
            phases["plans"] = time.perf_counter() - t
            for name, seconds in phases.items():
                counts.by_phase[name] = counts.by_phase.get(name, 0.0) + seconds
