"""Reads for the operations pages."""

from __future__ import annotations

from django.db.models import QuerySet

from nongthon.ops.models import JobFailure

# Filters of the failed-jobs page: key -> what it keeps.
STATES = ("gave_up", "retrying", "resolved", "all")


def failures(state: str = "gave_up") -> QuerySet[JobFailure]:
    rows = JobFailure.objects.all()
    if state == "gave_up":
        return rows.filter(will_retry=False, resolved_at__isnull=True)
    if state == "retrying":
        return rows.filter(will_retry=True, resolved_at__isnull=True)
    if state == "resolved":
        return rows.filter(resolved_at__isnull=False)
    return rows


def counts() -> dict[str, int]:
    return {state: failures(state).count() for state in STATES}
