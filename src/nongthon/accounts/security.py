"""Login history and lockouts, read from django-axes' tables (AccessLog: successful logins;
AccessFailureLog: failed ones; AccessAttempt: the counts that lock an account out)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User

HISTORY_LIMIT = 20


@dataclass
class LoginEvent:
    at: dt.datetime
    succeeded: bool
    ip: str
    user_agent: str
    locked_out: bool = False


def login_history(user: User, limit: int = HISTORY_LIMIT) -> list[LoginEvent]:
    """The latest logins, successful and failed, newest first (two indexed queries)."""
    ok = AccessLog.objects.filter(username=user.username).order_by("-attempt_time")[:limit]
    failed = AccessFailureLog.objects.filter(username=user.username).order_by("-attempt_time")
    events = [LoginEvent(a.attempt_time, True, a.ip_address or "", a.user_agent) for a in ok]
    events += [
        LoginEvent(a.attempt_time, False, a.ip_address or "", a.user_agent, a.locked_out)
        for a in failed[:limit]
    ]
    return sorted(events, key=lambda e: e.at, reverse=True)[:limit]


def _cooloff() -> dt.timedelta:
    hours = settings.AXES_COOLOFF_TIME
    return hours if isinstance(hours, dt.timedelta) else dt.timedelta(hours=hours)


def lockouts(user: User) -> list[AccessAttempt]:
    """The addresses from which the account is locked out now."""
    since = timezone.now() - _cooloff()
    return list(
        AccessAttempt.objects.filter(
            username=user.username,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).order_by("-attempt_time")
    )


@transaction.atomic
def unlock_login(actor: User, user: User) -> int:
    """Lift the lockout (every address); recorded in the account's history."""
    if not permissions.can_unlock_login(actor, user):
        raise PermissionDenied
    count = reset(username=user.username)
    user = User.objects.select_for_update().get(pk=user.pk)
    user._history_user = actor
    user._change_reason = _("Mở khóa đăng nhập sau nhiều lần nhập sai")
    user.save(update_fields=["is_active"])
    return count
