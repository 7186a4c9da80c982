"""Read side of the catalogue: which sets a user sees, a set laid out for its page, what changed
between versions, which agency answers for a criterion, and re-explaining a stored evaluation.

A stored version is turned back into the file model (SetData) by `dump_set`, so versions are
compared, and refinements are edited, with the same structure the YAML reader produces.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.catalogue.engine import SetResult, UnitFacts, evaluate, fmt_number
from nongthon.catalogue.files import (
    CriterionData,
    IndicatorData,
    SetData,
    ThresholdData,
)
from nongthon.catalogue.models import (
    CriteriaSet,
    Criterion,
    CriterionResponsibility,
    Indicator,
    IndicatorKind,
    SetStatus,
    Threshold,
)
from nongthon.places.models import Agency, Edition, Level, Region, Unit

SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "!=": "≠"}


# --- which sets, which provinces -------------------------------------------------------------


def set_edition(criteria_set: CriteriaSet | SetData) -> str:
    """The unit list a set's provinces come from (the rule store_set uses to find them)."""
    return Edition.PRE_2025 if criteria_set.period_to <= 2025 else Edition.Y2025


def user_provinces(user: User) -> list[Unit]:
    """The provinces the user's memberships lie in (the unit itself, or its province)."""
    ids = {
        m.unit.pk if m.unit.level == Level.PROVINCE else m.unit.province_id
        for m in user.memberships.select_related("unit")
    }
    return list(Unit.objects.filter(pk__in=ids - {None}).order_by("edition", "code"))


def manageable_provinces(user: User, edition: str | None = None):
    """Provinces whose refinements and responsibilities the user may change."""
    provinces = permissions.units_in_scope(user, roles=permissions.CATALOGUE_MANAGER_ROLES).filter(
        level=Level.PROVINCE
    )
    if edition:
        provinces = provinces.filter(edition=edition)
    return provinces.order_by("edition", "code")


def province_for(user: User, criteria_set: CriteriaSet) -> Unit | None:
    """The province whose responsibilities a set's page shows: the set's own, else the user's."""
    if criteria_set.province_id:
        return criteria_set.province
    edition = set_edition(criteria_set)
    return next((p for p in user_provinces(user) if p.edition == edition), None)


def period_choices() -> list[tuple[str, str]]:
    periods = CriteriaSet.objects.values_list("period_from", "period_to").distinct()
    return [(f"{a}-{b}", f"{a}–{b}") for a, b in sorted(set(periods))]


def visible_sets(
    user: User, *, level: str = "", tier: str = "", period: str = ""
) -> list[CriteriaSet]:
    """The current version of each national set and of the user's provinces' refinements."""
    sets = CriteriaSet.objects.select_related("province", "refines")
    if not permissions.is_system_admin(user):
        provinces = [p.pk for p in user_provinces(user)]
        sets = sets.filter(Q(province__isnull=True) | Q(province__in=provinces))
    if level:
        sets = sets.filter(level=level)
    if tier:
        sets = sets.filter(tier=tier)
    start, _sep, end = period.partition("-")
    if start.isascii() and start.isdigit() and end.isascii() and end.isdigit():
        sets = sets.filter(period_from=int(start), period_to=int(end))
    versions = dict(
        CriteriaSet.objects.values("code").annotate(n=Count("pk")).values_list("code", "n")
    )
    # One row per code: the active version, or the newest one when none is active.
    current: dict[str, CriteriaSet] = {}
    for s in sets.order_by("code", "-version"):
        s.n_versions = versions[s.code]
        kept = current.get(s.code)
        if kept is None or (s.status == SetStatus.ACTIVE and kept.status != SetStatus.ACTIVE):
            current[s.code] = s
    return sorted(
        current.values(),
        key=lambda s: (-s.period_from, s.level, s.province_id is not None, s.family, s.code),
    )


def active_version(code: str) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(code=code, status=SetStatus.ACTIVE).first()


def national_reference(criteria_set: CriteriaSet) -> CriteriaSet | None:
    """The national set a refinement must stay at least as strict as: its active version."""
    if criteria_set.refines_id is None:
        return None
    return active_version(criteria_set.refines.code) or criteria_set.refines


# --- a stored version as the file model -------------------------------------------------------


def plain_decimal(value: Decimal | None) -> Decimal | None:
    """80.0000 (as stored) -> 80, 80.5000 -> 80.5: the value a YAML file would have given."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def dump_set(criteria_set: CriteriaSet) -> SetData:
    """A stored version as SetData (criteria, indicators, thresholds in the order written)."""
    s = criteria_set
    thresholds = Prefetch("thresholds", queryset=Threshold.objects.order_by("pk"))
    by_criterion: dict[int, list[Indicator]] = defaultdict(list)
    for i in (
        Indicator.objects.filter(criterion__criteria_set=s)
        .order_by("order", "pk")
        .prefetch_related(thresholds)
    ):
        by_criterion[i.criterion_id].append(i)
    data = SetData(
        code=s.code,
        family=s.family,
        name=s.name,
        level=s.level,
        tier=s.tier,
        period_from=s.period_from,
        period_to=s.period_to,
        basis_number=s.basis_number,
        basis_date=s.basis_date,
        basis_article=s.basis_article,
        basis_issuer=s.basis_issuer,
        basis_note=s.basis_note,
        refines=s.refines.code if s.refines_id else "",
        province=s.province.code if s.province_id else "",
        region_overrides=[dict(r) for r in s.region_overrides],
        notes=s.notes,
    )
    for c in Criterion.objects.filter(criteria_set=s).order_by("pk"):
        criterion = CriterionData(
            number=c.number,
            name=c.name,
            group=c.group,
            is_key=c.is_key,
            min_met=c.min_met,
            note=c.note,
        )
        for i in by_criterion[c.pk]:
            indicator = IndicatorData(
                code=i.code,
                name=i.name,
                kind=i.kind,
                unit=i.unit_of_measure,
                categories=list(i.categories),
                note=i.note,
                name_verified=i.name_verified,
            )
            indicator.thresholds = [
                ThresholdData(
                    comparator=t.comparator,
                    value=plain_decimal(t.value),
                    categories=list(t.categories),
                    region=t.region,
                    group=t.commune_group,
                    year=t.year,
                    source=t.source,
                    status=t.status,
                )
                for t in i.thresholds.all()
            ]
            criterion.indicators.append(indicator)
        data.criteria.append(criterion)
    return data


# --- words for thresholds ---------------------------------------------------------------------


def region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


def rule_text(comparator: str, value: Decimal | None, categories: list[str], unit: str) -> str:
    """ "≥ 80%", "Đạt", "một trong «A», «B»": numbers the Vietnamese way."""
    if comparator == "yes":
        return _("Đạt")
    if comparator == "in":
        return _("một trong %s") % ", ".join(f"«{c}»" for c in categories)
    shown = fmt_number(value, unit) if value is not None else "?"
    return f"{SYMBOLS.get(comparator, comparator)} {shown}"


def threshold_text(t: ThresholdData, unit: str) -> str:
    return rule_text(t.comparator, t.value, t.categories, unit)


def scope_text(region: str, group: int | None, year: int | None, names: dict[str, str]) -> str:
    """Where a threshold applies: "vùng Đồng bằng sông Cửu Long, năm 2023", or everywhere."""
    parts = []
    if region:
        parts.append(_("vùng %s") % names.get(region, region))
    if group:
        parts.append(_("nhóm xã %s") % group)
    if year:
        parts.append(_("năm %s") % year)
    return ", ".join(parts) if parts else _("áp dụng chung")


# --- what changed -----------------------------------------------------------------------------


@dataclass
class Change:
    kind: str  # "added", "removed", "changed"
    text: str


def _key(t: ThresholdData) -> tuple:
    return (t.region, t.group, t.year)


def diff_sets(old: SetData, new: SetData, *, header: bool = True) -> list[Change]:
    """What `new` changes relative to `old`: criteria, indicators, thresholds (and the basis)."""
    names = region_names()
    changes: list[Change] = []
    if header:
        for label, a, b in (
            (_("Tên"), old.name, new.name),
            (_("Căn cứ"), old.basis_number, new.basis_number),
            (_("Ngày ban hành"), old.basis_date, new.basis_date),
            (_("Điều, phụ lục"), old.basis_article, new.basis_article),
        ):
            if a != b:
                changes.append(Change("changed", f"{label}: {a or '—'} → {b or '—'}"))
    old_criteria = {c.number: c for c in old.criteria}
    new_criteria = {c.number: c for c in new.criteria}
    for number, c in new_criteria.items():
        if number not in old_criteria:
            changes.append(
                Change("added", _("Thêm tiêu chí %(n)s. %(name)s") % {"n": number, "name": c.name})
            )
    for number, c in old_criteria.items():
        if number not in new_criteria:
            changes.append(
                Change("removed", _("Bỏ tiêu chí %(n)s. %(name)s") % {"n": number, "name": c.name})
            )
            continue
        changes += _criterion_changes(c, new_criteria[number])
    old_indicators = {i.code: (c, i) for c in old.criteria for i in c.indicators}
    new_indicators = {i.code: (c, i) for c in new.criteria for i in c.indicators}
    for code, (c, i) in new_indicators.items():
        if code not in old_indicators:
            rules = "; ".join(
                f"{scope_text(t.region, t.group, t.year, names)}: {threshold_text(t, i.unit)}"
                for t in i.thresholds
            )
            text = _("Thêm chỉ tiêu %(code)s «%(name)s» vào tiêu chí %(n)s") % {
                "code": code,
                "name": i.name,
                "n": c.number,
            }
            changes.append(Change("added", f"{text}" + (f" ({rules})" if rules else "")))
    for code, (_c, i) in old_indicators.items():
        if code not in new_indicators:
            changes.append(
                Change(
                    "removed", _("Bỏ chỉ tiêu %(code)s «%(name)s»") % {"code": code, "name": i.name}
                )
            )
            continue
        changes += _indicator_changes(i, new_indicators[code][1], names)
    return changes


def _criterion_changes(a: CriterionData, b: CriterionData) -> list[Change]:
    changes = []
    if a.name != b.name:
        changes.append(
            Change(
                "changed",
                _("Tiêu chí %(n)s: tên «%(a)s» → «%(b)s»")
                % {"n": a.number, "a": a.name, "b": b.name},
            )
        )
    if a.is_key != b.is_key:
        text = (
            _("Tiêu chí %s: nay là tiêu chí then chốt")
            if b.is_key
            else _("Tiêu chí %s: không còn là tiêu chí then chốt")
        )
        changes.append(Change("changed", text % a.number))
    if a.min_met != b.min_met:
        every = _("tất cả")
        changes.append(
            Change(
                "changed",
                _("Tiêu chí %(n)s: số chỉ tiêu phải đạt %(a)s → %(b)s")
                % {"n": a.number, "a": a.min_met or every, "b": b.min_met or every},
            )
        )
    return changes


def _indicator_changes(a: IndicatorData, b: IndicatorData, names: dict[str, str]) -> list[Change]:
    changes = []
    for label, x, y in (
        (_("tên"), a.name, b.name),
        (_("loại"), IndicatorKind(a.kind).label, IndicatorKind(b.kind).label),
        (_("đơn vị tính"), a.unit, b.unit),
    ):
        if x != y:
            changes.append(
                Change(
                    "changed",
                    _("Chỉ tiêu %(code)s: %(what)s «%(a)s» → «%(b)s»")
                    % {"code": a.code, "what": label, "a": x, "b": y},
                )
            )
    before = {_key(t): t for t in a.thresholds}
    after = {_key(t): t for t in b.thresholds}
    for key, t in after.items():
        scope = scope_text(*key, names)
        old = before.get(key)
        now = threshold_text(t, b.unit)
        values = {"code": b.code, "scope": scope, "now": now, "source": t.source}
        if old is None:
            changes.append(
                Change(
                    "added",
                    _("Chỉ tiêu %(code)s, %(scope)s: thêm ngưỡng %(now)s (%(source)s)") % values,
                )
            )
        elif threshold_text(old, a.unit) != now or old.source != t.source:
            values["was"] = threshold_text(old, a.unit)
            changes.append(
                Change(
                    "changed",
                    _("Chỉ tiêu %(code)s, %(scope)s: %(was)s → %(now)s (%(source)s)") % values,
                )
            )
    for key, t in before.items():
        if key not in after:
            changes.append(
                Change(
                    "removed",
                    _("Chỉ tiêu %(code)s, %(scope)s: bỏ ngưỡng %(was)s")
                    % {
                        "code": a.code,
                        "scope": scope_text(*key, names),
                        "was": threshold_text(t, a.unit),
                    },
                )
            )
    return changes


@dataclass
class VersionRow:
    criteria_set: CriteriaSet
    evaluations: int
    note_lines: list[str]
    changes: list[Change] = field(default_factory=list)


def set_versions(criteria_set: CriteriaSet) -> list[VersionRow]:
    """Every version of the set's code, newest first, each with what changed since the one
    before it and the change note (the legal basis of each change)."""
    versions = list(
        CriteriaSet.objects.filter(code=criteria_set.code)
        .select_related("created_by")
        .annotate(n_evaluations=Count("evaluations"))
        .order_by("version")
    )
    rows = []
    previous: SetData | None = None
    for v in versions:
        data = dump_set(v)
        rows.append(
            VersionRow(
                criteria_set=v,
                evaluations=v.n_evaluations,
                note_lines=[line for line in v.change_note.splitlines() if line.strip()],
                changes=diff_sets(previous, data) if previous is not None else [],
            )
        )
        previous = data
    return list(reversed(rows))


def differences_from_national(criteria_set: CriteriaSet) -> list[Change] | None:
    """What a province's set changes relative to the national set it refines."""
    national = national_reference(criteria_set)
    if national is None:
        return None
    return diff_sets(dump_set(national), dump_set(criteria_set), header=False)


# --- the set laid out for its page ------------------------------------------------------------


@dataclass
class ThresholdRow:
    region: str
    group: int | None
    year: int | None
    scope: str
    rule: str
    source: str
    status: str
    removable: bool


@dataclass
class IndicatorRow:
    indicator: Indicator
    thresholds: list[ThresholdRow]

    @property
    def judged_by_hand(self) -> bool:
        return not self.thresholds


@dataclass
class CriterionRow:
    criterion: Criterion
    indicators: list[IndicatorRow]
    responsibility: CriterionResponsibility | None = None


@dataclass
class GroupRow:
    name: str
    criteria: list[CriterionRow]


def set_layout(criteria_set: CriteriaSet, province: Unit | None = None) -> list[GroupRow]:
    """Criteria grouped as the decision groups them; each indicator with its thresholds, and
    each criterion with the agency `province` made responsible for it."""
    names = region_names()
    provincial_set = criteria_set.province_id is not None
    indicators: dict[int, list[IndicatorRow]] = defaultdict(list)
    for i in (
        Indicator.objects.filter(criterion__criteria_set=criteria_set)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("thresholds", queryset=Threshold.objects.order_by("pk")))
    ):
        rows = [
            ThresholdRow(
                region=t.region,
                group=t.commune_group,
                year=t.year,
                scope=scope_text(t.region, t.commune_group, t.year, names),
                rule=rule_text(
                    t.comparator, plain_decimal(t.value), t.categories, i.unit_of_measure
                ),
                source=t.source,
                status=t.status,
                removable=provincial_set and t.status == Threshold.Status.PROVINCIAL,
            )
            for t in i.thresholds.all()
        ]
        indicators[i.criterion_id].append(IndicatorRow(i, rows))
    assigned = responsibilities(province, criteria_set.family) if province else {}
    groups: list[GroupRow] = []
    for c in Criterion.objects.filter(criteria_set=criteria_set).order_by("number"):
        row = CriterionRow(c, indicators[c.pk], assigned.get(c.number))
        if groups and groups[-1].name == c.group:
            groups[-1].criteria.append(row)
        else:
            groups.append(GroupRow(c.group, [row]))
    return groups


# --- responsibility ---------------------------------------------------------------------------


def responsible_agency(province: Unit, family: str, criterion_number: int) -> Agency | None:
    """The agency of `province` that answers for a criterion of a set family, if assigned."""
    row = (
        CriterionResponsibility.objects.select_related("agency")
        .filter(province=province, family=family, criterion_number=criterion_number)
        .first()
    )
    return row.agency if row else None


def responsibilities(province: Unit, family: str) -> dict[int, CriterionResponsibility]:
    return {
        r.criterion_number: r
        for r in CriterionResponsibility.objects.select_related("agency").filter(
            province=province, family=family
        )
    }


def family_criteria(province: Unit, family: str) -> list[Criterion]:
    """The criteria of a family as the province applies them: its own set, else the national."""
    sets = CriteriaSet.objects.filter(family=family, status=SetStatus.ACTIVE).filter(
        Q(province=province) | Q(province__isnull=True)
    )
    chosen = sorted(sets, key=lambda s: s.province_id is None)
    if not chosen:
        return []
    return list(chosen[0].criteria.order_by("number"))


def assignable_agencies(province: Unit):
    """The province's own current agencies: departments, the coordination office and the like
    (district offices and commune committees belong to other units)."""
    return Agency.objects.current().filter(unit=province).order_by("kind", "name")


# --- explaining a stored evaluation again -----------------------------------------------------


def reexplain(evaluation) -> SetResult:
    """Run the engine again on the version the evaluation used, with the unit's values and
    facts as they are now: the reasons read against that version's thresholds."""
    from nongthon.assessment.evaluation import value_in
    from nongthon.assessment.models import IndicatorValue, UnitProfile
    from nongthon.catalogue.specs import spec_for

    s = evaluation.criteria_set
    unit = evaluation.unit
    profile = UnitProfile.objects.filter(unit=unit, year=evaluation.year).first()
    region = unit.effective_region()
    facts = UnitFacts(
        year=evaluation.year,
        region=region.code if region else None,
        group=profile.commune_group if profile else None,
        flags=frozenset(profile.flags) if profile else frozenset(),
        region_names=region_names(),
    )
    values = {
        v.indicator_code: value_in(v)
        for v in IndicatorValue.objects.filter(unit=unit, year=evaluation.year, family=s.family)
    }
    return evaluate(spec_for(s), facts, values)
