"""Forms for the agency pages: they parse input; the rules live in places.agencies."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongthon.places.models import Agency, AgencyKind
from nongthon.web.forms import ModelIdsField, StyledForm, int_param

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}


class VersionedForm(StyledForm):
    """Carries the version the page was loaded with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AgencyAddForm(StyledForm):
    name = forms.CharField(label=_("Tên cơ quan"), max_length=200)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=AgencyKind.choices)
    code = forms.CharField(
        label=_("Mã"),
        max_length=40,
        required=False,
        help_text=_("Chữ thường không dấu và dấu gạch ngang (vd. ban-dan-toc). Để trống: tự tạo."),
    )
    valid_from = forms.DateField(label=_("Hiệu lực từ"), required=False, widget=DATE_WIDGET)
    basis = forms.CharField(
        label=_("Căn cứ"),
        max_length=300,
        required=False,
        help_text=_("Số, ngày quyết định thành lập (nếu có)."),
    )


class AgencyRenameForm(VersionedForm):
    name = forms.CharField(label=_("Tên mới"), max_length=200)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=60, required=False)
    reason = forms.CharField(
        label=_("Lý do, căn cứ"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: số, ngày quyết định đổi tên. Tên cũ vẫn giữ trong lịch sử."),
    )


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} — {obj.unit.name}"


class AgencyEndForm(VersionedForm):
    valid_to = forms.DateField(
        label=_("Ngày kết thúc"),
        widget=DATE_WIDGET,
        help_text=_("Ngày cuối cùng cơ quan còn hoạt động."),
    )
    successor = AgencyChoiceField(
        label=_("Cơ quan kế thừa"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("(không có)"),
    )
    basis = forms.CharField(
        label=_("Căn cứ"), max_length=300, help_text=_("Số, ngày văn bản giải thể, sáp nhập.")
    )

    def __init__(self, *args, successors=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if successors is not None:
            self.fields["successor"].queryset = successors


class AgencyMultipleChoiceField(ModelIdsField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class AgencyMergeForm(StyledForm):
    agencies = AgencyMultipleChoiceField(
        label=_("Các cơ quan sáp nhập"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    on = forms.DateField(
        label=_("Cơ quan mới có hiệu lực từ"),
        widget=DATE_WIDGET,
        help_text=_("Các cơ quan cũ kết thúc vào ngày hôm trước."),
    )
    name = forms.CharField(label=_("Tên cơ quan mới"), max_length=200)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=AgencyKind.choices)
    code = forms.CharField(
        label=_("Mã"),
        max_length=40,
        required=False,
        help_text=_("Chữ thường không dấu và dấu gạch ngang (vd. so-nnmt). Để trống: tự tạo."),
    )
    basis = forms.CharField(
        label=_("Căn cứ"), max_length=300, help_text=_("Số, ngày quyết định sáp nhập.")
    )
    # "pk:version,pk:version" of the choices as loaded: a merge refuses agencies changed since.
    versions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, choices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["agencies"].queryset = choices
            if not self.is_bound:
                self.initial["versions"] = ",".join(f"{a.pk}:{a.version}" for a in choices)

    def expected_versions(self) -> dict[int, int]:
        result = {}
        for pair in (self.cleaned_data.get("versions") or "").split(","):
            pk, _sep, version = pair.partition(":")
            if int_param(pk) is not None and int_param(version) is not None:
                result[int_param(pk)] = int_param(version)
        return result
