"""A unit's dashboard panels (and a plan's target figures), computed once per state of its
province's data.

The panels read a dozen modules (dozens of aggregate queries); they change only when something in
the province is written. The state is read in three indexed lookups: the province's latest audit
entry (every audited save in the province writes one, in the same transaction), the latest entry
of data that belongs to no province (national sets, funding sources), and the province's stamp
(evaluations rewritten in bulk, which leave no entry: places/stamps.py). The key also holds the
user (panels follow permissions), the unit, the date asked, today (overdue counts), and the
language.

Two gaps are left, both bounded by TIMEOUT: a long transaction whose entry was written before
a shorter one's, but committed after it, does not move the latest entry; and reference data
that is not audited (funding sources, the criteria inside a set version) is loaded from data
files, not edited in pages. Such a change shows when the cached panels expire.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from nongthon.audit.models import Entry
from nongthon.places import stamps
from nongthon.places.models import Level, Unit
from nongthon.web.charts import Panel

T = TypeVar("T")
TIMEOUT = 60  # seconds: the most a change can wait to show (the race above)


def _latest(entries) -> tuple | None:
    return entries.order_by("-at", "-id").values_list("at", "id").first()


def state(unit: Unit) -> tuple:
    province_id = unit.pk if unit.level == Level.PROVINCE else unit.province_id
    return (
        _latest(Entry.objects.filter(province_id=province_id)),
        _latest(Entry.objects.filter(province__isnull=True)),
        stamps.changed_at(province_id),
    )


def cached(kind: str, user, unit: Unit, on: dt.date, build: Callable[[], T]) -> T:
    """What `build` returns (the panels, or their HTML), from the cache while the province's
    data is unchanged. The state is read before building, so what is stored is at least as new
    as its key."""
    who = user.pk if user is not None else None  # None: the same for everyone who may see it
    parts = (kind, who, unit.pk, on, timezone.localdate(), get_language(), state(unit))
    key = "dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, TIMEOUT)
    return found


def panels(user, unit: Unit, on: dt.date, build: Callable[[], list[Panel]]) -> list[Panel]:
    return cached("panels", user, unit, on, build)


def panels_html(user, unit: Unit, on: dt.date, render: Callable[[], str]) -> str:
    """The rendered panels (most of a warm page's time is the template)."""
    return mark_safe(cached("html", user, unit, on, lambda: str(render())))  # noqa: S308
