"""Forms for the catalogue pages: they parse input; the rules live in catalogue.refinement."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from nongthon.assessment.services import parse_number
from nongthon.catalogue.models import IndicatorKind, SetLevel, Threshold, Tier
from nongthon.places.models import Agency, Region, Unit
from nongthon.web import uploads
from nongthon.web.forms import StyledForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GROUP_CHOICES = [("", _("Mọi nhóm xã")), ("1", "1"), ("2", "2"), ("3", "3")]
MAX_FILE_BYTES = 1024 * 1024


def region_choices() -> list[tuple[str, str]]:
    return [("", _("Mọi vùng")), *Region.objects.values_list("code", "name")]


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.get_edition_display()})"


class SetFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Cấp"), choices=[("", _("Mọi cấp")), *SetLevel.choices], required=False
    )
    tier = forms.ChoiceField(
        label=_("Mức"), choices=[("", _("Mọi mức")), *Tier.choices], required=False
    )
    period = forms.ChoiceField(label=_("Giai đoạn"), required=False)

    def __init__(self, *args, periods: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("Mọi giai đoạn")), *periods]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {"level": "", "tier": "", "period": ""}
        return {k: self.cleaned_data.get(k) or "" for k in ("level", "tier", "period")}


class RefineForm(StyledForm):
    province = ProvinceChoiceField(label=_("Tỉnh"), queryset=Unit.objects.none())
    basis_number = forms.CharField(
        label=_("Số quyết định của tỉnh"),
        max_length=60,
        help_text=_("Ví dụ: 864/QĐ-UBND."),
    )
    basis_date = forms.DateField(label=_("Ngày ban hành"), widget=DATE_WIDGET)
    basis_article = forms.CharField(label=_("Điều, phụ lục"), max_length=120, required=False)
    name = forms.CharField(
        label=_("Tên bộ tiêu chí của tỉnh"),
        max_length=300,
        required=False,
        help_text=_("Để trống: tên bộ quốc gia kèm tên tỉnh."),
    )
    change_note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, provinces=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.fields["province"].queryset = provinces


class _ChangeForm(StyledForm):
    """Every change of a province's set carries its legal basis and the version it was made on."""

    basis = forms.CharField(
        label=_("Căn cứ pháp lý"),
        max_length=300,
        help_text=_("Số, ngày văn bản của tỉnh quy định thay đổi này (vd. 864/QĐ-UBND)."),
    )
    content_hash = forms.CharField(widget=forms.HiddenInput, required=False)


def _decimal(text: str) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_number(text)
    except ValueError as exc:
        raise forms.ValidationError(_("«%(v)s» không phải số."), params={"v": text}) from exc


def _categories(text: str) -> list[str]:
    return [c.strip() for c in (text or "").replace("\n", ";").split(";") if c.strip()]


class ThresholdFields(forms.Form):
    """The threshold part, shared by "set a threshold" and "add an indicator"."""

    comparator = forms.ChoiceField(label=_("So sánh"), choices=Threshold.Comparator.choices)
    value = forms.CharField(
        label=_("Ngưỡng"),
        required=False,
        help_text=_("Một số, viết kiểu Việt Nam (vd. 85 hoặc 1.234,5)."),
    )
    categories = forms.CharField(
        label=_("Giá trị chấp nhận"),
        required=False,
        help_text=_("Chỉ với phép «thuộc»: các giá trị, cách nhau bằng dấu chấm phẩy."),
    )
    region = forms.ChoiceField(label=_("Vùng"), required=False)
    group = forms.TypedChoiceField(
        label=_("Nhóm xã"), choices=GROUP_CHOICES, coerce=int, empty_value=None, required=False
    )
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Để trống: mọi năm của giai đoạn."),
    )

    def clean_value(self) -> Decimal | None:
        return _decimal(self.cleaned_data.get("value", ""))

    def clean_categories(self) -> list[str]:
        return _categories(self.cleaned_data.get("categories", ""))


class ThresholdForm(_ChangeForm, ThresholdFields):
    indicator_code = forms.ChoiceField(label=_("Chỉ tiêu"))

    field_order = ["indicator_code", "comparator", "value", "categories", "region", "group"]

    def __init__(self, *args, indicators: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = indicators
        self.fields["region"].choices = region_choices()


class RemoveThresholdForm(_ChangeForm):
    indicator_code = forms.CharField(widget=forms.HiddenInput)
    region = forms.CharField(widget=forms.HiddenInput, required=False)
    group = forms.TypedChoiceField(
        choices=GROUP_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.HiddenInput,
    )
    year = forms.IntegerField(widget=forms.HiddenInput, required=False)


class IndicatorForm(_ChangeForm, ThresholdFields):
    criterion_number = forms.TypedChoiceField(label=_("Thuộc tiêu chí"), coerce=int)
    code = forms.CharField(label=_("Mã chỉ tiêu"), max_length=20, help_text=_("Ví dụ: 3.3."))
    name = forms.CharField(label=_("Tên chỉ tiêu"), max_length=400)
    kind = forms.ChoiceField(label=_("Loại"), choices=IndicatorKind.choices)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)
    indicator_categories = forms.CharField(
        label=_("Các giá trị phân loại"),
        required=False,
        help_text=_("Chỉ với chỉ tiêu phân loại: cách nhau bằng dấu chấm phẩy."),
    )
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    with_threshold = forms.BooleanField(
        label=_("Có ngưỡng"),
        required=False,
        help_text=_("Bỏ chọn: chỉ tiêu không có ngưỡng, đánh giá đạt/chưa đạt thủ công."),
    )

    field_order = [
        "criterion_number",
        "code",
        "name",
        "kind",
        "unit",
        "indicator_categories",
        "note",
        "with_threshold",
        "comparator",
        "value",
        "categories",
        "region",
        "group",
        "year",
        "basis",
    ]

    def __init__(self, *args, criteria: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion_number"].choices = criteria
        self.fields["region"].choices = region_choices()
        self.fields["comparator"].required = False

    def clean_indicator_categories(self) -> list[str]:
        return _categories(self.cleaned_data.get("indicator_categories", ""))


class UploadForm(StyledForm):
    province = ProvinceChoiceField(label=_("Tỉnh"), queryset=Unit.objects.none())
    file = forms.FileField(
        label=_("Tệp bộ tiêu chí của tỉnh (.yaml)"),
        widget=forms.FileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
        error_messages={"required": _("Hãy chọn tệp bộ tiêu chí cần tải lên.")},
    )
    change_note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, provinces=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.fields["province"].queryset = provinces

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # UTF-8 text by content, within the limit (nongthon.web.uploads); kept for text().
        self._text = uploads.read_text(upload, max_bytes=MAX_FILE_BYTES)
        return upload

    def text(self) -> str:
        """The file as text, read by clean_file."""
        return self._text


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class ResponsibilityForm(StyledForm):
    criterion_number = forms.IntegerField(widget=forms.HiddenInput)
    agency = AgencyChoiceField(
        label=_("Cơ quan phụ trách"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("(chưa phân công)"),
    )
    basis = forms.CharField(
        label=_("Căn cứ phân công"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Số, ngày quyết định phân công")}),
    )
    # The agency the page showed (0: none): a concurrent change is refused, not overwritten.
    expected_agency = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, agencies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
