"""The dashboard pages: the home page (the user's own unit), a unit's dashboard at a date, and
each chart's table as CSV or all of them as xlsx. A unit the user's memberships do not reach
answers 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.places.models import Unit
from nongthon.web import dashboard, dashboard_cache
from nongthon.web.charts import chart_csv, charts_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_unit(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("province", "district"), pk=pk)
    if not permissions.can_view_dashboard(request.user, unit):
        raise Http404
    return unit


def date_param(request: HttpRequest, default: dt.date) -> dt.date:
    """?on=yyyy-mm-dd, else `default`; a date that cannot be read says so on the page."""
    text = request.GET.get("on", "")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        if text and request.method == "GET":
            messages.warning(
                request,
                _("«Tại ngày»: «%(text)s» không phải một ngày; đang xem số liệu ngày %(day)s.")
                % {"text": text[:40], "day": default.strftime("%d/%m/%Y")},
            )
        return default


def on_date(request: HttpRequest, unit: Unit) -> dt.date:
    """?on=yyyy-mm-dd, else today (or the unit's last day when it no longer exists)."""
    return date_param(request, dashboard.default_date(unit))


def panels_of(request: HttpRequest, unit: Unit, on: dt.date) -> list:
    return dashboard_cache.panels(
        request.user, unit, on, lambda: dashboard.build(request.user, unit, on)
    )


def render_dashboard(request: HttpRequest, unit: Unit, *, home: bool = False) -> HttpResponse:
    on = on_date(request, unit)

    def render_panels() -> str:
        context = {"panels": panels_of(request, unit, on), "unit": unit, "on": on}
        return render_to_string("web/dashboard/_panels.html", context)

    return render(
        request,
        "web/dashboard.html",
        {
            "active": "home",
            "unit": unit,
            "on": on,
            "panels_html": dashboard_cache.panels_html(request.user, unit, on, render_panels),
            # The panels themselves, read only by whoever asks (tests, debugging): lazy.
            "panels": SimpleLazyObject(lambda: panels_of(request, unit, on)),
            "switcher": dashboard.switcher(request.user, unit),
            "home": home,
            "memberships": (
                request.user.memberships.select_related("unit", "agency").order_by("unit__code")
                if home
                else []
            ),
            "has_map": unit.level != "commune",
        },
    )


@login_required
def unit_dashboard(request: HttpRequest, unit_pk: int) -> HttpResponse:
    return render_dashboard(request, visible_unit(request, unit_pk))


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def chart_download(request: HttpRequest, unit_pk: int, key: str) -> HttpResponse:
    unit = visible_unit(request, unit_pk)
    on = on_date(request, unit)
    charts = dashboard.all_charts(panels_of(request, unit, on))
    chart = next((c for c in charts if c.key == key), None)
    if chart is None:
        raise Http404
    return _download(chart_csv(chart), "text/csv; charset=utf-8", f"{key}-{unit.code}-{on}.csv")


@login_required
def workbook(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = visible_unit(request, unit_pk)
    on = on_date(request, unit)
    charts = dashboard.all_charts(panels_of(request, unit, on))
    title = f"{unit.name}, {on:%d/%m/%Y}"
    return _download(charts_xlsx(title, charts), XLSX, f"tong-quan-{unit.code}-{on}.xlsx")
