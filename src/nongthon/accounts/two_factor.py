"""Two-factor authentication with TOTP (django-otp): enrolment, codes, backup codes, the gate.

Anyone may turn it on from "Tài khoản của tôi". Province coordinators and system admins must
use it when NONGTHON_REQUIRE_2FA is on (the default in production, off in development and the
demo): after the password they are sent to enrolment until they confirm a device. Whoever has a
confirmed device is asked for a code after the password.

The gate reads one flag in the session, set when the user logs in (`on_login`), so pages cost
no extra query: "verify" (a code is owed), "enrol" (a device is owed), or absent.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nongthon.accounts import permissions
from nongthon.accounts.models import User

SESSION_KEY = "nongthon_2fa"
VERIFY = "verify"
ENROL = "enrol"
BACKUP_CODES = 10
DEVICE_NAME = "totp"


def required(user: User) -> bool:
    return settings.NONGTHON_REQUIRE_2FA and permissions.must_use_two_factor(user)


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def on_login(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """user_logged_in: what the session owes before the user may go on."""
    if request is None or not hasattr(request, "session"):
        return
    if has_device(user):
        request.session[SESSION_KEY] = VERIFY
    elif required(user):
        request.session[SESSION_KEY] = ENROL
    else:
        request.session.pop(SESSION_KEY, None)


def owed(request: HttpRequest) -> str | None:
    return request.session.get(SESSION_KEY)


def _passed(request: HttpRequest, device) -> None:
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)


def _stamp(user: User, actor: User | None, reason: str) -> None:
    """A history record on the account (no field changes, the reason says what happened)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user._history_user = actor
    user._change_reason = reason
    user.save(update_fields=["is_active"])


# --- enrolment -------------------------------------------------------------------------------


def pending_device(user: User) -> TOTPDevice:
    """The device being enrolled (not confirmed yet), made on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed by hand (base32, in fours)."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def confirm_enrolment(request: HttpRequest, token: str) -> list[str]:
    """Check a code from the new device; on success the device replaces any older one, the
    session counts as verified, and ten new backup codes are returned (shown once)."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError({"token": _("Hãy mở lại trang cài đặt để lấy mã QR mới.")})
    if not device.verify_token(_digits(token)):
        raise ValidationError(
            {"token": _("Mã không đúng. Kiểm tra giờ của điện thoại rồi nhập mã mới nhất.")}
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(user)
    _stamp(user, user, _("Bật xác thực hai bước"))
    _passed(request, device)
    return codes


@transaction.atomic
def regenerate_backup_codes(request: HttpRequest) -> list[str]:
    if not has_device(request.user):
        raise PermissionDenied
    codes = _new_backup_codes(request.user)
    _stamp(request.user, request.user, _("Tạo mã dự phòng mới"))
    return codes


# --- after the password ----------------------------------------------------------------------


def _digits(token: str) -> str:
    return "".join(token.split())


def verify(request: HttpRequest, token: str) -> bool:
    """A code from the app (6 digits) or a backup code (used once)."""
    user = request.user
    token = _digits(token).lower()
    if token.isascii() and token.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(token):
                _passed(request, device)
                return True
    return False


def throttled(user: User) -> bool:
    """django-otp doubles the wait after each wrong code; say so instead of "wrong code"."""
    return any(
        not d.verify_is_allowed()[0] for d in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


# --- turning it off --------------------------------------------------------------------------


@transaction.atomic
def disable(request: HttpRequest) -> None:
    """The holder turns it off (a verified session); refused when their role requires it."""
    user = request.user
    if required(user):
        raise ValidationError(_("Vai trò của bạn bắt buộc dùng xác thực hai bước."))
    if not has_device(user):
        return
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _stamp(user, user, _("Tắt xác thực hai bước"))


@transaction.atomic
def reset_by_manager(actor: User, user: User) -> None:
    """A lost phone: the user's coordinator or an admin removes the devices; the user enrols
    again at the next login (or may, when not required, go on without)."""
    if not permissions.can_unlock_login(actor, user):
        raise PermissionDenied
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _stamp(user, actor, _("Đặt lại xác thực hai bước"))
