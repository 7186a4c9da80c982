"""Forms of the OCOP pages; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongthon.ocop.models import EvaluationKind, ProducerKind, Stage
from nongthon.ocop.rules import certificate_rules, rule_versions
from nongthon.web.forms import ModelIdsField, StyledForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProducerForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Tên chủ thể"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại hình"), choices=ProducerKind.choices)
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    representative = forms.CharField(label=_("Người đại diện"), max_length=150, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    contacts_public = forms.BooleanField(
        label=_("Công khai điện thoại, thư điện tử trên trang công khai"), required=False
    )
    legal_status = forms.CharField(label=_("Tình trạng pháp lý"), max_length=200, required=False)


def sheet_choices() -> list[tuple[str, str]]:
    from nongthon.ocop.models import ScoreSheet

    names = {r.code: r.name for r in rule_versions()}
    return [
        (f"{s.rule}/{s.number}", f"{names.get(s.rule, s.rule)} – {s.number}. {s.name}")
        for s in ScoreSheet.objects.order_by("rule", "number")
    ]


class ProductForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Tên sản phẩm"), max_length=200)
    commune = forms.IntegerField(widget=forms.HiddenInput)
    classification = forms.ChoiceField(label=_("Phân nhóm (phiếu đánh giá)"))
    stage = forms.ChoiceField(label=_("Giai đoạn chu trình OCOP"), choices=Stage.choices)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = sheet_choices()


class PhotoForm(StyledForm):
    photo = forms.FileField(label=_("Ảnh sản phẩm (JPEG, PNG)"))


class SheetForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Nội dung phiếu (YAML)"), widget=forms.Textarea(attrs={"rows": 24}), required=False
    )
    file = forms.FileField(label=_("Hoặc tải lên tệp phiếu (.yaml)"), required=False)
    reason = forms.CharField(label=_("Lý do thay đổi (căn cứ văn bản)"), max_length=300)


class CouncilForm(StyledForm):
    name = forms.CharField(label=_("Tên hội đồng"), max_length=250)
    level = forms.ChoiceField(label=_("Cấp"))
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None)
    decision = forms.CharField(label=_("Quyết định thành lập"), max_length=200, required=False)
    members = ModelIdsField(label=_("Thành viên"), queryset=None)
    chair = forms.ModelChoiceField(label=_("Chủ tịch hội đồng"), queryset=None, required=False)

    def __init__(self, *args, units=None, users=None, **kwargs) -> None:
        from nongthon.ocop.models import CouncilLevel

        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (CouncilLevel.PROVINCE, CouncilLevel.PROVINCE.label),
            (CouncilLevel.DISTRICT, CouncilLevel.DISTRICT.label),
        ]
        self.fields["unit"].queryset = units
        self.fields["members"].queryset = users
        self.fields["chair"].queryset = users


class RoundForm(StyledForm):
    name = forms.CharField(label=_("Tên đợt"), max_length=200)
    evaluated_on = forms.DateField(label=_("Ngày đánh giá"), widget=DATE)
    deadline = forms.DateField(label=_("Hạn hoàn thành"), widget=DATE)


class AddProductForm(StyledForm):
    product = forms.IntegerField(label=_("Mã sản phẩm trong hệ thống"))
    kind = forms.ChoiceField(label=_("Loại đăng ký"), choices=EvaluationKind.choices)
    sheet_number = forms.IntegerField(
        label=_("Phân nhóm theo quy định mới (nếu cần phân loại lại)"), required=False
    )


class CertificateForm(StyledForm):
    decision_no = forms.CharField(label=_("Số quyết định"), max_length=60)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DATE)


class RevokeForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision_no = forms.CharField(label=_("Số quyết định thu hồi"), max_length=60)
    day = forms.DateField(label=_("Ngày thu hồi"), widget=DATE)
    ground = forms.ChoiceField(label=_("Căn cứ (QĐ 26/2026 Điều 8.1)"))
    note = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [
            (k, f"{k}) {v}") for k, v in certificate_rules().revocation_grounds.items()
        ]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm sản phẩm, chủ thể"), required=False)
    star = forms.TypedChoiceField(
        label=_("Hạng sao"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả"))] + [(s, f"{s} ★") for s in (3, 4, 5)],
    )
    group = forms.CharField(label=_("Nhóm"), required=False)
    district = forms.IntegerField(label=_("Huyện"), required=False)
    commune = forms.IntegerField(label=_("Xã"), required=False)
