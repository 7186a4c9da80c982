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


def _show(obj, name: str, value) -> str:
    """`value` of field `name` as a person reads it; `obj` is a model instance or a record."""
    if value is None or value == "":
        return "—"
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = getattr(obj, name, None)
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


def show_value(obj, name: str, value) -> str:
    """The public name of `_show`, for the audit log's rows."""
    return _show(obj, name, value)


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


def show_field(obj, name: str) -> str:
    """A field of a model instance or historical record as a person reads it."""
    attname = obj._meta.get_field(name).attname
    return _show(obj, name, getattr(obj, attname))


def changes_since(current, expected_version: int, fields: tuple[str, ...]) -> tuple[str, str]:
    """For a refused stale save: who changed `current` last and when (" (Ngọc, 12:30 01/02/2026)"),
    and what changed since the version the form was loaded with ("tên «A» → «B»")."""
    loaded = current.history.filter(version=expected_version).order_by("-history_id").first()
    latest = current.history.select_related("history_user").order_by("-history_id").first()
    changes = []
    if loaded is not None:
        for name in fields:
            before, after = show_field(loaded, name), show_field(current, name)
            if before != after:
                label = str(current._meta.get_field(name).verbose_name)
                changes.append(f"{label} «{before}» → «{after}»")
    who = ""
    if latest is not None:
        user = latest.history_user.display_name if latest.history_user else str(_("Hệ thống"))
        when = formats.date_format(timezone.localtime(latest.history_date), "SHORT_DATETIME_FORMAT")
        who = f" ({user}, {when})"
    what = "; ".join(changes) if changes else str(_("không rõ thay đổi"))
    return who, what
