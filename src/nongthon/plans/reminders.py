"""E-mail reminders before a task's deadline (and once it is overdue), to the officers of the
lead agency who have an e-mail address, and to the coordination office of the source's unit.
Sent through Django's e-mail backend (console in the demo)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.mail import send_mass_mail
from django.db.models import Q

from nongthon.accounts.models import Membership, Role
from nongthon.places.models import Unit
from nongthon.plans import queries
from nongthon.plans.models import Task

REMIND_DAYS = (7, 1)  # days before a due date on which a reminder goes out (configuration)


def _recipients(task: Task) -> set[str]:
    emails: set[str] = set()
    if task.lead_id:
        emails |= set(
            Membership.objects.filter(agency_id=task.lead_id, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    unit = task.unit
    emails |= set(
        Membership.objects.filter(
            Q(unit=unit),
            role__in=[Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER],
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return emails


def due_reminders(on: dt.date, scope: Unit | None = None) -> list[tuple[str, str, list[str]]]:
    """(subject, body, recipients) for every occurrence due in REMIND_DAYS days or overdue
    today for the first time (the day after its due date)."""
    tasks = queries.tasks_under(scope) if scope else queries._tasks(Task.objects.all())
    by_recipient: dict[str, list[str]] = defaultdict(list)
    for task in tasks:
        for occ in queries.occurrences(task, on):
            if occ.due is None or occ.state not in (queries.OPEN, queries.OVERDUE):
                continue
            days = (occ.due - on).days
            if days in REMIND_DAYS:
                line = f"- Còn {days} ngày (hạn {occ.due:%d/%m/%Y}): {task.content[:200]}"
            elif days == -1:
                line = f"- QUÁ HẠN từ {occ.due:%d/%m/%Y}: {task.content[:200]}"
            else:
                continue
            line += f"\n  Chủ trì: {task.owner_label}. Văn bản: {task.source}"
            for email in _recipients(task):
                by_recipient[email].append(line)
    messages = []
    for email, lines in sorted(by_recipient.items()):
        subject = f"[Nông thôn mới] {len(lines)} nhiệm vụ sắp đến hạn hoặc quá hạn"
        body = "Kính gửi đồng chí,\n\nCác nhiệm vụ sau cần chú ý:\n\n" + "\n".join(lines)
        messages.append((subject, body, [email]))
    return messages


def send_reminders(on: dt.date, scope: Unit | None = None) -> int:
    messages = due_reminders(on, scope)
    if not messages:
        return 0
    return send_mass_mail([(s, b, None, r) for s, b, r in messages], fail_silently=False)
