"""Reporting periods and their deadlines, pure date arithmetic (no database).

A period is (frequency, year, number): month 1-12, quarter 1-4, half 1-2, year 1. Its deadline
is `day` of the period's last month, `months_after` months later; a day past the month's end is
the month's last day. The figures of a report are "as of" the deadline, or the period's last
day when the deadline falls after it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from nongthon.reporting.definitions import (
    ADHOC,
    HALF_YEARLY,
    MONTHLY,
    QUARTERLY,
    YEARLY,
    Rule,
)

ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class PeriodSpec:
    frequency: str
    year: int
    number: int
    start: dt.date
    end: dt.date
    deadline: dt.date

    @property
    def as_of(self) -> dt.date:
        return min(self.deadline, self.end)

    @property
    def label(self) -> str:
        return period_label(self.frequency, self.year, self.number)


def bounds(frequency: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    """First and last day of the period."""
    if frequency == MONTHLY:
        first_month, last_month = number, number
    elif frequency == QUARTERLY:
        first_month, last_month = 3 * number - 2, 3 * number
    elif frequency == HALF_YEARLY:
        first_month, last_month = 6 * number - 5, 6 * number
    elif frequency == YEARLY:
        first_month, last_month = 1, 12
    else:
        raise ValueError(frequency)
    last_day = calendar.monthrange(year, last_month)[1]
    return dt.date(year, first_month, 1), dt.date(year, last_month, last_day)


def deadline_for(end: dt.date, day: int, months_after: int) -> dt.date:
    month_index = end.month - 1 + months_after
    year, month = end.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def numbers(rule: Rule) -> list[int]:
    if rule.frequency == MONTHLY:
        return [m for m in range(1, 13) if m not in rule.skip_months]
    if rule.frequency == QUARTERLY:
        return [1, 2, 3, 4]
    if rule.frequency == HALF_YEARLY:
        return list(rule.halves)
    return [1]


def periods_of(rule: Rule, year: int) -> list[PeriodSpec]:
    """Every period of `rule` in `year`, in order."""
    specs = []
    for number in numbers(rule):
        start, end = bounds(rule.frequency, year, number)
        deadline = deadline_for(end, rule.deadline_day, rule.months_after)
        specs.append(PeriodSpec(rule.frequency, year, number, start, end, deadline))
    return specs


def period_label(frequency: str, year: int, number: int) -> str:
    if frequency == MONTHLY:
        return _("Tháng %(m)d/%(y)d") % {"m": number, "y": year}
    if frequency == QUARTERLY:
        return _("Quý %(q)s/%(y)d") % {"q": ROMAN[number - 1], "y": year}
    if frequency == HALF_YEARLY:
        if number == 1:
            return _("6 tháng đầu năm %(y)d") % {"y": year}
        return _("6 tháng cuối năm %(y)d") % {"y": year}
    if frequency == YEARLY:
        return _("Năm %(y)d") % {"y": year}
    if frequency == ADHOC:
        return _("Đột xuất %(y)d") % {"y": year}
    raise ValueError(frequency)
