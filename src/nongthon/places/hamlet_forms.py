"""Forms of the hamlet pages: they parse input only; the rules are in places.hamlets."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nongthon.places import hamlets
from nongthon.places.models import HamletKind


class DateInput(forms.DateInput):
    # The browser's date picker sends ISO dates, which DATE_INPUT_FORMATS accept.
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class HamletForm(forms.Form):
    name = forms.CharField(
        label=_("Tên"),
        max_length=hamlets.NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control", "autofocus": True}),
        error_messages={"required": _("Hãy nhập tên thôn, ấp.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=HamletKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_(
            "Thường là thôn, ấp, bản... ở xã và tổ dân phố, khu phố, khóm... ở phường, thị trấn."
        ),
    )


class HamletEditForm(HamletForm):
    version = _version_field()


class RetireForm(forms.Form):
    on = forms.DateField(
        label=_("Ngày thôi sử dụng"),
        widget=DateInput(attrs={"class": "form-control"}),
        error_messages={"required": _("Hãy nhập ngày thôi sử dụng.")},
    )
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=hamlets.REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Ví dụ: sáp nhập vào ấp 2 theo Nghị quyết số .../NQ-HĐND."),
        error_messages={"required": _("Hãy ghi lý do thôi sử dụng.")},
    )
    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class RestoreForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do khôi phục"),
        max_length=hamlets.REASON_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    version = _version_field()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.FileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
        error_messages={"required": _("Hãy chọn tệp Excel cần nhập.")},
    )
