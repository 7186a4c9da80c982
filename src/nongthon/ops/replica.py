"""Read replica: dashboards and reports read from a PostgreSQL standby when one is configured.

With NONGTHON_REPLICA_DATABASE_URL set, settings add a "replica" database and this router. Only
GET/HEAD requests to the views named in REPLICA_VIEWS (or decorated with `reads_from_replica`)
read from it, and only the program's data: sessions, users, memberships, login records and the
job queue always come from the primary (a replica a second behind must not log anyone out or
hide a fresh permission). Everything else, and every write, goes to the primary.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)

# Dashboards and reports (namespace:url name): read-only pages that add up many rows.
REPLICA_VIEWS: frozenset[str] = frozenset(
    {
        "assessment:results_index",
        "assessment:results_scorecard",
        "assessment:results_matrix",
        "assessment:results_list",
        "recognition:index",
        "recognition:titles",
        "recognition:conditions",
        "recognition:maintenance",
        "funding:overview",
        "funding:distance",
        "funding:targets",
        "ocop:public_catalogue",
        "ocop:public_product",
    }
)

# Apps whose rows decide who the user is and what they may do: always the primary.
PRIMARY_ONLY_APPS: frozenset[str] = frozenset(
    {
        "sessions",
        "auth",
        "accounts",
        "contenttypes",
        "admin",
        "axes",
        "django_tasks_database",
        "ops",
    }
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Within the block, reads of program data go to the replica (when there is one)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def reads_from_replica(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view as a dashboard or report (for modules that prefer a decorator to the list)."""
    view.reads_from_replica = True  # type: ignore[attr-defined]
    return view


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if _use_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica is a copy of the primary: rows from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        # The standby replays the primary's changes; it is never migrated on its own.
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Turn replica reads on for GET/HEAD requests to a dashboard or report view, for the time
    of the view and its rendering (the flag is reset when the response leaves)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _use_replica.set(False)
        try:
            return self.get_response(request)
        finally:
            _use_replica.reset(token)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if not replica_configured() or request.method not in {"GET", "HEAD"}:
            return
        match = request.resolver_match
        if getattr(view_func, "reads_from_replica", False) or (
            match is not None and match.view_name in REPLICA_VIEWS
        ):
            _use_replica.set(True)
