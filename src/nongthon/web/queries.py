"""The change feed a coordinator reads: every kept history inside their scope, newest first."""

from __future__ import annotations

from itertools import chain

from nongthon.accounts.models import Membership
from nongthon.accounts.permissions import COORDINATOR_ROLES, scope_filter
from nongthon.places.models import Agency, Hamlet, Unit

# (model, path from the model to the unit that scopes it)
FEED_SOURCES = [(Hamlet, "commune__"), (Agency, "unit__"), (Unit, ""), (Membership, "unit__")]


def changes_in_scope(user, limit: int = 200) -> list:
    """Recent changes to units, hamlets, agencies and memberships the user coordinates."""
    parts = []
    for model, prefix in FEED_SOURCES:
        q = scope_filter(user, prefix=prefix, roles=COORDINATOR_ROLES)
        records = model.history.filter(q).select_related("history_user")
        parts.append(records.order_by("-history_date")[:limit])
    merged = sorted(chain(*parts), key=lambda r: r.history_date, reverse=True)
    return merged[:limit]
