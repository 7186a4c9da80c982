"""Indicator values in and out as rows (JSON or CSV), keyed by what the data means, not by
database ids: unit (edition + code), year, set family, indicator code.

An import is checked whole before anything is saved (one Vietnamese message per bad cell,
naming row and field); then each unit's values go through assessment.services.save_values, the
same use case as the entry page and the Excel import (permission, validation, history,
re-opened confirmations), in one transaction, and the touched units are re-evaluated in one
batch. Importing the same rows twice changes nothing: a row equal to the stored value is no
change, and an empty cell keeps what is stored (as in the Excel template)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.api.common import decimal_text
from nongthon.api.exchange import (
    MAX_ROWS,
    Refused,
    RowError,
    blank,
    cell_bool,
    cell_int,
    cell_text,
    too_many_rows,
)
from nongthon.assessment import services
from nongthon.assessment import values_excel as excel
from nongthon.assessment.evaluation import recompute_units
from nongthon.assessment.models import IndicatorValue
from nongthon.catalogue.models import Indicator
from nongthon.places.models import Edition, Unit

FORMAT = "nongthon/indicator-values/1"
FIELDS = [
    "edition",
    "unit_code",
    "year",
    "family",
    "indicator_code",
    "value",
    "hand_verdict",
    "hand_reason",
    "note",
]
KEY_FIELDS = FIELDS[:5]
MAX_NOTE = 2000


# --- export -----------------------------------------------------------------------------------


def stored_value(row: IndicatorValue):
    """The value as a row carries it: a boolean, a number as exact text, or a category."""
    if row.value_bool is not None:
        return row.value_bool
    if row.value_number is not None:
        return decimal_text(row.value_number)
    return row.value_text or None


def export_rows(
    user, scope: Unit, *, year: int | None = None, family: str | None = None
) -> list[dict]:
    """The values of `scope` and its subtree the user may see, in a stable order."""
    values = IndicatorValue.objects.filter(
        Q(unit=scope) | Q(unit__province=scope) | Q(unit__district=scope)
    ).filter(permissions.scope_filter(user, prefix="unit__"))
    if year is not None:
        values = values.filter(year=year)
    if family:
        values = values.filter(family=family)
    values = values.select_related("unit").order_by(
        "unit__edition", "unit__code", "year", "family", "indicator_code", "pk"
    )
    return [
        {
            "edition": v.unit.edition,
            "unit_code": v.unit.code,
            "year": v.year,
            "family": v.family,
            "indicator_code": v.indicator_code,
            "value": stored_value(v),
            "hand_verdict": v.hand_verdict,
            "hand_reason": v.hand_reason,
            "note": v.note,
        }
        for v in values.iterator(chunk_size=2000)
    ]


# --- import -----------------------------------------------------------------------------------


@dataclass
class _Given:
    """What one row says; None for a field it leaves empty (keep what is stored)."""

    line: int
    indicator: Indicator
    value: tuple | None
    verdict: bool | None
    reason: str | None
    note: str | None


@dataclass
class GroupResult:
    unit: Unit
    year: int
    family: str
    rows: int
    changed: list[str] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)


@dataclass
class ImportResult:
    groups: list[GroupResult]
    dry_run: bool
    evaluations: int = 0

    @property
    def rows(self) -> int:
        return sum(g.rows for g in self.groups)

    @property
    def changed(self) -> int:
        return sum(len(g.changed) for g in self.groups)


def _units(rows: list[tuple[int, dict]]) -> dict[tuple[str, str], list[Unit]]:
    pairs = {(cell_text(r.get("edition")), cell_text(r.get("unit_code"))) for _line, r in rows}
    query = Q(pk__in=[])
    for edition, code in pairs:
        query |= Q(edition=edition, code=code)
    found: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(query).select_related("province", "district"):
        found[(unit.edition, unit.code)].append(unit)
    return found


def _entry(given: _Given, row: IndicatorValue | None) -> services.ValueEntry | None:
    """The entry for one indicator keeping what the row leaves empty; None when no change."""
    if (
        row is None
        and given.value is None
        and given.verdict is None
        and not (given.reason or given.note)
    ):
        return None  # a row naming an indicator with nothing to store
    old = excel._stored(row)
    new = given.value if given.value is not None else old
    new = (new[0].normalize() if new[0] is not None else None, new[1], new[2])
    verdict = given.verdict if given.verdict is not None else (row.hand_verdict if row else None)
    reason = given.reason if given.reason is not None else (row.hand_reason if row else "")
    note = given.note if given.note is not None else (row.note if row else "")
    if row is not None and (new, verdict, reason.strip(), note.strip()) == (
        old,
        row.hand_verdict,
        row.hand_reason.strip(),
        row.note.strip(),
    ):
        return None
    number, yes, text = new
    raw = yes if yes is not None else number if number is not None else (text or None)
    return services.ValueEntry(
        indicator_code=given.indicator.code,
        value=raw,
        hand_verdict=verdict,
        hand_reason=reason,
        note=note,
        expected_version=None,  # the file is the caller's whole intent
    )


def _checked_value(indicator: Indicator, raw) -> tuple:
    if isinstance(raw, Decimal) and not raw.is_finite():
        raise ValueError(_("«%s» không phải số") % raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    if indicator.kind in ("boolean", "category") and isinstance(raw, Decimal):
        raw = str(raw)
    number, yes, text = services.check_value(indicator, raw)
    if number is not None:
        number = excel._checked_number(number)
    return number, yes, text


def plan_import(user, rows: list[tuple[int, dict]]) -> dict[tuple, list[_Given]]:
    """Every row checked; {(unit, year, family): given rows}, or Refused with every problem."""
    if len(rows) > MAX_ROWS:
        raise Refused([RowError(None, "", too_many_rows())])
    if not rows:
        raise Refused([RowError(None, "", _("Không có dòng số liệu nào."))])
    errors: list[RowError] = []
    units = _units(rows)
    sets: dict[tuple, dict[str, Indicator] | None] = {}
    seen: dict[tuple, int] = {}
    groups: dict[tuple, list[_Given]] = defaultdict(list)
    for line, row in rows:

        def bad(name: str, message: str, line: int = line) -> None:
            errors.append(RowError(line, name, message))

        missing = [name for name in KEY_FIELDS if blank(row.get(name))]
        for name in missing:
            bad(name, _("bắt buộc"))
        if missing:
            continue
        edition, code = cell_text(row["edition"]), cell_text(row["unit_code"])
        family, indicator_code = cell_text(row["family"]), cell_text(row["indicator_code"])
        try:
            year = cell_int(row["year"], 1900, 2100)
        except ValueError as exc:
            bad("year", str(exc))
            continue
        if edition not in Edition.values:
            bad("edition", _("phải là một trong: %s") % ", ".join(Edition.values))
            continue
        matches = units.get((edition, code), [])
        if len(matches) != 1:
            bad("unit_code", _("không có đơn vị mã «%(code)s» trong danh mục %(edition)s")
                % {"code": code, "edition": edition})  # fmt: skip
            continue
        unit = matches[0]
        if not permissions.can_edit_values(user, unit):
            bad("unit_code", _("bạn không có quyền sửa số liệu của %s") % unit.name)
            continue
        key = (unit.pk, year, family)
        if key not in sets:
            criteria_set = services.governing_set(unit, family, year)
            sets[key] = services.indicator_index(criteria_set) if criteria_set else None
        index = sets[key]
        if index is None:
            bad("family", _("không có bộ tiêu chí «%(family)s» áp dụng cho %(unit)s năm %(year)s")
                % {"family": family, "unit": unit.name, "year": year})  # fmt: skip
            continue
        indicator = index.get(indicator_code)
        if indicator is None:
            bad("indicator_code", _("chỉ tiêu «%s» không có trong bộ tiêu chí") % indicator_code)
            continue
        full_key = (*key, indicator_code)
        if full_key in seen:
            bad("indicator_code", _("trùng với dòng %d") % seen[full_key])
            continue
        seen[full_key] = line
        given = _Given(line, indicator, None, None, None, None)
        if not blank(row.get("value")):
            try:
                raw = row["value"]
                given.value = _checked_value(
                    indicator, raw.strip() if isinstance(raw, str) else raw
                )
            except ValueError as exc:
                bad("value", str(exc))
        if not blank(row.get("hand_verdict")):
            try:
                given.verdict = cell_bool(row["hand_verdict"])
            except ValueError as exc:
                bad("hand_verdict", str(exc))
        for name, limit in (("hand_reason", excel.MAX_REASON), ("note", MAX_NOTE)):
            if blank(row.get(name)):
                continue
            text = " ".join(cell_text(row[name]).split())
            if len(text) > limit:
                bad(name, _("dài quá %(n)d ký tự") % {"n": limit})
            setattr(given, "reason" if name == "hand_reason" else "note", text)
        groups[(unit, year, family)].append(given)
    if errors:
        raise Refused(errors)
    return groups


def import_rows(user, rows: list[tuple[int, dict]], *, dry_run: bool = False) -> ImportResult:
    groups = plan_import(user, rows)
    result = ImportResult([], dry_run)
    existing = _existing(groups)
    with transaction.atomic():
        touched: dict[int, list[Unit]] = defaultdict(list)
        for (unit, year, family), given in groups.items():
            group = GroupResult(unit, year, family, len(given))
            result.groups.append(group)
            entries = [
                e
                for g in given
                if (e := _entry(g, existing.get((unit.pk, year, family, g.indicator.code))))
            ]
            if not entries:
                continue
            if dry_run:
                group.changed = [e.indicator_code for e in entries]
                continue
            lines = {g.indicator.code: g.line for g in given}
            try:
                outcome = services.save_values(
                    user, unit=unit, year=year, family=family, entries=entries, recompute=False
                )
            except ValidationError as exc:
                # Raised inside the transaction: every unit saved so far is rolled back.
                raise Refused(_service_errors(exc, lines)) from exc
            except PermissionDenied as exc:
                raise Refused([RowError(given[0].line, "unit_code", _("không có quyền"))]) from exc
            group.changed, group.reopened = outcome.changed, outcome.reopened
            if outcome.changed:
                touched[year].append(unit)
        # One batch re-evaluation per year for every unit that changed.
        result.evaluations = sum(recompute_units(units, year) for year, units in touched.items())
    return result


def _existing(groups) -> dict[tuple, IndicatorValue]:
    query = Q(pk__in=[])
    for unit, year, family in groups:
        query |= Q(unit=unit, year=year, family=family)
    return {
        (v.unit_id, v.year, v.family, v.indicator_code): v
        for v in IndicatorValue.objects.filter(query)
    }


def _service_errors(exc: ValidationError, lines: dict[str, int]) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(lines.get(code), "value" if code in lines else "", message)
            for code, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(None, "", message) for message in exc.messages]
