"""Background jobs of the plans app (nongthon.ops.jobs)."""

from __future__ import annotations

import datetime as dt

from nongthon.ops.jobs import job
from nongthon.places.models import Unit
from nongthon.plans.reminders import send_reminders


@job()
def send_task_reminders(on: str, province_id: int | None = None) -> int:
    """The day's task reminders (`on` as YYYY-MM-DD), for one province or all; returns how many
    e-mails went out."""
    scope = Unit.objects.get(pk=province_id) if province_id else None
    return send_reminders(dt.date.fromisoformat(on), scope)
