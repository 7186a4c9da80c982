"""Forms of the user pages: they parse and check shapes; the rules live in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.places.models import Agency, Unit
from nongthon.web.forms import StyledForm


class MembershipForm(StyledForm):
    """A role at a unit (and, for a department officer, an agency of that unit)."""

    # The unit select is drawn by the template from the actor's scope (it may be large, and
    # an htmx search fills it); the queryset here only validates the submitted choice.
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        error_messages={
            "required": _("Chọn đơn vị nơi người dùng làm việc."),
            "invalid_choice": _("Đơn vị đã chọn không thuộc phạm vi bạn quản lý."),
        },
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        error_messages={
            "required": _("Chọn vai trò."),
            "invalid_choice": _("Bạn không được cấp vai trò này."),
        },
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Bắt buộc với cán bộ sở, ngành: cơ quan thuộc đơn vị đã chọn."),
        error_messages={"invalid_choice": _("Cơ quan đã chọn không thuộc phạm vi bạn quản lý.")},
    )

    def __init__(self, *args, actor: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = permissions.grantable_units(actor)
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [
            ("", "---------"),
            *((role.value, role.label) for role in permissions.grantable_roles(actor)),
        ]
        self.fields["agency"].queryset = Agency.objects.filter(unit__in=units)

    @property
    def unit_out_of_scope(self) -> bool:
        """A unit pk the actor does not manage: a crafted request, answered with 404."""
        return self.has_error("unit", "invalid_choice")


class ProfileForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        error_messages={"required": _("Nhập họ và tên.")},
    )
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )


def _password_rules() -> str:
    return " ".join(password_validators_help_texts())


class PasswordPairForm(StyledForm):
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        help_text=lazy(_password_rules, str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Nhập mật khẩu.")},
    )
    password_confirm = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Nhập lại mật khẩu để xác nhận.")},
    )

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password"), data.get("password_confirm")
        if first and second and first != second:
            self.add_error("password_confirm", _("Hai lần nhập mật khẩu không giống nhau."))
        return data


class UserCreateForm(MembershipForm, ProfileForm, PasswordPairForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Chữ không dấu, số và các ký tự @ . + - _ (vd. xa.vibinh)."),
        error_messages={"required": _("Nhập tên đăng nhập.")},
    )

    field_order = [
        "username",
        "full_name",
        "position",
        "phone",
        "email",
        "password",
        "password_confirm",
        "unit",
        "role",
        "agency",
    ]


class OwnPasswordForm(PasswordPairForm):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Nhập mật khẩu hiện tại.")},
    )

    field_order = ["old_password", "password", "password_confirm"]
