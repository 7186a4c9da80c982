"""Forms of the recognition pages: they parse; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from nongthon.catalogue.models import Tier
from nongthon.web.forms import StyledForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COMMUNE_TIERS = [(t, Tier(t).label) for t in (Tier.NTM, Tier.NANG_CAO, Tier.KIEU_MAU)]


class VersionedForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RegisterForm(StyledForm):
    unit = forms.ModelChoiceField(queryset=None, label=_("Đơn vị"))
    tier = forms.ChoiceField(choices=COMMUNE_TIERS, label=_("Mức đề nghị"))
    year = forms.IntegerField(min_value=2021, max_value=2035, label=_("Năm xét"))

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].initial = dt.date.today().year


class StepForm(VersionedForm):
    done_on = forms.DateField(label=_("Ngày hoàn thành"), widget=DATE, initial=dt.date.today)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea({"rows": 2}))
    posting_count = forms.IntegerField(label=_("Số lần công khai"), required=False, min_value=0)
    posting_days = forms.IntegerField(label=_("Trong số ngày"), required=False, min_value=0)


class DocumentForm(StyledForm):
    name = forms.CharField(label=_("Tên văn bản"), max_length=300)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    date = forms.DateField(label=_("Ngày văn bản"), required=False, widget=DATE)


class SatisfactionForm(VersionedForm):
    percent = forms.DecimalField(
        label=_("Tỷ lệ hài lòng (%)"), required=False, max_digits=5, decimal_places=2, localize=True
    )
    meets = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=[("", "—"), ("1", _("Đáp ứng yêu cầu")), ("0", _("Chưa đáp ứng yêu cầu"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)


class SecurityForm(VersionedForm):
    confirmed = forms.TypedChoiceField(
        label=_("Xác nhận"),
        choices=[("1", _("Không phức tạp về an ninh, trật tự")), ("0", _("Có vụ việc phức tạp"))],
        coerce=lambda v: v == "1",
    )
    basis = forms.CharField(label=_("Căn cứ (văn bản của Công an)"), max_length=300)


class DebtForm(VersionedForm):
    amount = forms.DecimalField(
        label=_("Nợ đọng XDCB (triệu đồng)"), max_digits=14, decimal_places=3, localize=True
    )
    basis = forms.CharField(label=_("Căn cứ"), max_length=300)


class ReturnForm(VersionedForm):
    to_step = forms.ChoiceField(label=_("Trả về bước"), choices=())
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, steps=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_step"].choices = [(s.code, s.name) for s in steps]


class ResubmitForm(VersionedForm):
    note = forms.CharField(label=_("Nội dung bổ sung"), required=False)


class DecisionForm(StyledForm):
    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    date = forms.DateField(label=_("Ngày ký"), widget=DATE)
    signer = forms.CharField(label=_("Người ký"), max_length=150)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=150)
    summary = forms.CharField(label=_("Trích yếu"), required=False)


class DecideForm(DecisionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RevokeForm(DecisionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea({"rows": 2}))


class MergerForm(DecisionForm):
    tier = forms.ChoiceField(choices=COMMUNE_TIERS, widget=forms.HiddenInput)


class PastTitleForm(DecisionForm):
    """A title granted before the system, recorded by the province with its decision."""

    unit = forms.ModelChoiceField(queryset=None, label=_("Đơn vị"))
    tier = forms.ChoiceField(choices=Tier.choices, label=_("Mức đạt chuẩn"))
    basis_note = forms.CharField(
        label=_("Căn cứ công nhận (bộ tiêu chí)"),
        max_length=300,
        initial=_("Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2016-2020 (QĐ 1980/QĐ-TTg)"),
    )
    field_order = ["unit", "tier", "number", "date", "signer", "issuer", "summary", "basis_note"]

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
