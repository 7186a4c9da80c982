"""Load the official unit lists and the 2025 conversion table from `vietnamadminunits` (MIT).

The package ships the pre-2025 three-level list (63 provinces, 696 districts, 10,035 communes)
and the 2025 two-level list (34 provinces, 3,321 communes) in an SQLite file, and the old-to-new
conversion as JSON keyed by folded names. Loading is idempotent: a unit is matched on
(edition, level, code), changed fields are updated, nothing is deleted, and each change is kept
in the unit's history.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import metadata
from pathlib import Path

import yaml
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from nongthon.places.models import (
    LEGACY_LAST_DAY,
    REFORM_DAY,
    Edition,
    Level,
    Region,
    Succession,
    Unit,
    UnitKind,
)

DATA_DIR = Path(__file__).parent / "data"
SUCCESSION_BASIS = (
    "NQ 202/2025/QH15 (12/06/2025) sắp xếp cấp tỉnh; NQ 1654–1687/NQ-UBTVQH15 (16/06/2025) "
    "sắp xếp cấp xã"
)
UNIT_FIELDS = [
    "kind",
    "name",
    "short_name",
    "parent",
    "latitude",
    "longitude",
    "area_km2",
    "valid_from",
    "valid_to",
    "source",
    "region",
    "search_text",
    "province",
    "district",
]
DISTRICT_KINDS = {
    "Huyện": UnitKind.HUYEN,
    "Quận": UnitKind.QUAN,
    "Thị xã": UnitKind.THI_XA,
    "Thành phố": UnitKind.THANH_PHO,
}
COMMUNE_KINDS = {
    "Xã": UnitKind.XA,
    "Phường": UnitKind.PHUONG,
    "Thị trấn": UnitKind.THI_TRAN,
    "Đặc khu": UnitKind.DAC_KHU,
}


def _package_dir() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent


def source_label() -> str:
    return f"vietnamadminunits {metadata.version('vietnamadminunits')}"


def _rows(table: str) -> list[dict]:
    with sqlite3.connect(_package_dir() / "data" / "dataset.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM [{table}]")]  # noqa: S608


def _province_kind(name: str) -> UnitKind:
    return UnitKind.THANH_PHO_TW if name.startswith("Thành phố") else UnitKind.TINH


def _coord(value: float | None, places: int = 6) -> Decimal | None:
    return None if value is None else round(Decimal(str(value)), places)


@dataclass
class UnitSpec:
    edition: str
    level: str
    code: str
    kind: str
    name: str
    short_name: str
    parent_key: tuple[str, str, str] | None
    latitude: Decimal | None
    longitude: Decimal | None
    area_km2: Decimal | None = None
    name_key: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.edition, self.level, self.code)


@dataclass
class OfficialLists:
    """Both editions as plain specs, plus the conversion links between them."""

    units: dict[tuple[str, str, str], UnitSpec] = field(default_factory=dict)
    # (old key, new key, partial?, default?)
    links: list[tuple[tuple[str, str, str], tuple[str, str, str], bool, bool]] = field(
        default_factory=list
    )

    def add(self, spec: UnitSpec) -> None:
        self.units.setdefault(spec.key, spec)


def _spec(row: dict, field: str, edition: str, level: str, kind: str, parent, **extra) -> UnitSpec:
    """A unit from one row of the package's tables, whose columns are named after the level
    (`ward`, `wardCode`, `wardShort`, `wardLat`, `wardLon`)."""
    return UnitSpec(
        edition,
        level,
        row[f"{field}Code"],
        kind,
        row[field],
        row[f"{field}Short"],
        parent,
        _coord(row[f"{field}Lat"]),
        _coord(row[f"{field}Lon"]),
        **extra,
    )


def read_official_lists() -> OfficialLists:
    lists = OfficialLists()
    legacy_by_name: dict[str, tuple[str, str, str]] = {}
    legacy_province_by_name: dict[str, tuple[str, str, str]] = {}
    for r in _rows("admin_units_legacy"):
        p = _spec(
            r,
            "province",
            Edition.PRE_2025,
            Level.PROVINCE,
            _province_kind(r["province"]),
            None,
            name_key=r["provinceKey"],
        )
        lists.add(p)
        legacy_province_by_name[r["provinceKey"]] = p.key
        d = _spec(
            r,
            "district",
            Edition.PRE_2025,
            Level.DISTRICT,
            DISTRICT_KINDS[r["districtType"]],
            p.key,
        )
        lists.add(d)
        # Island districts without communes are converted as a whole (key ends in "_").
        legacy_by_name[f"{r['provinceKey']}_{r['districtKey']}_"] = d.key
        if r["wardCode"]:
            w = _spec(
                r, "ward", Edition.PRE_2025, Level.COMMUNE, COMMUNE_KINDS[r["wardType"]], d.key
            )
            lists.add(w)
            legacy_by_name[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"] = w.key

    new_by_name: dict[tuple[str, str], tuple[str, str, str]] = {}
    new_province_by_name: dict[str, tuple[str, str, str]] = {}
    for r in _rows("admin_units"):
        p = _spec(
            r,
            "province",
            Edition.Y2025,
            Level.PROVINCE,
            _province_kind(r["province"]),
            None,
            name_key=r["provinceKey"],
        )
        lists.add(p)
        new_province_by_name[r["provinceKey"]] = p.key
        w = _spec(
            r,
            "ward",
            Edition.Y2025,
            Level.COMMUNE,
            COMMUNE_KINDS[r["wardType"]],
            p.key,
            area_km2=_coord(r["wardAreaKm2"], 2),
        )
        lists.add(w)
        new_by_name[(r["provinceKey"], r["wardKey"])] = w.key

    with open(_package_dir() / "data" / "converter_2025.json", encoding="utf-8") as f:
        conv = json.load(f)
    for new_p, old_ps in conv["DICT_PROVINCE"].items():
        for old_p in old_ps:
            lists.links.append(
                (legacy_province_by_name[old_p], new_province_by_name[new_p], False, True)
            )
    for new_p, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w, olds in wards.items():
            for old in olds:
                if old in legacy_by_name and (new_p, new_w) in new_by_name:
                    lists.links.append(
                        (legacy_by_name[old], new_by_name[(new_p, new_w)], False, True)
                    )
    for new_p, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            for t in targets:
                if old in legacy_by_name and (new_p, t["newWardKey"]) in new_by_name:
                    lists.links.append(
                        (
                            legacy_by_name[old],
                            new_by_name[(new_p, t["newWardKey"])],
                            True,
                            bool(t["isDefaultNewWard"]),
                        )
                    )
    return lists


def _region_by_province() -> dict[str, str]:
    with open(DATA_DIR / "regions.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return {code: r["code"] for r in data["regions"] for code in r["provinces"]}


def load_regions() -> dict[str, Region]:
    with open(DATA_DIR / "regions.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    regions = {}
    for order, r in enumerate(data["regions"], start=1):
        region, _ = Region.objects.update_or_create(
            code=r["code"], defaults={"name": r["name"], "order": order, "source": data["source"]}
        )
        regions[r["code"]] = region
    return regions


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_created: int = 0
    links_updated: int = 0

    def __str__(self) -> str:
        return (
            f"đơn vị: {self.created} mới, {self.updated} cập nhật, {self.unchanged} không đổi; "
            f"kế thừa: {self.links_created} mới, {self.links_updated} cập nhật"
        )


def select_keys(lists: OfficialLists, provinces: Iterable[str] | None) -> set[tuple]:
    """The unit keys to load: all, or the named provinces in both editions with their successors.

    `--province 93` loads Hậu Giang (pre-2025) and TP Cần Thơ (2025), which it became part of.
    """
    if provinces is None:
        return set(lists.units)
    codes = {c.zfill(2) for c in provinces}
    chosen_provinces = {k for k in lists.units if k[1] == Level.PROVINCE and k[2] in codes}
    for old, new, _partial, _default in lists.links:
        if old in chosen_provinces and new[1] == Level.PROVINCE:
            chosen_provinces.add(new)
    keys = set(chosen_provinces)
    # Children reach their province through their parent chain.
    for level in (Level.DISTRICT, Level.COMMUNE):
        for k, spec in lists.units.items():
            if k[1] == level and spec.parent_key in keys:
                keys.add(k)
    return keys


def load_units(
    provinces: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Create or update the units of the chosen provinces (all when None), idempotently."""
    say = progress or (lambda _msg: None)
    lists = read_official_lists()
    keys = select_keys(lists, provinces)
    region_codes = _region_by_province()
    result = LoadResult()
    source = source_label()
    with transaction.atomic():
        regions = load_regions()
        existing = {(u.edition, u.level, u.code): u for u in Unit.objects.all()}
        loaded: dict[tuple[str, str, str], Unit] = {}
        for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
            to_create, to_update = [], []
            for key in sorted(k for k in keys if k[1] == level):
                spec = lists.units[key]
                unit = existing.get(key) or Unit(
                    edition=spec.edition, level=spec.level, code=spec.code
                )
                before = {f: getattr(unit, f"{f}_id" if f in _FK else f) for f in UNIT_FIELDS}
                _apply(unit, spec, loaded, regions, region_codes, lists, source)
                after = {f: getattr(unit, f"{f}_id" if f in _FK else f) for f in UNIT_FIELDS}
                if unit.pk is None:
                    to_create.append(unit)
                elif before != after:
                    to_update.append(unit)
                else:
                    result.unchanged += 1
                loaded[key] = unit
            if to_create:
                bulk_create_with_history(to_create, Unit, batch_size=500)
                # bulk_create sets pks on PostgreSQL and SQLite >= 3.35; re-read to be sure.
                fresh = Unit.objects.filter(level=level).in_bulk(field_name="id")
                by_key = {(u.edition, u.level, u.code): u for u in fresh.values()}
                for u in to_create:
                    loaded[(u.edition, u.level, u.code)] = by_key[(u.edition, u.level, u.code)]
            if to_update:
                bulk_update_with_history(to_update, Unit, UNIT_FIELDS, batch_size=500)
            result.created += len(to_create)
            result.updated += len(to_update)
            say(f"{Level(level).label}: {len(to_create)} mới, {len(to_update)} cập nhật")
        _load_links(lists, loaded, result, source)
    say(str(result))
    return result


_FK = {"parent", "region", "province", "district"}


def _apply(unit, spec, loaded, regions, region_codes, lists, source) -> None:
    unit.kind = spec.kind
    unit.name = spec.name
    unit.short_name = spec.short_name
    unit.parent = loaded[spec.parent_key] if spec.parent_key else None
    unit.latitude, unit.longitude = spec.latitude, spec.longitude
    unit.area_km2 = spec.area_km2
    unit.source = source
    if spec.edition == Edition.PRE_2025:
        unit.valid_from, unit.valid_to = None, LEGACY_LAST_DAY
    else:
        unit.valid_from, unit.valid_to = REFORM_DAY, None
    unit.region = None
    if spec.level == Level.PROVINCE:
        unit.region = regions.get(_region_code(spec, region_codes, lists))
    unit.fill_derived()


def _region_code(spec: UnitSpec, region_codes: dict[str, str], lists: OfficialLists) -> str | None:
    if spec.edition == Edition.PRE_2025:
        return region_codes.get(spec.code)
    # A 2025 province takes the region its old provinces share; none when they span two.
    old_codes = {old[2] for old, new, *_ in lists.links if new == spec.key}
    found = {region_codes.get(c) for c in old_codes}
    return found.pop() if len(found) == 1 else None


def _load_links(lists: OfficialLists, loaded: dict, result: LoadResult, source: str) -> None:
    existing = {
        (s.predecessor_id, s.successor_id): s
        for s in Succession.objects.filter(predecessor__in=[u.pk for u in loaded.values()])
    }
    to_create, to_update = [], []
    seen = set()
    for old, new, partial, default in lists.links:
        if old not in loaded or new not in loaded:
            continue
        pred, succ = loaded[old], loaded[new]
        pair = (pred.pk, succ.pk)
        if pair in seen:
            continue
        seen.add(pair)
        kind = Succession.Kind.PARTIAL if partial else Succession.Kind.WHOLE
        link = existing.get(pair)
        if link is None:
            to_create.append(
                Succession(
                    predecessor=pred,
                    successor=succ,
                    kind=kind,
                    is_default=default,
                    effective_date=REFORM_DAY,
                    basis=SUCCESSION_BASIS,
                    source=source,
                )
            )
        elif (link.kind, link.is_default, link.basis, link.source) != (
            kind,
            default,
            SUCCESSION_BASIS,
            source,
        ):
            link.kind, link.is_default, link.basis, link.source = (
                kind,
                default,
                SUCCESSION_BASIS,
                source,
            )
            to_update.append(link)
    Succession.objects.bulk_create(to_create, batch_size=1000)
    Succession.objects.bulk_update(to_update, ["kind", "is_default", "basis", "source"])
    result.links_created += len(to_create)
    result.links_updated += len(to_update)
