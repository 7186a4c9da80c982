from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongthon.api.models import Scope
from nongthon.web.forms import StyledForm


class TokenForm(StyledForm):
    name = forms.CharField(label=_("Tên gợi nhớ"), max_length=100)
    scope = forms.ChoiceField(label=_("Phạm vi"), choices=Scope.choices, initial=Scope.READ)
    expires_on = forms.DateField(
        label=_("Hết hạn ngày (không bắt buộc)"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
