"""Use cases that change indicator values: save a commune's values (from the entry page or an
import), each checked, all-or-nothing, refused when someone else changed them meanwhile, kept in
history, re-opening confirmations they touch, and re-evaluating the unit at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.assessment.evaluation import applicable_sets, recompute_unit
from nongthon.assessment.models import Confirmation, Evaluation, IndicatorValue
from nongthon.audit.bulk import save_with_history
from nongthon.catalogue.engine import plain
from nongthon.catalogue.models import CriteriaSet, Indicator, IndicatorKind
from nongthon.places.models import Unit

Raw = Decimal | bool | str | None


@dataclass
class ValueEntry:
    """What a user typed for one indicator; `expected_version` is the version the page showed
    (0 when the page showed no value yet; None to skip the check, for imports)."""

    indicator_code: str
    value: Raw = None
    hand_verdict: bool | None = None
    hand_reason: str = ""
    note: str = ""
    expected_version: int | None = None


@dataclass
class SaveOutcome:
    changed: list[str] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)


def governing_set(unit: Unit, family: str, year: int) -> CriteriaSet | None:
    """The set a unit is judged by: its province's refinement when there is one."""
    sets = [s for s in applicable_sets(unit, year) if s.family == family]
    sets.sort(key=lambda s: s.province_id is None)
    return sets[0] if sets else None


def indicator_index(criteria_set: CriteriaSet) -> dict[str, Indicator]:
    return {
        i.code: i
        for i in Indicator.objects.filter(criterion__criteria_set=criteria_set).select_related(
            "criterion"
        )
    }


def parse_number(text: str) -> Decimal:
    """Vietnamese or plain notation: "1.234,5", "68,5", "68.5", "1234" → Decimal."""
    cleaned = text.strip().replace(" ", "").replace("%", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def check_value(indicator: Indicator, raw: Raw) -> tuple[Decimal | None, bool | None, str]:
    """(number, yes/no, category) for storage, or ValueError with a Vietnamese message."""
    if raw is None or raw == "":
        return None, None, ""
    if indicator.kind == IndicatorKind.BOOLEAN:
        if isinstance(raw, bool):
            return None, raw, ""
        folded = str(raw).strip().lower()
        if folded in {"đạt", "dat", "có", "co", "x", "1", "true"}:
            return None, True, ""
        if folded in {"chưa đạt", "chua dat", "không", "khong", "0", "false"}:
            return None, False, ""
        raise ValueError(_("«%s» không phải Đạt / Chưa đạt") % raw)
    if indicator.kind == IndicatorKind.CATEGORY:
        text = str(raw).strip()
        if text not in indicator.categories:
            raise ValueError(
                _("«%(v)s» không thuộc danh sách: %(list)s")
                % {"v": text, "list": ", ".join(indicator.categories)}
            )
        return None, None, text
    if isinstance(raw, bool):
        raise ValueError(_("cần một số"))
    try:
        number = raw if isinstance(raw, Decimal) else parse_number(str(raw))
    except ValueError as exc:
        raise ValueError(_("«%s» không phải số") % raw) from exc
    if indicator.kind == IndicatorKind.PERCENT and not (0 <= number <= 100):
        raise ValueError(_("tỷ lệ phải từ 0 đến 100 (đang là %s)") % formats.localize(number))
    if number < 0:
        raise ValueError(_("không được âm"))
    return number, None, ""


def _stale_message(code: str, row: IndicatorValue) -> str:
    latest = row.history.select_related("history_user").first()
    who = latest.history_user.display_name if latest and latest.history_user else _("Hệ thống")
    when = formats.date_format(timezone.localtime(row.entered_at), "SHORT_DATETIME_FORMAT")
    return _(
        "Chỉ tiêu %(code)s vừa được %(who)s sửa lúc %(when)s (giá trị hiện tại: %(value)s). "
        "Số liệu của bạn chưa được lưu; hãy tải lại trang và nhập lại nếu vẫn cần."
    ) % {"code": code, "who": who, "when": when, "value": display_value(row)}


def display_value(row: IndicatorValue) -> str:
    if row.value_bool is not None:
        return _("Đạt") if row.value_bool else _("Chưa đạt")
    if row.value_number is not None:
        return formats.localize(plain(row.value_number))
    if row.value_text:
        return row.value_text
    if row.hand_verdict is not None:
        return _("đạt (thủ công)") if row.hand_verdict else _("chưa đạt (thủ công)")
    return "—"


# What a save changes on an existing value (history and audit entries written alongside).
VALUE_FIELDS = [
    "value_number",
    "value_bool",
    "value_text",
    "hand_verdict",
    "hand_reason",
    "note",
    "illustrative",
    "entered_by",
    "version",
    "entered_at",
]


@transaction.atomic
def save_values(
    actor,
    *,
    unit: Unit,
    year: int,
    family: str,
    entries: list[ValueEntry],
    illustrative: bool = False,
    recompute: bool = True,
) -> SaveOutcome:
    """Save a unit's values for a year; nothing is saved if any entry is wrong or stale.

    `recompute=False` leaves re-evaluation to the caller (an import recomputes every commune it
    touched in one batch with recompute_units)."""
    if actor is not None and not permissions.can_edit_values(actor, unit):
        raise PermissionDenied
    criteria_set = governing_set(unit, family, year)
    if criteria_set is None:
        raise ValidationError(
            _("Không có bộ tiêu chí «%(family)s» áp dụng cho %(unit)s năm %(year)s.")
            % {"family": family, "unit": unit.name, "year": year}
        )
    index = indicator_index(criteria_set)
    existing = {
        v.indicator_code: v
        for v in IndicatorValue.objects.select_for_update().filter(
            unit=unit,
            year=year,
            family=family,
            indicator_code__in=[e.indicator_code for e in entries],
        )
    }
    for value in existing.values():
        value.unit = unit  # the history's audit entry reads it: no query per value
    errors: dict[str, list[str]] = {}
    prepared: list[tuple[ValueEntry, Indicator, tuple]] = []
    for entry in entries:
        indicator = index.get(entry.indicator_code)
        if indicator is None:
            errors.setdefault(entry.indicator_code, []).append(
                _("Chỉ tiêu «%s» không có trong bộ tiêu chí.") % entry.indicator_code
            )
            continue
        row = existing.get(entry.indicator_code)
        current_version = row.version if row else 0
        if entry.expected_version is not None and entry.expected_version != current_version:
            errors.setdefault(entry.indicator_code, []).append(
                _stale_message(entry.indicator_code, row)
                if row
                else _("Chỉ tiêu %s vừa bị xóa; hãy tải lại trang.") % entry.indicator_code
            )
            continue
        try:
            stored = check_value(indicator, entry.value)
        except ValueError as exc:
            errors.setdefault(entry.indicator_code, []).append(
                _("Chỉ tiêu %(code)s: %(msg)s.") % {"code": entry.indicator_code, "msg": exc}
            )
            continue
        prepared.append((entry, indicator, stored))
    if errors:
        raise ValidationError(errors)

    outcome = SaveOutcome()
    touched_criteria: set[int] = set()
    created: list[IndicatorValue] = []
    updated: list[IndicatorValue] = []
    now = timezone.now()
    for entry, indicator, (number, yes, text) in prepared:
        row = existing.get(entry.indicator_code) or IndicatorValue(
            unit=unit, year=year, family=family, indicator_code=entry.indicator_code, version=0
        )
        new = (number, yes, text, entry.hand_verdict, entry.hand_reason.strip(), entry.note.strip())
        old = (
            row.value_number,
            row.value_bool,
            row.value_text,
            row.hand_verdict,
            row.hand_reason,
            row.note,
        )
        if row.pk and _same(old, new) and row.illustrative == illustrative:
            continue
        (row.value_number, row.value_bool, row.value_text, row.hand_verdict, row.hand_reason,
         row.note) = new  # fmt: skip
        row.illustrative = illustrative
        row.entered_by = actor
        row.version += 1
        row.entered_at = now  # bulk_update skips auto_now
        (updated if row.pk else created).append(row)
        outcome.changed.append(entry.indicator_code)
        touched_criteria.add(indicator.criterion.number)
    save_with_history(
        IndicatorValue, created=created, updated=updated, fields=VALUE_FIELDS, user=actor
    )
    if outcome.changed:
        outcome.reopened = reopen_confirmations(actor, unit, year, family, touched_criteria)
        if recompute:
            outcome.evaluations = recompute_unit(unit, year)
    return outcome


def _same(old: tuple, new: tuple) -> bool:
    def norm(v):
        return v.normalize() if isinstance(v, Decimal) else v

    return [norm(v) for v in old] == [norm(v) for v in new]


def reopen_confirmations(actor, unit: Unit, year: int, family: str, numbers: set[int]) -> list[int]:
    """A value changed after a department's word: its criterion goes back to pending."""
    reopened = []
    for c in (
        Confirmation.objects.select_for_update()
        .filter(unit=unit, year=year, family=family, criterion_number__in=numbers)
        .exclude(status=Confirmation.Status.PENDING)
    ):
        c.status = Confirmation.Status.PENDING
        c.comment = _("Mở lại vì số liệu thay đổi sau khi đã xác nhận.")
        c.version += 1
        c._history_user = actor
        c.save()
        reopened.append(c.criterion_number)
    return sorted(reopened)
