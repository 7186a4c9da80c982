"""Read side of the data-entry page: the governing set laid out by group and criterion, the
threshold that applies to this unit, the stored values with who entered them, evidence counts,
and the live verdicts of the pure engine over whatever values the page holds (stored or typed).

The entry page runs the engine itself: it shows verdicts of values not yet saved. Pages that
show saved results read stored evaluations instead (assessment.queries).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.accounts import permissions
from nongthon.assessment.evaluation import value_in
from nongthon.assessment.models import Evidence, Flag, IndicatorValue, UnitProfile
from nongthon.assessment.services import governing_set, indicator_index
from nongthon.catalogue import engine
from nongthon.catalogue.models import CriteriaSet, Criterion, Indicator, SetStatus, Tier
from nongthon.catalogue.specs import spec_for
from nongthon.places.models import Level, Region, Unit


def dom_id(code: str) -> str:
    """An HTML id fragment for an indicator code ("3.1" → "3_1"): dots would read as classes."""
    return re.sub(r"[^0-9A-Za-z_-]", "_", code)


# Bootstrap colour and label of each engine status.
VERDICTS = {
    engine.Status.MET: ("success", gettext_lazy("Đạt")),
    engine.Status.NOT_MET: ("danger", gettext_lazy("Chưa đạt")),
    engine.Status.MISSING: ("warning", gettext_lazy("Thiếu dữ liệu")),
}


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str

    @property
    def css(self) -> str:
        return VERDICTS.get(self.status, ("secondary", ""))[0]

    @property
    def label(self) -> str:
        return str(VERDICTS.get(self.status, ("", self.status))[1])


def _verdict(result) -> Verdict | None:
    return Verdict(str(result.status), result.reason) if result is not None else None


# --- The unit's facts ---------------------------------------------------------------------------


def unit_facts(unit: Unit, year: int) -> engine.UnitFacts:
    """Region from the province, commune group and flags from the unit's profile of the year."""
    region = unit.effective_region()
    profile = UnitProfile.objects.filter(unit=unit, year=year).first()
    return engine.UnitFacts(
        year=year,
        region=region.code if region else None,
        group=profile.commune_group if profile else None,
        flags=frozenset(profile.flags) if profile else frozenset(),
        region_names=dict(Region.objects.values_list("code", "name")),
    )


def _flag_label(code: str) -> str:
    return str(Flag(code).label) if code in Flag.values else code


def region_override_note(spec: engine.SetSpec, facts: engine.UnitFacts, as_of: dt.date) -> str:
    """ "áp dụng mức vùng TDMNPB theo QĐ 318/QĐ-TTg, Điều 1 (Xã đặc biệt khó khăn)", or ""."""
    region, why = engine.effective_region(spec, facts, as_of)
    if not why:
        return ""
    for rule in spec.region_overrides:
        hit = rule.flags & facts.flags
        if hit and as_of >= rule.since and rule.region == region:
            return _("áp dụng mức vùng %(region)s theo %(source)s (%(flags)s)") % {
                "region": rule.region,
                "source": rule.source or spec.basis,
                "flags": ", ".join(_flag_label(f) for f in sorted(hit)),
            }
    return why


# --- The threshold that applies ------------------------------------------------------------------

_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "!=": "≠"}


def threshold_rule(t: engine.ThresholdSpec, unit_of_measure: str) -> str:
    """ "≥ 80%", "Đạt", "một trong «A», «B»"."""
    if t.comparator == engine.Comparator.YES:
        return _("Đạt")
    if t.comparator == engine.Comparator.IN:
        return _("một trong %s") % ", ".join(f"«{v}»" for v in t.value or ())
    return f"{_SYMBOL[t.comparator]} {engine.fmt_number(t.value, unit_of_measure)}"


def threshold_context(t: engine.ThresholdSpec, facts: engine.UnitFacts, region: str | None) -> str:
    """Why this row applies: "vùng Đồng bằng sông Cửu Long · nhóm xã 2 · năm 2023 · source"."""
    parts = []
    if t.region:
        parts.append(_("vùng %s") % facts.region_names.get(region or "", region))
    if t.group:
        parts.append(_("nhóm xã %s") % t.group)
    if t.year:
        parts.append(_("năm %s") % t.year)
    if t.source:
        parts.append(t.source)
    return " · ".join(parts)


# --- The sheet ----------------------------------------------------------------------------------


@dataclass
class Row:
    indicator: Indicator
    spec: engine.IndicatorSpec
    threshold: engine.ThresholdSpec | None
    threshold_text: str
    threshold_context: str
    stored: IndicatorValue | None
    evidence_count: int = 0
    result: engine.IndicatorResult | None = None
    errors: list[str] = field(default_factory=list)
    form: object = None  # the row's form, set by the view

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def dom_id(self) -> str:
        return dom_id(self.indicator.code)

    @property
    def by_hand(self) -> bool:
        """No threshold applies to this unit: the verdict is given by hand."""
        return self.threshold is None

    @property
    def verdict(self) -> Verdict | None:
        return _verdict(self.result)


@dataclass
class Block:
    """One criterion with its indicator rows."""

    criterion: Criterion
    rows: list[Row]
    result: engine.CriterionResult | None = None

    @property
    def verdict(self) -> Verdict | None:
        return _verdict(self.result)


@dataclass
class Group:
    name: str
    blocks: list[Block]


@dataclass
class Sheet:
    unit: Unit
    year: int
    family: str
    criteria_set: CriteriaSet
    spec: engine.SetSpec
    facts: engine.UnitFacts
    region: str | None
    region_name: str
    region_note: str
    groups: list[Group]
    illustrative: bool
    result: engine.SetResult | None = None

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for b in g.blocks for r in b.rows]

    @property
    def blocks(self) -> list[Block]:
        return [b for g in self.groups for b in g.blocks]

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)

    def stored_values(self) -> dict[str, engine.ValueIn]:
        return {r.code: value_in(r.stored) for r in self.rows if r.stored is not None}

    def evaluate(self, values: dict[str, engine.ValueIn]) -> engine.SetResult:
        """Run the pure engine over `values` and put its verdicts on the rows; writes nothing."""
        result = engine.evaluate(self.spec, self.facts, values)
        by_number = {c.number: c for c in result.criteria}
        for block in self.blocks:
            block.result = by_number.get(block.criterion.number)
            by_code = {i.code: i for i in block.result.indicators} if block.result else {}
            for row in block.rows:
                row.result = by_code.get(row.code)
        self.result = result
        return result


def entry_sheet(unit: Unit, year: int, family: str) -> Sheet | None:
    """The governing set for the unit and year laid out for entry; None when none governs."""
    criteria_set = governing_set(unit, family, year)
    if criteria_set is None:
        return None
    spec = spec_for(criteria_set)
    facts = unit_facts(unit, year)
    as_of = dt.date(year, 12, 31)
    region, _why = engine.effective_region(spec, facts, as_of)
    indicators = indicator_index(criteria_set)
    criteria = {c.number: c for c in Criterion.objects.filter(criteria_set=criteria_set)}
    stored = {
        v.indicator_code: v
        for v in IndicatorValue.objects.filter(unit=unit, year=year, family=family).select_related(
            "entered_by"
        )
    }
    evidence = dict(
        Evidence.objects.filter(
            value__unit=unit, value__year=year, value__family=family, removed_at__isnull=True
        )
        .values("value__indicator_code")
        .annotate(n=Count("pk"))
        .values_list("value__indicator_code", "n")
    )
    groups: list[Group] = []
    for c in spec.criteria:
        criterion = criteria[c.number]
        rows = []
        for i in c.indicators:
            t = engine.select_threshold(i, region, facts.group, year)
            rows.append(
                Row(
                    indicator=indicators[i.code],
                    spec=i,
                    threshold=t,
                    threshold_text=threshold_rule(t, i.unit) if t else "",
                    threshold_context=threshold_context(t, facts, region) if t else "",
                    stored=stored.get(i.code),
                    evidence_count=evidence.get(i.code, 0),
                )
            )
        if not groups or groups[-1].name != criterion.group:
            groups.append(Group(criterion.group, []))
        groups[-1].blocks.append(Block(criterion, rows))
    return Sheet(
        unit=unit,
        year=year,
        family=family,
        criteria_set=criteria_set,
        spec=spec,
        facts=facts,
        region=region,
        region_name=facts.region_names.get(region or "", region or ""),
        region_note=region_override_note(spec, facts, as_of),
        groups=groups,
        illustrative=any(v.illustrative for v in stored.values()),
    )


# --- Which years and families ---------------------------------------------------------------------


@dataclass
class FamilyChoice:
    family: str
    label: str
    name: str


@dataclass
class YearChoice:
    year: int
    families: list[FamilyChoice]
    entered: set[str] = field(default_factory=set)  # families with values that year


def _family_label(s: CriteriaSet) -> str:
    return str(Tier(s.tier).label) if s.tier in Tier.values else s.name


def entry_choices(unit: Unit, today: dt.date | None = None) -> list[YearChoice]:
    """Years (newest first) with the set families that govern the unit then: within the unit's
    validity and not in the future. Two queries."""
    today = today or dt.date.today()
    province_id = unit.pk if unit.level == Level.PROVINCE else unit.province_id
    sets = CriteriaSet.objects.filter(status=SetStatus.ACTIVE, level=unit.level).filter(
        Q(province__isnull=True) | Q(province_id=province_id)
    )
    first = unit.valid_from.year if unit.valid_from else None
    last = min(unit.valid_to.year if unit.valid_to else today.year, today.year)
    by_year: dict[int, dict[str, CriteriaSet]] = {}
    # The province's own set governs its family: it is seen last and wins.
    for s in sorted(sets, key=lambda s: s.province_id is not None):
        for year in range(s.period_from, s.period_to + 1):
            if (first is None or year >= first) and year <= last:
                by_year.setdefault(year, {})[s.family] = s
    entered: dict[int, set[str]] = {}
    for year, family in (
        IndicatorValue.objects.filter(unit=unit).values_list("year", "family").distinct()
    ):
        entered.setdefault(year, set()).add(family)
    return [
        YearChoice(
            year,
            sorted(
                (FamilyChoice(f, _family_label(s), s.name) for f, s in by_year[year].items()),
                key=lambda c: (c.label, c.family),
            ),
            entered.get(year, set()),
        )
        for year in sorted(by_year, reverse=True)
    ]


def unit_links(user, unit: Unit) -> list[YearChoice]:
    """What the unit page lists under "Đánh giá tiêu chí": nothing for those who may not see."""
    if not permissions.can_view_values(user, unit):
        return []
    return entry_choices(unit)
