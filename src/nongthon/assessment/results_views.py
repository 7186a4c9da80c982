"""Pages of evaluation results: the unit scorecard, the communes × criteria matrix with its
figures, the list of communes behind a figure, a value's history, and the department's
confirmation queue.

A unit the user may not see is a 404; a decision refused on a visible unit is a 403. The rules
are in assessment.queries and assessment.confirmation.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nongthon.accounts import permissions
from nongthon.assessment import confirmation, matrix_cache, queries
from nongthon.assessment.models import Evidence, IndicatorValue
from nongthon.places.models import Level, Unit
from nongthon.web.history import describe_all


def _visible_unit(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("province", "district", "region"), pk=pk)
    if not permissions.can_view_values(request.user, unit):
        raise Http404
    return unit


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, f"assessment/results/{template}", {"active": "results", **context})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Where the user's results are: a matrix per province/district, a scorecard per commune."""
    entries = []
    seen: set[int] = set()
    for m in request.user.memberships.select_related("unit").order_by("unit__code"):
        if m.unit_id in seen:
            continue
        seen.add(m.unit_id)
        if m.unit.level == Level.COMMUNE:
            entries.append((m.unit, "scorecard", queries.unit_families(m.unit)))
        else:
            entries.append((m.unit, "matrix", queries.subtree_families(m.unit)))
    agencies = permissions.confirming_agencies(request.user)
    return _page(request, "index.html", {"entries": entries, "agencies": agencies})


@login_required
def scorecard(request: HttpRequest, unit_pk: int, year: int, family: str) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    card = queries.scorecard(unit, year, family)
    may_confirm = set()
    if card is not None:
        may_confirm = {
            line.number
            for line in card.lines
            if permissions.can_confirm(request.user, unit, line.confirmation.responsible)
        }
    return _page(
        request,
        "scorecard.html",
        {
            "unit": unit,
            "year": year,
            "family": family,
            "card": card,
            "may_confirm": may_confirm,
            "others": queries.unit_families(unit),
        },
    )


@login_required
def value_history(
    request: HttpRequest, unit_pk: int, year: int, family: str, code: str
) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    value = get_object_or_404(
        IndicatorValue, unit=unit, year=year, family=family, indicator_code=code
    )
    records = list(value.history.select_related("history_user")) + list(
        Evidence.history.filter(value_id=value.pk).select_related("history_user")
    )
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    return _page(
        request,
        "value_history.html",
        {
            "unit": unit,
            "year": year,
            "family": family,
            "value": value,
            "rows": describe_all(records),
        },
    )


def _switched(request: HttpRequest, unit: Unit, year: int, family: str) -> str | None:
    """The URL for another year or tier chosen in the filter form, or None to stay."""
    try:
        wanted_year = int(request.GET.get("year") or year)
    except ValueError:
        wanted_year = year
    wanted_family = request.GET.get("family") or family
    tier = request.GET.get("tier")
    if tier:
        match = [s for s in queries.commune_families(unit, wanted_year) if s.tier == tier]
        if match and all(s.family != wanted_family for s in match):
            wanted_family = match[0].family
    if (wanted_year, wanted_family) == (year, family):
        return None
    keep = {k: request.GET[k] for k in ("district", "sort") if request.GET.get(k)}
    url = reverse("assessment:results_matrix", args=[unit.pk, wanted_year, wanted_family])
    return f"{url}?{urlencode(keep)}" if keep else url


@login_required
def matrix(request: HttpRequest, unit_pk: int, year: int, family: str) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    if unit.level == Level.COMMUNE:
        return redirect("assessment:results_scorecard", unit.pk, year, family)
    switched = _switched(request, unit, year, family)
    if switched:
        return redirect(switched)
    criteria_set = queries.commune_set(unit, family, year)
    if criteria_set is None:
        raise Http404
    districts = list(Unit.objects.filter(parent=unit, level=Level.DISTRICT).order_by("code"))
    scope = unit
    district_pk = request.GET.get("district", "")
    if district_pk and unit.level == Level.PROVINCE:
        scope = next((d for d in districts if str(d.pk) == district_pk), None)
        if scope is None:
            raise Http404
    sort = request.GET.get("sort", "")
    sort = sort if sort in queries.SORTS else ""

    def render_body() -> str:
        return render_to_string(
            "assessment/results/_matrix_body.html",
            {
                "scope": scope,
                "year": year,
                "family": family,
                "district_pk": district_pk,
                "sort": sort,
                "criteria": queries.criteria_of(criteria_set),
                "rows": queries.matrix_rows(scope, criteria_set, year, sort),
                "totals": queries.criterion_totals(scope, criteria_set, year),
                "summary": queries.summary_figures(scope, year, family, criteria_set),
            },
        )

    return _page(
        request,
        "matrix.html",
        {
            "unit": unit,
            "scope": scope,
            "year": year,
            "family": family,
            "criteria_set": criteria_set,
            "body": matrix_cache.body(
                scope, criteria_set, year, f"{sort}:{district_pk}", render_body
            ),
            "illustrative": queries.has_illustrative_values(scope, year, family),
            "districts": districts,
            "district_pk": district_pk,
            "sort": sort,
            "families": queries.commune_families(unit, year),
            "years": queries.evaluated_years(unit, family),
        },
    )


@login_required
def figure_list(request: HttpRequest, unit_pk: int, year: int, family: str) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    criteria_set = queries.commune_set(unit, family, year)
    if criteria_set is None:
        raise Http404
    figure = request.GET.get("figure", "all")
    try:
        criterion = int(request.GET["criterion"]) if request.GET.get("criterion") else None
        rows = queries.figure_rows(unit, criteria_set, year, figure, criterion)
    except (ValueError, queries.UnknownFigure) as exc:
        raise Http404 from exc
    return _page(
        request,
        "list.html",
        {
            "unit": unit,
            "year": year,
            "family": family,
            "criteria_set": criteria_set,
            "figure": figure,
            "criterion": criterion,
            "title": queries.figure_title(figure, criterion),
            "rows": rows,
            "summary": queries.summary_figures(unit, year, family, criteria_set),
            "illustrative": queries.has_illustrative_values(unit, year, family),
        },
    )


@login_required
def confirm_queue(request: HttpRequest) -> HttpResponse:
    """A department officer's criteria to confirm, commune by commune."""
    agencies = permissions.confirming_agencies(request.user)
    years = confirmation.queue_years(agencies)
    try:
        year = int(request.GET.get("year") or (years[0] if years else 0))
    except ValueError:
        year = years[0] if years else 0
    status = request.GET.get("status", "")
    status = status if status in confirmation.Status.values else ""
    page = None
    rows: list = []
    if agencies and year:
        page = Paginator(confirmation.queue(agencies, year=year, status=status), 50).get_page(
            request.GET.get("page")
        )
        rows = confirmation.queue_rows(page.object_list)
    return _page(
        request,
        "queue.html",
        {
            "active": "confirm",
            "agencies": agencies,
            "years": years,
            "year": year,
            "status": status,
            "statuses": confirmation.Status.choices,
            "page": page,
            "rows": rows,
        },
    )


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


@login_required
@require_POST
def confirm_decide(
    request: HttpRequest, unit_pk: int, year: int, family: str, number: int
) -> HttpResponse:
    """Confirm or return one criterion of one commune (a small form, or htmx from the queue)."""
    unit = _visible_unit(request, unit_pk)
    action = request.POST.get("action")
    if action not in ("confirm", "return"):
        raise Http404
    try:
        version = int(request.POST["version"]) if request.POST.get("version") else None
    except ValueError:
        version = None
    decide = confirmation.confirm if action == "confirm" else confirmation.return_criterion
    error = ""
    try:
        decide(
            request.user,
            unit=unit,
            year=year,
            family=family,
            criterion_number=number,
            comment=request.POST.get("comment", ""),
            expected_version=version,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.headers.get("HX-Request"):
        row = confirmation.queue_row(unit, year, family, number)
        if row is None:
            raise Http404
        return render(
            request,
            "assessment/results/_queue_row.html",
            {"row": row, "error": error, "next": _next_url(request, "")},
        )
    if error:
        messages.error(request, error)
    else:
        done = _("Đã xác nhận") if action == "confirm" else _("Đã trả lại")
        messages.success(
            request,
            _("%(done)s tiêu chí %(n)s của %(unit)s năm %(year)s.")
            % {"done": done, "n": number, "unit": unit.name, "year": year},
        )
    fallback = reverse("assessment:results_scorecard", args=[unit.pk, year, family])
    return redirect(_next_url(request, fallback))
