"""Form helpers every app shares: Bootstrap classes on widgets, and service errors on forms."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, and `is-invalid` on fields with errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self._errors:
            field = self.fields.get(name)
            css = field.widget.attrs.get("class", "") if field else ""
            if field and "is-invalid" not in css:
                field.widget.attrs["class"] = f"{css} is-invalid".strip()


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def is_stale(error: ValidationError) -> bool:
    """The service refused because someone else changed the record since the page loaded."""
    return not hasattr(error, "error_dict") and getattr(error, "code", None) == "stale"


def save_versioned(request, form: forms.Form, update, done: str) -> bool:
    """A bound, valid edit form of a versioned record: `update(version, **fields)` through the
    service; True when saved (with `done` as the message), else the refusal is on the form (a
    stale save also as a message at the top, naming who changed what)."""
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        update(version, **data)
    except ValidationError as exc:
        if is_stale(exc):
            messages.error(request, exc.messages[0])
        add_errors(form, exc)
        return False
    messages.success(request, done)
    return True


def int_param(value: object, default: int | None = None) -> int | None:
    """A number read by hand from request.GET/POST ("version", a pk): `default` when the text is
    not a whole number of sensible size, never a ValueError (a server error) from user text."""
    text = str(value if value is not None else "").strip()
    # isascii: "²".isdigit() is true but int("²") raises.
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 18:
        return default
    return int(text)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose ids are checked as whole numbers first: Django sends the
    posted ids to the database in a `pk__in` lookup, where a 30-digit id overflows (a server
    error) instead of being refused like any other wrong choice."""

    def _check_values(self, value):
        for pk in value:
            if int_param(pk) is None or int_param(pk) <= 0:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:40]},
                )
        return super()._check_values(value)


class BoundaryForm(StyledForm):
    """A province's commune boundaries (GeoJSON), with the source and licence that allow it."""

    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=None,
    )
    file = forms.FileField(label=_("Tệp GeoJSON (kinh độ, vĩ độ WGS84)"))
    code_property = forms.CharField(
        label=_("Thuộc tính chứa mã xã"),
        initial="code",
        max_length=60,
        help_text=_("Tên thuộc tính (properties) ghi mã xã theo danh mục, ví dụ ma_xa."),
    )
    source = forms.CharField(label=_("Nguồn dữ liệu"), max_length=300)
    licence = forms.CharField(
        label=_("Giấy phép sử dụng"),
        max_length=300,
        help_text=_("Văn bản hoặc giấy phép cho phép dùng tệp này."),
    )

    def __init__(self, *args, **kwargs) -> None:
        from nongthon.places.models import Level, Unit

        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Unit.objects.filter(level=Level.PROVINCE).order_by(
            "-edition", "code"
        )
        self.fields["province"].label_from_instance = lambda u: u.label_with_validity
