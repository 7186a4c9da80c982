"""User pages: coordinators manage the accounts of their subtree; everyone has "my account".

A user with no right to manage users gets 403 on these pages; a coordinator asking for a user
or unit outside their subtree gets 404 (its existence is not revealed).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nongthon.accounts import permissions, queries, security, services, two_factor
from nongthon.accounts.forms import (
    MembershipForm,
    OwnPasswordForm,
    PasswordPairForm,
    ProfileForm,
    UserCreateForm,
)
from nongthon.accounts.models import Membership, User
from nongthon.web.forms import add_errors

PAGE_SIZE = 50


def _require_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied


def _managed_user_or_404(request: HttpRequest, pk: int) -> User:
    _require_manager(request)
    user = get_object_or_404(User, pk=pk)
    if not permissions.can_manage_user(request.user, user):
        raise Http404
    return user


def _unit_select_context(request: HttpRequest, form: MembershipForm) -> dict:
    """The unit select's options and the agencies of the chosen unit, for the form partial."""
    chosen = queries.grantable_unit(request.user, form["unit"].value()) if form.is_bound else None
    groups = queries.unit_choices(request.user)
    if chosen and not any(chosen in g.units for g in groups):
        groups.insert(0, queries.UnitGroup(_("Đã chọn"), [chosen]))
    return {
        "unit_groups": groups,
        "chosen_unit": chosen,
        "agencies": queries.agencies_for(chosen) if chosen else None,
        "chosen_agency": str(form["agency"].value() or "") if form.is_bound else "",
    }


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    text = request.GET.get("q", "").strip()
    status = request.GET.get("status", queries.Status.ACTIVE)
    if status not in queries.Status.VALUES:
        status = queries.Status.ACTIVE
    users = queries.managed_user_list(request.user, text=text, status=status)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "active": "users",
        "page": page,
        "q": text,
        "status": status,
        "statuses": [
            (queries.Status.ACTIVE, _("Đang hoạt động")),
            (queries.Status.INACTIVE, _("Đã khóa")),
            (queries.Status.ALL, _("Tất cả")),
        ],
    }
    # A history restore (back button) asks with HX-Request too, and needs the whole page.
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        return render(request, "accounts/_user_table.html", context)
    return render(request, "accounts/user_list.html", context)


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.create_user_with_membership(
                    request.user,
                    username=data["username"],
                    password=data["password"],
                    full_name=data["full_name"],
                    position=data["position"],
                    phone=data["phone"],
                    email=data["email"],
                    unit=data["unit"],
                    role=data["role"],
                    agency=data["agency"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Đã tạo tài khoản «%s».") % user.username)
                return redirect("accounts:user", user.pk)
        elif form.unit_out_of_scope:
            raise Http404
    context = {"active": "users", "form": form, **_unit_select_context(request, form)}
    return render(request, "accounts/user_create.html", context)


def _detail(request: HttpRequest, user: User, form: MembershipForm | None = None) -> HttpResponse:
    form = form or MembershipForm(actor=request.user)
    memberships = user.memberships.select_related("unit", "agency").order_by("unit__code")
    context = {
        "active": "users",
        "target": user,
        "memberships": [
            (m, permissions.can_revoke_membership(request.user, m)) for m in memberships
        ],
        "form": form,
        "is_self": user.pk == request.user.pk,
        "rows": queries.user_history(user),
        "logins": security.login_history(user),
        "lockouts": security.lockouts(user),
        "two_factor_on": two_factor.has_device(user),
        "may_unlock": permissions.can_unlock_login(request.user, user),
        **_unit_select_context(request, form),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _managed_user_or_404(request, pk))


@login_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user_or_404(request, pk)
    form = MembershipForm(request.POST, actor=request.user)
    if not form.is_valid():
        if form.unit_out_of_scope:
            raise Http404
        return _detail(request, user, form)
    data = form.cleaned_data
    try:
        membership = services.grant_membership(
            request.user, user, data["unit"], data["role"], data["agency"]
        )
    except ValidationError as error:
        add_errors(form, error)
        return _detail(request, user, form)
    messages.success(request, _("Đã thêm vai trò: %s.") % membership)
    return redirect("accounts:user", user.pk)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = _managed_user_or_404(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, user=user)
    label = str(membership)
    try:
        services.revoke_membership(request.user, membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã gỡ vai trò: %s.") % label)
    return redirect("accounts:user", user.pk)


@login_required
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user_or_404(request, pk)
    try:
        services.deactivate_user(request.user, user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã khóa tài khoản «%s».") % user.username)
    return redirect("accounts:user", user.pk)


@login_required
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user_or_404(request, pk)
    services.reactivate_user(request.user, user)
    messages.success(request, _("Đã mở khóa tài khoản «%s».") % user.username)
    return redirect("accounts:user", user.pk)


@login_required
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user_or_404(request, pk)
    form = PasswordPairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password_by_manager(
                request.user, user, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã đặt mật khẩu mới cho «%s»; hãy báo cho người dùng qua kênh an toàn.")
                % user.username,
            )
            return redirect("accounts:user", user.pk)
    return render(
        request, "accounts/user_password.html", {"active": "users", "target": user, "form": form}
    )


def _profile(request: HttpRequest, user: User, done_url: str) -> HttpResponse:
    initial = {f: getattr(user, f) for f in ("full_name", "position", "phone", "email", "version")}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_profile(
                request.user, user, expected_version=data.pop("version"), **data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin của «%s».") % user.username)
            return redirect(done_url)
    context = {
        "active": "users" if user.pk != request.user.pk else "me",
        "target": user,
        "form": form,
        "cancel_url": done_url,
    }
    return render(request, "accounts/profile_form.html", context)


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user_or_404(request, pk)
    return _profile(request, user, reverse("accounts:user", args=[user.pk]))


@login_required
def unit_options(request: HttpRequest) -> HttpResponse:
    """htmx: the unit select's options matching the search box (diacritics ignored)."""
    _require_manager(request)
    groups = queries.unit_choices(request.user, request.GET.get("unit_q", ""))
    return render(request, "accounts/_unit_options.html", {"unit_groups": groups})


@login_required
def agency_options(request: HttpRequest) -> HttpResponse:
    """htmx: the agencies of the chosen unit, for a department officer's membership."""
    _require_manager(request)
    value = request.GET.get("unit", "")
    unit = queries.grantable_unit(request.user, value) if value else None
    if value and unit is None:
        raise Http404
    agencies = queries.agencies_for(unit) if unit else None
    return render(request, "accounts/_agency_options.html", {"agencies": agencies})


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    """One's own roles and a password change (which asks for the current password)."""
    user = request.user
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            # Keep this session signed in; other sessions end with the old password hash.
            update_session_auth_hash(request, user)
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect("accounts:me")
    memberships = user.memberships.select_related("unit", "agency").order_by("unit__code")
    context = {
        "active": "me",
        "form": form,
        "memberships": memberships,
        "logins": security.login_history(user),
        "two_factor_on": two_factor.has_device(user),
        "two_factor_required": two_factor.required(user),
    }
    return render(request, "accounts/my_account.html", context)


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    return _profile(request, request.user, reverse("accounts:me"))
