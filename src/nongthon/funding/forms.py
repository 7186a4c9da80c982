"""Forms of the funding pages: amounts are typed as text ("1.234,5") with a unit to pick, and
read by the services' parser so the page and the import share one rule."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongthon.funding.amounts import MoneyUnit
from nongthon.funding.models import FundingSource, LineKind
from nongthon.web.forms import StyledForm

DATE = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})


def _amount_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Số tiền"),
        max_length=60,
        help_text=_("Kiểu Việt Nam: 1.234.567 hoặc 14.348,283; có thể ghi kèm đơn vị."),
    )


def _unit_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Đơn vị tiền"), choices=MoneyUnit.choices, initial=MoneyUnit.TRIEU
    )


def source_choices() -> list[tuple[str, str]]:
    rows = []
    for s in FundingSource.objects.all():
        depth = 0
        parent = s
        while parent.parent_id:
            depth += 1
            parent = parent.parent
        rows.append((s.code, "— " * depth + s.name))
    return rows


class LineForm(StyledForm):
    source = forms.ChoiceField(label=_("Nguồn vốn"))
    kind = forms.ChoiceField(label=_("Loại số liệu"), choices=LineKind.choices)
    amount = _amount_field()
    money_unit = _unit_field()
    on_date = forms.DateField(label=_("Ngày"), required=False, widget=DATE)
    document = forms.CharField(label=_("Văn bản"), max_length=200, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices()


class PlanTextForm(StyledForm):
    text = forms.CharField(
        label=_("Đoạn nguồn vốn của kế hoạch"),
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text=_(
            "Dán nguyên văn, mỗi dòng «Tên nguồn vốn: số tiền đơn vị»; câu có «tổng ... là "
            "<số tiền>» được giữ làm tổng số để đối chiếu."
        ),
    )
    kind = forms.ChoiceField(label=_("Loại số liệu"), choices=LineKind.choices)
    document = forms.CharField(label=_("Văn bản"), max_length=200, required=False)


class WorkForm(StyledForm):
    name = forms.CharField(label=_("Tên công trình"), max_length=250)
    criterion_number = forms.IntegerField(label=_("Tiêu chí phục vụ"), min_value=1)
    indicator_code = forms.CharField(label=_("Chỉ tiêu phục vụ"), max_length=20, required=False)
    investment_total = _amount_field(_("Tổng mức đầu tư"))
    money_unit = _unit_field()
    start_date = forms.DateField(label=_("Ngày khởi công"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("Ngày hoàn thành dự kiến"), required=False, widget=DATE)
    progress = forms.DecimalField(
        label=_("Tiến độ khối lượng (%)"), min_value=0, max_value=100, decimal_places=2, initial=0
    )
    sources_text = forms.CharField(
        label=_("Cơ cấu nguồn vốn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi dòng «Tên nguồn vốn: số tiền đơn vị», ví dụ «Ngân sách tỉnh: 1.350 triệu»."
        ),
    )
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class WorkEditForm(WorkForm):
    finished_on = forms.DateField(label=_("Ngày hoàn thành"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class WorkProgressForm(StyledForm):
    progress = forms.DecimalField(
        label=_("Tiến độ khối lượng (%)"), min_value=0, max_value=100, decimal_places=2
    )
    finished_on = forms.DateField(label=_("Ngày hoàn thành"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DisbursementForm(StyledForm):
    on_date = forms.DateField(label=_("Ngày giải ngân"), widget=DATE)
    amount = _amount_field()
    money_unit = _unit_field()
    source = forms.ChoiceField(label=_("Nguồn vốn"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "—"), *source_choices()]


class DebtForm(StyledForm):
    amount = _amount_field(_("Số nợ đọng"))
    money_unit = _unit_field()
    year_incurred = forms.IntegerField(label=_("Năm phát sinh"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class RepaymentForm(StyledForm):
    on_date = forms.DateField(label=_("Ngày trả"), widget=DATE)
    amount = _amount_field(_("Số tiền trả"))
    money_unit = _unit_field()
