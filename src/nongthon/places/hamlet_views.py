"""Hamlet pages: add, rename, retire, restore, history, Excel import and its template.

A hamlet (or commune) the user may not see is a 404, whoever asks; an action refused on one they
can see is a 403. The rules themselves are in places.hamlets and places.hamlet_import.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nongthon.accounts import permissions
from nongthon.places import hamlet_import, hamlets
from nongthon.places.hamlet_forms import (
    HamletEditForm,
    HamletForm,
    ImportForm,
    RestoreForm,
    RetireForm,
)
from nongthon.places.models import Hamlet, Level, Unit
from nongthon.web.forms import is_stale
from nongthon.web.history import describe_all

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible_unit(request: HttpRequest, pk: int, level: str | None = None) -> Unit:
    query = Unit.objects.select_related("province", "district")
    if level:
        query = query.filter(level=level)
    unit = get_object_or_404(query, pk=pk)
    if not permissions.can_view_unit_data(request.user, unit):
        raise Http404
    return unit


def _visible_hamlet(request: HttpRequest, pk: int) -> Hamlet:
    hamlet = get_object_or_404(
        Hamlet.objects.select_related("commune", "commune__province", "commune__district"), pk=pk
    )
    if not permissions.can_view_hamlet(request.user, hamlet):
        raise Http404
    return hamlet


def _editable_hamlet(request: HttpRequest, pk: int) -> Hamlet:
    hamlet = _visible_hamlet(request, pk)
    if not permissions.can_edit_hamlets(request.user, hamlet.commune):
        raise PermissionDenied
    return hamlet


def _back_to(commune: Unit) -> str:
    return reverse("places:unit", args=[commune.pk]) + "#hamlets"


def _rebind_after_conflict(form_class: type[Form], request: HttpRequest, hamlet: Hamlet) -> Form:
    """The user's input again, now at the current version: they see what changed and decide."""
    hamlet.refresh_from_db()
    data = request.POST.copy()
    data["version"] = str(hamlet.version)
    form = form_class(data)
    form.is_valid()
    return form


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, f"places/hamlets/{template}", {"active": "places", **context})


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, commune_pk: int) -> HttpResponse:
    commune = _visible_unit(request, commune_pk, Level.COMMUNE)
    if not permissions.can_edit_hamlets(request.user, commune):
        raise PermissionDenied
    if request.method == "POST":
        form = HamletForm(request.POST)
        if form.is_valid():
            try:
                hamlet = hamlets.create_hamlet(
                    request.user,
                    commune=commune,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Đã thêm %(kind)s «%(name)s».")
                    % {"kind": hamlets.kind_noun(hamlet.kind), "name": hamlet.name},
                )
                return redirect(_back_to(commune))
    else:
        form = HamletForm(initial={"kind": hamlets.default_kind(commune)})
    return _page(
        request,
        "form.html",
        {"unit": commune, "commune": commune, "form": form, "title": _("Thêm thôn, ấp")},
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    hamlet = _visible_hamlet(request, pk)
    records = hamlet.history.select_related("history_user").order_by("-history_date", "-history_id")
    return _page(
        request,
        "detail.html",
        {
            "unit": hamlet.commune,
            "hamlet": hamlet,
            "rows": describe_all(records),
            "may_edit": permissions.can_edit_hamlets(request.user, hamlet.commune),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    hamlet = _editable_hamlet(request, pk)
    if request.method == "POST":
        form = HamletEditForm(request.POST)
        if form.is_valid():
            try:
                changed = hamlets.update_hamlet(
                    request.user,
                    hamlet=hamlet,
                    expected_version=form.cleaned_data["version"],
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                if is_stale(exc):
                    form = _rebind_after_conflict(HamletEditForm, request, hamlet)
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Đã lưu %(kind)s «%(name)s».")
                    % {"kind": hamlets.kind_noun(changed.kind), "name": changed.name},
                )
                return redirect(_back_to(hamlet.commune))
    else:
        form = HamletEditForm(
            initial={"name": hamlet.name, "kind": hamlet.kind, "version": hamlet.version}
        )
    return _page(
        request,
        "form.html",
        {
            "unit": hamlet.commune,
            "commune": hamlet.commune,
            "hamlet": hamlet,
            "form": form,
            "title": _("Sửa %(kind)s «%(name)s»")
            % {"kind": hamlets.kind_noun(hamlet.kind), "name": hamlet.name},
        },
    )


def _change_state(request, pk, form_class, apply, done_message: str, template: str):
    """Retire or restore: the same form round trip, stale saves rebound with the current data."""
    hamlet = _editable_hamlet(request, pk)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                apply(hamlet, form.cleaned_data)
            except ValidationError as exc:
                if is_stale(exc):
                    form = _rebind_after_conflict(form_class, request, hamlet)
                form.add_error(None, exc)
            else:
                kind = hamlets.kind_noun(hamlet.kind)
                messages.success(request, done_message % {"kind": kind, "name": hamlet.name})
                return redirect(_back_to(hamlet.commune))
    else:
        form = form_class(initial={"version": hamlet.version})
    return _page(request, template, {"unit": hamlet.commune, "hamlet": hamlet, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def retire(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(hamlet: Hamlet, data: dict) -> None:
        hamlets.retire_hamlet(
            request.user,
            hamlet=hamlet,
            expected_version=data["version"],
            on=data["on"],
            reason=data["reason"],
        )

    return _change_state(
        request, pk, RetireForm, apply, _("Đã thôi sử dụng %(kind)s «%(name)s»."), "retire.html"
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(hamlet: Hamlet, data: dict) -> None:
        hamlets.restore_hamlet(
            request.user, hamlet=hamlet, expected_version=data["version"], reason=data["reason"]
        )

    return _change_state(
        request, pk, RestoreForm, apply, _("Đã khôi phục %(kind)s «%(name)s»."), "restore.html"
    )


def _importable_unit(request: HttpRequest, pk: int) -> Unit:
    unit = _visible_unit(request, pk)
    if not permissions.can_import_hamlets(request.user, unit):
        raise PermissionDenied
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _importable_unit(request, unit_pk)
    result = errors = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = hamlet_import.import_hamlets(
                    request.user, unit=unit, upload=upload, filename=upload.name
                )
            except hamlet_import.ImportRefused as exc:
                errors = exc.errors
            else:
                form = ImportForm()
    else:
        form = ImportForm()
    return _page(
        request,
        "import.html",
        {
            "unit": unit,
            "form": form,
            "errors": errors,
            "result": result,
            "headers": list(hamlet_import.HEADERS.values()),
            "kinds": hamlet_import.allowed_kinds_text(),
            "max_rows": hamlet_import.MAX_ROWS,
        },
    )


@login_required
def import_template(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = _importable_unit(request, unit_pk)
    response = HttpResponse(hamlet_import.build_template(unit), content_type=XLSX)
    filename = hamlet_import.template_filename(unit)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
