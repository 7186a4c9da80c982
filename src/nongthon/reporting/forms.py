"""Forms of the reporting pages: a report's typed figures and texts (built from its form
definition), the reviewer's comment, a schedule rule, an ad-hoc request. Values are read by
the services, so the page and the services share one rule."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongthon.places.models import Agency, UnitKind
from nongthon.reporting import definitions as defs
from nongthon.web.forms import StyledForm

DATE = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})


class ReportForm(StyledForm):
    """The typed figures (typed_<code>) and the texts (text_<code>) of a report."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, form_def: defs.FormDef, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.form_def = form_def
        for figure in form_def.typed_figures:
            self.fields[f"typed_{figure.code}"] = forms.CharField(
                label=f"{figure.label} ({figure.unit})" if figure.unit else figure.label,
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
            )
        for text in form_def.texts:
            self.fields[f"text_{text.code}"] = forms.CharField(
                label=text.label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            )

    def typed(self) -> dict:
        return {f.code: self.data.get(f"typed_{f.code}", "") for f in self.form_def.typed_figures}

    def texts(self) -> dict:
        return {t.code: self.data.get(f"text_{t.code}", "") for t in self.form_def.texts}

    def typed_fields(self):
        return [self[f"typed_{f.code}"] for f in self.form_def.typed_figures]

    def text_fields(self):
        return [self[f"text_{t.code}"] for t in self.form_def.texts]


class ReviewForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi trả lại báo cáo."),
    )


MONTHS = [(m, str(m)) for m in range(1, 13)]
COMMUNE_KINDS = [
    (UnitKind.XA.value, UnitKind.XA.label),
    (UnitKind.PHUONG.value, UnitKind.PHUONG.label),
    (UnitKind.THI_TRAN.value, UnitKind.THI_TRAN.label),
    (UnitKind.DAC_KHU.value, UnitKind.DAC_KHU.label),
]


class RuleForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.SlugField(label=_("Mã quy định"), max_length=40)
    name = forms.CharField(label=_("Tên báo cáo"), max_length=200)
    form = forms.ChoiceField(label=_("Biểu mẫu"))
    submitters = forms.ChoiceField(
        label=_("Đơn vị báo cáo"), choices=[(k, v) for k, v in defs.SUBMITTER_LABELS.items()]
    )
    unit_kinds = forms.MultipleChoiceField(
        label=_("Loại xã phải báo cáo"),
        choices=COMMUNE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ dùng cho báo cáo cấp xã; để trống: mọi đơn vị cấp xã."),
    )
    frequency = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        choices=[(f, defs.FREQUENCY_LABELS[f]) for f in defs.FREQUENCIES],
    )
    deadline_day = forms.IntegerField(
        label=_("Hạn gửi: ngày"),
        min_value=1,
        max_value=31,
        help_text=_("«Trước ngày 10» được hiểu là chậm nhất hết ngày 10."),
    )
    months_after = forms.IntegerField(
        label=_("của tháng thứ mấy sau tháng cuối kỳ"),
        min_value=0,
        max_value=3,
        help_text=_("0: trong tháng cuối của kỳ (ví dụ quý I: tháng 3); 1: tháng sau kỳ."),
    )
    halves = forms.TypedMultipleChoiceField(
        label=_("Báo cáo 6 tháng cho"),
        choices=[(1, _("6 tháng đầu năm")), (2, _("6 tháng cuối năm"))],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skip_months = forms.TypedMultipleChoiceField(
        label=_("Tháng không báo cáo (báo cáo tháng)"),
        choices=MONTHS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    recipient = forms.ChoiceField(label=_("Nơi nhận"))
    active = forms.BooleanField(label=_("Đang áp dụng"), required=False)
    source = forms.CharField(
        label=_("Căn cứ, nguồn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Văn bản quy định hạn gửi (số, ngày, điều)."),
    )
    verified = forms.BooleanField(
        label=_("Đã đối chiếu với văn bản"),
        required=False,
        help_text=_("Chỉ đánh dấu khi hạn gửi đã được đọc trong văn bản ghi ở trên."),
    )
    note = forms.CharField(label=_("Lý do thay đổi"), max_length=300, required=False)

    def __init__(self, province, forms_available, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [(f.code, f.name) for f in forms_available]
        agencies = Agency.objects.filter(unit=province).order_by("name")
        self.fields["recipient"].choices = [(defs.LEVEL_ABOVE, _("Cấp trên trực tiếp"))] + [
            (a.code, a.name) for a in agencies
        ]

    def rule_data(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "form": data["form"],
            "submitters": data["submitters"],
            "unit_kinds": data["unit_kinds"] if data["submitters"] == defs.COMMUNE else [],
            "frequency": data["frequency"],
            "deadline_day": data["deadline_day"],
            "months_after": data["months_after"],
            "halves": data["halves"] or [1],
            "skip_months": data["skip_months"],
            "recipient": data["recipient"],
            "active": data["active"],
            "source": data["source"],
            "verified": data["verified"],
        }


class AdhocForm(StyledForm):
    title = forms.CharField(label=_("Tên báo cáo"), max_length=300)
    form_code = forms.ChoiceField(label=_("Biểu mẫu"))
    submitters = forms.ChoiceField(
        label=_("Đơn vị báo cáo"), choices=[(k, v) for k, v in defs.SUBMITTER_LABELS.items()]
    )
    deadline = forms.DateField(label=_("Hạn gửi"), widget=DATE)
    request_text = forms.CharField(
        label=_("Nội dung yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, forms_available, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form_code"].choices = [(f.code, f.name) for f in forms_available]
