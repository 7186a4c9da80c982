"""Read-side functions over units, hamlets and agencies, shared by pages, reports and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import chain

from django.db.models import Count, QuerySet

from nongthon.places.models import Agency, Edition, Hamlet, Level, Succession, Unit, UnitKind


def provinces(edition: str) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(edition=edition, level=Level.PROVINCE)
        .select_related("region")
        .annotate(n_children=Count("children"))
        .order_by("name")
    )


def children(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(parent=unit).annotate(n_children=Count("children")).order_by("code")


def search_units(text: str, edition: str | None = None, limit: int = 50) -> list[Unit]:
    """Units whose name or code matches, ignoring diacritics; provinces first, then by code."""
    query = Unit.objects.search(text).select_related("province", "district")
    if edition:
        query = query.filter(edition=edition)
    order = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    found = list(query.order_by("code")[: limit * 3])
    found.sort(key=lambda u: (order[u.level], u.edition != Edition.Y2025, u.code))
    return found[:limit]


def became_part_of(unit: Unit) -> QuerySet[Succession]:
    """Where an old unit went ("became part of"), with the new unit's province."""
    return unit.successions_out.select_related("successor", "successor__province").order_by(
        "successor__code"
    )


def formed_from(unit: Unit) -> QuerySet[Succession]:
    """What a new unit was formed from, with each old unit's district and province."""
    return unit.successions_in.select_related(
        "predecessor", "predecessor__district", "predecessor__province"
    ).order_by("predecessor__code")


@dataclass
class KindCount:
    label: str
    count: int


def summary(unit: Unit) -> list[KindCount]:
    rows = (
        Unit.objects.subtree(unit, include_self=False)
        .values("level", "kind")
        .annotate(n=Count("pk"))
        .order_by("level", "kind")
    )
    return [KindCount(UnitKind(r["kind"]).label, r["n"]) for r in rows]


def hamlets_of(commune: Unit, include_retired: bool = False) -> QuerySet[Hamlet]:
    query = Hamlet.objects.filter(commune=commune)
    return query if include_retired else query.active()


def agencies_of(unit: Unit, on: dt.date | None = None) -> QuerySet[Agency]:
    query = Agency.objects.filter(unit=unit).select_related("succeeded_by", "unit")
    return query.valid_on(on) if on else query


def agencies_current_and_ended(unit: Unit) -> tuple[list[Agency], list[Agency]]:
    """The unit's agencies split into those still serving it and those that ended before it
    did (an agency that ended with its unit, as all of Hậu Giang's on 30/06/2025, is current
    on that historical unit's page)."""
    from nongthon.places.agencies import ended_early

    current, ended = [], []
    for agency in agencies_of(unit):
        (ended if ended_early(agency) else current).append(agency)
    return current, ended


def unit_by_code(code: str, on: dt.date, level: str | None = None) -> Unit | None:
    """The unit that bore `code` on `day`: codes are reused across editions with another meaning.
    A text no code can be (too long, a NUL that PostgreSQL refuses) finds nothing."""
    if not isinstance(code, str) or "\x00" in code or len(code) > 16:
        return None
    query = Unit.objects.valid_on(on).filter(code=code)
    if level:
        query = query.filter(level=level)
    return query.first()


def history_of(objects: list) -> list:
    """Historical records of several objects, newest first, each with its diff to the previous."""
    records = sorted(
        chain.from_iterable(o.history.select_related("history_user").all() for o in objects),
        key=lambda r: r.history_date,
        reverse=True,
    )
    return records
