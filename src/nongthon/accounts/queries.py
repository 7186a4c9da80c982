"""Read-side functions for the user pages: lists, unit choices, a user's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

from django.db.models import Prefetch, QuerySet

from nongthon.accounts import permissions
from nongthon.accounts.models import Membership, User
from nongthon.places.models import Agency, Level, Unit
from nongthon.places.text import fold
from nongthon.web.history import ChangeRow, describe_all

# Above this many units in scope (a system admin's whole country), the unit select starts
# with the provinces only and the search box does the rest.
FULL_SELECT_LIMIT = 400
SEARCH_LIMIT = 50


class Status:
    ACTIVE = "active"
    INACTIVE = "inactive"
    ALL = "all"
    VALUES = (ACTIVE, INACTIVE, ALL)


def managed_user_list(actor: User, *, text: str = "", status: str = Status.ACTIVE) -> QuerySet:
    """The users the actor manages, with their roles, filtered by name and status."""
    users = permissions.managed_users(actor)
    if status == Status.ACTIVE:
        users = users.filter(is_active=True)
    elif status == Status.INACTIVE:
        users = users.filter(is_active=False)
    folded = fold(text)
    if folded:
        # Names carry diacritics ("Nguyễn"); fold both sides so "nguyen" finds them.
        rows = users.values_list("pk", "username", "full_name", "email")
        wanted = [
            pk
            for pk, *texts in rows
            if all(word in fold(" ".join(texts)) for word in folded.split())
        ]
        users = users.filter(pk__in=wanted)
    memberships = Membership.objects.select_related("unit", "agency").order_by("unit__code")
    return users.prefetch_related(Prefetch("memberships", queryset=memberships)).order_by(
        "username"
    )


@dataclass
class UnitGroup:
    label: str
    units: list[Unit] = field(default_factory=list)


def unit_choices(actor: User, text: str = "") -> list[UnitGroup]:
    """Units where the actor may grant roles, grouped by province or district for a select.

    With `text`, the diacritic-insensitive matches (Unit.objects.search); without, the whole
    subtree when it is small enough, else the provinces in scope.
    """
    scope = permissions.grantable_units(actor).select_related("province", "district")
    if text.strip():
        units = list(scope.search(text).order_by("level", "code")[:SEARCH_LIMIT])
    elif scope.count() <= FULL_SELECT_LIMIT:
        units = list(scope.order_by("code"))
    else:
        units = list(scope.filter(level=Level.PROVINCE).order_by("edition", "name"))
    return _group(units)


def _group(units: list[Unit]) -> list[UnitGroup]:
    """Provinces first, then one group per district (its communes), then loose communes."""
    order = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    groups: dict[str, UnitGroup] = {}
    for unit in sorted(units, key=lambda u: (u.edition, order[u.level], u.code)):
        if unit.level == Level.PROVINCE:
            key, label = "provinces", str(Level.PROVINCE.label)
        else:
            head = unit if unit.level == Level.DISTRICT else (unit.district or unit.province)
            key = f"unit-{head.pk}" if head else "other"
            label = head.name if head else ""
            if head and head.province_id and head.level == Level.DISTRICT:
                label = f"{head.name} ({head.province.name})"
        groups.setdefault(key, UnitGroup(label)).units.append(unit)
    return list(groups.values())


def grantable_unit(actor: User, pk) -> Unit | None:
    try:
        return permissions.grantable_units(actor).get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        return None


def agencies_for(unit: Unit) -> QuerySet[Agency]:
    """Agencies a department officer of `unit` may belong to: the unit's current ones."""
    return Agency.objects.filter(unit=unit).current().order_by("name")


def user_history(user: User) -> list[ChangeRow]:
    """Changes to the account and its memberships (granted, removed), newest first.

    Logins touch `last_login`, which history does not keep; those empty records are skipped.
    """
    records = sorted(
        chain(
            user.history.select_related("history_user").all(),
            Membership.history.filter(user_id=user.pk).select_related("history_user"),
        ),
        key=lambda r: r.history_date,
        reverse=True,
    )
    rows = describe_all(records)
    return [
        row
        for record, row in zip(records, rows, strict=True)
        if record.history_type != "~" or row.changes or row.reason
    ]
