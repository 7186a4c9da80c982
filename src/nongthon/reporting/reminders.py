"""E-mail reminders to the units that owe a report: 7 and 1 days before its deadline, and the day
after a missed one. To the officers of the unit (commune or district officers) or of the
department, with an e-mail address. Each reminder is logged (ReminderLog), so running the
command twice — the same day or after a missed day — never sends one twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction

from nongthon.accounts.models import Membership, Role
from nongthon.places.models import Agency, Level, Unit
from nongthon.reporting.models import ReminderLog, ReportPeriod, Schedule
from nongthon.reporting.queries import missing_in
from nongthon.reporting.services import ensure_periods

REMIND_DAYS = (7, 1)  # days before a deadline on which a reminder goes out (configuration)
OVERDUE = "overdue"


def _kind(period: ReportPeriod, on: dt.date) -> str | None:
    days = (period.deadline - on).days
    if days in REMIND_DAYS:
        return f"before_{days}"
    if days == -1:
        return OVERDUE
    return None


def _emails(who: Unit | Agency) -> list[str]:
    if isinstance(who, Agency):
        query = Membership.objects.filter(agency=who, role=Role.DEPARTMENT_OFFICER)
    else:
        role = Role.COMMUNE_OFFICER if who.level == Level.COMMUNE else Role.DISTRICT_OFFICER
        query = Membership.objects.filter(unit=who, role=role)
    return sorted(
        set(
            query.filter(user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _line(period: ReportPeriod, kind: str, who: Unit | Agency) -> str:
    if kind == OVERDUE:
        head = f"QUÁ HẠN từ {period.deadline:%d/%m/%Y}"
    else:
        head = f"Còn {kind.removeprefix('before_')} ngày (hạn {period.deadline:%d/%m/%Y})"
    return f"- {head}: {period.title}, {period.label} — {who.name}"


def due_reminders(
    on: dt.date, province: Unit | None = None
) -> list[tuple[ReportPeriod, str, Unit | Agency, list[str]]]:
    """(period, kind, who owes, e-mails) for every report owed and not sent that reaches a
    reminder day on `on`, not reminded before."""
    days = [on + dt.timedelta(days=d) for d in REMIND_DAYS] + [on - dt.timedelta(days=1)]
    periods = ReportPeriod.objects.filter(deadline__in=days).select_related("province")
    if province is not None:
        periods = periods.filter(province=province)
    found = []
    for period in periods.order_by("deadline", "rule_code"):
        kind = _kind(period, on)
        if kind is None:
            continue
        done = set(
            ReminderLog.objects.filter(period=period, kind=kind).values_list(
                "submitter_key", flat=True
            )
        )
        # Only a report not sent by the day of the reminder is reminded.
        for who in missing_in(period, period.province, on):
            if _key(who) in done:
                continue
            found.append((period, kind, who, _emails(who)))
    return found


def _key(who: Unit | Agency) -> str:
    return f"a{who.pk}" if isinstance(who, Agency) else f"u{who.pk}"


def send_reminders(on: dt.date, province: Unit | None = None) -> int:
    """Open the year's periods of every province with a schedule, then send the day's
    reminders, one message per address; returns the number of messages sent."""
    schedules = Schedule.objects.select_related("province")
    if province is not None:
        schedules = schedules.filter(province=province)
    for schedule in schedules:
        ensure_periods(schedule.province, on.year, today=on)
    by_email: dict[str, list[str]] = defaultdict(list)
    to_log = []
    for period, kind, who, emails in due_reminders(on, province):
        for email in emails:
            by_email[email].append(_line(period, kind, who))
        to_log.append(
            ReminderLog(
                period=period,
                submitter_key=_key(who),
                kind=kind,
                sent_on=on,
                recipients=len(emails),
            )
        )
    messages = []
    for email, lines in sorted(by_email.items()):
        subject = f"[Nông thôn mới] {len(lines)} báo cáo sắp đến hạn hoặc quá hạn"
        body = (
            "Kính gửi đồng chí,\n\nĐơn vị của đồng chí còn các báo cáo sau chưa gửi:\n\n"
            + "\n".join(lines)
            + "\n\nĐồng chí vào mục «Báo cáo» của hệ thống để lập và gửi báo cáo."
        )
        messages.append((subject, body, None, [email]))
    with transaction.atomic():
        try:
            ReminderLog.objects.bulk_create(to_log)
        except IntegrityError:  # another run logged them meanwhile: send nothing twice
            return 0
        sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    return sent
