"""Agency pages: detail with lineage and history; add, rename, end, merge (coordinators).

Who may see an agency: permissions.can_view_unit_data on its unit, else 404. Who may change
it: permissions.can_edit_agency / can_manage_agencies, else 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.places import agencies as services
from nongthon.places.agency_forms import (
    AgencyAddForm,
    AgencyEndForm,
    AgencyMergeForm,
    AgencyRenameForm,
)
from nongthon.places.models import Agency, Unit
from nongthon.web.forms import add_errors, is_stale
from nongthon.web.history import describe_all

STALE_STATUS = 409


def _visible_agency(request: HttpRequest, pk: int) -> Agency:
    agency = get_object_or_404(
        Agency.objects.select_related("unit", "unit__province", "unit__district", "succeeded_by"),
        pk=pk,
    )
    if not permissions.can_view_unit_data(request.user, agency.unit):
        raise Http404
    return agency


def _editable_agency(request: HttpRequest, pk: int) -> Agency:
    agency = _visible_agency(request, pk)
    if not permissions.can_edit_agency(request.user, agency):
        raise PermissionDenied
    return agency


def _managed_unit(request: HttpRequest, unit_pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("province", "district"), pk=unit_pk)
    if not permissions.can_view_unit_data(request.user, unit):
        raise Http404
    if not permissions.can_manage_agencies(request.user, unit):
        raise PermissionDenied
    return unit


def _with_version(request: HttpRequest, version: int):
    """The submitted data with the current version, so a second save after reading the
    conflict message goes through."""
    data = request.POST.copy()
    data["version"] = str(version)
    return data


def _render_form(request, agency_or_unit, form, title: str, status: int = 200, **extra):
    unit = agency_or_unit if isinstance(agency_or_unit, Unit) else agency_or_unit.unit
    agency = None if isinstance(agency_or_unit, Unit) else agency_or_unit
    context = {"active": "places", "unit": unit, "agency": agency, "form": form, "title": title}
    context.update(extra)
    return render(request, "places/agencies/form.html", context, status=status)


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _visible_agency(request, pk)
    predecessors, successors = services.lineage(agency)
    records = agency.history.select_related("history_user").order_by("-history_date", "-pk")
    context = {
        "active": "places",
        "agency": agency,
        "unit": agency.unit,
        "closed": services.is_closed(agency),
        "predecessors": predecessors,
        "successors": successors,
        "rows": describe_all(records),
        "may_edit": permissions.can_edit_agency(request.user, agency),
    }
    return render(request, "places/agencies/detail.html", context)


@login_required
def agency_add(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _managed_unit(request, unit_pk)
    form = AgencyAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.add_agency(request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm cơ quan «%(name)s».") % {"name": agency.name})
            return redirect("places:agencies:detail", agency.pk)
    title = _("Thêm cơ quan: %(unit)s") % {"unit": unit.name}
    return _render_form(request, unit, form, title)


@login_required
def agency_rename(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _editable_agency(request, pk)
    initial = {"name": agency.name, "short_name": agency.short_name, "version": agency.version}
    form = AgencyRenameForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rename_agency(
                request.user,
                agency=agency,
                expected_version=data["version"],
                name=data["name"],
                short_name=data["short_name"],
                reason=data["reason"],
            )
        except ValidationError as error:
            if is_stale(error):
                agency.refresh_from_db()
                form = AgencyRenameForm(_with_version(request, agency.version))
                form.is_valid()
                status = STALE_STATUS
            add_errors(form, error)
        else:
            messages.success(request, _("Đã đổi tên cơ quan."))
            return redirect("places:agencies:detail", agency.pk)
    title = _("Đổi tên: %(name)s") % {"name": agency.name}
    return _render_form(request, agency, form, title, status)


@login_required
def agency_end(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _editable_agency(request, pk)
    successors = services.successor_choices(request.user, agency)
    form = AgencyEndForm(
        request.POST or None, initial={"version": agency.version}, successors=successors
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.end_agency(
                request.user,
                agency=agency,
                expected_version=data["version"],
                valid_to=data["valid_to"],
                successor=data["successor"],
                basis=data["basis"],
            )
        except ValidationError as error:
            if is_stale(error):
                agency.refresh_from_db()
                form = AgencyEndForm(_with_version(request, agency.version), successors=successors)
                form.is_valid()
                status = STALE_STATUS
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận cơ quan kết thúc hoạt động."))
            return redirect("places:agencies:detail", agency.pk)
    title = _("Kết thúc: %(name)s") % {"name": agency.name}
    return _render_form(request, agency, form, title, status)


@login_required
def agency_merge(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _managed_unit(request, unit_pk)
    choices = services.active_agencies(unit).order_by("kind", "name")
    form = AgencyMergeForm(request.POST or None, choices=choices)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.merge_agencies(
                request.user,
                agencies=list(data["agencies"]),
                on=data["on"],
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                code=data["code"],
                basis=data["basis"],
                expected_versions=form.expected_versions(),
            )
        except ValidationError as error:
            if is_stale(error):
                data = request.POST.copy()
                data["versions"] = ",".join(f"{a.pk}:{a.version}" for a in choices.all())
                form = AgencyMergeForm(data, choices=choices)
                form.is_valid()
                status = STALE_STATUS
            add_errors(form, error)
        else:
            messages.success(request, _("Đã sáp nhập thành «%(name)s».") % {"name": new.name})
            return redirect("places:agencies:detail", new.pk)
    title = _("Sáp nhập cơ quan: %(unit)s") % {"unit": unit.name}
    return _render_form(request, unit, form, title, status)
