"""Catalogue pages: the sets, one set with its versions, a province refining a set (in forms or
by uploading its file), and who answers for each criterion in a province.

Any logged-in user reads sets (they are law). Changing a province's set or its responsibilities
needs permissions.can_manage_catalogue on the province, else 403; change pages for something
that is not a province's set (a national set, an unknown family) are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nongthon.accounts import permissions
from nongthon.catalogue import queries, refinement
from nongthon.catalogue import responsibility as responsibility_services
from nongthon.catalogue.files import CatalogueFileError
from nongthon.catalogue.forms import (
    IndicatorForm,
    RefineForm,
    RemoveThresholdForm,
    ResponsibilityForm,
    SetFilterForm,
    ThresholdForm,
    UploadForm,
)
from nongthon.catalogue.models import CriteriaSet, SetStatus
from nongthon.places.models import Level, Unit
from nongthon.web.forms import add_errors, is_stale

STALE_STATUS = 409
ACTIVE = "criteria"


def _set(pk: int) -> CriteriaSet:
    return get_object_or_404(
        CriteriaSet.objects.select_related("province", "refines", "created_by"), pk=pk
    )


def _province_set(request: HttpRequest, pk: int) -> CriteriaSet:
    """A province's set the user may change: 404 for a national set, 403 for others' sets."""
    criteria_set = _set(pk)
    if criteria_set.is_national:
        raise Http404
    if not permissions.can_manage_catalogue(request.user, criteria_set.province):
        raise PermissionDenied
    return criteria_set


def _current_or_redirect(request: HttpRequest, criteria_set: CriteriaSet, view: str):
    """A change starts from the version in force: opening an older one goes there. (A form
    posted from an older one is refused by the service, saying what changed.)"""
    if criteria_set.status == SetStatus.ACTIVE or request.method == "POST":
        return None
    current = queries.active_version(criteria_set.code)
    if current is None:
        raise Http404
    messages.info(
        request,
        _("Phiên bản %(old)s đã được thay; đang mở phiên bản %(new)s.")
        % {"old": criteria_set.version, "new": current.version},
    )
    return redirect(f"{reverse(view, args=[current.pk])}?{request.GET.urlencode()}")


def _changed(request: HttpRequest, outcome: refinement.ChangeOutcome) -> HttpResponse:
    s = outcome.criteria_set
    if outcome.made_new_version:
        text = _(
            "Đã lưu thành phiên bản %(v)s (phiên bản trước đã có kết quả đánh giá nên được giữ "
            "nguyên): %(note)s"
        ) % {"v": s.version, "note": outcome.note}
    else:
        text = _("Đã lưu vào phiên bản %(v)s: %(note)s") % {"v": s.version, "note": outcome.note}
    messages.success(request, text)
    return redirect("catalogue:set", s.pk)


# --- reading ----------------------------------------------------------------------------------


@login_required
def set_list(request: HttpRequest) -> HttpResponse:
    form = SetFilterForm(request.GET or None, periods=queries.period_choices())
    sets = queries.visible_sets(request.user, **form.values())
    context = {
        "active": ACTIVE,
        "form": form,
        "sets": sets,
        "may_upload": queries.manageable_provinces(request.user).exists(),
    }
    return render(request, "catalogue/set_list.html", context)


@login_required
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = _set(pk)
    user = request.user
    province = queries.province_for(user, criteria_set)
    may_change = (
        not criteria_set.is_national
        and criteria_set.status == SetStatus.ACTIVE
        and permissions.can_manage_catalogue(user, criteria_set.province)
    )
    context = {
        "active": ACTIVE,
        "set": criteria_set,
        "groups": queries.set_layout(criteria_set, province),
        "versions": queries.set_versions(criteria_set),
        "from_national": (
            None if criteria_set.is_national else queries.differences_from_national(criteria_set)
        ),
        "national": queries.national_reference(criteria_set),
        "refinements": (
            criteria_set.refinements.filter(status=SetStatus.ACTIVE).select_related("province")
            if criteria_set.is_national
            else None
        ),
        "province": province,
        "may_change": may_change,
        "may_refine": criteria_set.is_national
        and criteria_set.status == SetStatus.ACTIVE
        and queries.manageable_provinces(user, queries.set_edition(criteria_set)).exists(),
        "may_assign": province is not None and permissions.can_manage_catalogue(user, province),
    }
    return render(request, "catalogue/set_detail.html", context)


# --- refining ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def refine(request: HttpRequest, pk: int) -> HttpResponse:
    national = _set(pk)
    if not national.is_national:
        raise Http404
    edition = queries.set_edition(national)
    provinces = queries.manageable_provinces(request.user, edition)
    if not provinces.exists():
        raise PermissionDenied
    # Any province of the edition is a valid choice: one the user does not manage is a 403.
    choices = Unit.objects.filter(level=Level.PROVINCE, edition=edition).order_by("code")
    form = RefineForm(
        request.POST or None,
        provinces=choices,
        initial={"province": provinces.first()} if provinces.count() == 1 else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_manage_catalogue(request.user, data["province"]):
            raise PermissionDenied
        try:
            outcome = refinement.refine(request.user, national_set=national, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã tạo bộ tiêu chí «%(name)s» (%(code)s).")
                % {"name": outcome.criteria_set.name, "code": outcome.criteria_set.code},
            )
            return redirect("catalogue:set", outcome.criteria_set.pk)
    form.fields["province"].queryset = provinces
    title = _("Cụ thể hóa cho tỉnh: %(name)s") % {"name": national.name}
    return _form_page(request, national, form, title)


def _form_page(request, criteria_set, form, title: str, status: int = 200, **extra):
    """The form posts to the page of `criteria_set`: after a refusal because a new version
    appeared, that is the new version's page."""
    action = reverse(request.resolver_match.view_name, args=[criteria_set.pk])
    context = {
        "active": ACTIVE,
        "set": criteria_set,
        "form": form,
        "title": title,
        "action": action,
        **extra,
    }
    return render(request, "catalogue/form.html", context, status=status)


def _indicator_choices(criteria_set: CriteriaSet) -> list[tuple[str, str]]:
    return [
        (i.indicator.code, f"{i.indicator.code} {i.indicator.name}")
        for g in queries.set_layout(criteria_set)
        for c in g.criteria
        for i in c.indicators
    ]


def _with_hash(request: HttpRequest, criteria_set: CriteriaSet):
    """The submitted data with the current content, so a second save after reading the
    conflict message goes through."""
    data = request.POST.copy()
    data["content_hash"] = criteria_set.content_hash
    return data


@login_required
@require_http_methods(["GET", "POST"])
def threshold_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = _province_set(request, pk)
    moved = _current_or_redirect(request, criteria_set, "catalogue:threshold")
    if moved:
        return moved
    indicators = _indicator_choices(criteria_set)
    initial = {
        "content_hash": criteria_set.content_hash,
        "indicator_code": request.GET.get("indicator", ""),
        "region": request.GET.get("region", ""),
        "group": request.GET.get("group", ""),
        "year": request.GET.get("year", ""),
        "comparator": ">=",
    }
    form = ThresholdForm(request.POST or None, initial=initial, indicators=indicators)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = refinement.set_threshold(
                request.user,
                province_set=criteria_set,
                indicator_code=data["indicator_code"],
                comparator=data["comparator"],
                value=data["value"],
                categories=data["categories"],
                region=data["region"],
                group=data["group"],
                year=data["year"],
                basis=data["basis"],
                expected_hash=data["content_hash"] or None,
            )
        except ValidationError as error:
            if is_stale(error):
                criteria_set = queries.active_version(criteria_set.code) or criteria_set
                form = ThresholdForm(_with_hash(request, criteria_set), indicators=indicators)
                form.is_valid()
                status = STALE_STATUS
            add_errors(form, error)
        else:
            return _changed(request, outcome)
    title = _("Quy định ngưỡng: %(name)s") % {"name": criteria_set.name}
    return _form_page(request, criteria_set, form, title, status)


@login_required
@require_http_methods(["GET", "POST"])
def threshold_remove(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = _province_set(request, pk)
    moved = _current_or_redirect(request, criteria_set, "catalogue:threshold_remove")
    if moved:
        return moved
    initial = {
        "content_hash": criteria_set.content_hash,
        "indicator_code": request.GET.get("indicator", ""),
        "region": request.GET.get("region", ""),
        "group": request.GET.get("group", ""),
        "year": request.GET.get("year", ""),
    }
    form = RemoveThresholdForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = refinement.remove_threshold(
                request.user,
                province_set=criteria_set,
                indicator_code=data["indicator_code"],
                region=data["region"],
                group=data["group"],
                year=data["year"],
                basis=data["basis"],
                expected_hash=data["content_hash"] or None,
            )
        except ValidationError as error:
            if is_stale(error):
                criteria_set = queries.active_version(criteria_set.code) or criteria_set
                form = RemoveThresholdForm(_with_hash(request, criteria_set))
                form.is_valid()
                status = STALE_STATUS
            add_errors(form, error)
        else:
            return _changed(request, outcome)
    code = form["indicator_code"].value() or ""
    title = _("Bỏ ngưỡng của chỉ tiêu %(code)s") % {"code": code}
    return _form_page(request, criteria_set, form, title, status, removing=True)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = _province_set(request, pk)
    moved = _current_or_redirect(request, criteria_set, "catalogue:indicator_add")
    if moved:
        return moved
    criteria = [(c.number, str(c)) for c in criteria_set.criteria.order_by("number")]
    initial = {"content_hash": criteria_set.content_hash, "comparator": ">="}
    form = IndicatorForm(request.POST or None, initial=initial, criteria=criteria)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        thresholds = []
        if data["with_threshold"]:
            thresholds.append(
                refinement.ThresholdInput(
                    comparator=data["comparator"],
                    value=data["value"],
                    categories=data["categories"],
                    region=data["region"],
                    group=data["group"],
                    year=data["year"],
                )
            )
        try:
            outcome = refinement.add_indicator(
                request.user,
                province_set=criteria_set,
                criterion_number=data["criterion_number"],
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                unit=data["unit"],
                categories=data["indicator_categories"],
                note=data["note"],
                thresholds=thresholds,
                basis=data["basis"],
                expected_hash=data["content_hash"] or None,
            )
        except ValidationError as error:
            if is_stale(error):
                criteria_set = queries.active_version(criteria_set.code) or criteria_set
                form = IndicatorForm(_with_hash(request, criteria_set), criteria=criteria)
                form.is_valid()
                status = STALE_STATUS
            add_errors(form, error)
        else:
            return _changed(request, outcome)
    title = _("Thêm chỉ tiêu: %(name)s") % {"name": criteria_set.name}
    return _form_page(request, criteria_set, form, title, status)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    provinces = queries.manageable_provinces(request.user)
    if not provinces.exists():
        raise PermissionDenied
    choices = Unit.objects.filter(level=Level.PROVINCE).order_by("edition", "code")
    problems = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, provinces=choices)
        if form.is_valid():
            province = form.cleaned_data["province"]
            if not permissions.can_manage_catalogue(request.user, province):
                raise PermissionDenied
            upload_file = form.cleaned_data["file"]
            try:
                outcome = refinement.upload_refinement(
                    request.user,
                    province=province,
                    text=form.text(),
                    filename=upload_file.name,
                    change_note=form.cleaned_data["change_note"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            except CatalogueFileError as error:
                problems = [str(p) for p in error.problems]
            else:
                if outcome.action == "unchanged":
                    messages.info(
                        request, _("Tệp giống phiên bản đang áp dụng: không có gì thay đổi.")
                    )
                    return redirect("catalogue:set", outcome.criteria_set.pk)
                return _changed(request, outcome)
    else:
        form = UploadForm(
            provinces=choices,
            initial={"province": provinces.first()} if provinces.count() == 1 else None,
        )
    form.fields["province"].queryset = provinces
    context = {"active": ACTIVE, "form": form, "problems": problems}
    return render(request, "catalogue/upload.html", context)


# --- responsibility ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def responsibility(request: HttpRequest, province_pk: int, family: str) -> HttpResponse:
    province = get_object_or_404(Unit, pk=province_pk, level=Level.PROVINCE)
    criteria = queries.family_criteria(province, family)
    if not criteria:
        raise Http404
    if not permissions.can_manage_catalogue(request.user, province):
        raise PermissionDenied
    agencies = queries.assignable_agencies(province)
    assigned = queries.responsibilities(province, family)
    posted = None
    status = 200
    if request.method == "POST":
        posted = ResponsibilityForm(request.POST, agencies=agencies)
        if posted.is_valid():
            data = posted.cleaned_data
            try:
                outcome = responsibility_services.assign_responsibility(
                    request.user,
                    province=province,
                    family=family,
                    criterion_number=data["criterion_number"],
                    agency=data["agency"],
                    basis=data["basis"],
                    expected_agency_id=data["expected_agency"],
                )
            except ValidationError as error:
                if is_stale(error):
                    status = STALE_STATUS
                add_errors(posted, error)
            else:
                messages.success(request, _assignment_message(outcome, data["criterion_number"]))
                return redirect("catalogue:responsibility", province.pk, family)
    rows = []
    for c in criteria:
        row = assigned.get(c.number)
        form = None
        if posted is not None and posted.cleaned_data.get("criterion_number") == c.number:
            form = posted
            form.auto_id = f"id_{c.number}_%s"
        form = form or ResponsibilityForm(
            agencies=agencies,
            initial={
                "criterion_number": c.number,
                "agency": row.agency_id if row else None,
                "basis": row.basis if row else "",
                "expected_agency": row.agency_id if row else 0,
            },
            auto_id=f"id_{c.number}_%s",
        )
        rows.append({"criterion": c, "assigned": row, "form": form})
    context = {
        "active": ACTIVE,
        "province": province,
        "family": family,
        "set": criteria[0].criteria_set,
        "rows": rows,
    }
    return render(request, "catalogue/responsibility.html", context, status=status)


def _assignment_message(outcome: responsibility_services.AssignmentOutcome, number: int) -> str:
    if outcome.action == "removed":
        return _("Tiêu chí %(n)s: đã bỏ phân công %(agency)s.") % {
            "n": number,
            "agency": outcome.previous_agency.name,
        }
    if outcome.action == "unchanged":
        return _("Tiêu chí %s: không có gì thay đổi.") % number
    return _("Tiêu chí %(n)s: %(agency)s phụ trách (%(basis)s).") % {
        "n": number,
        "agency": outcome.responsibility.agency.name,
        "basis": outcome.responsibility.basis,
    }
