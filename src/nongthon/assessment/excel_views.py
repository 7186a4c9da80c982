"""Excel round trip of indicator values: choose a set and year, download the pre-filled
template, upload it back (htmx, with a progress indicator; all rows saved or none).

A unit whose values the user may not see is a 404, unless it is an ancestor of a unit they work
in (they know it exists): then refusals there are 403, like any refused action. The rules are in
assessment.values_excel and accounts.permissions.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from nongthon.accounts import permissions
from nongthon.assessment import values_excel
from nongthon.places.models import Level, Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) đã điền"),
        widget=forms.FileInput(attrs={"class": "form-control", "accept": f".xlsx,{XLSX}"}),
        error_messages={"required": _("Hãy chọn tệp Excel cần nhập.")},
    )


def _works_inside(user, unit: Unit) -> bool:
    """Is `unit` an ancestor of a unit the user holds a role in?"""
    if unit.level == Level.COMMUNE:
        return False
    below = {"province": unit} if unit.level == Level.PROVINCE else {"district": unit}
    return permissions.units_in_scope(user).filter(**below).exists()


def _unit(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("province", "district", "region"), pk=pk)
    user = request.user
    if permissions.can_view_values(user, unit):
        return unit
    if _works_inside(user, unit):
        raise PermissionDenied
    raise Http404


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, f"assessment/excel/{template}", {"active": "assessment", **context})


@login_required
def choose(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """The set families and years a template can be made for."""
    unit = _unit(request, unit_pk)
    return _page(
        request,
        "choose.html",
        {
            "unit": unit,
            "families": values_excel.families_for(unit),
            "may_upload": permissions.can_edit_values(request.user, unit),
        },
    )


def _governing_set(unit: Unit, year: int, family: str):
    criteria_set = values_excel.governing_set_for(unit, family, year)
    if criteria_set is None:
        raise Http404
    return criteria_set


@login_required
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, unit_pk: int, year: int, family: str) -> HttpResponse:
    unit = _unit(request, unit_pk)
    criteria_set = _governing_set(unit, year, family)
    may_upload = permissions.can_edit_values(request.user, unit)
    result = problems = None
    form = UploadForm()
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = values_excel.import_values(
                    request.user,
                    unit=unit,
                    year=year,
                    family=family,
                    upload=form.cleaned_data["file"],
                )
            except values_excel.ImportRefused as exc:
                problems = exc.problems
            else:
                form = UploadForm()
    context = {
        "unit": unit,
        "year": year,
        "family": family,
        "criteria_set": criteria_set,
        "commune_count": values_excel.communes_of(unit, year).count(),
        "may_upload": may_upload,
        "form": form,
        "result": result,
        "problems": problems,
        "problem_groups": values_excel.group_problems(problems) if problems else None,
        "max_mb": settings.NONGTHON_MAX_IMPORT_BYTES // (1024 * 1024),
    }
    if request.headers.get("HX-Request"):
        return _page(request, "_upload.html", context)
    return _page(request, "page.html", context)


@login_required
def template(request: HttpRequest, unit_pk: int, year: int, family: str) -> HttpResponse:
    unit = _unit(request, unit_pk)
    try:
        content = values_excel.build_template(unit, year=year, family=family)
    except ValidationError as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type=XLSX)
    filename = values_excel.template_filename(unit, year, family)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
