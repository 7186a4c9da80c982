"""Forms of the data-entry page and the evidence page. They parse input only: values are checked
by assessment.services (the same checks as the Excel import) and files by assessment.evidence."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from nongthon.assessment import evidence as evidence_service
from nongthon.assessment.entry_queries import Row
from nongthon.assessment.models import IndicatorValue
from nongthon.assessment.services import ValueEntry, check_value
from nongthon.catalogue import engine
from nongthon.catalogue.models import IndicatorKind

YES, NO = "1", "0"
VERDICT_CHOICES = [("", _("Chưa đánh giá")), (YES, _("Đạt")), (NO, _("Chưa đạt"))]


def _verdict(text: str) -> bool | None:
    return {YES: True, NO: False}.get(text)


def _verdict_text(value: bool | None) -> str:
    return {True: YES, False: NO}.get(value, "")


def number_text(value: Decimal) -> str:
    """A stored number as the input shows it: decimal comma and no thousands dots, which the
    parser would read back as a decimal point ("1.234" is 1,234)."""
    return f"{value.normalize():f}".replace(".", ",")


def stored_initial(row: IndicatorValue | None) -> dict:
    if row is None:
        return {"version": 0}
    if row.value_bool is not None:
        value = YES if row.value_bool else NO
    elif row.value_number is not None:
        value = number_text(row.value_number)
    else:
        value = row.value_text
    return {
        "value": value,
        "hand_verdict": _verdict_text(row.hand_verdict),
        "hand_reason": row.hand_reason,
        "note": row.note,
        "version": row.version,
    }


class RowForm(forms.Form):
    """One indicator's inputs; the prefix is the indicator code ("3.1-value")."""

    # show_hidden_initial: the page carries what it was loaded with, so a row the user did not
    # touch is left alone even if someone else changed it meanwhile.
    value = forms.CharField(label=_("Giá trị"), required=False, show_hidden_initial=True)
    hand_verdict = forms.ChoiceField(
        label=_("Đánh giá thủ công"),
        choices=VERDICT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        show_hidden_initial=True,
    )
    hand_reason = forms.CharField(
        label=_("Lý do đánh giá"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        show_hidden_initial=True,
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
        show_hidden_initial=True,
    )
    # The version the page was loaded with; 0 = the page showed no value.
    version = forms.IntegerField(
        label=_("Phiên bản"), min_value=0, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, row: Row, read_only: bool = False, **kwargs):
        self.row = row
        kwargs.setdefault("initial", stored_initial(row.stored))
        super().__init__(*args, prefix=row.code, **kwargs)
        indicator = row.indicator
        value = self.fields["value"]
        if indicator.kind == IndicatorKind.BOOLEAN:
            value.widget = forms.Select(
                choices=[("", "—"), (YES, _("Đạt")), (NO, _("Chưa đạt"))],
                attrs={"class": "form-select form-select-sm"},
            )
        elif indicator.kind == IndicatorKind.CATEGORY:
            value.widget = forms.Select(
                choices=[("", "—"), *((c, c) for c in indicator.categories)],
                attrs={"class": "form-select form-select-sm"},
            )
        else:
            # Text, not type=number: browsers reject "78,5" in number inputs.
            value.widget = forms.TextInput(
                attrs={
                    "class": "form-control form-control-sm num",
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "placeholder": "0,0" if indicator.kind == IndicatorKind.PERCENT else "",
                }
            )
        self.fields["hand_verdict"].widget.attrs["class"] = "form-check-input"
        value.widget.attrs["aria-label"] = _("Giá trị chỉ tiêu %s") % indicator.code
        if read_only:
            for f in self.fields.values():
                f.disabled = True

    @property
    def hand_verdict_initial(self) -> str:
        """The hidden "as loaded" input of the radios, which the template renders one by one."""
        return self["hand_verdict"].as_hidden(only_initial=True)

    def problems(self) -> list[str]:
        """The form's own refusals (too long a reason...), each naming the indicator."""
        return [
            _("Chỉ tiêu %(code)s, %(field)s: %(msg)s")
            % {"code": self.row.code, "field": self.fields[name].label.lower(), "msg": message}
            for name, messages in self.errors.items()
            for message in messages
        ]

    # --- what the user typed -------------------------------------------------------------------

    def typed(self) -> dict:
        """The cleaned input; call after is_valid() (every field is optional)."""
        data = self.cleaned_data
        stored = self.row.stored
        if self.row.by_hand:
            verdict = _verdict(data.get("hand_verdict") or "")
            reason = (data.get("hand_reason") or "").strip()
        else:
            # No verdict field is shown where a threshold applies: keep what is stored.
            verdict = stored.hand_verdict if stored else None
            reason = stored.hand_reason if stored else ""
        return {
            "value": (data.get("value") or "").strip(),
            "hand_verdict": verdict,
            "hand_reason": reason,
            "note": (data.get("note") or "").strip(),
            "version": data.get("version") or 0,
        }

    def value_in(self) -> tuple[engine.ValueIn, str]:
        """What the engine would judge, and the error of the value ("" when it reads fine)."""
        typed = self.typed()
        try:
            number, yes, text = check_value(self.row.indicator, typed["value"] or None)
        except ValueError as exc:
            message = _("Chỉ tiêu %(code)s: %(msg)s.") % {"code": self.row.code, "msg": exc}
            return engine.ValueIn(None, typed["hand_verdict"], typed["hand_reason"]), message
        value = yes if yes is not None else number if number is not None else (text or None)
        return engine.ValueIn(value, typed["hand_verdict"], typed["hand_reason"]), ""

    def entry(self) -> ValueEntry | None:
        """What to hand to save_values: None for a row not touched since the page was loaded,
        or one that says what is stored already."""
        if not set(self.changed_data) - {"version"}:
            return None  # not touched since the page was loaded
        typed = self.typed()
        stored = self.row.stored
        if stored is not None and _same_as_stored(self.row, typed):
            return None
        if stored is None and not any(
            (typed["value"], typed["hand_verdict"] is not None, typed["hand_reason"], typed["note"])
        ):
            return None
        expected = typed["version"]
        if expected == 0 and stored is not None and _blank(stored):
            # An empty row (made when a file was attached first) is no one's value to overwrite.
            expected = stored.version
        return ValueEntry(
            indicator_code=self.row.code,
            value=typed["value"] or None,
            hand_verdict=typed["hand_verdict"],
            hand_reason=typed["hand_reason"],
            note=typed["note"],
            expected_version=expected,
        )


def _blank(row: IndicatorValue) -> bool:
    return (
        row.value_number is None
        and row.value_bool is None
        and not row.value_text
        and row.hand_verdict is None
        and not row.hand_reason
        and not row.note
    )


def _norm(v):
    return v.normalize() if isinstance(v, Decimal) else v


def _same_as_stored(row: Row, typed: dict) -> bool:
    stored = row.stored
    try:
        number, yes, text = check_value(row.indicator, typed["value"] or None)
    except ValueError:
        return False  # save_values will say what is wrong
    now = (number, yes, text, typed["hand_verdict"], typed["hand_reason"], typed["note"])
    before = (
        stored.value_number,
        stored.value_bool,
        stored.value_text,
        stored.hand_verdict,
        stored.hand_reason,
        stored.note,
    )
    return [_norm(v) for v in now] == [_norm(v) for v in before]


def row_forms(rows: list[Row], data=None, read_only: bool = False) -> list[RowForm]:
    """One bound (or unbound) form per row, attached to the row for the template."""
    forms_ = []
    for row in rows:
        form = RowForm(data, row=row, read_only=read_only)
        if data is not None:
            form.is_valid()
        row.form = form
        forms_.append(form)
    return forms_


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp minh chứng"),
        widget=forms.FileInput(attrs={"class": "form-control", "accept": evidence_service.ACCEPT}),
        error_messages={"required": _("Hãy chọn tệp minh chứng cần tải lên.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit comes from settings: say the one in force.
        self.fields["file"].help_text = _(
            "PDF, ảnh JPEG hoặc PNG, Word (.docx, .doc), Excel (.xlsx, .xls); tối đa %s."
        ) % evidence_service.human_size(evidence_service.max_bytes())
