"""Background jobs of the OCOP app (nongthon.ops.jobs)."""

from __future__ import annotations

import datetime as dt

from nongthon.ocop.services import send_reminders
from nongthon.ops.jobs import job


@job()
def ocop_reminders(day: str) -> int:
    """Re-evaluation reminders of the day (YYYY-MM-DD); each is recorded once per window, so a
    retried run does not remind twice. Returns how many new reminders were made."""
    return len(send_reminders(dt.date.fromisoformat(day)))
