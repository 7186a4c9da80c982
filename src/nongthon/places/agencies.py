"""Agencies (cơ quan): the default set of a province, and the use cases that change agencies.

The default set is data (data/agencies.yaml, each list with its source). Creating it is
idempotent: an agency is matched on (unit, code), never deleted, never overwritten. Editing
keeps history (django-simple-history, with actor and reason) and refuses a concurrent edit
instead of overwriting it. An agency is never deleted: it ends (valid_to), optionally with a
successor, so the criteria and tasks it owned keep pointing at it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.places.models import Agency, AgencyKind, Edition, Level, Unit, UnitKind
from nongthon.places.text import clean_name, fold
from nongthon.web.history import changes_since

DATA_FILE = Path(__file__).parent / "data" / "agencies.yaml"
DEFAULT_REASON = "Danh mục cơ quan mặc định (places/data/agencies.yaml)"
CODE_MAX = Agency._meta.get_field("code").max_length
NAME_MAX = Agency._meta.get_field("name").max_length
SHORT_MAX = Agency._meta.get_field("short_name").max_length
BASIS_MAX = Agency._meta.get_field("basis").max_length
ONE_DAY = dt.timedelta(days=1)

# The word a unit's name starts with, as it reads inside an agency's name ("Ủy ban nhân dân xã").
KIND_WORD = {
    UnitKind.TINH: "tỉnh",
    UnitKind.THANH_PHO_TW: "thành phố",
    UnitKind.HUYEN: "huyện",
    UnitKind.QUAN: "quận",
    UnitKind.THI_XA: "thị xã",
    UnitKind.THANH_PHO: "thành phố",
    UnitKind.XA: "xã",
    UnitKind.PHUONG: "phường",
    UnitKind.THI_TRAN: "thị trấn",
    UnitKind.DAC_KHU: "đặc khu",
}


# ---------------------------------------------------------------------------------------------
# The default set (data)


@dataclass(frozen=True)
class AgencySpec:
    """One agency of the default set, its name still a template."""

    code: str
    name: str | dict[str, str]
    short_name: str | dict[str, str]
    kind: str
    only_kinds: tuple[str, ...] = ()

    def applies_to(self, unit: Unit) -> bool:
        return not self.only_kinds or unit.kind in self.only_kinds

    def render(self, unit: Unit) -> tuple[str, str]:
        return _fill(self.name, unit), _fill(self.short_name, unit)


@dataclass(frozen=True)
class MergerSpec:
    sources: tuple[str, ...]
    into_code: str
    into: AgencySpec | None  # None: an existing agency absorbs the others
    mirrors: str


@dataclass(frozen=True)
class DefaultSets:
    levels: dict[str, dict[str, list[AgencySpec]]]  # edition -> level -> specs
    mergers: list[MergerSpec]
    mergers_edition: str
    mergers_basis: str
    mergers_verified: bool


def _fill(template: str | dict[str, str], unit: Unit) -> str:
    if isinstance(template, dict):
        template = template.get(unit.kind, template["default"])
    word = KIND_WORD.get(unit.kind, "")
    name = unit.name[:1].lower() + unit.name[1:]
    return clean_name(template.format(cap=word, unit=name))


def _spec(raw: Mapping[str, Any], where: str) -> AgencySpec:
    missing = {"code", "name", "short_name", "kind"} - set(raw)
    if missing:
        raise ImproperlyConfigured(f"{DATA_FILE.name}: {where}: thiếu {sorted(missing)}")
    if raw["kind"] not in AgencyKind.values:
        raise ImproperlyConfigured(f"{DATA_FILE.name}: {where}: loại «{raw['kind']}» không có")
    if slugify(raw["code"]) != raw["code"] or len(raw["code"]) > CODE_MAX:
        raise ImproperlyConfigured(f"{DATA_FILE.name}: {where}: mã «{raw['code']}» không hợp lệ")
    only = tuple(raw.get("only_kinds") or ())
    if set(only) - set(UnitKind.values):
        raise ImproperlyConfigured(f"{DATA_FILE.name}: {where}: only_kinds {only}")
    return AgencySpec(raw["code"], raw["name"], raw["short_name"], raw["kind"], only)


def parse_default_sets(data: Mapping[str, Any]) -> DefaultSets:
    """Check the file's shape (each list has a source; codes unique per level) and read it."""
    levels: dict[str, dict[str, list[AgencySpec]]] = {}
    for edition, by_level in data["sets"].items():
        if edition not in Edition.values:
            raise ImproperlyConfigured(f"{DATA_FILE.name}: danh mục «{edition}» không có")
        levels[edition] = {}
        for level in Level.values:
            specs: list[AgencySpec] = []
            for n, group in enumerate(by_level.get(level) or []):
                where = f"{edition}/{level}[{n}]"
                if not str(group.get("source") or "").strip() or "verified" not in group:
                    raise ImproperlyConfigured(f"{DATA_FILE.name}: {where}: thiếu source/verified")
                specs += [_spec(raw, where) for raw in group["agencies"]]
            codes = [s.code for s in specs]
            if len(codes) != len(set(codes)):
                raise ImproperlyConfigured(f"{DATA_FILE.name}: {edition}/{level}: mã trùng")
            levels[edition][level] = specs
    raw_mergers = data.get("mergers") or {}
    mergers = []
    for n, item in enumerate(raw_mergers.get("items") or []):
        into = item["into"]
        spec = _spec(into, f"mergers[{n}]") if isinstance(into, dict) else None
        mergers.append(
            MergerSpec(
                sources=tuple(item["from"]),
                into_code=spec.code if spec else str(into),
                into=spec,
                mirrors=str(item.get("mirrors", "")),
            )
        )
    if mergers and not str(raw_mergers.get("source") or "").strip():
        raise ImproperlyConfigured(f"{DATA_FILE.name}: mergers: thiếu source")
    return DefaultSets(
        levels=levels,
        mergers=mergers,
        mergers_edition=str(raw_mergers.get("applies_to", Edition.PRE_2025)),
        mergers_basis=" ".join(str(raw_mergers.get("basis", "")).split()),
        mergers_verified=bool(raw_mergers.get("verified", False)),
    )


@cache
def default_sets() -> DefaultSets:
    with DATA_FILE.open(encoding="utf-8") as f:
        return parse_default_sets(yaml.safe_load(f))


def default_specs(unit: Unit) -> list[AgencySpec]:
    """The default agencies of one unit (its edition's set for its level, filtered by kind)."""
    specs = default_sets().levels.get(unit.edition, {}).get(unit.level, [])
    return [s for s in specs if s.applies_to(unit)]


@dataclass
class DefaultCounts:
    """What create_default_agencies did, per level."""

    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Level.values, 0))
    existing: int = 0

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    def __str__(self) -> str:
        return _(
            "tạo mới %(total)d (cấp tỉnh %(p)d, cấp huyện %(d)d, cấp xã %(c)d), đã có %(old)d"
        ) % {
            "total": self.total_created,
            "p": self.created[Level.PROVINCE],
            "d": self.created[Level.DISTRICT],
            "c": self.created[Level.COMMUNE],
            "old": self.existing,
        }


def _require_manage(actor: User | None, unit: Unit) -> None:
    # actor None = the system itself (demo data, management commands).
    if actor is not None and not permissions.can_manage_agencies(actor, unit):
        raise PermissionDenied


@transaction.atomic
def create_default_agencies(province: Unit, actor: User | None = None) -> DefaultCounts:
    """The default set for `province` and every unit under it, from its edition's list.

    Matches on (unit, code): an agency that exists (renamed, ended, merged) is left as it is.
    Each new agency lives as long as its unit (valid_from/valid_to copied from the unit).
    """
    if province.level != Level.PROVINCE:
        raise ValidationError(_("«%(unit)s» không phải cấp tỉnh.") % {"unit": province.name})
    _require_manage(actor, province)
    units = list(Unit.objects.subtree(province).order_by("level", "code"))
    taken = set(Agency.objects.filter(unit__in=units).values_list("unit_id", "code"))
    counts = DefaultCounts()
    new: list[Agency] = []
    for unit in units:
        for spec in default_specs(unit):
            if (unit.pk, spec.code) in taken:
                counts.existing += 1
                continue
            name, short_name = spec.render(unit)
            new.append(
                Agency(
                    unit=unit,
                    code=spec.code,
                    name=name[:NAME_MAX],
                    short_name=short_name[:SHORT_MAX],
                    kind=spec.kind,
                    valid_from=unit.valid_from,
                    valid_to=unit.valid_to,
                )
            )
            counts.created[unit.level] += 1
    if new:
        bulk_create_with_history(
            new, Agency, default_user=actor, default_change_reason=DEFAULT_REASON
        )
    return counts


# ---------------------------------------------------------------------------------------------
# Reading


def ended_early(agency: Agency) -> bool:
    """Ended before its unit did (dissolved, merged). An agency of a unit that ended with its
    unit (every Hậu Giang body on 30/06/2025) is not "ended" on that unit's page."""
    if agency.valid_to is None:
        return False
    unit_end = agency.unit.valid_to
    return unit_end is None or agency.valid_to < unit_end


def is_closed(agency: Agency) -> bool:
    """Ended early, or handed over to a successor: it cannot be ended again."""
    return ended_early(agency) or agency.succeeded_by_id is not None


def active_agencies(unit: Unit) -> QuerySet[Agency]:
    """Agencies of the unit not ended before the unit did nor handed over to a successor: what
    a merge can take, and whose names must differ."""
    query = Agency.objects.filter(unit=unit, succeeded_by__isnull=True)
    if unit.valid_to is None:
        return query.filter(valid_to__isnull=True)
    return query.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=unit.valid_to))


def _successor_provinces(province: Unit) -> list[Unit]:
    """The province itself and the provinces it became part of (Hậu Giang → TP Cần Thơ)."""
    later = Unit.objects.filter(
        successions_in__predecessor=province, level=Level.PROVINCE
    ).distinct()
    return [province, *later]


def _allowed_successors(agency: Agency) -> QuerySet[Agency]:
    """In the agency's province, or the province that province became part of; not itself."""
    province = agency.unit if agency.unit.level == Level.PROVINCE else agency.unit.province
    provinces = [p.pk for p in _successor_provinces(province)]
    return Agency.objects.filter(
        Q(unit_id__in=provinces) | Q(unit__province_id__in=provinces)
    ).exclude(pk=agency.pk)


LEVEL_ORDER = Case(
    When(unit__level=Level.PROVINCE, then=Value(0)),
    When(unit__level=Level.DISTRICT, then=Value(1)),
    default=Value(2),
)
LEVELS_AT_OR_ABOVE = {
    Level.PROVINCE: [Level.PROVINCE],
    Level.DISTRICT: [Level.PROVINCE, Level.DISTRICT],
    Level.COMMUNE: [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE],
}


def successor_choices(actor: User, agency: Agency) -> QuerySet[Agency]:
    """What the form offers: agencies that may succeed `agency`, visible to the actor, at its
    unit's level or above (a department hands over to a department, not to a commune), not
    ended early, province-level first."""
    province_id = agency.unit.province_id or agency.unit.pk
    own_province_first = Case(
        When(Q(unit_id=province_id) | Q(unit__province_id=province_id), then=Value(0)),
        default=Value(1),
    )
    return (
        _allowed_successors(agency)
        .filter(permissions.scope_filter(actor, prefix="unit__"))
        .filter(unit__level__in=LEVELS_AT_OR_ABOVE[Level(agency.unit.level)])
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=F("unit__valid_to")))
        .filter(succeeded_by__isnull=True)
        .select_related("unit")
        .order_by(own_province_first, LEVEL_ORDER, "unit__code", "kind", "name")
    )


def lineage(agency: Agency) -> tuple[list[Agency], list[Agency]]:
    """(predecessors, chain of successors) for the agency page."""
    predecessors = list(agency.predecessors.select_related("unit").order_by("name"))
    chain: list[Agency] = []
    seen = {agency.pk}
    current = agency.succeeded_by
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.succeeded_by
    return predecessors, chain


# ---------------------------------------------------------------------------------------------
# Checks shared by the use cases


def _show_date(value: dt.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _clean_text(value: str, field_name: str, label: str, limit: int, required: bool) -> str:
    cleaned = clean_name(value)
    if required and not cleaned:
        raise ValidationError({field_name: _("Hãy nhập %(label)s.") % {"label": label}})
    if len(cleaned) > limit:
        raise ValidationError(
            {field_name: _("%(label)s dài quá %(max)d ký tự.") % {"label": label, "max": limit}}
        )
    return cleaned


def _clean_names(name: str, short_name: str) -> tuple[str, str]:
    return (
        _clean_text(name, "name", _("tên cơ quan"), NAME_MAX, required=True),
        _clean_text(short_name, "short_name", _("tên viết tắt"), SHORT_MAX, required=False),
    )


def _clean_basis(basis: str, required: bool = True) -> str:
    return _clean_text(basis, "basis", _("căn cứ (số, ngày văn bản)"), BASIS_MAX, required=required)


def _check_kind(kind: str) -> None:
    if kind not in AgencyKind.values:
        raise ValidationError({"kind": _("Loại cơ quan «%(kind)s» không hợp lệ.") % {"kind": kind}})


def _check_name_free(unit: Unit, name: str, exclude: Agency | None = None) -> None:
    """No two active agencies of a unit share a name (case and diacritics aside)."""
    others = active_agencies(unit)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    for other in others:
        if fold(other.name) == fold(name):
            raise ValidationError(
                {
                    "name": _("%(unit)s đã có cơ quan «%(name)s».")
                    % {"unit": unit.name, "name": other.name}
                }
            )


def _free_code(unit: Unit, code: str, name: str, short_name: str) -> str:
    """The code as given (checked), or one made from the short name or name, made unique."""
    taken = set(Agency.objects.filter(unit=unit).values_list("code", flat=True))
    if code:
        code = code.strip()
        if slugify(code) != code or len(code) > CODE_MAX:
            raise ValidationError(
                {
                    "code": _(
                        "Mã «%(code)s» không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu "
                        "gạch ngang, tối đa %(max)d ký tự."
                    )
                    % {"code": code, "max": CODE_MAX}
                }
            )
        if code in taken:
            other = Agency.objects.get(unit=unit, code=code)
            raise ValidationError(
                {
                    "code": _("Mã «%(code)s» đã dùng cho «%(name)s» của %(unit)s.")
                    % {"code": code, "name": other.name, "unit": unit.name}
                }
            )
        return code
    base = slugify(fold(short_name or name))[: CODE_MAX - 4].strip("-") or "co-quan"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _check_within_unit(unit: Unit, day: dt.date, field_name: str, label: str) -> None:
    if unit.valid_from and day < unit.valid_from:
        raise ValidationError(
            {
                field_name: _("%(label)s không được trước ngày %(unit)s có hiệu lực (%(day)s).")
                % {"label": label, "unit": unit.name, "day": _show_date(unit.valid_from)}
            }
        )
    if unit.valid_to and day > unit.valid_to:
        raise ValidationError(
            {
                field_name: _("%(label)s không được sau ngày %(unit)s hết hiệu lực (%(day)s).")
                % {"label": label, "unit": unit.name, "day": _show_date(unit.valid_to)}
            }
        )


SHOWN_FIELDS = ("name", "short_name", "kind", "valid_to", "succeeded_by", "basis")


def _stale_message(current: Agency, expected_version: int) -> str:
    """Who changed the agency since the form was loaded, and what (loaded → now)."""
    who, what = changes_since(current, expected_version, SHOWN_FIELDS)
    return _(
        "Người khác đã sửa cơ quan «%(name)s» sau khi bạn mở trang%(who)s: %(what)s. "
        "Thay đổi của bạn chưa được lưu; hãy xem lại rồi lưu lại nếu vẫn cần."
    ) % {"name": current.name, "who": who, "what": what}


def _lock(agency: Agency, expected_version: int | None) -> Agency:
    """The row, locked, if nobody changed it since `expected_version` (None: do not compare)."""
    current = Agency.objects.select_for_update().select_related("unit").get(pk=agency.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(_stale_message(current, expected_version), code="stale")
    return current


def _save(agency: Agency, actor: User | None, reason: str = "") -> None:
    agency._history_user = actor
    if reason:
        agency._change_reason = reason
    agency.save()


def _check_not_ended(agency: Agency, field_name: str | None = None) -> None:
    if is_closed(agency):
        message = _("Cơ quan «%(name)s» đã kết thúc từ %(day)s.") % {
            "name": agency.name,
            "day": _show_date(agency.valid_to),
        }
        raise ValidationError({field_name: message} if field_name else message)


def _end(
    agency: Agency, actor: User | None, on: dt.date, successor: Agency | None, basis: str, why: str
) -> None:
    """End a locked agency on `on` (its last day)."""
    if agency.valid_from and on < agency.valid_from:
        raise ValidationError(
            {
                "valid_to": _(
                    "Ngày kết thúc của «%(name)s» không được trước ngày nó có hiệu lực (%(day)s)."
                )
                % {"name": agency.name, "day": _show_date(agency.valid_from)}
            }
        )
    agency.valid_to = on
    agency.succeeded_by = successor
    agency.basis = basis
    agency.version += 1
    _save(agency, actor, why)


# ---------------------------------------------------------------------------------------------
# Use cases


@transaction.atomic
def add_agency(
    actor: User | None,
    *,
    unit: Unit,
    name: str,
    kind: str,
    short_name: str = "",
    code: str = "",
    valid_from: dt.date | None = None,
    basis: str = "",
) -> Agency:
    """A body the default set does not have (Ban Dân tộc, a district's own office...)."""
    _require_manage(actor, unit)
    name, short_name = _clean_names(name, short_name)
    _check_kind(kind)
    basis = _clean_basis(basis, required=False)
    if valid_from is not None:
        _check_within_unit(unit, valid_from, "valid_from", _("Ngày có hiệu lực"))
    _check_name_free(unit, name)
    agency = Agency(
        unit=unit,
        code=_free_code(unit, code, name, short_name),
        name=name,
        short_name=short_name,
        kind=kind,
        valid_from=valid_from if valid_from is not None else unit.valid_from,
        valid_to=unit.valid_to,
        basis=basis,
    )
    _save(agency, actor, basis)
    return agency


@transaction.atomic
def rename_agency(
    actor: User | None,
    *,
    agency: Agency,
    expected_version: int,
    name: str,
    short_name: str = "",
    reason: str = "",
) -> Agency:
    """A new name; the old one stays in the history."""
    _require_manage(actor, agency.unit)
    current = _lock(agency, expected_version)
    name, short_name = _clean_names(name, short_name)
    reason = _clean_text(reason, "reason", _("lý do"), BASIS_MAX, required=False)
    if (name, short_name) == (current.name, current.short_name):
        raise ValidationError({"name": _("Tên và tên viết tắt chưa thay đổi.")})
    if not ended_early(current):
        _check_name_free(current.unit, name, exclude=current)
    current.name, current.short_name = name, short_name
    current.version += 1
    _save(current, actor, reason or _("Đổi tên"))
    return current


def _check_successor(actor: User | None, agency: Agency, successor: Agency, last_day: dt.date):
    allowed = _allowed_successors(agency)
    if actor is not None:
        allowed = allowed.filter(permissions.scope_filter(actor, prefix="unit__"))
    if not allowed.filter(pk=successor.pk).exists():
        raise ValidationError(
            {
                "successor": _(
                    "«%(name)s» không thể kế thừa: cơ quan kế thừa phải thuộc cùng tỉnh "
                    "(hoặc tỉnh, thành phố mà tỉnh đã sáp nhập vào)."
                )
                % {"name": successor.name}
            }
        )
    seen, step = {agency.pk}, successor
    while step is not None:
        if step.pk in seen:
            raise ValidationError(
                {
                    "successor": _("«%(name)s» lại do «%(self)s» kế thừa: không thể vòng lại.")
                    % {"name": successor.name, "self": agency.name}
                }
            )
        seen.add(step.pk)
        step = step.succeeded_by
    next_day = last_day + ONE_DAY
    if (successor.valid_from and successor.valid_from > next_day) or (
        successor.valid_to and successor.valid_to < next_day
    ):
        raise ValidationError(
            {
                "successor": _(
                    "«%(name)s» không có hiệu lực vào ngày %(day)s (ngày sau khi «%(self)s» "
                    "kết thúc)."
                )
                % {"name": successor.name, "day": _show_date(next_day), "self": agency.name}
            }
        )


@transaction.atomic
def end_agency(
    actor: User | None,
    *,
    agency: Agency,
    expected_version: int,
    valid_to: dt.date,
    basis: str,
    successor: Agency | None = None,
) -> Agency:
    """End an agency (dissolved, merged into another): kept, with its last day and the basis."""
    _require_manage(actor, agency.unit)
    current = _lock(agency, expected_version)
    _check_not_ended(current)
    if valid_to is None:
        raise ValidationError({"valid_to": _("Hãy nhập ngày kết thúc (ngày cuối cùng).")})
    _check_within_unit(current.unit, valid_to, "valid_to", _("Ngày kết thúc"))
    basis = _clean_basis(basis)
    if successor is not None:
        _check_successor(actor, current, successor, valid_to)
    why = (
        _("Kết thúc; kế thừa: %(next)s. %(basis)s") % {"next": successor.name, "basis": basis}
        if successor
        else _("Kết thúc. %(basis)s") % {"basis": basis}
    )
    _end(current, actor, valid_to, successor, basis, why)
    return current


def _merge_into_new(
    actor: User | None,
    unit: Unit,
    olds: Sequence[Agency],
    *,
    on: dt.date,
    name: str,
    short_name: str,
    kind: str,
    code: str,
    basis: str,
) -> Agency:
    """Create the new agency from `on`, end the (locked) old ones the day before."""
    name, short_name = _clean_names(name, short_name)
    _check_kind(kind)
    merged = {a.pk for a in olds}
    for other in active_agencies(unit).exclude(pk__in=merged):
        if fold(other.name) == fold(name):
            raise ValidationError(
                {
                    "name": _("%(unit)s đã có cơ quan «%(name)s».")
                    % {"unit": unit.name, "name": name}
                }
            )
    new = Agency(
        unit=unit,
        code=_free_code(unit, code, name, short_name),
        name=name,
        short_name=short_name,
        kind=kind,
        valid_from=on,
        valid_to=unit.valid_to,
        basis=basis,
    )
    names = ", ".join(a.name for a in olds)
    _save(new, actor, _("Hình thành từ: %(names)s. %(basis)s") % {"names": names, "basis": basis})
    why = _("Sáp nhập vào «%(name)s». %(basis)s") % {"name": new.name, "basis": basis}
    for old in olds:
        _end(old, actor, on - ONE_DAY, new, basis, why)
    return new


def _check_merge_day(unit: Unit, on: dt.date | None) -> dt.date:
    if on is None:
        raise ValidationError({"on": _("Hãy nhập ngày cơ quan mới có hiệu lực.")})
    _check_within_unit(unit, on, "on", _("Ngày sáp nhập"))
    return on


@transaction.atomic
def merge_agencies(
    actor: User | None,
    *,
    agencies: Sequence[Agency],
    on: dt.date,
    name: str,
    kind: str,
    basis: str,
    short_name: str = "",
    code: str = "",
    expected_versions: Mapping[int, int] | None = None,
) -> Agency:
    """Several agencies of one unit become a new one from `on`; they end the day before, with
    the new one as successor. One transaction: all or nothing."""
    agencies = list({a.pk: a for a in agencies}.values())
    if len(agencies) < 2:
        raise ValidationError({"agencies": _("Hãy chọn ít nhất hai cơ quan để sáp nhập.")})
    units = {a.unit_id for a in agencies}
    if len(units) != 1:
        raise ValidationError({"agencies": _("Các cơ quan sáp nhập phải cùng thuộc một đơn vị.")})
    unit = agencies[0].unit
    _require_manage(actor, unit)
    on = _check_merge_day(unit, on)
    basis = _clean_basis(basis)
    versions = expected_versions or {}
    olds = [_lock(a, versions.get(a.pk)) for a in sorted(agencies, key=lambda a: a.pk)]
    for old in olds:
        _check_not_ended(old, "agencies")
    return _merge_into_new(
        actor,
        unit,
        olds,
        on=on,
        name=name,
        short_name=short_name,
        kind=kind,
        code=code,
        basis=basis,
    )


@dataclass
class MergerResult:
    into: Agency
    ended: list[Agency]
    created: bool


@transaction.atomic
def apply_mergers(
    actor: User | None, *, province: Unit, on: dt.date, basis: str
) -> list[MergerResult]:
    """Apply the 2025 department mergers of agencies.yaml to a pre-2025 province, from `on`.

    Only when called: the ministries' mergers are verified, each province's date is not, so the
    caller gives the date and the province's own basis. Agencies already ended are left alone;
    running it again does nothing new.
    """
    sets = default_sets()
    if province.level != Level.PROVINCE:
        raise ValidationError(_("«%(unit)s» không phải cấp tỉnh.") % {"unit": province.name})
    _require_manage(actor, province)
    if province.edition != sets.mergers_edition:
        return []
    on = _check_merge_day(province, on)
    basis = _clean_basis(basis)
    results = []
    for merger in sets.mergers:
        olds = [
            _lock(a, None)
            for a in active_agencies(province).filter(code__in=merger.sources).order_by("pk")
        ]
        if not olds:
            continue
        target = Agency.objects.filter(unit=province, code=merger.into_code).first()
        if target is None and merger.into is None:
            continue  # the absorbing department is not in this province
        if target is None:
            name, short_name = merger.into.render(province)
            new = _merge_into_new(
                actor,
                province,
                olds,
                on=on,
                name=name,
                short_name=short_name,
                kind=merger.into.kind,
                code=merger.into_code,
                basis=basis,
            )
            results.append(MergerResult(new, olds, created=True))
            continue
        why = _("Sáp nhập vào «%(name)s». %(basis)s") % {"name": target.name, "basis": basis}
        for old in olds:
            _check_successor(None, old, target, on - ONE_DAY)
            _end(old, actor, on - ONE_DAY, target, basis, why)
        results.append(MergerResult(target, olds, created=False))
    return results
