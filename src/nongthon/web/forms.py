"""Form helpers every app shares: Bootstrap classes on widgets, and service errors on forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


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
