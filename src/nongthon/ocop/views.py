"""OCOP pages for officers, councils and producers: products, producers, score sheets,
councils and rounds, scoring, results, certificates. Another area's product is a 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nongthon.accounts import permissions
from nongthon.ocop import certificates as cert_dates
from nongthon.ocop import queries, services
from nongthon.ocop.forms import (
    AddProductForm,
    CertificateForm,
    CouncilForm,
    PhotoForm,
    ProducerForm,
    ProductForm,
    RevokeForm,
    RoundForm,
    SheetForm,
)
from nongthon.ocop.models import (
    Certificate,
    CertificateStatus,
    Council,
    Evaluation,
    MemberScore,
    Producer,
    Product,
    ProductPhoto,
    Round,
    ScoreSheet,
)
from nongthon.ocop.rules import certificate_rules, rule_version
from nongthon.places.models import Level, Unit
from nongthon.web import uploads
from nongthon.web.forms import add_errors, int_param
from nongthon.web.history import describe_all


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, f"ocop/{template}", {"active": "ocop", **context})


def _product(request: HttpRequest, pk: int) -> Product:
    product = get_object_or_404(
        Product.objects.select_related("producer", "commune__district"), pk=pk
    )
    if not permissions.can_view_product(request.user, product):
        raise Http404
    return product


def _evaluation(request: HttpRequest, pk: int) -> Evaluation:
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("product__commune", "round__council"), pk=pk
    )
    if not permissions.can_view_evaluation(request.user, evaluation):
        raise Http404
    return evaluation


def _area_filter(request: HttpRequest) -> tuple[Unit | None, dt.date | None]:
    """?unit=<id>&on=yyyy-mm-dd (the dashboard's links): a unit the user may see, and a day."""
    area = None
    if request.GET.get("unit"):
        area = Unit.objects.filter(pk=int_param(request.GET["unit"], 0)).first()
        if area is None:
            raise Http404
        if not permissions.can_view_ocop(request.user, area):
            raise Http404
    try:
        day = dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        day = None
    return area, day


@login_required
def products(request: HttpRequest) -> HttpResponse:
    rows = queries.visible_products(request.user)
    producers = queries.visible_producers(request.user)
    communes = permissions.units_in_scope(request.user).filter(level=Level.COMMUNE)
    can_create = any(permissions.can_create_producer(request.user, c) for c in communes[:1])
    # The list behind a dashboard figure: products certified and in force on a day, by star.
    area, day = _area_filter(request)
    star = request.GET.get("star", "")
    star = int_param(star)
    certified = None
    if area is not None or day is not None or star is not None:
        day = day or timezone.localdate()
        certified = queries.certified_on(area, day, star=star)
        rows = rows.filter(pk__in=certified.values("product_id"))
    return _page(
        request,
        "products.html",
        {
            "products": rows[:500],
            "producers": producers[:500],
            "can_create": can_create,
            "communes": communes.order_by("code")[:200],
            "filtered": certified is not None,
            "area": area,
            "day": day,
            "star": star,
            "count": rows.count() if certified is not None else None,
        },
    )


@login_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product(request, pk)
    today = timezone.localdate()
    certs = []
    for c in product.certificates.all():
        status = cert_dates.status(c, today)
        window = cert_dates.reevaluation_window(c.valid_until)
        certs.append((c, status, window, CertificateStatus(status).label))
    can_decide = permissions.can_decide_certificate(request.user, product)
    return _page(
        request,
        "product.html",
        {
            "product": product,
            "rule": rule_version(product.rule),
            "photos": product.photos.all(),
            "evaluations": product.evaluations.select_related("round__council"),
            "certs": certs,
            "can_edit": permissions.can_edit_product(request.user, product),
            "can_decide": can_decide,
            "photo_form": PhotoForm(),
            "history": describe_all(product.history.select_related("history_user")[:30]),
        },
    )


def _product_form_save(request, form, product=None, producer=None):
    commune = get_object_or_404(Unit, pk=form.cleaned_data["commune"])
    rule, number = form.cleaned_data["classification"].split("/")
    return services.save_product(
        request.user,
        product=product,
        producer=producer,
        expected_version=form.cleaned_data.get("version"),
        name=form.cleaned_data["name"],
        commune=commune,
        rule=rule,
        sheet_number=int(number),
        description=form.cleaned_data["description"],
        stage=form.cleaned_data["stage"],
    )


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product(request, pk)
    if not permissions.can_edit_product(request.user, product):
        raise PermissionDenied
    initial = {
        "version": product.version,
        "name": product.name,
        "commune": product.commune_id,
        "classification": f"{product.rule}/{product.sheet_number}",
        "stage": product.stage,
        "description": product.description,
    }
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _product_form_save(request, form, product=product)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu sản phẩm."))
            return redirect("ocop:product", pk=product.pk)
    return _page(request, "product_form.html", {"form": form, "product": product})


@login_required
def product_new(request: HttpRequest, producer_pk: int) -> HttpResponse:
    producer = get_object_or_404(Producer, pk=producer_pk)
    if not permissions.can_edit_producer(request.user, producer):
        raise Http404
    form = ProductForm(
        request.POST or None, initial={"commune": producer.commune_id, "stage": "idea"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            product = _product_form_save(request, form, producer=producer)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm sản phẩm."))
            return redirect("ocop:product", pk=product.pk)
    return _page(request, "product_form.html", {"form": form, "producer": producer})


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(request.user, product=product, upload=form.cleaned_data["photo"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã thêm ảnh."))
    return redirect("ocop:product", pk=product.pk)


@login_required
def photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    product = _product(request, pk)
    picture = get_object_or_404(ProductPhoto, pk=photo_pk, product=product)
    return uploads.stored_file_response(
        picture.file, filename=picture.original_name, content_type=picture.content_type
    )


PRODUCER_INITIAL = (
    "name",
    "kind",
    "tax_code",
    "address",
    "representative",
    "phone",
    "email",
    "contacts_public",
    "legal_status",
)


@login_required
def producer_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    producer = None
    commune = None
    if pk is not None:
        producer = get_object_or_404(Producer.objects.select_related("commune"), pk=pk)
        if not permissions.can_edit_producer(request.user, producer):
            raise Http404
        initial = {name: getattr(producer, name) for name in PRODUCER_INITIAL}
        initial["version"] = producer.version
    else:
        commune = get_object_or_404(
            Unit, pk=int_param(request.GET.get("commune") or request.POST.get("commune"), 0)
        )
        if not permissions.can_create_producer(request.user, commune):
            raise Http404
        initial = {}
    form = ProducerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            saved = services.save_producer(
                request.user,
                producer=producer,
                expected_version=version,
                commune=commune,
                **data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu chủ thể «%s».") % saved.name)
            return redirect("ocop:products")
    return _page(
        request, "producer_form.html", {"form": form, "producer": producer, "commune": commune}
    )


# --- Sheets -----------------------------------------------------------------------------


@login_required
def sheets(request: HttpRequest) -> HttpResponse:
    return _page(request, "sheets.html", {"sheets": queries.sheets()})


@login_required
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(ScoreSheet, pk=pk)
    can_manage = permissions.can_manage_sheets(request.user)
    form = SheetForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": row.version, "text": services.sheet_as_yaml(row)},
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                upload = form.cleaned_data.get("file")
                text = services.read_upload_text(upload) if upload else form.cleaned_data["text"]
                services.update_sheet(
                    request.user,
                    sheet=row,
                    text=text,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Đã lưu phiên bản mới của phiếu."))
                return redirect("ocop:sheet", pk=row.pk)
    return _page(
        request,
        "sheet.html",
        {
            "row": row,
            "sheet": services.sheet_of(row.rule, row.number),
            "rule": rule_version(row.rule),
            "form": form,
            "can_manage": can_manage,
            "history": describe_all(row.history.select_related("history_user")[:20]),
        },
    )


@login_required
def sheet_download(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(ScoreSheet, pk=pk)
    response = HttpResponse(services.sheet_as_yaml(row), content_type="application/x-yaml")
    response["Content-Disposition"] = f'attachment; filename="{row.rule}-{row.number:02d}.yaml"'
    return response


# --- Councils, rounds, scoring -----------------------------------------------------------------


def _visible_councils(user):
    if permissions.is_system_admin(user):
        return Council.objects.all()
    mine = Council.objects.filter(memberships__user=user)
    managed = Council.objects.filter(
        permissions.scope_filter(user, prefix="unit__", roles=permissions.OCOP_DECISION_ROLES)
    )
    return (mine | managed).distinct()


@login_required
def councils(request: HttpRequest) -> HttpResponse:
    """The user's councils; coordinators set up a new one with OCOP council members."""
    units = queries.council_units(request.user)
    form = None
    if units.exists():
        form = CouncilForm(
            request.POST or None, units=units, users=queries.council_candidates(request.user)
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                council = services.create_council(
                    request.user,
                    name=data["name"],
                    level=data["level"],
                    unit=data["unit"],
                    decision=data["decision"],
                    members=list(data["members"]),
                    chair=data["chair"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect("ocop:council", pk=council.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return _page(
        request,
        "councils.html",
        {"councils": _visible_councils(request.user).select_related("unit"), "form": form},
    )


def _council(request, pk: int) -> Council:
    council = get_object_or_404(_visible_councils(request.user), pk=pk)
    return council


@login_required
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(request, pk)
    can_manage = permissions.can_manage_councils(request.user, council.unit)
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                round_ = services.create_round(request.user, council=council, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect("ocop:round", pk=round_.pk)
    return _page(
        request,
        "council.html",
        {
            "council": council,
            "members": council.memberships.select_related("user"),
            "rounds": council.rounds.all(),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("council"), pk=pk)
    council = _council(request, round_.council_id)
    can_manage = permissions.can_manage_councils(request.user, council.unit)
    form = AddProductForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            product = Product.objects.filter(pk=form.cleaned_data["product"]).first()
            try:
                if product is None or not permissions.can_view_product(request.user, product):
                    raise ValidationError({"product": _("Không tìm thấy sản phẩm.")})
                services.add_to_round(
                    request.user,
                    round=round_,
                    product=product,
                    kind=form.cleaned_data["kind"],
                    sheet_number=form.cleaned_data.get("sheet_number"),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect("ocop:round", pk=round_.pk)
    evaluations = round_.evaluations.select_related("product__commune")
    mine = {
        s.evaluation_id: s
        for s in MemberScore.objects.filter(evaluation__round=round_, member=request.user)
    }
    return _page(
        request,
        "round.html",
        {
            "round": round_,
            "rule": rule_version(services.rule_for_round(round_)),
            "rows": [(e, mine.get(e.pk)) for e in evaluations],
            "is_member": permissions.is_council_member(request.user, council),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's own sheet for one product: tick one option per criterion (or enter points)."""
    evaluation = _evaluation(request, pk)
    if not permissions.is_council_member(request.user, evaluation.round.council):
        raise Http404
    sheet = services.evaluation_sheet(evaluation)
    mine = MemberScore.objects.filter(evaluation=evaluation, member=request.user).first()
    errors: list[str] = []
    if request.method == "POST":
        raw = {leaf.code: request.POST.get(f"c-{leaf.code}", "") for leaf in sheet.leaves}
        try:
            points = services.parse_points(raw)
            mine = services.save_member_score(
                request.user,
                evaluation=evaluation,
                points=points,
                comment=request.POST.get("comment", ""),
                submit=request.POST.get("action") == "submit",
                expected_version=int_param(request.POST.get("version")),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("Đã nộp phiếu chấm.") if mine.submitted else _("Đã lưu nháp.")
            )
            return redirect("ocop:score", pk=evaluation.pk)
    chosen = dict(mine.points) if mine else {}
    if request.method == "POST":
        chosen = {leaf.code: request.POST.get(f"c-{leaf.code}", "") for leaf in sheet.leaves}
    return _page(
        request,
        "score.html",
        {
            "evaluation": evaluation,
            "sheet": sheet,
            "mine": mine,
            "chosen": chosen,
            "errors": errors,
            "can_score": permissions.can_score(request.user, evaluation),
        },
    )


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    sheet = services.evaluation_sheet(evaluation)
    can_decide = permissions.can_decide_certificate(request.user, evaluation.product)
    cert_form = CertificateForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "finalize":
                services.finalize(request.user, evaluation=evaluation)
            elif action == "central":
                services.send_to_central(
                    request.user, evaluation=evaluation, day=timezone.localdate()
                )
            elif action == "certify" and cert_form.is_valid():
                services.issue_certificate(
                    request.user, evaluation=evaluation, **cert_form.cleaned_data
                )
            else:
                raise ValidationError(_("Thao tác không hợp lệ."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã ghi nhận."))
        return redirect("ocop:result", pk=evaluation.pk)
    scores = evaluation.scores.select_related("member")
    return _page(
        request,
        "result.html",
        {
            "evaluation": evaluation,
            "sheet": sheet,
            "parts": [
                (
                    code,
                    sheet.part_names[code],
                    _decimal(evaluation.parts.get(code)),
                    sheet.parts[code],
                )
                for code in sheet.parts
            ],
            "scores": scores,
            "submitted": sum(1 for s in scores if s.submitted),
            "rule": rule_version(evaluation.rule),
            "can_decide": can_decide,
            "cert_form": cert_form,
        },
    )


# --- Certificates ---------------------------------------------------------------------------


@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.select_related("product__commune"), pk=pk)
    if not permissions.can_view_product(request.user, cert.product):
        raise Http404
    if not permissions.can_decide_certificate(request.user, cert.product):
        raise PermissionDenied
    form = RevokeForm(request.POST or None, initial={"version": cert.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.revoke_certificate(
                request.user, certificate=cert, expected_version=data.pop("version"), **data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi quyết định thu hồi."))
            return redirect("ocop:product", pk=cert.product_id)
    return _page(request, "revoke.html", {"cert": cert, "form": form})


@login_required
def expiring(request: HttpRequest) -> HttpResponse:
    """Certificates to re-evaluate: in the window now, and expiring within 6 months."""
    area, day = _area_filter(request)
    today = day or timezone.localdate()
    scope = permissions.scope_filter(
        request.user, prefix="product__commune__", roles=permissions.OCOP_VIEWER_ROLES
    )
    due = queries.reevaluation_due(area, day=today).filter(scope)
    soon = queries.expiring_within(area, months=6, day=today).filter(scope)
    reminders = (
        services.Reminder.objects.filter(
            permissions.scope_filter(
                request.user, prefix="unit__", roles=permissions.OCOP_VIEWER_ROLES
            )
        )
        .select_related("certificate__product", "unit")
        .order_by("-created_on")[:200]
    )
    rules = certificate_rules()
    return _page(
        request,
        "expiring.html",
        {
            "due": [(c, cert_dates.reevaluation_window(c.valid_until)) for c in due],
            "soon": [(c, cert_dates.status(c, today)) for c in soon],
            "reminders": reminders,
            "rules": rules,
            "area": area,
            "day": day,
        },
    )
