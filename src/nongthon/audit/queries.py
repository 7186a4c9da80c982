"""Reading the audit log: filtered entries newest first, keyset pages, rows with before → after.

Queries stay bounded with millions of entries: every filter is an equality or range on an
indexed column of `Entry` ending in (at, id), pages are read by keyset (never OFFSET, never a
COUNT), and the rows of a page cost a fixed number of queries per kind of data on the page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.audit.history import audited
from nongthon.audit.models import Action, Entry
from nongthon.places.models import Level, Unit
from nongthon.web.history import HIDDEN_FIELDS, FieldChange, show_value

PAGE_SIZE = 50


@dataclass
class Filters:
    model: str = ""  # "plans.target"
    action: str = ""
    unit: Unit | None = None
    user: User | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class Row:
    entry: Entry
    when: dt.datetime
    who: str
    ip: str
    model: str
    object_label: str
    action: str
    unit: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def unit_filter(unit: Unit) -> Q:
    """Entries of a unit and everything under it."""
    if unit.level == Level.PROVINCE:
        return Q(province=unit)
    if unit.level == Level.DISTRICT:
        return Q(district=unit)
    return Q(unit=unit)


def scope(actor: User) -> Q:
    provinces = permissions.audit_provinces(actor)
    if provinces is None:
        return Q()
    return Q(province_id__in=provinces)


def unit_in_scope(actor: User, unit: Unit) -> bool:
    provinces = permissions.audit_provinces(actor)
    if provinces is None:
        return True
    own = unit.pk if unit.level == Level.PROVINCE else unit.province_id
    return own in provinces


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entries(actor: User, filters: Filters) -> QuerySet[Entry]:
    """The entries the actor may read that match the filters, newest first."""
    query = Entry.objects.filter(scope(actor))
    if filters.model:
        audit = audited(filters.model)
        if audit is None:
            return Entry.objects.none()
        query = query.filter(model=ContentType.objects.get_for_model(audit.model))
    if filters.action:
        query = query.filter(action=filters.action)
    if filters.unit is not None:
        query = query.filter(unit_filter(filters.unit))
    if filters.user is not None:
        query = query.filter(user=filters.user)
    if filters.date_from:
        query = query.filter(at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        query = query.filter(at__lt=_local_midnight(filters.date_to + dt.timedelta(days=1)))
    return query.order_by("-at", "-id")


def encode_cursor(entry: Entry) -> str:
    return f"{int(entry.at.timestamp() * 1_000_000)}.{entry.pk}"


def decode_cursor(text: str) -> tuple[dt.datetime, int] | None:
    micros, _dot, pk = (text or "").partition(".")
    try:
        at = dt.datetime.fromtimestamp(int(micros) / 1_000_000, tz=dt.UTC)
        return at, int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def after(query: QuerySet[Entry], cursor: tuple[dt.datetime, int] | None) -> QuerySet[Entry]:
    """Entries older than the cursor's (at, id), in the same order."""
    if cursor is None:
        return query
    at, pk = cursor
    # `at <= cursor` first: an index condition, so the database starts reading at the cursor
    # instead of filtering every newer row (the OR alone is only a filter).
    return query.filter(Q(at__lte=at), Q(at__lt=at) | Q(at=at, id__lt=pk))


def page(query: QuerySet[Entry], cursor: str = "", size: int = PAGE_SIZE):
    """One page of entries and the cursor of the next page ("" on the last)."""
    found = list(after(query, decode_cursor(cursor)).select_related("user", "unit")[: size + 1])
    more = len(found) > size
    found = found[:size]
    return found, (encode_cursor(found[-1]) if more and found else "")


def chunks(query: QuerySet[Entry], limit: int, size: int = 1000) -> Iterator[list[Entry]]:
    """Up to `limit` entries in keyset chunks, for the exports."""
    cursor = None
    left = limit
    while left > 0:
        found = list(after(query, cursor).select_related("user", "unit")[: min(size, left)])
        if not found:
            return
        yield found
        left -= len(found)
        cursor = (found[-1].at, found[-1].pk)


def rows(found: list[Entry]) -> list[Row]:
    """Entries as rows a person reads, with the changed fields before → after.

    Per kind of data on the page: its records with the previous record's id (one query), the
    previous records (one), and the objects their foreign keys name (one per related model).
    """
    by_model: dict[int, list[Entry]] = defaultdict(list)
    for entry in found:
        by_model[entry.model_id].append(entry)
    records: dict[int, tuple] = {}
    for model_id, group in by_model.items():
        model = ContentType.objects.get_for_id(model_id).model_class()
        if model is None or audited(model._meta.label_lower) is None:
            continue
        history = model.history.model
        previous = history.objects.filter(
            **{model._meta.pk.attname: OuterRef(model._meta.pk.attname)},
            history_id__lt=OuterRef("history_id"),
        ).order_by("-history_id")
        found_records = list(
            history.objects.filter(history_id__in=[e.history_id for e in group]).annotate(
                prev_id=Subquery(previous.values("history_id")[:1])
            )
        )
        prevs = history.objects.in_bulk([r.prev_id for r in found_records if r.prev_id])
        instances = {r.history_id: _instance(model, r) for r in found_records}
        _prime(model, [*found_records, *prevs.values(), *instances.values()])
        for record in found_records:
            records[(model_id, record.history_id)] = (
                record,
                prevs.get(record.prev_id),
                instances[record.history_id],
            )
    result = []
    for entry in found:
        record, prev, instance = records.get((entry.model_id, entry.history_id), (None,) * 3)
        result.append(_row(entry, record, prev, instance))
    return result


def _instance(model, record):
    """The object as the record saw it, built without a query (simple-history's `instance`
    reads excluded fields from the database for every call)."""
    values = {
        f.attname: getattr(record, f.attname)
        for f in model._meta.concrete_fields
        if hasattr(record, f.attname)
    }
    return model(**values)


def _prime(model, objects: list) -> None:
    """Fill the foreign-key caches of records and instances from one query per related model,
    so labels and before/after values of relations cost no query each."""
    fks = [f for f in model._meta.concrete_fields if f.many_to_one]
    for fk in fks:
        ids = {getattr(o, fk.attname, None) for o in objects} - {None}
        if not ids:
            continue
        related = fk.related_model._base_manager.in_bulk(ids)
        for obj in objects:
            value = getattr(obj, fk.attname, None)
            if value is None:
                continue
            obj._state.fields_cache[fk.name] = related.get(value)


def _row(entry: Entry, record, prev, instance) -> Row:
    model = ContentType.objects.get_for_id(entry.model_id).model_class()
    label = str(model._meta.verbose_name) if model else str(_("(không rõ)"))
    row = Row(
        entry=entry,
        when=entry.at,
        who=entry.user.display_name if entry.user else str(_("Hệ thống")),
        ip=(getattr(record, "ip_address", None) or "") if record else "",
        model=label,
        object_label=str(instance) if instance is not None else entry.object_id,
        action=str(Action(entry.action).label) if entry.action in Action.values else entry.action,
        unit=str(entry.unit) if entry.unit_id and entry.unit else "",
        reason=(record.history_change_reason or "") if record else "",
    )
    if record is not None and prev is not None and entry.action == Action.CHANGED:
        for change in record.diff_against(prev).changes:
            if change.field in HIDDEN_FIELDS:
                continue
            verbose = record._meta.get_field(change.field).verbose_name
            row.changes.append(
                FieldChange(
                    str(verbose),
                    show_value(prev, change.field, change.old),
                    show_value(record, change.field, change.new),
                )
            )
    return row


def model_choices() -> list[tuple[str, str]]:
    from nongthon.audit.history import audited_models

    choices = [
        (a.model._meta.label_lower, str(a.model._meta.verbose_name).capitalize())
        for a in audited_models()
    ]
    return sorted(choices, key=lambda c: c[1])
