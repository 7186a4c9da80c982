"""The page where a district or province records a unit's group and designations for a year."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.accounts import permissions
from nongthon.assessment import profiles
from nongthon.assessment.models import Flag, UnitProfile
from nongthon.places.models import Unit
from nongthon.web.forms import add_errors
from nongthon.web.history import describe_all


class ProfileForm(forms.Form):
    commune_group = forms.TypedChoiceField(
        label=gettext_lazy("Nhóm xã (QĐ 51/2025/QĐ-TTg)"),
        choices=[("", "—"), (1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    flags = forms.MultipleChoiceField(
        label=gettext_lazy("Đặc điểm"),
        choices=Flag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=gettext_lazy("Căn cứ"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@login_required
def profile_page(request: HttpRequest, unit_pk: int, year: int, family: str) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not permissions.can_view_values(request.user, unit):
        raise Http404
    may_edit = permissions.can_edit_unit_facts(request.user, unit)
    profile = UnitProfile.objects.filter(unit=unit, year=year).first()
    initial = {
        "commune_group": profile.commune_group if profile else None,
        "flags": profile.flags if profile else [],
        "note": profile.note if profile else "",
        "version": profile.version if profile else 0,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                profiles.set_profile(
                    request.user,
                    unit=unit,
                    year=year,
                    commune_group=data["commune_group"],
                    flags=data["flags"],
                    note=data["note"],
                    expected_version=data["version"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Đã lưu đặc điểm và đánh giá lại %s.") % unit.name)
                return redirect("assessment:entry_page", unit.pk, year, family)
    context = {
        "active": "results",
        "unit": unit,
        "year": year,
        "family": family,
        "crumb": _("Đặc điểm của xã"),
        "form": form,
        "may_edit": may_edit,
        "rows": describe_all(profile.history.select_related("history_user")) if profile else [],
    }
    return render(request, "assessment/entry/profile.html", context)
