"""The map of a province's or district's communes, its JSON data, and the boundary files a
system admin loads. A unit the user's memberships do not reach answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.places.models import Level
from nongthon.web import boundaries, maps
from nongthon.web.dashboard_views import visible_unit
from nongthon.web.forms import BoundaryForm, add_errors
from nongthon.web.models import BoundaryFile


@login_required
def commune_map(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = visible_unit(request, unit_pk)
    if unit.level == Level.COMMUNE:
        raise Http404
    config = {"data": reverse("web:map_data", args=[unit.pk]), **maps.map_config()}
    return render(
        request,
        "web/map.html",
        {"active": "home", "unit": unit, "config": config},
    )


@login_required
def map_data(request: HttpRequest, unit_pk: int) -> JsonResponse:
    unit = visible_unit(request, unit_pk)
    if unit.level == Level.COMMUNE:
        raise Http404
    return JsonResponse(maps.map_data(unit))


@login_required
def boundary_files(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_boundaries(request.user):
        raise PermissionDenied
    form = BoundaryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record = boundaries.load_boundary_file(
                request.user,
                d["province"],
                d["file"].read(),
                name=d["file"].name,
                source=d["source"],
                licence=d["licence"],
                code_property=d["code_property"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã nạp ranh giới %(n)s xã của %(p)s.")
                % {"n": record.feature_count, "p": record.province.name},
            )
            return redirect("web:boundaries")
    files = BoundaryFile.objects.select_related("province", "uploaded_by")[:100]
    return render(
        request,
        "web/boundaries.html",
        {"active": "boundaries", "form": form, "files": files},
    )
