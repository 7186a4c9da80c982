"""Use cases that change users and memberships: one function per action, permission checked.

`actor` None means the system itself (demo, management commands, tests' fixtures). History is
kept by django-simple-history; the actor is written on the record explicitly so that changes
made outside a request (commands) still say who did them.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import Membership, Role, User
from nongthon.places.models import Agency, Unit

MANAGING_ROLES = {*permissions.USER_MANAGER_ROLES, Role.SYSTEM_ADMIN}


def _check_password(password: str, user: User) -> None:
    """Django's validators, reported on the `password` field."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": [_message(e) for e in error.error_list]}) from error


def _message(error: ValidationError) -> str:
    # Each validator of accounts/passwords.py words its own Vietnamese message.
    return " ".join(error.messages)


def _stamp(obj, actor: User | None, reason: str = "") -> None:
    if actor is not None:
        obj._history_user = actor
    if reason:
        obj._change_reason = reason


def _require_manager_of(actor: User | None, user: User) -> None:
    if actor is not None and not permissions.can_manage_user(actor, user):
        raise PermissionDenied


@transaction.atomic
def create_user(
    actor: User | None,
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    position: str = "",
    phone: str = "",
    check_password: bool = True,
    password_hash: str | None = None,
) -> User:
    """Create an account. `actor` None means the system itself (demo, commands).
    `password_hash`: an already hashed password (the demo hashes its one password once: each
    Argon2 hash costs a fraction of a second on purpose)."""
    if actor is not None and not permissions.can_manage_users(actor):
        raise PermissionDenied
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập «%s» đã có người dùng.") % username})
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        position=position.strip(),
        phone=phone.strip(),
    )
    if password_hash is not None:
        user.password = password_hash
    else:
        if check_password:
            _check_password(password, user)
        user.set_password(password)
    user.full_clean()
    _stamp(user, actor)
    user.save()
    return user


@transaction.atomic
def grant_membership(
    actor: User | None, user: User, unit: Unit, role: str, agency: Agency | None = None
) -> Membership:
    """Give `user` a role at `unit`; a coordinator grants only inside their own subtree."""
    if actor is not None:
        if not permissions.can_manage_users_at(actor, unit):
            raise PermissionDenied
        if not permissions.can_grant_role(actor, role):
            raise PermissionDenied
        # A user who also works elsewhere is not this coordinator's to change.
        if user.pk and user.memberships.exists() and not permissions.can_manage_user(actor, user):
            raise PermissionDenied
    membership = Membership(user=user, unit=unit, role=role, agency=agency)
    membership.full_clean()
    # The unique constraint cannot see duplicates without an agency (NULLs are distinct).
    if Membership.objects.filter(user=user, unit=unit, role=role, agency=agency).exists():
        raise ValidationError(
            _("%(user)s đã có vai trò «%(role)s» tại %(unit)s.")
            % {"user": user.display_name, "role": membership.get_role_display(), "unit": unit}
        )
    _stamp(membership, actor)
    membership.save()
    permissions.forget_memberships(user)
    return membership


@transaction.atomic
def create_user_with_membership(
    actor: User,
    *,
    username: str,
    password: str,
    unit: Unit,
    role: str,
    agency: Agency | None = None,
    full_name: str = "",
    email: str = "",
    position: str = "",
    phone: str = "",
) -> User:
    """A coordinator opens an account and gives its first role, all or nothing."""
    if not permissions.can_manage_users_at(actor, unit) or not permissions.can_grant_role(
        actor, role
    ):
        raise PermissionDenied
    user = create_user(
        actor,
        username=username,
        password=password,
        full_name=full_name,
        email=email,
        position=position,
        phone=phone,
    )
    grant_membership(actor, user, unit, role, agency)
    return user


@transaction.atomic
def revoke_membership(actor: User | None, membership: Membership) -> None:
    if actor is not None:
        if not permissions.can_revoke_membership(actor, membership):
            raise PermissionDenied
        user = membership.user
        others = user.memberships.exclude(pk=membership.pk)
        if not others.exists():
            raise ValidationError(
                _(
                    "Đây là vai trò cuối cùng của %(user)s: thêm vai trò khác trước khi gỡ, "
                    "hoặc khóa tài khoản nếu người này thôi làm việc."
                )
                % {"user": user.display_name}
            )
        if (
            user.pk == actor.pk
            and membership.role in MANAGING_ROLES
            and not actor.is_superuser
            and not others.filter(role__in=MANAGING_ROLES).exists()
        ):
            raise ValidationError(
                _(
                    "Bạn không thể tự gỡ vai trò điều phối cuối cùng của mình; "
                    "nhờ một điều phối viên khác hoặc quản trị hệ thống làm việc này."
                )
            )
    _stamp(membership, actor)
    membership.delete()
    permissions.forget_memberships(membership.user)


@transaction.atomic
def deactivate_user(actor: User, user: User, *, reason: str = "") -> User:
    """Lock an account: its holder can no longer log in; roles and history stay."""
    _require_manager_of(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của chính mình."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    user.is_active = False
    _stamp(user, actor, reason or _("Khóa tài khoản"))
    user.save()
    return user


@transaction.atomic
def reactivate_user(actor: User, user: User, *, reason: str = "") -> User:
    _require_manager_of(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    _stamp(user, actor, reason or _("Mở khóa tài khoản"))
    user.save()
    return user


@transaction.atomic
def set_password_by_manager(actor: User, user: User, *, password: str) -> User:
    """A coordinator sets a new password for someone who forgot theirs."""
    _require_manager_of(actor, user)
    if user.pk == actor.pk:
        # Changing one's own password asks for the old one: the "my account" page.
        raise ValidationError(_("Đổi mật khẩu của chính bạn tại trang «Tài khoản của tôi»."))
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_password(password, user)
    user.set_password(password)
    # The password itself is not kept in history; the reason row records that it was reset.
    _stamp(user, actor, _("Đặt lại mật khẩu"))
    user.save()
    return user


@transaction.atomic
def update_profile(
    actor: User,
    user: User,
    *,
    full_name: str,
    position: str = "",
    phone: str = "",
    email: str = "",
    expected_version: int | None = None,
) -> User:
    """Name, position and contacts; the user themself or their coordinator.

    With `expected_version` (the version the form was loaded with), a save over someone else's
    newer change is refused instead of overwriting it.
    """
    if not permissions.can_edit_profile(actor, user):
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    if expected_version is not None and user.version != expected_version:
        latest = user.history.select_related("history_user").first()
        who = latest.history_user.display_name if latest and latest.history_user else _("Hệ thống")
        raise ValidationError(
            _(
                "%(who)s vừa sửa thông tin của «%(username)s» sau khi bạn mở trang "
                "(họ tên hiện là «%(name)s»). Thay đổi của bạn chưa được lưu; hãy xem lại."
            )
            % {"who": who, "username": user.username, "name": user.full_name},
            code="stale",
        )
    user.version += 1
    user.full_name = full_name.strip()
    user.position = position.strip()
    user.phone = phone.strip()
    user.email = email.strip()
    user.full_clean(exclude=["password"])
    _stamp(user, actor)
    user.save()
    return user


@transaction.atomic
def change_own_password(user: User, *, old_password: str, new_password: str) -> User:
    """Anyone changes their own password, proving they know the current one."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("Mật khẩu hiện tại không đúng.")})
    _check_password(new_password, user)
    user.set_password(new_password)
    _stamp(user, user, _("Tự đổi mật khẩu"))
    user.save()
    return user
