"""Pages of two-factor authentication: the code after the password, enrolment with a QR code,
backup codes, turning it off; and the manager's buttons on the user page (unlock, reset)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nongthon.accounts import permissions, security, two_factor
from nongthon.accounts.models import User
from nongthon.web.forms import StyledForm, add_errors


class TokenForm(StyledForm):
    token = forms.CharField(
        label=gettext_lazy("Mã xác thực"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": gettext_lazy("Nhập mã gồm 6 chữ số hoặc một mã dự phòng.")},
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if two_factor.owed(request) != two_factor.VERIFY:
        return redirect(_next(request))
    if not two_factor.has_device(request.user):
        # The device was reset meanwhile: owe an enrolment instead, or nothing.
        two_factor.on_login(None, request, request.user)
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.throttled(request.user):
            form.add_error("token", _("Nhập sai nhiều lần: chờ ít phút rồi thử lại."))
        elif two_factor.verify(request, form.cleaned_data["token"]):
            return redirect(_next(request))
        else:
            form.add_error("token", _("Mã không đúng hoặc đã hết hạn."))
    context = {"form": form, "next": _next(request)}
    return render(request, "accounts/two_factor_verify.html", context)


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code (or type the key), then prove it with a code."""
    if two_factor.owed(request) == two_factor.VERIFY:
        return redirect("accounts:2fa_verify")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_enrolment(request, form.cleaned_data["token"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã bật xác thực hai bước."))
            context = {"active": "me", "codes": codes, "next": _next(request)}
            return render(request, "accounts/two_factor_codes.html", context)
    device = two_factor.pending_device(request.user)
    context = {
        "active": "me",
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "required": two_factor.required(request.user),
        "enrolled": two_factor.has_device(request.user),
        "next": _next(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    codes = two_factor.regenerate_backup_codes(request)
    context = {"active": "me", "codes": codes, "next": "/accounts/me/"}
    return render(request, "accounts/two_factor_codes.html", context)


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    try:
        two_factor.disable(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("accounts:me")


def _target(request: HttpRequest, pk: int) -> User:
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    user = get_object_or_404(User, pk=pk)
    if not permissions.can_unlock_login(request.user, user):
        raise Http404
    return user


@login_required
@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = _target(request, pk)
    security.unlock_login(request.user, user)
    messages.success(request, _("Đã mở khóa đăng nhập cho «%s».") % user.username)
    return redirect("accounts:user", user.pk)


@login_required
@require_POST
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = _target(request, pk)
    two_factor.reset_by_manager(request.user, user)
    messages.success(
        request,
        _("Đã đặt lại xác thực hai bước của «%s»; lần đăng nhập tới người dùng cài lại.")
        % user.username,
    )
    return redirect("accounts:user", user.pk)
