"""Certificate dates and status, as pure functions of the certificate and a day.

Validity: 36 months from the decision date (QĐ 26/2026 Điều 4.3); the certificate is valid
through `valid_until`. Re-evaluation window: from 180 to 120 days before `valid_until`
(Điều 7.6a). "Expiring" from when that window opens. All periods come from data/rules.yaml.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from nongthon.ocop.rules import certificate_rules


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day number `months` later (31/01 + 1 month → 28 or 29/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(decision_date: dt.date) -> dt.date:
    return add_months(decision_date, certificate_rules().validity_months)


@dataclass(frozen=True)
class Window:
    opens: dt.date
    closes: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.opens <= day <= self.closes


def reevaluation_window(until: dt.date) -> Window:
    rules = certificate_rules()
    return Window(
        until - dt.timedelta(days=rules.window_opens_days_before),
        until - dt.timedelta(days=rules.window_closes_days_before),
    )


def status_on(
    *,
    until: dt.date,
    revoked_on: dt.date | None,
    superseded: bool,
    day: dt.date,
) -> str:
    """valid / expiring / expired / revoked / superseded on `day`."""
    if revoked_on is not None and revoked_on <= day:
        return "revoked"
    if superseded:
        return "superseded"
    if day > until:
        return "expired"
    if day >= until - dt.timedelta(days=certificate_rules().expiring_days):
        return "expiring"
    return "valid"


def status(certificate, day: dt.date) -> str:
    return status_on(
        until=certificate.valid_until,
        revoked_on=certificate.revoked_on,
        superseded=certificate.superseded_by_id is not None,
        day=day,
    )
