"""The audit log page and its exports: system admins see everything, province coordinators their
province's data; everyone else is refused (403), a unit of another province answers 404."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from nongthon.accounts import permissions
from nongthon.audit import exports, queries
from nongthon.audit.forms import LogFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request: HttpRequest) -> tuple[LogFilterForm, queries.Filters | None]:
    if not permissions.can_view_audit_log(request.user):
        raise PermissionDenied
    form = LogFilterForm(request.GET or None, actor=request.user)
    if not form.is_bound:
        return form, queries.Filters()
    valid = form.is_valid()
    if form.unit_out_of_scope:
        raise Http404
    return form, form.filters() if valid else None


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    form, filters = _filtered(request)
    found, next_cursor = [], ""
    if filters is not None:
        query = queries.entries(request.user, filters)
        found, next_cursor = queries.page(query, request.GET.get("after", ""))
    params = request.GET.copy()
    params.pop("after", None)
    context = {
        "active": "audit",
        "form": form,
        "rows": queries.rows(found),
        "next_cursor": next_cursor,
        "first_page": "after" not in request.GET,
        "filter_query": params.urlencode(),
    }
    return render(request, "audit/log.html", context)


def _filename(ext: str) -> str:
    return f"nhat-ky-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    form, filters = _filtered(request)
    if filters is None:
        return log(request)
    buffer = io.BytesIO()
    exports.write_xlsx(queries.entries(request.user, filters), buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse | HttpResponse:
    form, filters = _filtered(request)
    if filters is None:
        return log(request)
    lines = exports.csv_lines(queries.entries(request.user, filters))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response
