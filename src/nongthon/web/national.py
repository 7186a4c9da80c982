"""The country at a date: one row per province valid on that day, with the figures its own
dashboard shows (communes holding each NTM title, criteria met per commune, OCOP products in
force by star, funding allocated and disbursed).

Each column is one grouped query over the whole country, so the page costs the same handful of
queries for 34 provinces as for 63; the figures are the province dashboards' own definitions
(a cross-check test compares them province by province).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.assessment import queries as assessment
from nongthon.assessment.models import Evaluation
from nongthon.catalogue.models import CriteriaSet, Criterion, SetStatus, Tier
from nongthon.funding.amounts import MoneyUnit, in_unit
from nongthon.funding.models import FundingLine
from nongthon.funding.queries import Figures
from nongthon.ocop.models import Certificate
from nongthon.ocop.queries import live_on
from nongthon.places.models import Level, Unit, UnitKind
from nongthon.recognition.models import Title
from nongthon.web.charts import BAR_HORIZONTAL, Chart, Series
from nongthon.web.dashboard import (
    SUMMARY_AGGREGATES,
    TIER_COLORS,
    TITLE_TIERS,
    _url,
    governing_set,
    percent_of,
    summary_of,
    year_end,
)

STARS = (3, 4, 5)


@dataclass
class ProvinceRow:
    province: Unit
    communes: int = 0  # xã (the denominator of the commune shares)
    titles: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TITLE_TIERS, 0))
    criteria: assessment.Summary | None = None
    stars: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STARS, 0))
    funding_year: int | None = None
    funding: Figures = field(default_factory=Figures)

    @property
    def ntm_share(self) -> Decimal | None:
        return percent_of(self.titles[Tier.NTM], self.communes)

    @property
    def ocop_total(self) -> int:
        return sum(self.stars.values())

    @property
    def allocated_million(self) -> Decimal:
        return in_unit(self.funding.allocated, MoneyUnit.TRIEU)

    @property
    def disbursed_million(self) -> Decimal:
        return in_unit(self.funding.disbursed, MoneyUnit.TRIEU)


@dataclass
class Country:
    on: dt.date
    rows: list[ProvinceRow]

    @property
    def communes(self) -> int:
        return sum(r.communes for r in self.rows)

    def titles(self, tier: str) -> int:
        return sum(r.titles[tier] for r in self.rows)

    @property
    def ntm_share(self) -> Decimal | None:
        return percent_of(self.titles(Tier.NTM), self.communes)

    @property
    def titles_ntm(self) -> int:
        return self.titles(Tier.NTM)

    @property
    def titles_nang_cao(self) -> int:
        return self.titles(Tier.NANG_CAO)

    @property
    def titles_kieu_mau(self) -> int:
        return self.titles(Tier.KIEU_MAU)

    @property
    def star_totals(self) -> list[int]:
        return [self.stars(s) for s in STARS]

    def stars(self, star: int) -> int:
        return sum(r.stars[star] for r in self.rows)

    @property
    def ocop_total(self) -> int:
        return sum(r.ocop_total for r in self.rows)

    @property
    def evaluated(self) -> int:
        return sum(r.criteria.total for r in self.rows if r.criteria)

    @property
    def average(self) -> Decimal | None:
        """Criteria met per evaluated commune, over the provinces' latest years."""
        met = sum(r.criteria.met_sum for r in self.rows if r.criteria)
        return (Decimal(met) / self.evaluated).quantize(Decimal("0.1")) if self.evaluated else None

    @property
    def allocated_million(self) -> Decimal:
        return sum((r.allocated_million for r in self.rows), Decimal(0))

    @property
    def disbursed_million(self) -> Decimal:
        return sum((r.disbursed_million for r in self.rows), Decimal(0))

    @property
    def disbursement_rate(self) -> Decimal | None:
        return Figures(
            allocated=self.allocated_million, disbursed=self.disbursed_million
        ).disbursement_rate


def country(on: dt.date) -> Country:
    provinces = list(Unit.objects.valid_on(on).filter(level=Level.PROVINCE).order_by("code"))
    rows = {p.pk: ProvinceRow(p) for p in provinces}
    _communes(rows, on)
    _titles(rows, on)
    _criteria(rows, on)
    _stars(rows, on)
    _funding(rows, on)
    return Country(on, list(rows.values()))


def _communes(rows: dict[int, ProvinceRow], on: dt.date) -> None:
    """The xã under each province: `recognition.queries.rural_communes`, whatever their dates
    (as the province's dashboard counts them)."""
    counts = (
        Unit.objects.filter(province_id__in=rows, level=Level.COMMUNE, kind=UnitKind.XA)
        .values("province_id")
        .annotate(n=Count("pk"))
    )
    for row in counts:
        rows[row["province_id"]].communes = row["n"]


def _titles(rows: dict[int, ProvinceRow], on: dt.date) -> None:
    """Commune titles held on `on` (from the decision until the title ends)."""
    held = Q(decision__date__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    counts = (
        Title.objects.filter(held, unit__level=Level.COMMUNE, unit__province_id__in=rows)
        .values("unit__province_id", "tier")
        .annotate(n=Count("pk"))
    )
    for row in counts:
        if row["tier"] in TITLE_TIERS:
            rows[row["unit__province_id"]].titles[row["tier"]] = row["n"]


def _criteria(rows: dict[int, ProvinceRow], on: dt.date) -> None:
    """Each province's latest year up to `on` with commune evaluations, under the NTM set that
    governs it (its refinement first), as the province dashboard's criteria panel reads it."""
    sets = list(
        CriteriaSet.objects.filter(status=SetStatus.ACTIVE, level=Level.COMMUNE, tier=Tier.NTM)
    )
    if not sets:
        return
    ids = [s.pk for s in sets]
    figures: dict[int, dict[tuple[int, int], dict]] = defaultdict(dict)
    grouped = (
        Evaluation.objects.filter(
            unit__level=Level.COMMUNE,
            unit__province_id__in=rows,
            criteria_set_id__in=ids,
            year__lte=on.year,
        )
        .values("unit__province_id", "year", "criteria_set_id")
        .annotate(**SUMMARY_AGGREGATES)
    )
    for row in grouped:
        figures[row["unit__province_id"]][(row["year"], row["criteria_set_id"])] = row
    sizes = dict(
        Criterion.objects.filter(criteria_set_id__in=ids)
        .values("criteria_set_id")
        .annotate(n=Count("pk"))
        .values_list("criteria_set_id", "n")
    )
    for province_id, own in figures.items():
        usable = [s for s in sets if s.province_id in (None, province_id)]
        for year in sorted({year for year, _set in own}, reverse=True):
            chosen = governing_set(usable, year, own)
            row = own.get((year, chosen.pk)) if chosen else None
            if row is None:
                continue
            province = rows[province_id].province
            size = sizes.get(chosen.pk, 0)
            rows[province_id].criteria = summary_of(province, year, chosen, row, size)
            break


def _stars(rows: dict[int, ProvinceRow], on: dt.date) -> None:
    """OCOP products whose certificate is in force on `on`, by star."""
    counts = (
        Certificate.objects.filter(live_on(on), product__commune__province_id__in=rows)
        .values("product__commune__province_id", "star")
        .annotate(n=Count("pk"))
    )
    for row in counts:
        row_of = rows[row["product__commune__province_id"]]
        row_of.stars[row["star"]] = row_of.stars.get(row["star"], 0) + row["n"]


def _funding(rows: dict[int, ProvinceRow], on: dt.date) -> None:
    """Each province's latest funding year up to `on` (its dashboard's `funding_year`), lines
    dated after `on` left out in `on`'s own year."""
    province = Coalesce("unit__province_id", "unit_id")
    lines = FundingLine.objects.filter(
        Q(unit__province_id__in=rows) | Q(unit_id__in=rows), year__lte=on.year
    ).annotate(province=province)
    latest = dict(lines.values("province").annotate(y=Max("year")).values_list("province", "y"))
    dated = Q(year__lt=on.year) | Q(on_date__isnull=True) | Q(on_date__lte=on)
    if on == year_end(on.year):
        dated = Q()
    sums = lines.filter(dated).values("province", "year", "kind").annotate(t=Sum("amount"))
    for row in sums:
        if latest.get(row["province"]) == row["year"]:
            rows[row["province"]].funding.add(row["kind"], row["t"])
    for province_id, year in latest.items():
        rows[province_id].funding_year = year


def share_chart(c: Country) -> Chart:
    """Share of xã holding the NTM title, province by province, highest first."""
    ranked = sorted(
        (r for r in c.rows if r.communes), key=lambda r: (-(r.ntm_share or 0), r.province.code)
    )
    return Chart(
        key="national-ntm-share",
        title=_("Tỷ lệ xã đạt chuẩn nông thôn mới theo tỉnh, ngày %(d)s")
        % {"d": c.on.strftime("%d/%m/%Y")},
        kind=BAR_HORIZONTAL,
        category_label=_("Tỉnh, thành phố"),
        categories=[r.province.name for r in ranked],
        series=[
            Series(
                _("Tỷ lệ xã đạt chuẩn (%)"),
                [r.ntm_share for r in ranked],
                [dashboard_url(r.province, c.on) for r in ranked],
                color=TIER_COLORS[Tier.NTM],
            )
        ],
        unit_label="%",
        category_urls=[dashboard_url(r.province, c.on) for r in ranked],
    )


def dashboard_url(province: Unit, on: dt.date) -> str:
    return _url("web:dashboard", province.pk, on=on.isoformat())


COLUMNS = (
    gettext_lazy("Tỉnh, thành phố"),
    gettext_lazy("Số xã"),
    gettext_lazy("Xã đạt chuẩn NTM"),
    gettext_lazy("Tỷ lệ (%)"),
    gettext_lazy("Xã NTM nâng cao"),
    gettext_lazy("Xã NTM kiểu mẫu"),
    gettext_lazy("Năm đánh giá"),
    gettext_lazy("Bình quân tiêu chí/xã"),
    gettext_lazy("OCOP 3 sao"),
    gettext_lazy("OCOP 4 sao"),
    gettext_lazy("OCOP 5 sao"),
    gettext_lazy("Năm vốn"),
    gettext_lazy("Vốn đã giao (triệu đồng)"),
    gettext_lazy("Đã giải ngân (triệu đồng)"),
    gettext_lazy("Tỷ lệ giải ngân (%)"),
)


def table_row(r: ProvinceRow, years_as_text: bool = False) -> list:
    """The row's cells in COLUMNS order; years as text for a page (no thousands separator)."""

    def year(value: int | None):
        return str(value) if years_as_text and value is not None else value

    return [
        r.province.name,
        r.communes,
        r.titles[Tier.NTM],
        r.ntm_share,
        r.titles[Tier.NANG_CAO],
        r.titles[Tier.KIEU_MAU],
        year(r.criteria.year) if r.criteria else None,
        r.criteria.average if r.criteria else None,
        *(r.stars.get(s, 0) for s in STARS),
        year(r.funding_year),
        r.allocated_million,
        r.disbursed_million,
        r.funding.disbursement_rate,
    ]


def workbook(c: Country) -> bytes:
    """The table as .xlsx, numbers as numbers, a total row at the bottom."""
    import openpyxl
    from openpyxl.styles import Font

    from nongthon.web import spreadsheets

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Toan quoc"
    sheet.append([_("Tổng quan toàn quốc, ngày %(d)s") % {"d": c.on.strftime("%d/%m/%Y")}])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(h) for h in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for r in c.rows:
        sheet.append(table_row(r))
    sheet.append(
        [
            str(_("Cả nước")),
            c.communes,
            c.titles(Tier.NTM),
            c.ntm_share,
            c.titles(Tier.NANG_CAO),
            c.titles(Tier.KIEU_MAU),
            None,
            c.average,
            *(c.stars(s) for s in STARS),
            None,
            c.allocated_million,
            c.disbursed_million,
            c.disbursement_rate,
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    return spreadsheets.workbook_bytes(book)
