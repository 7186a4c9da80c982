"""Use cases that change users and memberships: one function per action, permission checked."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import Membership, Role, User
from nongthon.places.models import Agency, Unit


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
) -> User:
    """Create an account. `actor` None means the system itself (demo, commands)."""
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
    if check_password:
        validate_password(password, user)
    user.set_password(password)
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
    membership = Membership(user=user, unit=unit, role=role, agency=agency)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def revoke_membership(actor: User | None, membership: Membership) -> None:
    if actor is not None:
        if not permissions.can_manage_users_at(actor, membership.unit):
            raise PermissionDenied
        if membership.role == Role.SYSTEM_ADMIN and not permissions.is_system_admin(actor):
            raise PermissionDenied
    membership.delete()
