"""OCOP producers, products and certificates for officers and producers (their own data
only), the bulk exchange of products, and the public catalogue (no login, read-only, exactly
what the public pages show: never scores, councils, or contacts the producer kept private)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, Field

from nongthon.accounts import permissions
from nongthon.api import bulk_products, errors
from nongthon.api.common import (
    IdQuery,
    Limit,
    LongText,
    Offset,
    Page,
    PathId,
    ShortText,
    UnitRef,
    Year,
    doc,
    get_unit,
    page,
    text,
    unit_ref,
    user_of,
    visible,
)
from nongthon.api.errors import ERRORS
from nongthon.api.exchange import run_import, write_csv
from nongthon.ocop import certificates as cert_dates
from nongthon.ocop import queries, services
from nongthon.ocop.models import (
    Certificate,
    CertificateStatus,
    Producer,
    ProducerKind,
    Product,
    Stage,
)
from nongthon.places.models import Level, Unit

router = Router(tags=["ocop"])


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Thư điện tử không hợp lệ.") from None
    return value


Email = Annotated[text(254), AfterValidator(_email)]
public_router = Router(tags=["ocop-public"], auth=None)
Star = Annotated[int | None, Query(ge=1, le=5, description="Hạng sao / stars")]


def _under(request, under: int | None, prefix: str) -> Q:
    if under is None:
        return Q()
    root = get_unit(request, under, permissions.can_view_unit_data)
    return (
        Q(**{f"{prefix}id": root.pk})
        | Q(**{f"{prefix}province": root})
        | Q(**{f"{prefix}district": root})
    )


# --- producers ----------------------------------------------------------------------------


class ProducerOut(Schema):
    id: int
    name: str
    kind: str
    tax_code: str
    commune: UnitRef
    address: str
    representative: str
    phone: str
    email: str
    contacts_public: bool
    illustrative: bool
    version: int


def producer_out(p: Producer) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "kind": p.kind,
        "tax_code": p.tax_code,
        "commune": unit_ref(p.commune),
        "address": p.address,
        "representative": p.representative,
        "phone": p.phone,
        "email": p.email,
        "contacts_public": p.contacts_public,
        "illustrative": p.illustrative,
        "version": p.version,
    }


@router.get(
    "/ocop/producers",
    response={200: Page[ProducerOut], **ERRORS},
    **doc(
        "Chủ thể OCOP của các xã trong phạm vi của bạn (tài khoản chủ thể: chỉ chủ thể của mình).",
        "OCOP producers of the communes within your memberships (a producer account: its own).",
    ),
)
def list_producers(request, limit: Limit = 100, offset: Offset = 0, under: IdQuery = None):
    producers = queries.visible_producers(user_of(request)).filter(
        _under(request, under, "commune__")
    )
    producers = producers.select_related("commune").order_by("name", "pk")
    return page(producers, limit, offset, producer_out)


def _producer(request, producer_id: PathId) -> Producer:
    producer = Producer.objects.select_related("commune").filter(pk=producer_id).first()
    user = user_of(request)
    return visible(
        producer,
        producer is not None
        and (
            permissions.can_view_ocop(user, producer.commune)
            or permissions.is_producer_user(user, producer)
        ),
    )


@router.get(
    "/ocop/producers/{int:producer_id}",
    response={200: ProducerOut, **ERRORS},
    **doc("Một chủ thể OCOP.", "One OCOP producer."),
)
def get_producer(request, producer_id: PathId):
    return producer_out(_producer(request, producer_id))


class ProducerFields(Schema):
    tax_code: text(20) = ""
    address: text(300) = ""
    representative: text(150) = ""
    phone: text(30) = ""
    email: Email = ""
    contacts_public: bool = False
    legal_status: ShortText = ""


class ProducerIn(ProducerFields):
    commune_id: int
    name: text(200, 1)
    kind: ProducerKind


class ProducerPatch(Schema):
    version: int
    name: text(200, 1) | None = None
    kind: ProducerKind | None = None
    tax_code: text(20) | None = None
    address: text(300) | None = None
    representative: text(150) | None = None
    phone: text(30) | None = None
    email: Email | None = None
    contacts_public: bool | None = None
    legal_status: ShortText | None = None


@router.post(
    "/ocop/producers",
    response={201: ProducerOut, **ERRORS},
    **doc(
        "Tạo chủ thể OCOP ở một xã (cán bộ xã, huyện, tỉnh).",
        "Create an OCOP producer in a commune (commune, district, province officers).",
    ),
)
def create_producer(request, data: ProducerIn):
    commune = get_unit(request, data.commune_id, permissions.can_view_ocop)
    fields = data.dict(exclude={"commune_id"})
    producer = services.save_producer(user_of(request), commune=commune, **fields)
    return Status(201, producer_out(producer))


@router.patch(
    "/ocop/producers/{int:producer_id}",
    response={200: ProducerOut, **ERRORS},
    **doc(
        "Sửa chủ thể (`version`: phiên bản bạn đã đọc).",
        "Change a producer (`version`: the one you read).",
    ),
)
def update_producer(request, producer_id: PathId, data: ProducerPatch):
    producer = _producer(request, producer_id)
    changes = {k: v for k, v in data.dict(exclude_unset=True).items() if v is not None}
    version = changes.pop("version")
    saved = services.save_producer(
        user_of(request), producer=producer, expected_version=version, **changes
    )
    return producer_out(saved)


# --- products -------------------------------------------------------------------------------


class CertificateOut(Schema):
    id: int
    product_id: int
    decision_no: str
    decision_date: dt.date
    level: str
    star: int
    rule: str
    valid_until: dt.date
    status: str
    revoked_on: dt.date | None
    revocation_no: str
    revocation_ground: str
    superseded_by_id: int | None
    illustrative: bool


def certificate_out(c: Certificate, day: dt.date) -> dict:
    return {
        "id": c.pk,
        "product_id": c.product_id,
        "decision_no": c.decision_no,
        "decision_date": c.decision_date,
        "level": c.level,
        "star": c.star,
        "rule": c.rule,
        "valid_until": c.valid_until,
        "status": cert_dates.status(c, day),
        "revoked_on": c.revoked_on,
        "revocation_no": c.revocation_no,
        "revocation_ground": c.revocation_ground,
        "superseded_by_id": c.superseded_by_id,
        "illustrative": c.illustrative,
    }


class ProductOut(Schema):
    id: int
    public_id: uuid.UUID
    name: str
    producer_id: int
    producer: str
    commune: UnitRef
    rule: str
    sheet_number: int
    industry: str
    group: str
    subgroup: str
    description: str
    code: str
    stage: str
    star: int | None
    certificate_status: str | None
    illustrative: bool
    version: int


def product_out(p: Product, day: dt.date | None = None) -> dict:
    cert = queries.current_certificate(p)
    return {
        "id": p.pk,
        "public_id": p.public_id,
        "name": p.name,
        "producer_id": p.producer_id,
        "producer": p.producer.name,
        "commune": unit_ref(p.commune),
        "rule": p.rule,
        "sheet_number": p.sheet_number,
        "industry": p.industry,
        "group": p.group,
        "subgroup": p.subgroup,
        "description": p.description,
        "code": p.code,
        "stage": p.stage,
        "star": cert.star if cert else None,
        "certificate_status": cert_dates.status(cert, day or timezone.localdate())
        if cert
        else None,
        "illustrative": p.illustrative,
        "version": p.version,
    }


@router.get(
    "/ocop/products",
    response={200: Page[ProductOut], **ERRORS},
    **doc(
        "Sản phẩm OCOP trong phạm vi của bạn; lọc theo cây đơn vị, giai đoạn, hạng sao đang có.",
        "OCOP products within your memberships; filter by subtree, stage, current star.",
    ),
)
def list_products(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    under: IdQuery = None,
    stage: Stage | None = None,
    star: Star = None,
    producer: IdQuery = None,
):
    products = queries.visible_products(user_of(request)).filter(
        _under(request, under, "commune__")
    )
    if stage:
        products = products.filter(stage=stage)
    if producer is not None:
        products = products.filter(producer_id=producer)
    if star is not None:
        latest = Certificate.objects.filter(
            product=OuterRef("pk"), superseded_by__isnull=True, star=star
        )
        products = products.filter(Exists(latest))
    products = products.select_related("producer", "commune").order_by(
        "commune__edition", "commune__code", "name", "pk"
    )
    return page(products, limit, offset, product_out)


def _product(request, product_id: PathId) -> Product:
    product = Product.objects.select_related("producer", "commune").filter(pk=product_id).first()
    return visible(
        product, product is not None and permissions.can_view_product(user_of(request), product)
    )


@router.get(
    "/ocop/products/{int:product_id}",
    response={200: ProductOut, **ERRORS},
    **doc("Một sản phẩm OCOP.", "One OCOP product."),
)
def get_product(request, product_id: PathId):
    return product_out(_product(request, product_id))


class ProductIn(Schema):
    producer_id: int
    commune_id: int
    name: text(200, 1)
    rule: text(20, 1)
    sheet_number: Annotated[int, Field(ge=1, le=99)]
    description: LongText = ""
    stage: Stage = Stage.IDEA


class ProductPatch(Schema):
    version: int
    name: text(200, 1) | None = None
    commune_id: int | None = None
    rule: text(20, 1) | None = None
    sheet_number: Annotated[int, Field(ge=1, le=99)] | None = None
    description: LongText | None = None
    stage: Stage | None = None


@router.post(
    "/ocop/products",
    response={201: ProductOut, **ERRORS},
    **doc(
        "Tạo sản phẩm của một chủ thể (cán bộ của xã, hoặc chính tài khoản chủ thể).",
        "Create a producer's product (officers over the commune, or the producer's own account).",
    ),
)
def create_product(request, data: ProductIn):
    producer = _producer(request, data.producer_id)
    commune = get_unit(request, data.commune_id, lambda user, unit: True)
    product = services.save_product(
        user_of(request),
        producer=producer,
        name=data.name,
        commune=commune,
        rule=data.rule,
        sheet_number=data.sheet_number,
        description=data.description,
        stage=data.stage,
    )
    return Status(201, product_out(product))


@router.patch(
    "/ocop/products/{int:product_id}",
    response={200: ProductOut, **ERRORS},
    **doc(
        "Sửa sản phẩm (`version`: phiên bản bạn đã đọc).",
        "Change a product (`version`: the one you read).",
    ),
)
def update_product(request, product_id: PathId, data: ProductPatch):
    product = _product(request, product_id)
    changes = {k: v for k, v in data.dict(exclude_unset=True).items() if v is not None}
    commune = product.commune
    if "commune_id" in changes:
        commune = get_unit(request, changes["commune_id"], lambda user, unit: True)
    saved = services.save_product(
        user_of(request),
        product=product,
        expected_version=changes["version"],
        name=changes.get("name", product.name),
        commune=commune,
        rule=changes.get("rule", product.rule),
        sheet_number=changes.get("sheet_number", product.sheet_number),
        description=changes.get("description", product.description),
        stage=changes.get("stage", product.stage),
    )
    return product_out(saved)


# --- certificates ---------------------------------------------------------------------------


def status_filter(status: str, day: dt.date) -> Q:
    """The certificate status of ocop.certificates.status_on, as a query."""
    expiring_from = day + dt.timedelta(days=cert_dates.certificate_rules().expiring_days)
    revoked = Q(revoked_on__isnull=False, revoked_on__lte=day)
    superseded = ~revoked & Q(superseded_by__isnull=False)
    live = ~revoked & Q(superseded_by__isnull=True)
    return {
        CertificateStatus.REVOKED: revoked,
        CertificateStatus.SUPERSEDED: superseded,
        CertificateStatus.EXPIRED: live & Q(valid_until__lt=day),
        CertificateStatus.EXPIRING: live & Q(valid_until__gte=day, valid_until__lte=expiring_from),
        CertificateStatus.VALID: live & Q(valid_until__gt=expiring_from),
    }[status]


@router.get(
    "/ocop/certificates",
    response={200: Page[CertificateOut], **ERRORS},
    **doc(
        "Giấy chứng nhận OCOP trong phạm vi của bạn; trạng thái (còn hiệu lực, sắp hết hạn, hết "
        "hạn, thu hồi, đã thay thế) tính tại ngày `on`; lọc theo năm quyết định, hạng sao.",
        "OCOP certificates within your memberships; status (valid, expiring, expired, revoked, "
        "superseded) at `on`; filter by decision year, star.",
    ),
)
def list_certificates(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    under: IdQuery = None,
    status: CertificateStatus | None = None,
    year: Year = None,
    star: Star = None,
    on: dt.date | None = None,
):
    user = user_of(request)
    day = on or timezone.localdate()
    rows = Certificate.objects.filter(
        permissions.scope_filter(
            user, prefix="product__commune__", roles=permissions.OCOP_VIEWER_ROLES
        )
        | Q(product__producer__users=user)
    ).filter(_under(request, under, "product__commune__"))
    if status:
        rows = rows.filter(status_filter(status, day))
    if year is not None:
        rows = rows.filter(decision_date__year=year)
    if star is not None:
        rows = rows.filter(star=star)
    rows = rows.distinct().order_by("decision_date", "pk")
    return page(rows, limit, offset, lambda c: certificate_out(c, day))


@router.get(
    "/ocop/certificates/{int:certificate_id}",
    response={200: CertificateOut, **ERRORS},
    **doc("Một giấy chứng nhận OCOP.", "One OCOP certificate."),
)
def get_certificate(request, certificate_id: PathId):
    cert = (
        Certificate.objects.select_related("product__producer", "product__commune")
        .filter(pk=certificate_id)
        .first()
    )
    visible(cert, cert is not None and permissions.can_view_product(user_of(request), cert.product))
    return certificate_out(cert, timezone.localdate())


# --- bulk products --------------------------------------------------------------------------


class ProductRow(Schema):
    edition: text(8) | None = None
    commune_code: text(5) | int | None = None
    producer: text(300) | None = None
    producer_kind: text(20) | None = None
    producer_tax_code: text(20) | None = None
    producer_commune_code: text(5) | int | None = None
    name: text(300) | None = None
    rule: text(20) | None = None
    sheet_number: int | text(10) | None = None
    stage: text(20) | None = None
    description: text(6000) | None = None


class ProductsFile(Schema):
    format: str = bulk_products.FORMAT
    rows: list[ProductRow]


class ProductsImportIn(Schema):
    rows: list[ProductRow]
    dry_run: bool = False


class ProductsImportOut(Schema):
    dry_run: bool
    rows: int
    producers_created: list[str]
    created: list[str]
    updated: list[str]


def _import_out(result: bulk_products.ImportResult) -> dict:
    return {
        "dry_run": result.dry_run,
        "rows": result.rows,
        "producers_created": result.producers_created,
        "created": result.created,
        "updated": result.updated,
    }


@router.get(
    "/ocop/products/export",
    response={200: ProductsFile, **ERRORS},
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
    **doc(
        "Xuất sản phẩm OCOP của một đơn vị và cây đơn vị (JSON, hoặc CSV với `format=csv`), "
        "theo khóa tự nhiên: danh mục + mã xã, tên chủ thể, tên sản phẩm.",
        "Export the OCOP products of a unit and its subtree (JSON, or CSV with `format=csv`), "
        "keyed by edition + commune code, producer name, product name.",
    ),
)
def export_products(
    request,
    unit: Annotated[int, Query(ge=1, le=2**53)],
    format: Literal["json", "csv"] = "json",
):
    scope = get_unit(request, unit, permissions.can_view_unit_data)
    rows = bulk_products.export_rows(user_of(request), scope)
    if format == "csv":
        response = HttpResponse(
            write_csv(bulk_products.FIELDS, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="ocop-{scope.code}.csv"'
        return response
    return {"format": bulk_products.FORMAT, "rows": rows}


@router.post(
    "/ocop/products/import",
    response={200: ProductsImportOut, **ERRORS},
    **doc(
        "Nhập sản phẩm OCOP hàng loạt (JSON): tất cả hoặc không, lỗi theo dòng và trường; chủ thể "
        "chưa có được tạo (cần `producer_kind`); nhập lại cùng dữ liệu không thay đổi gì.",
        "Bulk import of OCOP products (JSON): all or nothing, errors by row and field; new "
        "producers are created (`producer_kind` needed); the same rows again change nothing.",
    ),
)
def import_products(request, data: ProductsImportIn):
    rows = [(n, row.dict()) for n, row in enumerate(data.rows, start=1)]
    return _import_out(run_import(bulk_products, user_of(request), rows, dry_run=data.dry_run))


@router.post(
    "/ocop/products/import.csv",
    response={200: ProductsImportOut, **ERRORS},
    openapi_extra={
        "requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True}
    },
    **doc(
        "Nhập sản phẩm OCOP từ CSV (UTF-8, dòng tiêu đề: " + ", ".join(bulk_products.FIELDS) + ").",
        "Bulk import of OCOP products from CSV (UTF-8, header: "
        + ", ".join(bulk_products.FIELDS)
        + ").",
    ),
)
def import_products_csv(request, dry_run: bool = False):
    return _import_out(
        run_import(bulk_products, user_of(request), csv_body=request.body, dry_run=dry_run)
    )


# --- public catalogue ---------------------------------------------------------------------


class PublicCertificateOut(Schema):
    star: int
    level: str
    decision_no: str
    decision_date: dt.date
    valid_until: dt.date
    status: str
    status_label: str


class PublicProductOut(Schema):
    public_id: uuid.UUID
    name: str
    producer: str
    producer_kind: str
    commune: str
    district: str | None
    province: str | None
    group: str
    subgroup: str
    code: str
    description: str
    phone: str | None
    email: str | None
    certificate: PublicCertificateOut | None
    illustrative: bool
    url: str


def public_out(request, p: Product, cert) -> dict:
    """Exactly the public page's fields; contacts only when the producer published them."""
    producer = p.producer
    public = producer.contacts_public
    return {
        "public_id": p.public_id,
        "name": p.name,
        "producer": producer.name,
        "producer_kind": producer.kind,
        "commune": p.commune.name,
        "district": p.commune.district.name if p.commune.district else None,
        "province": p.commune.province.name if p.commune.province else None,
        "group": p.group,
        "subgroup": p.subgroup,
        "code": p.code,
        "description": p.description,
        "phone": (producer.phone or None) if public else None,
        "email": (producer.email or None) if public else None,
        "certificate": (
            {
                "star": cert.star,
                "level": cert.level,
                "decision_no": cert.decision_no,
                "decision_date": cert.decision_date,
                "valid_until": cert.valid_until,
                "status": cert.status,
                "status_label": cert.status_label,
            }
            if cert
            else None
        ),
        "illustrative": p.illustrative,
        "url": request.build_absolute_uri(f"/ocop/san-pham/{p.public_id}/"),
    }


@public_router.get(
    "/public/ocop/products",
    response={200: Page[PublicProductOut], **ERRORS},
    **doc(
        "Danh mục sản phẩm OCOP công khai (không cần đăng nhập): sản phẩm đã được công nhận, "
        "tìm theo tên, hạng sao, nhóm, huyện, xã — đúng như trang công khai.",
        "The public OCOP catalogue (no login): recognised products, searched by name, star, "
        "group, district, commune — as the public pages show them.",
    ),
)
def public_products(
    request,
    limit: Limit = 24,
    offset: Offset = 0,
    q: text(100) | None = None,
    star: Star = None,
    group: text(200) | None = None,
    district: IdQuery = None,
    commune: IdQuery = None,
):
    district_unit = (
        Unit.objects.filter(pk=district, level=Level.DISTRICT).first() if district else None
    )
    commune_unit = Unit.objects.filter(pk=commune, level=Level.COMMUNE).first() if commune else None
    if (district and district_unit is None) or (commune and commune_unit is None):
        return {"count": 0, "limit": limit, "offset": offset, "items": []}
    results = queries.catalogue(
        text=q or "", star=star, group=group or "", district=district_unit, commune=commune_unit
    ).select_related("commune__province")
    day = timezone.localdate()
    return page(
        results, limit, offset, lambda p: public_out(request, p, queries.public_certificate(p, day))
    )


@public_router.get(
    "/public/ocop/products/{uuid:public_id}",
    response={200: PublicProductOut, **ERRORS},
    **doc(
        "Một sản phẩm của danh mục công khai (mã công khai trong mã QR).",
        "One product of the public catalogue (the public id in its QR code).",
    ),
)
def public_product(request, public_id: uuid.UUID):
    product = (
        Product.objects.select_related("producer", "commune__district", "commune__province")
        .filter(public_id=public_id)
        .first()
    )
    if product is None or not product.certificates.exists():
        raise errors.not_found()  # not in the catalogue until recognised
    return public_out(request, product, queries.public_certificate(product, timezone.localdate()))
