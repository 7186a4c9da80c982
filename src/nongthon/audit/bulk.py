"""Saving many rows of an audited model at once, with the same trail as one `save()` each: a
historical record per row (user, time, client IP) and its audit-log entry.

A province's import writes thousands of values; saved one by one, each costs an UPDATE, a history
INSERT, an audit INSERT and simple-history's per-instance manager (most of the time). Here they
are four bulk statements, in the caller's transaction.
"""

from __future__ import annotations

from django.db import models, transaction
from simple_history.models import HistoricalRecords

from nongthon.audit.history import audited, unit_of
from nongthon.audit.indexing import entry_for
from nongthon.audit.models import Entry
from nongthon.bulk_insert import update_rows
from nongthon.web.client_ip import client_ip

BATCH = 2000


def _ip() -> dict:
    request = getattr(HistoricalRecords.context, "request", None)
    return {"ip_address": client_ip(request)} if request is not None else {}


@transaction.atomic(savepoint=False)
def save_with_history(
    model: type[models.Model],
    *,
    created: list[models.Model],
    updated: list[models.Model],
    fields: list[str],
    user=None,
) -> None:
    """Insert `created`, update `fields` of `updated`, and record both as `save()` would
    (history type "+" and "~"). Instances may carry `_history_user`; `user` is the default."""
    history = model.history
    records = []
    if created:
        model.objects.bulk_create(created, batch_size=BATCH)
        records += history.bulk_history_create(
            created, batch_size=BATCH, default_user=user, custom_historical_attrs=_ip()
        )
    if updated:
        # Django's bulk_update builds a CASE per field and row (slower than saving one by one).
        attnames = [model._meta.get_field(f).attname for f in fields]
        update_rows(model, attnames, [(o.pk, *(getattr(o, a) for a in attnames)) for o in updated])
        records += history.bulk_history_create(
            updated,
            batch_size=BATCH,
            update=True,
            default_user=user,
            custom_historical_attrs=_ip(),
        )
    audit = audited(model._meta.label_lower)
    if audit is None or not records:
        return
    instances = created + updated
    Entry.objects.bulk_create(
        [
            entry_for(audit, record, unit_of(instance, audit.unit_path))
            for instance, record in zip(instances, records, strict=True)
        ],
        batch_size=BATCH,
    )
