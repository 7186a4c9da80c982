"""Forms of the plan pages. They parse input; the rules are in plans.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongthon.catalogue.models import CriteriaSet
from nongthon.places.models import Agency, Level, Unit
from nongthon.plans.models import (
    DirectiveKind,
    FundSource,
    MoneyUnit,
    Plan,
    StatusKind,
    TargetKind,
)
from nongthon.plans.targets import base
from nongthon.web.forms import ModelIdsField, StyledForm

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _date(label, required=True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        **kwargs,
    )


class PlanForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    issuer_parent = forms.CharField(label=_("Cơ quan chủ quản"), required=False, max_length=200)
    body = forms.CharField(label=_("Cơ quan ban hành"), max_length=300)
    number = forms.CharField(label=_("Số, ký hiệu"), required=False, max_length=60)
    issued_on = _date(_("Ngày ban hành"), required=False)
    place = forms.CharField(label=_("Địa danh"), required=False, max_length=80)
    year_from = forms.IntegerField(label=_("Từ năm"), min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label=_("Đến năm"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    legal_bases = forms.CharField(
        label=_("Căn cứ (mỗi căn cứ một dòng)"), required=False, widget=TEXTAREA
    )
    preamble = forms.CharField(label=_("Đoạn mở đầu"), required=False, widget=TEXTAREA)
    purposes = forms.CharField(label=_("Mục đích"), required=False, widget=TEXTAREA)
    requirements = forms.CharField(label=_("Yêu cầu"), required=False, widget=TEXTAREA)
    objectives = forms.CharField(label=_("Mục tiêu tổng quát"), required=False, widget=TEXTAREA)
    solutions_heading = forms.CharField(
        label=_("Tên mục nhiệm vụ và giải pháp (trống: NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN)"),
        required=False,
        max_length=200,
    )
    solutions = forms.CharField(label=_("Nhiệm vụ và giải pháp"), required=False, widget=TEXTAREA)
    resources_heading = forms.CharField(
        label=_("Tên mục nguồn lực (trống: DỰ KIẾN NGUỒN LỰC)"), required=False, max_length=200
    )
    resources_intro = forms.CharField(
        label=_("Dẫn nhập nguồn lực"), required=False, widget=TEXTAREA
    )
    closing = forms.CharField(label=_("Đoạn kết"), required=False, widget=TEXTAREA)
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi nơi một dòng)"), required=False, widget=TEXTAREA
    )
    signing_authority = forms.CharField(
        label=_("Thẩm quyền ký (TM., KT., mỗi dòng một cấp)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=200)
    signer_name = forms.CharField(label=_("Người ký"), required=False, max_length=120)

    @staticmethod
    def initial_for(plan: Plan) -> dict:
        return {name: getattr(plan, name) for name in PlanForm.base_fields} | {
            "version": plan.version
        }


def _families(unit: Unit) -> list[tuple[str, str]]:
    rows = CriteriaSet.objects.filter(level=Level.COMMUNE).order_by("family", "-version")
    seen: dict[str, str] = {}
    for s in rows:
        seen.setdefault(s.family, f"{s.family} – {s.name}")
    return sorted(seen.items())


class TargetForm(StyledForm):
    """The common fields plus one field per parameter of the chosen type (prefixed p_)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    type_code = forms.CharField(widget=forms.HiddenInput)
    group = forms.CharField(label=_("Nhóm"), required=False, max_length=200)
    sentence = forms.CharField(label=_("Câu chỉ tiêu (chép như kế hoạch ghi)"), widget=TEXTAREA)
    kind = forms.ChoiceField(label=_("Loại"), choices=TargetKind.choices)
    due_on = _date(_("Hạn (trống: hết năm cuối kế hoạch)"), required=False)
    order = forms.IntegerField(label=_("Thứ tự"), required=False, min_value=0)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, target_type: base.TargetType, plan: Plan, **kwargs) -> None:
        self.target_type, self.plan = target_type, plan
        super().__init__(*args, **kwargs)
        for param in target_type.params:
            self.fields[f"p_{param.name}"] = self._param_field(param, plan)
        for name, field in self.fields.items():
            if name.startswith("p_"):
                widget = field.widget
                if isinstance(widget, forms.CheckboxInput):
                    widget.attrs.setdefault("class", "form-check-input")
                elif isinstance(widget, forms.SelectMultiple):
                    widget.attrs.setdefault("class", "form-select")
                    widget.attrs.setdefault("size", "10")
                elif isinstance(widget, forms.Select):
                    widget.attrs.setdefault("class", "form-select")
                else:
                    widget.attrs.setdefault("class", "form-control")

    @staticmethod
    def _param_field(param: base.Param, plan: Plan) -> forms.Field:
        common = {"label": param.label, "required": param.required, "help_text": param.help}
        if param.kind == base.INT:
            return forms.IntegerField(**common)
        if param.kind == base.DECIMAL:
            return forms.DecimalField(localize=True, **common)
        if param.kind == base.BOOL:
            return forms.BooleanField(**(common | {"required": False}))
        if param.kind == base.CHOICE:
            return forms.ChoiceField(choices=[("", "—"), *param.choices], **common)
        if param.kind == base.FAMILY:
            return forms.ChoiceField(choices=[("", "—"), *_families(plan.unit)], **common)
        if param.kind == base.STATUS_KIND:
            kinds = [(k.code, k.name) for k in StatusKind.objects.all()]
            return forms.ChoiceField(choices=[("", "—"), *kinds], **common)
        if param.kind in (base.UNITS, base.UNIT):
            level = Level.DISTRICT if param.level == "district" else Level.COMMUNE
            units = (
                Unit.objects.subtree(plan.unit)
                .filter(level=level)
                .select_related("district")
                .order_by("code")
            )
            choices = [
                (u.pk, f"{u.name}" + (f" ({u.district.name})" if u.district_id else ""))
                for u in units
            ]
            if param.kind == base.UNITS:
                return forms.TypedMultipleChoiceField(choices=choices, coerce=int, **common)
            return forms.TypedChoiceField(choices=[("", "—"), *choices], coerce=int, **common)
        return forms.CharField(**common)

    def params(self) -> dict:
        out = {}
        for param in self.target_type.params:
            value = self.cleaned_data.get(f"p_{param.name}")
            if value in (None, "", []):
                continue
            out[param.name] = value
        return out

    @staticmethod
    def initial_for(target) -> dict:
        initial = {
            name: getattr(target, name)
            for name in ("type_code", "group", "sentence", "kind", "due_on", "order", "note")
        } | {"version": target.version}
        for name, value in (target.params or {}).items():
            initial[f"p_{name}"] = value
        return initial


class ManualProgressForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    manual_done = forms.NullBooleanField(
        label=_("Đã đạt"),
        required=False,
        widget=forms.Select(
            choices=[("unknown", "—"), ("true", _("Đạt")), ("false", _("Chưa đạt"))]
        ),
    )
    manual_progress = forms.DecimalField(label=_("Tiến độ (%)"), required=False, localize=True)
    manual_figure = forms.CharField(
        label=_("Kết quả (như báo cáo ghi)"), required=False, max_length=300
    )
    manual_evidence = forms.CharField(label=_("Minh chứng (văn bản, số liệu)"), widget=TEXTAREA)
    manual_as_of = _date(_("Cập nhật đến ngày"))


class FundLineForm(StyledForm):
    """The amount is text, read by the services with funding's Vietnamese parser ("101,903",
    "6.259.605", "221,03 tỷ đồng"), so the page and the demo share one rule."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    source = forms.ChoiceField(label=_("Nguồn vốn"), choices=FundSource.choices)
    label = forms.CharField(label=_("Tên nguồn như kế hoạch ghi"), required=False, max_length=300)
    amount = forms.CharField(
        label=_("Số tiền"),
        max_length=60,
        help_text=_(
            "Kiểu Việt Nam: dấu chấm phân cách hàng nghìn, dấu phẩy trước phần thập phân"
            " (6.259.605 hoặc 101,903); có thể ghi kèm đơn vị (tỷ đồng)."
        ),
    )
    money_unit = forms.ChoiceField(label=_("Đơn vị tính"), choices=MoneyUnit.choices)
    note = forms.CharField(label=_("Ghi chú"), required=False)

    @staticmethod
    def initial_for(line) -> dict:
        from nongthon.funding.amounts import format_number

        return {
            "version": line.version,
            "source": line.source,
            "label": line.label,
            "amount": format_number(line.amount) if line.amount is not None else "",
            "money_unit": line.money_unit,
            "note": line.note,
        }


class DirectiveForm(StyledForm):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DirectiveKind.choices)
    body = forms.CharField(label=_("Cơ quan ban hành"), max_length=300)
    number = forms.CharField(label=_("Số, ký hiệu"), required=False, max_length=60)
    issued_on = _date(_("Ngày ban hành"))
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    summary = forms.CharField(label=_("Nội dung chính"), required=False, widget=TEXTAREA)
    signer_name = forms.CharField(label=_("Người ký"), required=False, max_length=120)


class TaskForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    section = forms.CharField(label=_("Mục"), required=False, max_length=300)
    content = forms.CharField(label=_("Nội dung thực hiện"), widget=TEXTAREA)
    lead = forms.ModelChoiceField(
        label=_("Cơ quan chủ trì"), queryset=Agency.objects.none(), required=False
    )
    lead_text = forms.CharField(
        label=_("hoặc nhóm cơ quan chủ trì (như văn bản ghi)"), required=False, max_length=300
    )
    coordinators = ModelIdsField(
        label=_("Cơ quan phối hợp"), queryset=Agency.objects.none(), required=False
    )
    coordinators_text = forms.CharField(
        label=_("Phối hợp khác (như văn bản ghi)"), required=False, max_length=500
    )
    deadline_text = forms.CharField(
        label=_("Thời gian hoàn thành"),
        required=False,
        max_length=200,
        help_text=_(
            "Ví dụ: 31/12/2023; tháng 6/2023; quý II/2023; định kỳ 6 tháng, năm; hàng tháng"
            " trước ngày 20; thường xuyên; khi có thay đổi thành viên"
        ),
    )

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = agencies
        self.fields["coordinators"].queryset = agencies
        self.fields["coordinators"].widget.attrs["size"] = "8"


class NoteForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    written_on = _date(_("Ngày báo cáo"))
    text = forms.CharField(label=_("Nội dung đã thực hiện"), widget=TEXTAREA)
    evidence = forms.FileField(label=_("Minh chứng (tệp)"), required=False)
    completes = forms.BooleanField(label=_("Đã hoàn thành"), required=False)
    occurrence_due = forms.TypedChoiceField(
        label=_("Kỳ báo cáo (nhiệm vụ định kỳ)"), required=False, coerce=str, choices=()
    )


class CancelTaskForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Lý do hủy"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: Thông báo kết luận số 12/TB-BCĐ ngày 05/9/2023 bỏ nhiệm vụ này."),
    )
    on = _date(_("Ngày hủy"))


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Tệp phụ lục nhiệm vụ (.xlsx hoặc .docx)"))


class DateForm(forms.Form):
    on = _date(_("Đánh giá đến ngày"), required=False)


# --- Household and commune statuses ----------------------------------------------------------


def _kind_choices(applies_to: str) -> list[tuple[str, str]]:
    return [(k.code, k.name) for k in StatusKind.objects.filter(applies_to=applies_to)]


class _StatusForm(StyledForm):
    """Commune, status and year are chosen when a record is added and fixed afterwards."""

    applies_to = ""
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    commune = forms.TypedChoiceField(label=_("Xã"), coerce=int)
    kind = forms.ChoiceField(label=_("Danh hiệu"))
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)

    def __init__(self, *args, communes=None, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("commune", "kind", "year"):
                del self.fields[name]
            return
        self.fields["commune"].choices = [("", "—")] + [
            (c.pk, f"{c.name}" + (f" ({c.district.name})" if c.district_id else ""))
            for c in communes or []
        ]
        self.fields["kind"].choices = _kind_choices(self.applies_to)


class HouseholdStatusForm(_StatusForm):
    applies_to = StatusKind.Applies.HOUSEHOLD
    households = forms.IntegerField(label=_("Tổng số hộ"), min_value=1)
    achieved = forms.IntegerField(label=_("Số hộ đạt"), min_value=0)
    as_of = _date(_("Số liệu đến ngày"))
    source = forms.CharField(
        label=_("Căn cứ (số, ngày quyết định hoặc báo cáo)"),
        max_length=300,
        help_text=_("Ví dụ: Quyết định số 45/QĐ-UBND ngày 20/11/2023 của UBND xã"),
    )


class CommuneStatusForm(_StatusForm):
    applies_to = StatusKind.Applies.COMMUNE
    achieved = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=[("1", _("Đạt")), ("0", _("Chưa đạt"))],
        coerce=lambda v: v == "1",
    )
    recognised_on = _date(_("Ngày đạt (ngày quyết định)"), required=False)
    source = forms.CharField(
        label=_("Căn cứ (số, ngày quyết định công nhận)"),
        max_length=300,
        required=False,
        help_text=_("Bắt buộc khi đạt. Ví dụ: Quyết định số 12/QĐ-UBND ngày 15/3/2020"),
    )
