"""Marking a province's data as changed where no audit entry does it (bulk rewrites of stored
evaluations), for the caches that must not outlive the data (web/dashboard_cache.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models.functions import Coalesce
from django.utils import timezone

from nongthon.places.models import ProvinceStamp, Unit

CHUNK = 900  # ids per IN list (SQLite's parameter limit)


def touch_units(unit_ids: Iterable[int]) -> None:
    """The provinces of these units (a province for itself) changed now."""
    ids = sorted(set(unit_ids))
    provinces: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        provinces.update(
            Unit.objects.filter(pk__in=chunk)
            .annotate(p=Coalesce("province_id", "id"))
            .values_list("p", flat=True)
        )
    touch_provinces(provinces)


def touch_provinces(province_ids: Iterable[int]) -> None:
    now = timezone.now()
    stamps = [ProvinceStamp(province_id=p, changed_at=now) for p in sorted(set(province_ids))]
    if stamps:
        ProvinceStamp.objects.bulk_create(
            stamps,
            update_conflicts=True,
            unique_fields=["province"],
            update_fields=["changed_at"],
        )


def changed_at(province_id: int | None) -> dt.datetime | None:
    if province_id is None:
        return None
    return (
        ProvinceStamp.objects.filter(province_id=province_id)
        .values_list("changed_at", flat=True)
        .first()
    )
