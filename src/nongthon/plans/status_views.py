"""Pages of the yearly household and commune statuses behind the `statuses.household_share` and
`statuses.commune_share` targets: the communes of a unit for a year with their record, and one
record added, edited or deleted with its decision. Thin: the rules are in plans.services.

Who: anyone with a role over the unit sees the list (404 otherwise); the commune's officer, its
district and its province record (403 on a visible record they may not change)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nongthon.accounts import permissions
from nongthon.places.models import Level, Unit
from nongthon.plans import services
from nongthon.plans.forms import CommuneStatusForm, HouseholdStatusForm
from nongthon.plans.models import CommuneStatus, HouseholdStatus, StatusKind
from nongthon.plans.targets.common import number, percent
from nongthon.web.forms import add_errors, int_param, save_versioned
from nongthon.web.history import describe_all


@dataclass(frozen=True)
class Kind:
    """What differs between the household and the commune pages."""

    code: str  # "households" / "communes": the URL word
    applies_to: str
    model: type[models.Model]
    form: type
    title: str
    fields: tuple[str, ...]
    add: Callable
    update: Callable
    remove: Callable


@dataclass(frozen=True)
class StatusRow:
    commune: Unit
    record: HouseholdStatus | CommuneStatus | None
    editable: bool

    @property
    def share(self) -> str:
        """A household record's share, as "96,5" (one decimal, the locale's comma)."""
        if not isinstance(self.record, HouseholdStatus):
            return ""
        return number(percent(self.record.achieved, self.record.households))


HOUSEHOLDS = Kind(
    "households",
    StatusKind.Applies.HOUSEHOLD,
    HouseholdStatus,
    HouseholdStatusForm,
    gettext_lazy("Danh hiệu hộ gia đình"),
    services.HOUSEHOLD_FIELDS,
    services.add_household_status,
    services.update_household_status,
    services.remove_household_status,
)
COMMUNES = Kind(
    "communes",
    StatusKind.Applies.COMMUNE,
    CommuneStatus,
    CommuneStatusForm,
    gettext_lazy("Danh hiệu cấp xã"),
    services.COMMUNE_STATUS_FIELDS,
    services.add_commune_status,
    services.update_commune_status,
    services.remove_commune_status,
)
KINDS = {k.code: k for k in (HOUSEHOLDS, COMMUNES)}


def _kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise Http404 from None


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, f"plans/{template}", {"active": "plans", **context})


def _visible_unit(request: HttpRequest, unit_pk: int) -> Unit:
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not permissions.can_view_unit_data(request.user, unit):
        raise Http404
    return unit


def communes_in_year(unit: Unit, year: int) -> models.QuerySet[Unit]:
    """The communes of `unit` (itself when a commune) that existed at some time in `year`."""
    return (
        Unit.objects.subtree(unit)
        .communes()
        .filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=dt.date(year, 12, 31)),
            Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(year, 1, 1)),
        )
        .select_related("district")
        .order_by("code")
    )


def _list_url(kind: Kind, unit: Unit, year: int, status: StatusKind | None) -> str:
    url = reverse("plans:status_list", args=[kind.code, unit.pk, year])
    return f"{url}?kind={status.code}" if status else url


@login_required
def status_list(request: HttpRequest, what: str, unit_pk: int, year: int) -> HttpResponse:
    """Every commune of the unit for the year and the chosen status, with its record or a gap."""
    kind = _kind(what)
    unit = _visible_unit(request, unit_pk)
    statuses = list(StatusKind.objects.filter(applies_to=kind.applies_to))
    status = next(
        (s for s in statuses if s.code == request.GET.get("kind")),
        statuses[0] if statuses else None,
    )
    communes = list(communes_in_year(unit, year))
    records = {
        r.commune_id: r
        for r in kind.model.objects.filter(
            commune__in=[c.pk for c in communes], kind=status, year=year
        )
    }
    # One question per page, not per row: the user's memberships are cached on the user.
    editable = {c.pk for c in communes if permissions.can_record_statuses(request.user, c)}
    rows = [StatusRow(c, records.get(c.pk), c.pk in editable) for c in communes]
    summary = ""
    if kind is HOUSEHOLDS and records:
        sums = kind.model.objects.filter(pk__in=[r.pk for r in records.values()]).aggregate(
            a=Sum("achieved"), t=Sum("households")
        )
        summary = _("%(a)s/%(t)s hộ (%(s)s%%) ở %(n)s/%(c)s xã có số liệu") % {
            "a": number(sums["a"]),
            "t": number(sums["t"]),
            "s": number(percent(sums["a"], sums["t"])),
            "n": len(records),
            "c": len(communes),
        }
    elif kind is COMMUNES:
        achieved = sum(1 for r in records.values() if r.achieved)
        summary = _("%(a)s/%(c)s xã đạt (%(s)s%%); %(n)s xã chưa có số liệu") % {
            "a": achieved,
            "c": len(communes),
            "s": number(percent(achieved, len(communes))),
            "n": len(communes) - len(records),
        }
    return _render(
        request,
        f"status_{kind.code}.html",
        {
            "kind": kind,
            "unit": unit,
            "year": year,
            "status": status,
            "statuses": statuses,
            "rows": rows,
            "summary": summary,
            "may_add": bool(editable),
            "years": (year - 1, year + 1),
        },
    )


@login_required
def status_add(request: HttpRequest, what: str, unit_pk: int, year: int) -> HttpResponse:
    kind = _kind(what)
    unit = _visible_unit(request, unit_pk)
    communes = [
        c for c in communes_in_year(unit, year) if permissions.can_record_statuses(request.user, c)
    ]
    if not communes:
        raise PermissionDenied
    initial = {"year": year, "kind": request.GET.get("kind"), "commune": request.GET.get("commune")}
    form = kind.form(request.POST or None, initial=initial, communes=communes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        commune_pk = data.pop("commune")
        commune = next(c for c in communes if c.pk == commune_pk)
        status_code, record_year = data.pop("kind"), data.pop("year")
        try:
            kind.add(request.user, commune, status_code, record_year, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi danh hiệu của %(c)s.") % {"c": commune.name})
            status = StatusKind.objects.get(code=status_code)
            return redirect(_list_url(kind, unit, record_year, status))
    return _render(
        request,
        "status_form.html",
        {
            "kind": kind,
            "unit": unit,
            "year": year,
            "form": form,
            "back_url": _list_url(kind, unit, year, None),
        },
    )


def _back_unit(request: HttpRequest, commune: Unit) -> Unit:
    """The list the user came from (?unit=, a unit they see), else the commune's own."""
    wanted = request.GET.get("unit", "")
    if int_param(wanted) is not None:
        unit = Unit.objects.filter(pk=int_param(wanted)).first()
        if unit is not None and permissions.can_view_unit_data(request.user, unit):
            return unit
    return commune


def _record(request: HttpRequest, kind: Kind, pk: int):
    record = get_object_or_404(kind.model.objects.select_related("commune", "kind"), pk=pk)
    if not permissions.can_view_unit_data(request.user, record.commune):
        raise Http404
    if not permissions.can_record_statuses(request.user, record.commune):
        raise PermissionDenied
    return record


@login_required
def status_edit(request: HttpRequest, what: str, pk: int) -> HttpResponse:
    kind = _kind(what)
    record = _record(request, kind, pk)
    initial = {name: getattr(record, name) for name in kind.fields} | {"version": record.version}
    if kind is COMMUNES:
        initial["achieved"] = "1" if record.achieved else "0"
    form = kind.form(request.POST or None, initial=initial, editing=True)
    back = _list_url(kind, _back_unit(request, record.commune), record.year, record.kind)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_versioned(
            request,
            form,
            partial(kind.update, request.user, record),
            _("Đã lưu danh hiệu."),
        )
    ):
        return redirect(back)
    return _render(
        request,
        "status_form.html",
        {
            "kind": kind,
            "record": record,
            "unit": record.commune,
            "year": record.year,
            "form": form,
            "back_url": back,
            "history": describe_all(
                record.history.select_related("history_user").order_by("-history_id")[:30]
            ),
        },
    )


@login_required
@require_POST
def status_delete(request: HttpRequest, what: str, pk: int) -> HttpResponse:
    kind = _kind(what)
    record = _record(request, kind, pk)
    try:
        kind.remove(request.user, record, int_param(request.POST.get("version"), 0))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("plans:status_edit", kind.code, record.pk)
    messages.success(
        request,
        _("Đã xóa danh hiệu «%(k)s» năm %(y)s của %(c)s.")
        % {"k": record.kind.name, "y": record.year, "c": record.commune.name},
    )
    return redirect(_list_url(kind, _back_unit(request, record.commune), record.year, record.kind))


def status_units(user) -> list[Unit]:
    """The units whose statuses the index links to: the user's membership units (deduplicated,
    outermost first), when the user may see their data."""
    rank = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    units: list[Unit] = []
    for m in user.memberships.select_related("unit"):
        if m.unit not in units and permissions.can_view_unit_data(user, m.unit):
            units.append(m.unit)
    return sorted(units, key=lambda u: (rank.get(u.level, 3), u.code))
