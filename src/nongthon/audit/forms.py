"""The audit log's filter form (GET): kind of data, action, unit, user, date range."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.audit.models import Action
from nongthon.audit.queries import Filters, entries, model_choices, unit_in_scope
from nongthon.places.models import Unit
from nongthon.web.forms import StyledForm

DATE = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y")
UNIT_CHOICES_SHOWN = 20


class LogFilterForm(StyledForm):
    model = forms.ChoiceField(label=_("Loại dữ liệu"), required=False)
    action = forms.ChoiceField(
        label=_("Thao tác"), required=False, choices=[("", _("Tất cả")), *Action.choices]
    )
    unit_q = forms.CharField(
        label=_("Đơn vị (tên hoặc mã)"), required=False, max_length=120, strip=True
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    user = forms.CharField(label=_("Tên đăng nhập"), required=False, max_length=150, strip=True)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE)

    def __init__(self, *args, actor: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["model"].choices = [("", _("Tất cả")), *model_choices()]
        self.unit_candidates: list[Unit] = []
        self.unit_out_of_scope = False

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("«Đến ngày» phải sau hoặc bằng «Từ ngày»."))
        data["unit_obj"] = self._unit(data)
        name = data.get("user")
        data["user_obj"] = None
        if name:
            data["user_obj"] = self._user(name)
            if data["user_obj"] is None:
                self.add_error("user", _("Không có người dùng «%s» trong nhật ký của bạn.") % name)
        return data

    def _user(self, name: str) -> User | None:
        """The user named, when the actor's log holds changes of theirs: the same answer for a
        name that does not exist and one that never worked in the actor's province."""
        user = User.objects.filter(username__iexact=name).first()
        if user is None or permissions.audit_provinces(self.actor) is None:
            return user
        return user if entries(self.actor, Filters(user=user)).exists() else None

    def _unit(self, data: dict) -> Unit | None:
        if data.get("unit"):
            unit = Unit.objects.filter(pk=data["unit"]).first()
            if unit is None or not unit_in_scope(self.actor, unit):
                # Another province's unit: refused like a page about it (404 in the view).
                self.unit_out_of_scope = True
                return None
            return unit
        text = data.get("unit_q")
        if not text:
            return None
        found = [
            u
            for u in Unit.objects.search(text).order_by("level", "code")[:200]
            if unit_in_scope(self.actor, u)
        ]
        if len(found) == 1:
            return found[0]
        if not found:
            self.add_error("unit_q", _("Không tìm thấy đơn vị «%s» trong phạm vi của bạn.") % text)
        else:
            self.unit_candidates = found[:UNIT_CHOICES_SHOWN]
            self.add_error(
                "unit_q", _("Có nhiều đơn vị khớp «%s»: chọn một đơn vị bên dưới.") % text
            )
        return None

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            model=data.get("model") or "",
            action=data.get("action") or "",
            unit=data.get("unit_obj"),
            user=data.get("user_obj"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
