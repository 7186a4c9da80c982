"""Unit browser, unit page and the change history of what a coordinator looks after."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from nongthon.accounts import permissions
from nongthon.places import queries
from nongthon.places.models import Edition, Level, Unit
from nongthon.web.history import describe_all
from nongthon.web.queries import changes_in_scope


def _edition(request: HttpRequest) -> str:
    value = request.GET.get("edition", Edition.Y2025)
    return value if value in Edition.values else Edition.Y2025


@login_required
def browse(request: HttpRequest) -> HttpResponse:
    """Provinces of one edition, with a search box over every unit of that edition."""
    edition = _edition(request)
    text = request.GET.get("q", "").strip()
    context = {
        "active": "places",
        "edition": edition,
        "editions": Edition.choices,
        "q": text,
        "results": queries.search_units(text, edition) if text else None,
        "provinces": None if text else queries.provinces(edition),
    }
    if request.headers.get("HX-Request"):
        return render(request, "places/_browse_results.html", context)
    return render(request, "places/browse.html", context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("province", "district", "region"), pk=pk)
    user = request.user
    may_see_data = permissions.can_view_unit_data(user, unit)
    agencies = queries.agencies_current_and_ended(unit) if may_see_data else ([], [])
    context = {
        "active": "places",
        "unit": unit,
        "children": queries.children(unit) if unit.level != Level.COMMUNE else None,
        "summary": queries.summary(unit) if unit.level != Level.COMMUNE else None,
        "became_part_of": queries.became_part_of(unit),
        "formed_from": queries.formed_from(unit),
        "may_see_data": may_see_data,
        "hamlets": (
            queries.hamlets_of(unit, include_retired=True)
            if may_see_data and unit.level == Level.COMMUNE
            else None
        ),
        "may_edit_hamlets": permissions.can_edit_hamlets(user, unit),
        "may_import_hamlets": permissions.can_import_hamlets(user, unit),
        "agencies": agencies[0] if may_see_data else None,
        "ended_agencies": agencies[1] if may_see_data else None,
        "may_manage_agencies": permissions.can_manage_agencies(user, unit),
        "may_view_history": permissions.can_view_history(user, unit),
    }
    return render(request, "places/unit_detail.html", context)


@login_required
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    if not permissions.can_view_history(request.user, unit):
        raise PermissionDenied
    objects = [unit, *unit.hamlets.all(), *unit.agencies.all()]
    rows = describe_all(queries.history_of(objects))
    return render(
        request, "places/unit_history.html", {"active": "places", "unit": unit, "rows": rows}
    )


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """Recent changes across everything the coordinator looks after."""
    if not permissions.can_view_any_history(request.user):
        raise PermissionDenied
    rows = describe_all(changes_in_scope(request.user))
    return render(request, "places/history.html", {"active": "history", "rows": rows})
