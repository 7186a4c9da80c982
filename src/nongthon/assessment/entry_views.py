"""The data-entry page of a unit's indicator values for one year and set family, its live
preview (htmx: the engine over the typed values, nothing written), and the evidence pages.

A unit whose values the user may not see is a 404; a change refused on a visible unit is a 403.
The rules are in assessment.services, assessment.evidence and accounts.permissions.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nongthon.accounts import permissions
from nongthon.assessment import entry_queries, services
from nongthon.assessment import evidence as evidence_service
from nongthon.assessment.entry_forms import EvidenceForm, row_forms
from nongthon.assessment.entry_queries import Sheet
from nongthon.assessment.models import Evidence
from nongthon.places.models import Unit
from nongthon.web import uploads


def _visible_unit(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("province", "district", "region"), pk=pk)
    if not permissions.can_view_values(request.user, unit):
        raise Http404
    return unit


def _sheet(unit: Unit, year: int, family: str) -> Sheet:
    sheet = entry_queries.entry_sheet(unit, year, family)
    if sheet is None:
        raise Http404
    return sheet


def _entry_url(unit: Unit, year: int, family: str) -> str:
    return reverse("assessment:entry_page", args=[unit.pk, year, family])


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(
        request, f"assessment/entry/{template}", {"active": "places", **context}, status=status
    )


def _selectors(unit: Unit, year: int, family: str) -> dict:
    """Links of the year and family selectors: families with a set for this unit and year."""
    choices = entry_queries.entry_choices(unit)
    years = []
    for choice in choices:
        families = [f.family for f in choice.families]
        target = family if family in families else families[0]
        years.append((choice.year, _entry_url(unit, choice.year, target)))
    if year not in [y for y, _url in years]:
        years.insert(0, (year, _entry_url(unit, year, family)))
    this_year = next((c for c in choices if c.year == year), None)
    families = [
        (f.label, f.name, _entry_url(unit, year, f.family), f.family == family)
        for f in (this_year.families if this_year else [])
    ]
    return {"year_links": years, "family_links": families}


def _show_typed(sheet: Sheet, forms) -> None:
    """Verdicts of what the page holds, with each row's own problems; nothing is written."""
    values = {}
    for form in forms:
        value, problem = form.value_in()
        values[form.row.code] = value
        form.row.errors = ([problem] if problem else []) + form.problems()
    sheet.evaluate(values)


def _saved_message(sheet: Sheet, outcome: services.SaveOutcome) -> str:
    text = _("Đã lưu %(n)s chỉ tiêu: %(codes)s.") % {
        "n": len(outcome.changed),
        "codes": ", ".join(outcome.changed),
    }
    evaluation = next(
        (e for e in outcome.evaluations if e.criteria_set_id == sheet.criteria_set.pk), None
    )
    if evaluation is not None:
        text += " " + _("Kết quả: đạt %(met)s/%(total)s tiêu chí.") % {
            "met": evaluation.met_count,
            "total": evaluation.total,
        }
    if outcome.reopened:
        text += " " + _(
            "Tiêu chí %(numbers)s đã được chuyển về chờ xác nhận vì số liệu thay đổi."
        ) % {"numbers": ", ".join(str(n) for n in outcome.reopened)}
    return text


@login_required
@require_http_methods(["GET", "POST"])
def entry_page(request: HttpRequest, unit_pk: int, year: int, family: str) -> HttpResponse:
    unit = _visible_unit(request, unit_pk)
    may_edit = permissions.can_edit_values(request.user, unit)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    sheet = _sheet(unit, year, family)
    general_errors: list[str] = []
    if request.method == "POST":
        forms = row_forms(sheet.rows, request.POST)
        problems = [p for f in forms for p in f.problems()]
        if not problems:
            entries = [e for f in forms if (e := f.entry()) is not None]
            try:
                outcome = services.save_values(
                    request.user, unit=unit, year=year, family=family, entries=entries
                )
            except ValidationError as exc:
                by_code = exc.message_dict if hasattr(exc, "error_dict") else {}
                general_errors = [] if by_code else exc.messages
                _show_typed(sheet, forms)
                for code, refusals in by_code.items():
                    row = sheet.row(code)
                    target = general_errors if row is None else row.errors
                    # The preview may have said the same already.
                    target.extend(r for r in refusals if r not in target)
            else:
                if outcome.changed:
                    messages.success(request, _saved_message(sheet, outcome))
                else:
                    messages.info(request, _("Không có thay đổi nào cần lưu."))
                return redirect(_entry_url(unit, year, family))
        else:
            _show_typed(sheet, forms)
    else:
        row_forms(sheet.rows, read_only=not may_edit)
        sheet.evaluate(sheet.stored_values())
    errors = general_errors + [e for r in sheet.rows for e in r.errors]
    return _page(
        request,
        "page.html",
        {
            "unit": unit,
            "year": year,
            "family": family,
            "sheet": sheet,
            "may_edit": may_edit,
            "errors": errors,
            # After a refused save the verdicts are those of the typed values, not saved ones.
            "preview": request.method == "POST",
            **_selectors(unit, year, family),
        },
    )


@login_required
@require_POST
def entry_preview(request: HttpRequest, unit_pk: int, year: int, family: str) -> HttpResponse:
    """The verdicts of the typed values (htmx fragment with out-of-band rows); writes nothing."""
    unit = _visible_unit(request, unit_pk)
    if not permissions.can_edit_values(request.user, unit):
        raise PermissionDenied
    sheet = _sheet(unit, year, family)
    _show_typed(sheet, row_forms(sheet.rows, request.POST))
    return _page(request, "_preview.html", {"sheet": sheet, "preview": True})


# --- Evidence -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def evidence_list(
    request: HttpRequest, unit_pk: int, year: int, family: str, code: str
) -> HttpResponse:
    """The files behind one value, and the upload form for those who may edit."""
    unit = _visible_unit(request, unit_pk)
    criteria_set = services.governing_set(unit, family, year)
    indicator = services.indicator_index(criteria_set).get(code) if criteria_set else None
    if indicator is None:
        raise Http404
    may_edit = permissions.can_edit_values(request.user, unit)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                evidence_service.attach_evidence(
                    request.user,
                    upload=upload,
                    unit=unit,
                    year=year,
                    family=family,
                    indicator_code=code,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(
                    request,
                    _("Đã đính kèm «%(name)s» vào chỉ tiêu %(code)s.")
                    % {"name": evidence_service.clean_name(upload.name), "code": code},
                )
                return redirect(request.path)
    else:
        form = EvidenceForm()
    return _page(
        request,
        "evidence.html",
        {
            "unit": unit,
            "year": year,
            "family": family,
            "indicator": indicator,
            "files": evidence_service.evidence_of(unit, year, family, code),
            "form": form,
            "may_edit": may_edit,
        },
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = evidence_service.visible_evidence(request.user, pk)
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return uploads.file_response(
        handle, filename=evidence.original_name, content_type=evidence.content_type
    )


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("value__unit"), pk=pk)
    value = evidence.value
    if not permissions.can_view_values(request.user, value.unit):
        raise Http404
    try:
        evidence_service.remove_evidence(request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã gỡ tệp «%(name)s» khỏi chỉ tiêu %(code)s.")
            % {"name": evidence.original_name, "code": value.indicator_code},
        )
    return redirect(
        "assessment:evidence_list", value.unit_id, value.year, value.family, value.indicator_code
    )
