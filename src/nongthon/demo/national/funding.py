"""Illustrative funding for one province: planned, allocated and disbursed lines by source for
the province and its districts each year, and works in the communes that lack a criterion,
with their sources, disbursements and, for a few, outstanding debt.

The split by source follows Hậu Giang's 2022 plan (seed 001: credit about 89%, central budget
3%, local 3,5%, integrated 2,4%, enterprises and people 2%); amounts scale with the number of
communes. Every line and work is illustrative.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from nongthon.bulk_insert import insert_rows, reserve_ids
from nongthon.catalogue.engine import SetSpec
from nongthon.demo.national.assessment import CommunePath, Period, rng_for
from nongthon.funding.models import (
    Debt,
    Disbursement,
    FundingLine,
    FundingSource,
    LineKind,
    Work,
    WorkSource,
)
from nongthon.places.models import Level, Unit

BILLION = Decimal(10) ** 9
PER_COMMUNE = 120 * BILLION  # planned per commune and year, all sources (seed 001 order)
SPLIT = {
    "central": Decimal("0.03"),
    "local": Decimal("0.035"),
    "integrated": Decimal("0.024"),
    "credit": Decimal("0.891"),
    "enterprise": Decimal("0.003"),
    "people": Decimal("0.017"),
}
ALLOCATED = ("central-investment", "central-recurrent", "local-province")
ALLOCATED_SHARE = (Decimal("0.45"), Decimal("0.1"), Decimal("0.3"))
DOC = "Kế hoạch vốn năm {year} (minh họa)"
LINE_FIELDS = ("unit_id", "year", "source_id", "kind", "amount", "on_date", "written")
LINE_FIELDS += ("document", "note", "illustrative", "version")


def _whole(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1))


def build_funding(
    province: Unit,
    period: Period,
    spec: SetSpec,
    communes: list[CommunePath],
    seed: int,
    years: tuple[int, ...],
) -> int:
    sources = dict(FundingSource.objects.values_list("code", "pk"))
    if not sources:
        return 0
    rng = rng_for(seed, "funding", province.edition, province.code)
    districts = list(
        Unit.objects.filter(province=province, level=Level.DISTRICT)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    counts = dict.fromkeys(districts, 0)
    for district_id in Unit.objects.filter(
        province=province, level=Level.COMMUNE, district__isnull=False
    ).values_list("district_id", flat=True):
        counts[district_id] = counts.get(district_id, 0) + 1
    done = set(
        FundingLine.objects.filter(unit=province, year__in=years).values_list("year", flat=True)
    )
    lines = []
    for year in years:
        if year in done:
            continue
        doc = DOC.format(year=year)
        total = PER_COMMUNE * len(communes) * Decimal(str(0.8 + 0.4 * rng.random()))
        for code, share in SPLIT.items():
            lines.append(
                (province.pk, year, sources[code], LineKind.PLANNED, _whole(total * share),
                 dt.date(year, 1, 15), "", doc, "", True, 1)
            )  # fmt: skip
        budget = total * (SPLIT["central"] + SPLIT["local"])
        for code, share in zip(ALLOCATED, ALLOCATED_SHARE, strict=True):
            allocated = _whole(budget * share)
            lines.append(
                (province.pk, year, sources[code], LineKind.ALLOCATED, allocated,
                 dt.date(year, 1, 20), "", doc, "", True, 1)
            )  # fmt: skip
            for day, part in ((dt.date(year, 6, 30), "0.4"), (dt.date(year, 12, 31), "0.45")):
                lines.append(
                    (province.pk, year, sources[code], LineKind.DISBURSED,
                     _whole(allocated * Decimal(part)), day, "", doc, "", True, 1)
                )  # fmt: skip
        for district_id, n in counts.items():
            if not n:
                continue
            amount = _whole(budget * Decimal("0.2") * n / max(len(communes), 1))
            lines.append(
                (district_id, year, sources["local-district"], LineKind.ALLOCATED, amount,
                 dt.date(year, 2, 1), "", doc, "", True, 1)
            )  # fmt: skip
            lines.append(
                (district_id, year, sources["local-district"], LineKind.DISBURSED,
                 _whole(amount * Decimal("0.8")), dt.date(year, 12, 31), "", doc, "", True, 1)
            )  # fmt: skip
    count = insert_rows(FundingLine, LINE_FIELDS, lines)
    return count + _works(period, spec, communes, sources, rng, years)


def _works(period, spec: SetSpec, communes, sources, rng, years) -> int:
    """A work for the first criterion a commune lacks, from the first year it lacks it."""
    names = {c.number: c.name for c in spec.criteria}
    first_code = {c.number: c.indicators[0].code for c in spec.criteria}
    done = set(
        Work.objects.filter(commune_id__in=[c.unit_id for c in communes]).values_list(
            "commune_id", flat=True
        )
    )
    plans = []
    for c in communes:
        if c.unit_id in done:
            continue
        start_year = next((y for y in years if c.trajectory.failing(y)), None)
        if start_year is None:
            continue
        criterion = c.trajectory.failing(start_year)[-1]
        plans.append((c, start_year, criterion))
    ids = reserve_ids(Work, len(plans))
    works, work_sources, payments, debts = [], [], [], []
    for pk, (c, start_year, criterion) in zip(ids, plans, strict=True):
        reach = c.trajectory.reach
        finished = dt.date(reach - 1, 12, 15) if reach and reach - 1 >= start_year else None
        total = _whole(BILLION * Decimal(str(round(0.5 + 14.5 * rng.random(), 1))))
        progress = Decimal(100) if finished else Decimal(rng.randrange(20, 95))
        works.append(
            (pk, c.unit_id, f"Công trình {names[criterion].lower()} (minh họa)",
             period_family(period), criterion, first_code[criterion], total,
             dt.date(start_year, 3, 1), dt.date(start_year + 1, 12, 31), finished, progress, "",
             True, 1)
        )  # fmt: skip
        central = _whole(total * Decimal("0.6"))
        work_sources.append((pk, sources["central-investment"], central))
        work_sources.append((pk, sources["local-commune"], total - central))
        paid = _whole(total * progress / 100 * Decimal("0.9"))
        half = _whole(paid / 2)
        payments.append((pk, dt.date(start_year, 9, 30), half, sources["central-investment"], ""))
        payments.append((pk, dt.date(start_year, 12, 31), paid - half, None, ""))
        if finished and rng.random() < 0.03:
            debts.append((pk, _whole(total * Decimal("0.1")), finished.year, "Minh họa", 1))
    count = insert_rows(
        Work,
        ("id", "commune_id", "name", "family", "criterion_number", "indicator_code",
         "investment_total", "start_date", "end_date", "finished_on", "progress", "note",
         "illustrative", "version"),
        works,
    )  # fmt: skip
    insert_rows(WorkSource, ("work_id", "source_id", "amount"), work_sources)
    insert_rows(Disbursement, ("work_id", "on_date", "amount", "source_id", "note"), payments)
    insert_rows(Debt, ("work_id", "amount", "year_incurred", "note", "version"), debts)
    return count


def period_family(period: Period) -> str:
    return period.set_code
