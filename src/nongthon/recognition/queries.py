"""Reads of recognition that pages, plans and reporting share: titles held at a date, titles
granted in a year, counts by tier / year / district, district and province conditions computed
from the titles of the units below, and the yearly maintenance review.

A title is held on day D when its decision is dated on or before D and it had not ended by D.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from nongthon.assessment.models import Evaluation
from nongthon.catalogue.models import Tier
from nongthon.places.models import Level, Unit, UnitKind
from nongthon.recognition.models import Title, TitleStatus
from nongthon.recognition.revocation import Verdict, criteria_rule, district_communes_rule
from nongthon.recognition.rules import rules


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


# --- Titles ---------------------------------------------------------------------------------


def titles_held(root: Unit, on_date: dt.date, tier: str | None = None) -> QuerySet[Title]:
    """Titles held on `on_date` by `root` and the units of its subtree (optionally one tier)."""
    titles = Title.objects.filter(
        unit__in=Unit.objects.subtree(root), decision__date__lte=on_date
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on_date))
    if tier:
        titles = titles.filter(tier=tier)
    return titles.select_related("unit", "unit__district", "decision", "criteria_set")


def count_titles_held(root: Unit, on_date: dt.date, level: str = Level.COMMUNE) -> dict[str, int]:
    """{tier: number of units of `level` under `root` holding it on `on_date`}."""
    counts = Counter(
        titles_held(root, on_date).filter(unit__level=level).values_list("tier", flat=True)
    )
    return {tier: counts.get(tier, 0) for tier in Tier.values}


def titles_granted(root: Unit, year: int, tier: str | None = None) -> QuerySet[Title]:
    """Titles whose recognition decision is dated in `year` (whatever happened to them later)."""
    titles = Title.objects.filter(unit__in=Unit.objects.subtree(root), decision__date__year=year)
    if tier:
        titles = titles.filter(tier=tier)
    return titles.select_related("unit", "unit__district", "decision")


def titles_granted_to(
    units: list[int], year: int, tier: str, on_date: dt.date | None = None
) -> dict[int, Title]:
    """{unit id: title} for the named units recognised at `tier` by a decision dated in `year`
    (and on or before `on_date`): "Công nhận thêm 03 xã đạt chuẩn: A, B, C"."""
    titles = Title.objects.filter(unit_id__in=units, tier=tier, decision__date__year=year)
    if on_date is not None:
        titles = titles.filter(decision__date__lte=on_date)
    found: dict[int, Title] = {}
    for title in titles.select_related("decision").order_by("decision__date", "pk"):
        found.setdefault(title.unit_id, title)  # the first decision of the year counts
    return found


def titled_units(root: Unit, on_date: dt.date, tier: str, level: str) -> QuerySet[Title]:
    """Titles of `tier` held on `on_date` by the units of `level` under `root` (the xã for
    communes: the QĐ 263 denominator), one per unit."""
    titles = titles_held(root, on_date, tier).filter(unit__level=level)
    if level == Level.COMMUNE:
        titles = titles.filter(unit__kind=UnitKind.XA)
    return titles.order_by("unit__code")


def units_counted(root: Unit, level: str) -> QuerySet[Unit]:
    """The denominator of a share of titled units: the xã, or the districts, under `root`."""
    if level == Level.COMMUNE:
        return rural_communes(root)
    return Unit.objects.subtree(root).filter(level=level)


def unit_title(unit: Unit, tier: str, on_date: dt.date) -> Title | None:
    """The title of `tier` the unit itself holds on `on_date`, if any."""
    return titles_held(unit, on_date, tier).filter(unit=unit).order_by("decision__date").first()


def titles_lost(root: Unit, tiers: list[str], since: dt.date, on_date: dt.date) -> list[Title]:
    """Titles of `tiers` under `root` held on `since` and revoked by `on_date` (a supersession
    or a merger carries the title on: not a loss)."""
    held = titles_held(root, since).filter(tier__in=tiers).values("pk")
    return list(
        Title.objects.filter(
            pk__in=held, status=TitleStatus.REVOKED, ended_on__lte=on_date
        ).select_related("unit", "unit__district", "decision", "end_decision")
    )


def counts_granted_by_year(root: Unit, level: str = Level.COMMUNE) -> dict[int, dict[str, int]]:
    """{year: {tier: titles granted that year}} for units of `level` under `root`."""
    rows: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Tier.values, 0))
    for year, tier in Title.objects.filter(
        unit__in=Unit.objects.subtree(root), unit__level=level
    ).values_list("decision__date__year", "tier"):
        rows[year][tier] += 1
    return dict(sorted(rows.items()))


@dataclass
class DistrictCount:
    district: Unit
    communes: int
    counts: dict[str, int]


def counts_by_district(root: Unit, on_date: dt.date) -> list[DistrictCount]:
    """Per district of a province (or the district itself): xã, and xã holding each tier."""
    districts = (
        [root]
        if root.level == Level.DISTRICT
        else list(Unit.objects.filter(parent=root, level=Level.DISTRICT).order_by("code"))
    )
    xa = Counter(
        Unit.objects.subtree(root)
        .filter(level=Level.COMMUNE, kind=UnitKind.XA)
        .values_list("district_id", flat=True)
    )
    held: dict[int, Counter] = defaultdict(Counter)
    for district_id, tier in (
        titles_held(root, on_date)
        .filter(unit__level=Level.COMMUNE)
        .values_list("unit__district_id", "tier")
    ):
        held[district_id][tier] += 1
    return [
        DistrictCount(d, xa.get(d.pk, 0), {t: held[d.pk].get(t, 0) for t in Tier.values})
        for d in districts
    ]


def rural_communes(root: Unit) -> QuerySet[Unit]:
    """The xã under `root` (the denominator of QĐ 263 / 320 / 321 commune shares)."""
    return Unit.objects.subtree(root).filter(level=Level.COMMUNE, kind=UnitKind.XA)


# --- District and province conditions -------------------------------------------------------


@dataclass
class ConditionStatus:
    code: str
    text: str
    met: bool | None  # None: not computed from data here
    detail: str
    holders: list[Unit] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)
    note: str = ""


@dataclass
class ConditionsReport:
    unit: Unit
    on_date: dt.date
    title: str
    basis: str
    conditions: list[ConditionStatus]

    @property
    def all_met(self) -> bool:
        return all(c.met is True for c in self.conditions)


def _ruleset_for(unit: Unit) -> tuple[str, str] | None:
    if unit.level == Level.PROVINCE:
        return "province_hoan_thanh", _("Tỉnh hoàn thành nhiệm vụ xây dựng nông thôn mới")
    if unit.level == Level.DISTRICT and unit.kind == UnitKind.HUYEN:
        return "district_ntm", _("Huyện đạt chuẩn nông thôn mới")
    if unit.level == Level.DISTRICT and unit.kind in (UnitKind.THI_XA, UnitKind.THANH_PHO):
        return "town_hoan_thanh", _("Thị xã, thành phố hoàn thành nhiệm vụ xây dựng NTM")
    return None


def _evaluated(
    unit: Unit, year: int, family: str, criterion: int | None
) -> tuple[bool | None, str]:
    evaluation = (
        Evaluation.objects.filter(unit=unit, year=year, criteria_set__family=family)
        .order_by("-criteria_set__version")
        .first()
    )
    if evaluation is None:
        return None, _("Chưa có kết quả đánh giá năm %(y)s (%(f)s).") % {"y": year, "f": family}
    if criterion is None:
        return evaluation.all_met, _("Đạt %(m)s/%(t)s tiêu chí (năm %(y)s).") % {
            "m": evaluation.met_count,
            "t": evaluation.total,
            "y": year,
        }
    row = evaluation.criterion_results.filter(criterion_number=criterion).first()
    if row is None:
        return None, _("Không có kết quả tiêu chí %s.") % criterion
    return row.status == "met", row.reason


def conditions_report(unit: Unit, on_date: dt.date) -> ConditionsReport | None:
    """QĐ 320 / QĐ 321 conditions of a district, town or province, computed from the titles its
    units hold on `on_date` (each with the lists behind it); the rest from stored evaluations or
    marked as judged outside the system."""
    chosen = _ruleset_for(unit)
    if chosen is None:
        return None
    key, title = chosen
    data = rules()[key]
    held = {(t.unit_id, t.tier) for t in titles_held(unit, on_date) if t.unit_id != unit.pk}
    below = list(Unit.objects.subtree(unit, include_self=False).order_by("code"))
    out = []
    for c in data["conditions"]:
        if c.get("of"):
            level = Level.COMMUNE if c["of"] == ["xa"] else Level.DISTRICT
            counted = [u for u in below if u.level == level and u.kind in c["of"]]
            holders = [u for u in counted if (u.pk, c["tier"]) in held]
            missing = [u for u in counted if (u.pk, c["tier"]) not in held]
            share = Fraction(len(holders), len(counted)) if counted else Fraction(0)
            met = bool(counted) and share >= Fraction(c["share_min"], 100)
            pct = f"{float(share * 100):.1f}".replace(".", ",")
            detail = _("%(h)s/%(n)s (%(p)s%%; yêu cầu ≥%(m)s%%)") % {
                "h": len(holders),
                "n": len(counted),
                "p": pct,
                "m": c["share_min"],
            }
            if not counted:
                detail = _("Không có đơn vị nào thuộc loại này.")
            out.append(ConditionStatus(c["code"], c["text"], met, detail, holders, missing))
        elif c.get("evaluation_family"):
            met, detail = _evaluated(unit, on_date.year, c["evaluation_family"], c.get("criterion"))
            out.append(ConditionStatus(c["code"], c["text"], met, detail))
        else:
            out.append(
                ConditionStatus(
                    c["code"],
                    c["text"],
                    None,
                    _("Không tính từ dữ liệu xã: đánh giá thủ công khi xét."),
                    note=c.get("note", ""),
                )
            )
    return ConditionsReport(unit, on_date, title, data["basis"], out)


def condition_status(unit: Unit, on_date: dt.date) -> dict[str, bool | None]:
    """{condition code: met} for a district or province (for plans and reports)."""
    report = conditions_report(unit, on_date)
    return {c.code: c.met for c in report.conditions} if report else {}


# --- Maintenance review ---------------------------------------------------------------------

REVIEW = "review"
REVOKE = "revoke"
MISSING = "missing"


@dataclass
class ReviewRow:
    title: Title
    status: str  # REVIEW ("cần rà soát"), REVOKE ("đề xuất thu hồi"), MISSING (no evaluation)
    reason: str
    evaluation: Evaluation | None = None
    verdict: Verdict | None = None

    @property
    def label(self) -> str:
        return {
            REVIEW: _("Cần rà soát"),
            REVOKE: _("Đề xuất thu hồi"),
            MISSING: _("Chưa có kết quả đánh giá"),
        }[self.status]


def _latest_evaluations(units: list[int], year: int, families: set[str]) -> dict:
    found: dict[tuple[int, str], Evaluation] = {}
    for e in (
        Evaluation.objects.filter(unit_id__in=units, year=year, criteria_set__family__in=families)
        .select_related("criteria_set")
        .prefetch_related("criterion_results")
        .order_by("criteria_set__version")
    ):
        found[(e.unit_id, e.criteria_set.family)] = e  # the highest version wins
    return found


def _failing(evaluation: Evaluation) -> list[tuple[str, bool]]:
    names = {c["number"]: c["name"] for c in evaluation.result.get("criteria", [])}
    return [
        (f"{c.criterion_number}. {names.get(c.criterion_number, '')}".strip(), c.is_key)
        for c in sorted(evaluation.criterion_results.all(), key=lambda c: c.criterion_number)
        if c.status != "met"
    ]


def maintenance_review(root: Unit, year: int, include_missing: bool = False) -> list[ReviewRow]:
    """Every title held at the end of `year` under `root`, checked against the set in force that
    year: titles granted under the 2016-2020 set that do not yet meet the 2021-2025 set, and
    titles whose unit fell below (QĐ 18/2022 rule) are listed with the reason."""
    on = year_end(year)
    titles = list(titles_held(root, on).filter(unit__level__in=[Level.COMMUNE, Level.DISTRICT]))
    sets = rules()["maintenance_sets"]
    families = {f for per_level in sets.values() for f in per_level.values()}
    evaluations = _latest_evaluations([t.unit_id for t in titles], year, families)
    revoked_share = _revoked_communes(root, on)
    rows = []
    for title in titles:
        family = sets.get(title.unit.level, {}).get(title.tier)
        if family is None:
            continue
        evaluation = evaluations.get((title.unit_id, family))
        if title.unit.level == Level.DISTRICT:
            communes = revoked_share.get(title.unit_id)
            if communes:
                verdict = district_communes_rule(*communes)
                if verdict.due:
                    rows.append(ReviewRow(title, REVOKE, verdict.reason, evaluation, verdict))
                    continue
        if evaluation is None:
            if include_missing:
                rows.append(ReviewRow(title, MISSING, _("Chưa có kết quả đánh giá năm %s.") % year))
            continue
        if evaluation.all_met:
            continue
        failing = _failing(evaluation)
        level = "district" if title.unit.level == Level.DISTRICT else "commune"
        verdict = criteria_rule(failing, evaluation.total, level)
        if verdict.due:
            rows.append(ReviewRow(title, REVOKE, verdict.reason, evaluation, verdict))
            continue
        legacy = title.criteria_set is None or title.criteria_set.period_to < 2021
        if legacy:
            reason = _(
                "Công nhận theo bộ tiêu chí giai đoạn 2016-2020, chưa đạt bộ tiêu chí 2021-2025: "
                "đạt %(m)s/%(t)s; chưa đạt %(list)s"
            )
        else:
            reason = _("Không duy trì đủ tiêu chí: đạt %(m)s/%(t)s; chưa đạt %(list)s")
        reason = reason % {
            "m": evaluation.met_count,
            "t": evaluation.total,
            "list": ", ".join(label for label, _key in failing),
        }
        rows.append(ReviewRow(title, REVIEW, f"{reason} ({verdict.reason})", evaluation, verdict))
    rows.sort(key=lambda r: (r.status != REVOKE, r.title.unit.code, r.title.tier))
    return rows


def _revoked_communes(root: Unit, on: dt.date) -> dict[int, tuple[int, int]]:
    """{district id: (xã whose title was revoked in 2021-2025 by `on`, xã)} for the rule R1."""
    pairs = set(
        Title.objects.filter(
            unit__in=rural_communes(root),
            status=TitleStatus.REVOKED,
            ended_on__lte=on,
            ended_on__year__gte=2021,
        ).values_list("unit_id", "unit__district_id")
    )
    revoked = Counter(district for _unit, district in pairs)
    xa = Counter(rural_communes(root).values_list("district_id", flat=True))
    return {d: (revoked.get(d, 0), n) for d, n in xa.items()}
