"""The dashboard of a province, district or commune at a date: one panel per question, each built
by a function of `PANELS` from the stored results the other modules already read.

Every figure comes from the same query the module's own page uses (assessment's summary and
criterion totals, recognition's titles held, plans' targets, OCOP's certificates in force,
funding's sources, plans' due lists), so the dashboard and those pages cannot disagree; a
cross-module test checks it. Every number links to the page listing what it counts.

Adding a panel is one function `(Context) -> Panel | None` appended to `PANELS` (None: the
panel does not apply to this user or unit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Min, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.assessment import queries as assessment
from nongthon.assessment.models import Evaluation
from nongthon.catalogue.models import CriteriaSet, Criterion, SetStatus, Tier
from nongthon.places.models import Level, Unit
from nongthon.web.charts import (
    BAR,
    BAR_HORIZONTAL,
    LINE,
    PIE,
    Chart,
    ListRow,
    Panel,
    Series,
    Stat,
)

TITLE_TIERS = (Tier.NTM, Tier.NANG_CAO, Tier.KIEU_MAU)
TIER_COLORS = {Tier.NTM: "#198754", Tier.NANG_CAO: "#0d6efd", Tier.KIEU_MAU: "#6f42c1"}
TREND_YEARS = 10  # how far back the yearly trends look
TOP_BARS = 10  # bars of a ranking (criteria blocking most communes, late agencies)
TOP_LIST = 8  # rows of a short list (targets, overdue tasks)


@dataclass
class Context:
    user: User
    unit: Unit
    on: dt.date

    @property
    def iso(self) -> str:
        return self.on.isoformat()

    @property
    def vn(self) -> str:
        """The date as plans' pages read it (?on=dd/mm/yyyy)."""
        return self.on.strftime("%d/%m/%Y")


def default_date(unit: Unit) -> dt.date:
    """Today, or the last day of a unit that no longer exists (Hậu Giang before 2025 is read as
    it stood on 30/06/2025), as recognition's pages do."""
    today = timezone.localdate()
    if unit.valid_to is not None and unit.valid_to < today:
        return unit.valid_to
    return today


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


# --- Titles held ---------------------------------------------------------------------------------


def trend_days(unit: Unit, on: dt.date) -> list[dt.date]:
    """31/12 of each year since the first commune title under `unit` (at most TREND_YEARS),
    and `on` itself for its own year."""
    first = (
        _commune_titles(unit).filter(decision__date__lte=on).aggregate(y=Min("decision__date"))
    )["y"]
    start = max(first.year if first else on.year, on.year - TREND_YEARS + 1)
    return [year_end(y) for y in range(start, on.year)] + [on]


def _commune_titles(unit: Unit):
    from nongthon.recognition.models import Title

    return Title.objects.filter(unit__in=Unit.objects.subtree(unit), unit__level=Level.COMMUNE)


def titles_held_on(unit: Unit, days: list[dt.date]) -> dict[dt.date, dict[str, int]]:
    """{day: {tier: communes under `unit` holding it}}: recognition's `count_titles_held` for
    several days in one aggregate query (a title is held from its decision until it ends)."""
    counts = {}
    for i, day in enumerate(days):
        held = Q(decision__date__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        for tier in TITLE_TIERS:
            counts[f"d{i}_{tier}"] = Count("pk", filter=held & Q(tier=tier))
    row = _commune_titles(unit).aggregate(**counts) if counts else {}
    return {day: {t: row[f"d{i}_{t}"] for t in TITLE_TIERS} for i, day in enumerate(days)}


def titles_panel(ctx: Context) -> Panel | None:
    if not permissions.can_view_recognition(ctx.user, ctx.unit):
        return None
    from nongthon.recognition.queries import rural_communes

    days = trend_days(ctx.unit, ctx.on)
    held = titles_held_on(ctx.unit, days)
    now = held[ctx.on]
    xa = rural_communes(ctx.unit).count() if ctx.unit.level != Level.COMMUNE else 1
    labels = dict(Tier.choices)

    def titles_url(day: dt.date, tier: str = "") -> str:
        return _url(
            "recognition:titles", ctx.unit.pk, on=day.isoformat(), tier=tier, level=Level.COMMUNE
        )

    stats = [
        Stat(f"titles-{tier}", str(labels[tier]), now[tier], titles_url(ctx.on, tier), f"/{xa}")
        for tier in TITLE_TIERS
    ]
    categories = [str(d.year) if d == year_end(d.year) else d.strftime("%d/%m/%Y") for d in days]
    trend = Chart(
        key="titles-trend",
        title=_("Số xã giữ danh hiệu, cuối mỗi năm"),
        kind=LINE,
        category_label=_("Năm (ngày)"),
        categories=categories,
        series=[
            Series(
                str(labels[tier]),
                [held[d][tier] for d in days],
                [titles_url(d, tier) for d in days],
                color=TIER_COLORS[tier],
            )
            for tier in TITLE_TIERS
        ],
        unit_label=_("xã"),
        category_urls=[titles_url(d) for d in days],
    )
    return Panel(
        key="titles",
        title=_("Danh hiệu nông thôn mới"),
        stats=stats,
        charts=[trend],
        more_url=titles_url(ctx.on),
        note=_("Số xã giữ danh hiệu tại ngày %(d)s; mẫu số là số xã.") % {"d": ctx.vn},
        illustrative=_commune_titles(ctx.unit).filter(illustrative=True).exists(),
    )


# --- Criteria met --------------------------------------------------------------------------------


@dataclass
class YearSummary:
    summary: assessment.Summary

    @property
    def year(self) -> int:
        return self.summary.year

    @property
    def family(self) -> str:
        return self.summary.family


# assessment's summary figures, as aggregates of a grouped evaluation query
SUMMARY_AGGREGATES = {
    "total": Count("pk"),
    "all_met": Count("pk", filter=Q(all_met=True)),
    "met_sum": Sum("met_count"),
    "below_15": Count("pk", filter=Q(met_count__lt=assessment.BELOW)),
    "at_least_14": Count("pk", filter=Q(met_count__gte=assessment.AT_LEAST)),
}


def summary_of(
    scope: Unit, year: int, criteria_set: CriteriaSet, row: dict, criteria_count: int
) -> assessment.Summary:
    """A row of SUMMARY_AGGREGATES as assessment's Summary."""
    return assessment.Summary(
        scope=scope,
        year=year,
        criteria_set=criteria_set,
        criteria_count=criteria_count,
        total=row["total"],
        all_met=row["all_met"],
        met_sum=row["met_sum"] or 0,
        below_15=row["below_15"],
        at_least_14=row["at_least_14"],
    )


def criteria_trend(scope: Unit, until_year: int) -> list[YearSummary]:
    """Per year up to `until_year`, assessment's summary figures for the NTM set governing the
    communes under `scope` (the province's refinement first, as `commune_set` chooses): three
    queries whatever the number of years or communes."""
    sets = list(
        CriteriaSet.objects.filter(
            status=SetStatus.ACTIVE, level=Level.COMMUNE, tier=Tier.NTM
        ).filter(Q(province__isnull=True) | Q(province_id=assessment.province_id_of(scope)))
    )
    if not sets:
        return []
    ids = [s.pk for s in sets]
    figures = {
        (row["year"], row["criteria_set_id"]): row
        for row in Evaluation.objects.filter(
            assessment.below(scope),
            unit__level=Level.COMMUNE,
            criteria_set_id__in=ids,
            year__lte=until_year,
        )
        .values("year", "criteria_set_id")
        .annotate(**SUMMARY_AGGREGATES)
    }
    sizes = dict(
        Criterion.objects.filter(criteria_set_id__in=ids)
        .values("criteria_set_id")
        .annotate(n=Count("pk"))
        .values_list("criteria_set_id", "n")
    )
    out = []
    for year in sorted({year for year, _set in figures}):
        chosen = governing_set(sets, year, figures)
        row = figures.get((year, chosen.pk)) if chosen else None
        if row is None:
            continue
        out.append(YearSummary(summary_of(scope, year, chosen, row, sizes.get(chosen.pk, 0))))
    return out[-TREND_YEARS:]


def governing_set(sets: list[CriteriaSet], year: int, figures: dict) -> CriteriaSet | None:
    """The set `assessment.commune_set` picks for the NTM family most evaluated that year."""
    covering = [s for s in sets if s.period_from <= year <= s.period_to]
    if not covering:
        return None
    evaluated: dict[str, int] = {}
    for s in covering:
        row = figures.get((year, s.pk))
        evaluated[s.family] = evaluated.get(s.family, 0) + (row["total"] if row else 0)
    family = sorted(evaluated, key=lambda f: (-evaluated[f], f))[0]
    # commune_set: the province's refinement first, then the national set.
    candidates = sorted(
        (s for s in covering if s.family == family), key=lambda s: (s.province_id is None,)
    )
    return candidates[0]


def percent_of(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def criteria_panel(ctx: Context) -> Panel | None:
    if not permissions.can_view_values(ctx.user, ctx.unit):
        return None
    trend = criteria_trend(ctx.unit, ctx.on.year)
    panel = Panel(key="criteria", title=_("Tiêu chí nông thôn mới"))
    if not trend:
        panel.empty = _("Chưa có kết quả đánh giá tiêu chí của các xã đến năm %(y)s.") % {
            "y": ctx.on.year
        }
        return panel
    unit = ctx.unit
    latest = trend[-1].summary
    year, family = latest.year, latest.family

    def matrix_url(y: int, fam: str) -> str:
        if unit.level == Level.COMMUNE:
            return _url("assessment:results_scorecard", unit.pk, y, fam)
        return _url("assessment:results_matrix", unit.pk, y, fam, sort="met_asc")

    def list_url(y: int, fam: str, figure: str, criterion: int | None = None) -> str:
        return _url("assessment:results_list", unit.pk, y, fam, figure=figure, criterion=criterion)

    panel.title = _("Tiêu chí nông thôn mới, năm %(y)s") % {"y": year}
    panel.stats = [
        Stat(
            "criteria-evaluated",
            _("Xã có kết quả đánh giá"),
            latest.total,
            list_url(year, family, "all"),
        ),
        Stat(
            "criteria-average",
            _("Bình quân tiêu chí/xã"),
            latest.average,
            matrix_url(year, family),
            f"/{latest.criteria_count}",
        ),
        Stat(
            "criteria-all-met",
            _("Xã đạt đủ tiêu chí"),
            latest.all_met,
            list_url(year, family, "all_met"),
            f"/{latest.total}",
        ),
    ]
    if latest.criteria_count >= assessment.BELOW:  # the NQ 25 yardstick of a 19-criteria set
        panel.stats.append(
            Stat(
                "criteria-below-15",
                _("Xã đạt dưới %(n)s tiêu chí") % {"n": assessment.BELOW},
                latest.below_15,
                list_url(year, family, "below_15"),
                css="danger" if latest.below_15 else "",
            )
        )
    years = [str(t.year) for t in trend]
    panel.charts.append(
        Chart(
            key="criteria-trend",
            title=_("Bình quân tiêu chí/xã và số xã đạt đủ tiêu chí theo năm"),
            kind=LINE,
            category_label=_("Năm"),
            categories=years,
            series=[
                Series(
                    _("Bình quân tiêu chí/xã"),
                    [t.summary.average for t in trend],
                    [matrix_url(t.year, t.family) for t in trend],
                    kind=LINE,
                    color="#198754",
                ),
                Series(
                    _("Số xã đạt đủ tiêu chí"),
                    [t.summary.all_met for t in trend],
                    [list_url(t.year, t.family, "all_met") for t in trend],
                    kind=BAR,
                    axis=1,
                    color="#9ec5fe",
                ),
            ],
            axis_labels=(_("tiêu chí"), _("xã")),
            category_urls=[matrix_url(t.year, t.family) for t in trend],
        )
    )
    totals = assessment.criterion_totals(unit, latest.criteria_set, year)
    blocking = sorted(
        (t for t in totals if t.not_met or t.missing),
        key=lambda t: (-t.not_met, -t.missing, t.number),
    )[:TOP_BARS]
    if blocking:
        panel.charts.append(
            Chart(
                key="criteria-blocking",
                title=_("Tiêu chí nhiều xã chưa đạt nhất, năm %(y)s") % {"y": year},
                kind=BAR_HORIZONTAL,
                category_label=_("Tiêu chí"),
                categories=[f"{t.number}. {t.name}" for t in blocking],
                series=[
                    Series(
                        _("Chưa đạt"),
                        [t.not_met for t in blocking],
                        [list_url(year, family, "criterion_not_met", t.number) for t in blocking],
                        color="#dc3545",
                    ),
                    Series(
                        _("Thiếu dữ liệu"),
                        [t.missing for t in blocking],
                        [list_url(year, family, "criterion_missing", t.number) for t in blocking],
                        color="#ffc107",
                    ),
                ],
                unit_label=_("xã"),
                stack=True,
            )
        )
    panel.more_url = matrix_url(year, family)
    panel.illustrative = assessment.has_illustrative_values(unit, year, family)
    panel.note = _("Bộ tiêu chí %(set)s; số liệu từ kết quả đánh giá đã lưu.") % {
        "set": latest.criteria_set.basis
    }
    return panel


# --- The plan's targets --------------------------------------------------------------------------


def current_plan(unit: Unit, on: dt.date):
    """The unit's own plan in force on `on`, or else its latest plan begun by then."""
    from nongthon.plans.models import Plan

    plans = [p for p in Plan.objects.filter(unit=unit, year_from__lte=on.year) if p.start <= on]
    if not plans:
        return None
    in_force = [p for p in plans if p.end >= on]
    pool = in_force or plans
    return max(pool, key=lambda p: (p.end, p.start, p.pk))


def plan_panel(ctx: Context) -> Panel | None:
    if not permissions.can_view_plans(ctx.user, ctx.unit):
        return None
    from nongthon.plans import queries as plans
    from nongthon.plans.targets.base import STATUS_CSS, STATUS_LABELS

    panel = Panel(key="plan", title=_("Chỉ tiêu kế hoạch"))
    plan = current_plan(ctx.unit, ctx.on)
    if plan is None:
        panel.empty = _("Đơn vị chưa có kế hoạch bắt đầu trước ngày %(d)s.") % {"d": ctx.vn}
        return panel
    groups = plans.plan_targets(plan, ctx.on)
    lines = [line for g in groups for line in g.firm + g.stretch]
    counts = plans.status_counts(groups)
    plan_url = _url("plans:plan", plan.pk, on=ctx.vn)
    panel.title = _("Chỉ tiêu kế hoạch: %(title)s") % {"title": plan.number or plan.title[:60]}
    panel.more_url = plan_url
    order = list(STATUS_LABELS)
    present = [code for code in order if counts.get(code)]
    panel.stats = [
        Stat(
            f"plan-{code}",
            str(STATUS_LABELS[code]),
            counts[code],
            _url("plans:plan", plan.pk, on=ctx.vn, status=code),
            css=STATUS_CSS[code],
        )
        for code in present
    ]
    colors = {"success": "#198754", "primary": "#0d6efd", "warning": "#ffc107"}
    colors |= {"danger": "#dc3545", "secondary": "#adb5bd"}
    if present:
        panel.charts.append(
            Chart(
                key="plan-status",
                title=_("Chỉ tiêu theo mức đánh giá tại ngày %(d)s") % {"d": ctx.vn},
                kind=PIE,
                category_label=_("Đánh giá"),
                categories=[str(STATUS_LABELS[c]) for c in present],
                series=[
                    Series(
                        _("Số chỉ tiêu"),
                        [counts[c] for c in present],
                        [_url("plans:plan", plan.pk, on=ctx.vn, status=c) for c in present],
                    )
                ],
                unit_label=_("chỉ tiêu"),
                category_colors=[colors[STATUS_CSS[c]] for c in present],
            )
        )
    # Those off track first: the panel answers "what needs attention".
    urgency = {code: i for i, code in enumerate(["chua_dat", "co_nguy_co", "chua_co_du_lieu"])}
    ranked = sorted(lines, key=lambda line: urgency.get(line.judgement.code, 9))
    panel.rows = [
        ListRow(
            line.target.sentence,
            _url("plans:target", line.target.pk, on=ctx.vn),
            line.figure.shown,
            line.judgement.label,
            line.judgement.css,
        )
        for line in ranked[:TOP_LIST]
    ]
    panel.rows_title = _("Chỉ tiêu cần chú ý")
    panel.note = _("%(title)s, đánh giá đến ngày %(d)s.") % {"title": plan.title, "d": ctx.vn}
    panel.illustrative = plan.illustrative or any(line.figure.illustrative for line in lines)
    return panel


# --- OCOP ----------------------------------------------------------------------------------------


def ocop_panel(ctx: Context) -> Panel | None:
    if not permissions.can_view_ocop(ctx.user, ctx.unit):
        return None
    from nongthon.ocop import queries as ocop

    by_star = ocop.count_by_star(ctx.unit, day=ctx.on)
    stars = sorted(set(by_star) | {3, 4, 5})
    expiring = ocop.expiring_within(ctx.unit, months=6, day=ctx.on).count()
    window = ocop.reevaluation_due(ctx.unit, day=ctx.on).count()

    def products_url(star: int | None = None) -> str:
        return _url("ocop:products", unit=ctx.unit.pk, star=star, on=ctx.iso)

    expiring_url = _url("ocop:expiring", unit=ctx.unit.pk, on=ctx.iso)
    stats = [
        Stat(f"ocop-{star}", _("%(n)s sao") % {"n": star}, by_star.get(star, 0), products_url(star))
        for star in stars
    ]
    stats.append(
        Stat("ocop-total", _("Tổng sản phẩm còn hiệu lực"), sum(by_star.values()), products_url())
    )
    stats.append(
        Stat(
            "ocop-expiring",
            _("Hết hạn trong 6 tháng"),
            expiring,
            expiring_url,
            css="warning" if expiring else "",
        )
    )
    stats.append(Stat("ocop-window", _("Đang trong hạn nộp đánh giá lại"), window, expiring_url))
    chart = Chart(
        key="ocop-stars",
        title=_("Sản phẩm OCOP còn hiệu lực theo hạng sao, ngày %(d)s") % {"d": ctx.vn},
        kind=BAR,
        category_label=_("Hạng sao"),
        categories=[_("%(n)s sao") % {"n": s} for s in stars],
        series=[
            Series(
                _("Sản phẩm"),
                [by_star.get(s, 0) for s in stars],
                [products_url(s) for s in stars],
                color="#fd7e14",
            )
        ],
        unit_label=_("sản phẩm"),
    )
    return Panel(
        key="ocop",
        title=_("Sản phẩm OCOP"),
        stats=stats,
        charts=[chart],
        more_url=products_url(),
        note=_("Sản phẩm có giấy chứng nhận còn hiệu lực tại ngày %(d)s.") % {"d": ctx.vn},
    )


# --- Funding -------------------------------------------------------------------------------------


def funding_year(unit: Unit, on: dt.date) -> int | None:
    from nongthon.funding.queries import years_with_lines

    years = [y for y in years_with_lines(unit) if y <= on.year]
    return years[0] if years else None


def funding_panel(ctx: Context) -> Panel | None:
    if not permissions.can_view_funding(ctx.user, ctx.unit):
        return None
    from nongthon.funding import queries as funding
    from nongthon.funding.amounts import MoneyUnit, in_unit

    panel = Panel(key="funding", title=_("Nguồn vốn"))
    year = funding_year(ctx.unit, ctx.on)
    if year is None:
        panel.empty = _("Chưa có số liệu nguồn vốn đến năm %(y)s.") % {"y": ctx.on.year}
        return panel
    # Lines dated after the day asked do not count yet (the whole year once it is over).
    on_date = ctx.on if ctx.on < year_end(year) else None
    rows = funding.funds_by_source(ctx.unit, year, on_date)
    total = funding.funding_figures(ctx.unit, year, on_date)
    overview = _url(
        "funding:overview", ctx.unit.pk, year, on=on_date.isoformat() if on_date else ""
    )

    def million(amount: Decimal) -> Decimal:
        return in_unit(amount, MoneyUnit.TRIEU)

    panel.title = _("Nguồn vốn năm %(y)s") % {"y": year}
    panel.more_url = overview
    panel.stats = [
        Stat(
            "funding-planned", _("Kế hoạch, nhu cầu (triệu đồng)"), million(total.planned), overview
        ),
        Stat("funding-allocated", _("Đã giao (triệu đồng)"), million(total.allocated), overview),
        Stat(
            "funding-disbursed", _("Đã giải ngân (triệu đồng)"), million(total.disbursed), overview
        ),
        Stat(
            "funding-rate",
            _("Tỷ lệ giải ngân"),
            total.disbursement_rate,
            overview,
            "%",
        ),
    ]
    shown = [r for r in rows if any(r.figures.as_dict().values())]
    if shown:
        detail = _url(
            "funding:overview",
            ctx.unit.pk,
            year,
            on=on_date.isoformat() if on_date else "",
            detail=1,
        )
        panel.charts.append(
            Chart(
                key="funding-sources",
                title=_("Vốn theo nguồn và tỷ lệ giải ngân, năm %(y)s") % {"y": year},
                kind=BAR,
                category_label=_("Nguồn vốn"),
                categories=[r.source.name for r in shown],
                series=[
                    Series(
                        _("Kế hoạch, nhu cầu"),
                        [million(r.figures.planned) for r in shown],
                        [detail] * len(shown),
                        color="#adb5bd",
                    ),
                    Series(
                        _("Đã giao"),
                        [million(r.figures.allocated) for r in shown],
                        [detail] * len(shown),
                        color="#0d6efd",
                    ),
                    Series(
                        _("Đã giải ngân"),
                        [million(r.figures.disbursed) for r in shown],
                        [detail] * len(shown),
                        color="#198754",
                    ),
                    Series(
                        _("Tỷ lệ giải ngân (%)"),
                        [r.figures.disbursement_rate for r in shown],
                        [detail] * len(shown),
                        kind=LINE,
                        axis=1,
                        color="#dc3545",
                    ),
                ],
                unit_label=_("triệu đồng"),
                axis_labels=(_("triệu đồng"), "%"),
            )
        )
    panel.illustrative = funding.has_illustrative(ctx.unit, year)
    panel.note = _(
        "Số của đơn vị và các đơn vị trực thuộc; tỷ lệ giải ngân = đã giải ngân / đã giao."
    )
    return panel


# --- Overdue tasks -------------------------------------------------------------------------------


def tasks_panel(ctx: Context) -> Panel | None:
    if not permissions.can_view_plans(ctx.user, ctx.unit):
        return None
    from nongthon.plans import queries as plans

    tasks = list(plans.tasks_under(ctx.unit))
    lists = plans.due_lists(tasks, ctx.on)
    office = _url("plans:office", ctx.unit.pk, on=ctx.vn)
    panel = Panel(
        key="tasks",
        title=_("Nhiệm vụ"),
        more_url=office,
        stats=[
            Stat(
                "tasks-overdue",
                _("Quá hạn"),
                len(lists.overdue),
                office,
                css="danger" if lists.overdue else "",
            ),
            Stat(
                "tasks-due-soon",
                _("Đến hạn trong %(n)s ngày") % {"n": plans.DUE_SOON_DAYS},
                len(lists.due_soon),
                office,
            ),
        ],
    )
    late = [row for row in plans.scorecard(tasks, ctx.on) if row.overdue]
    late.sort(key=lambda row: (-row.overdue, row.label))
    if late:
        late = late[:TOP_BARS]
        panel.charts.append(
            Chart(
                key="tasks-overdue",
                title=_("Nhiệm vụ quá hạn theo cơ quan chủ trì, ngày %(d)s") % {"d": ctx.vn},
                kind=BAR_HORIZONTAL,
                category_label=_("Cơ quan chủ trì"),
                categories=[row.label for row in late],
                series=[
                    Series(
                        _("Quá hạn"),
                        [row.overdue for row in late],
                        [
                            _url("plans:agency", row.agency.pk, on=ctx.vn) if row.agency else office
                            for row in late
                        ],
                        color="#dc3545",
                    )
                ],
                unit_label=_("nhiệm vụ"),
            )
        )
    panel.rows = [
        ListRow(
            occ.task.content,
            reverse("plans:task", args=[occ.task.pk]),
            occ.task.owner_label,
            _("hạn %(d)s") % {"d": occ.due.strftime("%d/%m/%Y")},
            "danger",
        )
        for occ in lists.overdue[:TOP_LIST]
    ]
    panel.rows_title = _("Quá hạn lâu nhất")
    panel.illustrative = any(t.illustrative for t in tasks)
    if not tasks:
        panel.empty = _("Chưa có nhiệm vụ nào của đơn vị và cấp dưới.")
    return panel


# --- Reports -------------------------------------------------------------------------------------


def reporting_panel(ctx: Context) -> Panel | None:
    """Completeness and timeliness of the reports owed under the unit for the periods due in
    the 12 months before the date (the reporting module's own summary and missing-list page)."""
    if not permissions.can_view_reports(ctx.user, ctx.unit):
        return None
    from nongthon.reporting import queries as reporting

    summary = reporting.reporting_summary(ctx.unit, ctx.on, limit=TOP_LIST)

    def missing_url(state: str = "") -> str:
        return _url(
            "reporting:missing",
            ctx.unit.pk,
            on=ctx.iso,
            since=summary.since.isoformat(),
            state=state,
        )

    window = {"a": summary.since.strftime("%d/%m/%Y"), "b": ctx.vn}
    reports_url = _url("reporting:unit", ctx.unit.pk, on=ctx.iso)
    panel = Panel(
        key="reports",
        title=_("Báo cáo định kỳ"),
        more_url=reports_url,
        stats=[
            Stat("reports-expected", _("Phải nộp"), summary.expected, missing_url()),
            Stat("reports-on-time", _("Đúng hạn"), summary.on_time, reports_url),
            Stat(
                "reports-late",
                _("Nộp muộn"),
                summary.late,
                missing_url(reporting.LATE),
                css="warning" if summary.late else "",
            ),
            Stat(
                "reports-missing",
                _("Chưa nộp"),
                summary.missing,
                missing_url(reporting.MISSING),
                css="danger" if summary.missing else "",
            ),
            Stat(
                "reports-completeness",
                _("Tỷ lệ đã nộp"),
                _one_decimal(summary.completeness),
                missing_url(),
                suffix="%",
            ),
            Stat(
                "reports-timeliness",
                _("Tỷ lệ đúng hạn"),
                _one_decimal(summary.timeliness),
                missing_url(),
                suffix="%",
            ),
        ],
        note=_("Kỳ báo cáo có hạn nộp từ %(a)s đến trước %(b)s.") % window,
    )
    if not summary.expected:
        panel.empty = _("Không có kỳ báo cáo nào đến hạn trong 12 tháng trước ngày %(d)s.") % {
            "d": ctx.vn
        }
        return panel
    states = [
        (_("Đúng hạn"), summary.on_time, "", "#198754"),  # no list of its own: the reports page
        (_("Nộp muộn"), summary.late, reporting.LATE, "#fd7e14"),
        (_("Chưa nộp"), summary.missing, reporting.MISSING, "#dc3545"),
    ]
    panel.charts.append(
        Chart(
            key="reports-states",
            title=_("Báo cáo phải nộp theo tình trạng, %(a)s – %(b)s") % window,
            kind=PIE,
            category_label=_("Tình trạng"),
            categories=[label for label, *_rest in states],
            series=[
                Series(
                    _("Báo cáo"),
                    [n for _label, n, *_rest in states],
                    [missing_url(state) if state else reports_url for _l, _n, state, _c in states],
                )
            ],
            category_colors=[color for *_rest, color in states],
            unit_label=_("báo cáo"),
        )
    )
    panel.rows = [
        ListRow(
            str(row.unit),
            missing_url(reporting.MISSING),
            str(row.period),
            _("hạn %(d)s") % {"d": row.deadline.strftime("%d/%m/%Y")},
            "danger",
        )
        for row in summary.missing_list
    ]
    panel.rows_title = _("Chưa nộp, hạn sớm nhất")
    panel.illustrative = any(p.illustrative for p in summary.periods)
    return panel


def _one_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- The dashboard -------------------------------------------------------------------------------

# One function per panel, in page order.
PANELS: list[Callable[[Context], Panel | None]] = [
    titles_panel,
    criteria_panel,
    plan_panel,
    ocop_panel,
    funding_panel,
    tasks_panel,
    reporting_panel,
]


def build(user: User, unit: Unit, on: dt.date) -> list[Panel]:
    ctx = Context(user, unit, on)
    return [panel for make in PANELS if (panel := make(ctx)) is not None]


def all_charts(panels: list[Panel]) -> list[Chart]:
    return [chart for panel in panels for chart in panel.charts]


def switcher(user: User, unit: Unit) -> list[tuple[str, list[Unit]]]:
    """The dashboards one click away: the user's own units, the way up to them, and the units
    directly under this one (districts of a province, communes of a district)."""
    own = permissions.dashboard_units(user)
    up = [u for u in unit.ancestors() if permissions.can_view_dashboard(user, u)]
    below = []
    if unit.level != Level.COMMUNE:
        below = list(Unit.objects.filter(parent=unit).order_by("code"))
    groups = [(_("Đơn vị của bạn"), own)]
    if up:
        groups.append((_("Cấp trên"), up))
    if below:
        groups.append((_("Trực thuộc"), below))
    return groups
