"""Filling the audit columns as django-simple-history writes a record, and rebuilding the index.

The IP address comes from the request simple-history's HistoryRequestMiddleware keeps for the
thread; changes made outside a request (commands, the demo) have none. Records written in bulk
(`bulk_create_with_history`, used by the unit lists and the demo) send no signal: `reindex`
indexes them afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from simple_history.models import HistoricalRecords

from nongthon.audit.history import REGISTRY, Audited, audited, unit_of
from nongthon.audit.models import Entry
from nongthon.places.models import Level, Unit
from nongthon.web.client_ip import client_ip


def stamp_ip(sender, history_instance, **kwargs) -> None:
    """pre_create_historical_record: the address of the request making the change."""
    if not hasattr(history_instance, "ip_address"):
        return
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        history_instance.ip_address = client_ip(request)


def _scope(unit: Unit | None) -> dict:
    if unit is None:
        return {}
    return {
        "unit_id": unit.pk,
        "province_id": unit.pk if unit.level == Level.PROVINCE else unit.province_id,
        "district_id": unit.pk if unit.level == Level.DISTRICT else unit.district_id,
    }


def entry_for(audit: Audited, record, unit: Unit | None) -> Entry:
    model = audit.model
    return Entry(
        at=record.history_date,
        action=record.history_type,
        model=ContentType.objects.get_for_model(model),
        object_id=str(getattr(record, model._meta.pk.attname)),
        history_id=record.history_id,
        user_id=record.history_user_id,
        **_scope(unit),
    )


def index_record(sender, instance, history_instance, **kwargs) -> None:
    """post_create_historical_record: one index row, in the same transaction as the record."""
    audit = audited(instance._meta.label_lower)
    if audit is None:
        return
    entry_for(audit, history_instance, unit_of(instance, audit.unit_path)).save()


def reindex(say: Callable[[str], None] = lambda _text: None, batch: int = 2000) -> int:
    """Index every historical record that has no entry yet (bulk writes, data older than the
    log). Idempotent; returns how many entries it added."""
    added = 0
    for audit in sorted(REGISTRY.values(), key=lambda a: a.model._meta.label_lower):
        history = audit.model.history.model
        content_type = ContentType.objects.get_for_model(audit.model)
        known = Entry.objects.filter(model=content_type).values("history_id")
        missing = history.objects.exclude(history_id__in=known).order_by("history_id")
        count = 0
        last = 0
        while True:
            records = list(missing.filter(history_id__gt=last)[:batch])
            if not records:
                break
            last = records[-1].history_id
            units = _units_of(audit, records)
            Entry.objects.bulk_create(
                [entry_for(audit, r, units.get(r.history_id)) for r in records],
                ignore_conflicts=True,
            )
            count += len(records)
        if count:
            say(f"{audit.model._meta.label}: {count}")
        added += count
    return added


def _units_of(audit: Audited, records: list) -> dict[int, Unit | None]:
    """The unit of each record, read from the record itself (the object may be gone); parents
    are loaded once per batch."""
    path = audit.unit_path
    if path is None:
        return {}
    if path == "self":
        ids = {r.history_id: r.id for r in records}
    else:
        first, _dot, rest = path.partition(".")
        field = _forward_fk(audit.model, first)
        if field is None:
            ids = {}
            for record in records:
                unit = unit_of(record.instance, path)
                ids[record.history_id] = unit.pk if unit is not None else None
        elif not rest:
            ids = {r.history_id: getattr(r, field.attname) for r in records}
        else:
            parents = field.related_model._base_manager.in_bulk(
                {getattr(r, field.attname) for r in records} - {None}
            )
            ids = {}
            for record in records:
                parent = parents.get(getattr(record, field.attname))
                unit = unit_of(parent, rest) if parent is not None else None
                ids[record.history_id] = unit.pk if unit is not None else None
    units = Unit.objects.in_bulk({i for i in ids.values() if i is not None})
    return {hid: units.get(uid) for hid, uid in ids.items()}


def _forward_fk(model, name: str):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a property (Task.unit), not a field
        return None
    return field if field.many_to_one else None
