"""Turn django-simple-history records into rows a person reads: who, when, what changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from nongthon.catalogue.engine import plain

KIND_LABELS = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}
HIDDEN_FIELDS = {"version", "search_text", "updated_at", "created_at"}


@dataclass
class FieldChange:
    field: str
    before: str
    after: str


@dataclass
class ChangeRow:
    when: dt.datetime
    who: str
    model: str
    object_label: str
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _show(record, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    model_field = record.instance._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = getattr(record, name, None)
        return str(related) if related is not None else str(value)
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, Decimal):
        # 78.0000 → "78"; 1234.5000 → "1.234,5" in Vietnamese.
        return formats.localize(plain(value), use_l10n=True)
    return str(value)


def describe(record) -> ChangeRow:
    """One history record as a row, with before/after for each changed field."""
    row = ChangeRow(
        when=record.history_date,
        who=(record.history_user.display_name if record.history_user else str(_("Hệ thống"))),
        model=str(record.instance._meta.verbose_name),
        object_label=str(record.instance),
        kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
        reason=record.history_change_reason or "",
    )
    previous = record.prev_record if record.history_type == "~" else None
    if previous is not None:
        delta = record.diff_against(previous)
        for change in delta.changes:
            if change.field in HIDDEN_FIELDS:
                continue
            verbose = record.instance._meta.get_field(change.field).verbose_name
            row.changes.append(
                FieldChange(
                    str(verbose),
                    _show(previous, change.field, change.old),
                    _show(record, change.field, change.new),
                )
            )
    return row


def describe_all(records) -> list[ChangeRow]:
    return [describe(r) for r in records]
