"""Use cases of personal API tokens: create (the secret is returned once), revoke, and find
the token a request presents. Only a hash of the secret is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.api.models import ApiToken, Scope

SECRET_PREFIX = "ntk_"
PREFIX_LENGTH = 12  # "ntk_" and 8 characters of the secret
# Writing last_used_at on every request would turn reads into writes; once a minute is enough.
LAST_USED_EVERY = dt.timedelta(minutes=1)
MAX_TOKENS = 20
MAX_NAME = 100


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def create_token(
    user: User, *, name: str, scope: str, expires_on: dt.date | None = None
) -> NewToken:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Tên gợi nhớ: bắt buộc (ví dụ «Đồng bộ cổng thông tin tỉnh»).")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Tên gợi nhớ dài quá %(n)s ký tự.") % {"n": MAX_NAME}
    if scope not in Scope.values:
        errors["scope"] = _("Phạm vi: chọn «Chỉ đọc» hoặc «Đọc và ghi».")
    if expires_on is not None and expires_on <= timezone.localdate():
        errors["expires_on"] = _("Ngày hết hạn phải sau hôm nay.")
    if active_tokens(user).count() >= MAX_TOKENS:
        errors["name"] = _("Bạn đã có %(n)s khóa đang dùng; hãy thu hồi khóa không dùng nữa.") % {
            "n": MAX_TOKENS
        }
    if errors:
        raise ValidationError(errors)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        scope=scope,
        expires_on=expires_on,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=hash_secret(secret),
    )
    token._history_user = user
    token.save()
    return NewToken(token, secret)


@transaction.atomic
def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """The owner revokes their token; a system admin may revoke anyone's."""
    if token.user_id != actor.pk and not permissions.is_system_admin(actor):
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._history_user = actor
        token.save()
    return token


def active_tokens(user: User):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
    )


def tokens_of(user: User):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def find_token(secret: str) -> ApiToken | None:
    """The active token for a presented secret, its user loaded; None when unknown, revoked,
    expired, or its user is inactive. Marks it used (at most once a minute)."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
    now = timezone.now()
    if token is None or not token.is_active(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        # update(), not save(): no history row and no version bump for a read.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
