"""The health check behind `/healthz`: can each configured database answer a query now?

Load balancers and monitors call it every few seconds, so it asks the least (one `SELECT 1` per
database, plus the background queue's backlog when the queue lives in the database) and never
shows an error's text (it may name hosts): only the exception's class.
"""

from __future__ import annotations

import contextlib
import logging
import time
from importlib.metadata import PackageNotFoundError, version

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

logger = logging.getLogger("nongthon.health")


def _version() -> str:
    try:
        return version("nongthon")
    except PackageNotFoundError:  # running from a source tree without installing
        return "unknown"


def database_check(alias: str) -> dict:
    started = time.perf_counter()
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # Drop the broken connection so the next probe reconnects from scratch.
        with contextlib.suppress(DatabaseError):
            connection.close()
        logger.warning("database %s unreachable: %s", alias, exc.__class__.__name__)
        return {"ok": False, "error": exc.__class__.__name__}
    return {
        "ok": True,
        "engine": connection.vendor,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }


def queue_check() -> dict:
    """The database queue's backlog: jobs waiting, and how long the oldest has waited. Only
    informative (the page still answers 200): a stuck worker shows as a growing age."""
    if settings.TASKS_MODE != "database":
        return {"mode": settings.TASKS_MODE}
    from django_tasks_db.models import DBTaskResult

    try:
        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        return {
            "mode": "database",
            "waiting": ready.count(),
            "oldest_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else 0,
        }
    except DatabaseError as exc:
        return {"mode": "database", "error": exc.__class__.__name__}


def report() -> tuple[int, dict]:
    """(HTTP status, body): 200 when every database answers, else 503."""
    checks = {alias: database_check(alias) for alias in settings.DATABASES}
    healthy = all(check["ok"] for check in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "version": _version(),
        "databases": checks,
    }
    if healthy:
        body["jobs"] = queue_check()
    return (200 if healthy else 503), body
