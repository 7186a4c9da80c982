"""The national dashboard: the country's provinces side by side at a date, and its table as
.xlsx. System admins only; anyone else gets 404, as for a unit they do not reach."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from nongthon.accounts import permissions
from nongthon.web import national
from nongthon.web.dashboard_views import XLSX, _download, date_param


def _allowed(request: HttpRequest) -> None:
    if not permissions.can_view_national_dashboard(request.user):
        raise Http404


def _on(request: HttpRequest) -> dt.date:
    return date_param(request, timezone.localdate())


@login_required
def national_dashboard(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    c = national.country(_on(request))
    return render(
        request,
        "web/national.html",
        {
            "active": "national",
            "country": c,
            "on": c.on,
            "chart": national.share_chart(c),
            "columns": national.COLUMNS,
            "rows": [(r, national.table_row(r, years_as_text=True)) for r in c.rows],
            "stars": national.STARS,
        },
    )


@login_required
def national_workbook(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    c = national.country(_on(request))
    return _download(national.workbook(c), XLSX, f"tong-quan-ca-nuoc-{c.on}.xlsx")
