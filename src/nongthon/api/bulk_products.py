"""OCOP products in and out as rows (JSON or CSV), keyed by meaning: the product's commune
(edition + code), its producer's name, the product's name. Producers named for the first time
are created. Every change goes through ocop.services (save_producer, save_product): the same
permission, validation and history as the product pages. All rows or none; importing the same
rows again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.api.exchange import (
    MAX_ROWS,
    Refused,
    RowError,
    blank,
    cell_int,
    cell_text,
    too_many_rows,
)
from nongthon.ocop import queries as ocop_queries
from nongthon.ocop import services
from nongthon.ocop.models import Producer, ProducerKind, Product, ScoreSheet, Stage
from nongthon.places.models import Edition, Level, Unit

FORMAT = "nongthon/ocop-products/1"
FIELDS = [
    "edition",
    "commune_code",
    "producer",
    "producer_kind",
    "producer_tax_code",
    "producer_commune_code",
    "name",
    "rule",
    "sheet_number",
    "stage",
    "description",
]
KEY_FIELDS = ["edition", "commune_code", "producer", "name", "rule", "sheet_number"]
MAX_DESCRIPTION = 5000


def export_rows(user, scope: Unit) -> list[dict]:
    products = (
        ocop_queries.visible_products(user)
        .filter(Q(commune=scope) | Q(commune__province=scope) | Q(commune__district=scope))
        .select_related("producer__commune", "commune")
        .order_by("commune__edition", "commune__code", "producer__name", "name", "pk")
    )
    return [
        {
            "edition": p.commune.edition,
            "commune_code": p.commune.code,
            "producer": p.producer.name,
            "producer_kind": p.producer.kind,
            "producer_tax_code": p.producer.tax_code,
            "producer_commune_code": p.producer.commune.code,
            "name": p.name,
            "rule": p.rule,
            "sheet_number": p.sheet_number,
            "stage": p.stage,
            "description": p.description,
        }
        for p in products
    ]


@dataclass
class _Row:
    line: int
    commune: Unit
    producer_commune: Unit
    producer_name: str
    producer_kind: str | None
    tax_code: str | None
    name: str
    rule: str
    sheet_number: int
    stage: str | None
    description: str | None


@dataclass
class ImportResult:
    dry_run: bool
    rows: int = 0
    producers_created: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _communes(rows) -> dict[tuple[str, str], Unit]:
    pairs = set()
    for _line, row in rows:
        edition = cell_text(row.get("edition"))
        for name in ("commune_code", "producer_commune_code"):
            if not blank(row.get(name)):
                pairs.add((edition, cell_text(row[name])))
    query = Q(pk__in=[])
    for edition, code in pairs:
        query |= Q(edition=edition, code=code, level=Level.COMMUNE)
    return {
        (u.edition, u.code): u
        for u in Unit.objects.filter(query).select_related("province", "district")
    }


def _may_write(user, commune: Unit, producer_commune: Unit, producer_name: str) -> bool:
    """Officers over the commune, or the producer's own account for its existing producer."""
    if permissions.can_create_producer(user, commune):
        return True
    existing = Producer.objects.filter(commune=producer_commune, name__iexact=producer_name).first()
    return existing is not None and permissions.can_edit_producer(user, existing)


def _plan(user, rows: list[tuple[int, dict]]) -> list[_Row]:
    if len(rows) > MAX_ROWS:
        raise Refused([RowError(None, "", too_many_rows())])
    if not rows:
        raise Refused([RowError(None, "", _("Không có dòng sản phẩm nào."))])
    communes = _communes(rows)
    sheets = set(ScoreSheet.objects.values_list("rule", "number"))
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    planned: list[_Row] = []
    for line, row in rows:

        def bad(name: str, message: str, line: int = line) -> None:
            errors.append(RowError(line, name, message))

        missing = [name for name in KEY_FIELDS if blank(row.get(name))]
        for name in missing:
            bad(name, _("bắt buộc"))
        if missing:
            continue
        edition = cell_text(row["edition"])
        if edition not in Edition.values:
            bad("edition", _("phải là một trong: %s") % ", ".join(Edition.values))
            continue
        ok = True
        found = {}
        for name in ("commune_code", "producer_commune_code"):
            code = cell_text(row.get(name)) or cell_text(row["commune_code"])
            unit = communes.get((edition, code))
            if unit is None:
                bad(name, _("không có xã mã «%(code)s» trong danh mục %(edition)s")
                    % {"code": code, "edition": edition})  # fmt: skip
                ok = False
            found[name] = unit
        try:
            sheet_number = cell_int(row["sheet_number"], 1, 99)
        except ValueError as exc:
            bad("sheet_number", str(exc))
            ok = False
        rule = cell_text(row["rule"])
        if ok and (rule, sheet_number) not in sheets:
            bad("sheet_number", _("phân nhóm %(n)s không có trong quy định «%(rule)s»")
                % {"n": sheet_number, "rule": rule})  # fmt: skip
            ok = False
        kind = cell_text(row.get("producer_kind")) or None
        if kind is not None and kind not in ProducerKind.values:
            bad("producer_kind", _("phải là một trong: %s") % ", ".join(ProducerKind.values))
            ok = False
        stage = cell_text(row.get("stage")) or None
        if stage is not None and stage not in Stage.values:
            bad("stage", _("phải là một trong: %s") % ", ".join(Stage.values))
            ok = False
        name, producer_name = (
            " ".join(cell_text(row["name"]).split()),
            " ".join(cell_text(row["producer"]).split()),
        )
        for field_name, value, limit in (("name", name, 200), ("producer", producer_name, 200)):
            if len(value) > limit:
                bad(field_name, _("dài quá %(n)d ký tự") % {"n": limit})
                ok = False
        description = None if blank(row.get("description")) else cell_text(row["description"])
        if description is not None and len(description) > MAX_DESCRIPTION:
            bad("description", _("dài quá %(n)d ký tự") % {"n": MAX_DESCRIPTION})
            ok = False
        if not ok:
            continue
        commune = found["commune_code"]
        if not _may_write(user, commune, found["producer_commune_code"], producer_name):
            bad("commune_code", _("bạn không có quyền sửa sản phẩm OCOP của %s") % commune.name)
            continue
        key = (commune.pk, producer_name.lower(), name.lower())
        if key in seen:
            bad("name", _("trùng với dòng %d") % seen[key])
            continue
        seen[key] = line
        tax = None if blank(row.get("producer_tax_code")) else cell_text(row["producer_tax_code"])
        planned.append(
            _Row(
                line,
                commune,
                found["producer_commune_code"],
                producer_name,
                kind,
                tax,
                name,
                rule,
                sheet_number,
                stage,
                description,
            )  # fmt: skip
        )
    if errors:
        raise Refused(errors)
    return planned


def import_rows(user, rows: list[tuple[int, dict]], *, dry_run: bool = False) -> ImportResult:
    planned = _plan(user, rows)
    result = ImportResult(dry_run, rows=len(planned))
    producers: dict[tuple[int, str], Producer] = {}
    for p in Producer.objects.filter(commune__in={r.producer_commune for r in planned}):
        producers.setdefault((p.commune_id, p.name.lower()), p)
    products: dict[tuple, Product] = {}
    for p in Product.objects.filter(producer__in=list(producers.values())):
        products.setdefault((p.commune_id, p.producer_id, p.name.lower()), p)
    errors: list[RowError] = []
    with transaction.atomic():
        for row in planned:
            # The rows were checked above; a refusal by the services here stops the import.
            try:
                _apply(user, row, producers, products, result)
            except ValidationError as exc:
                errors.extend(_row_errors(row.line, exc))
                break
            except PermissionDenied:
                errors.append(RowError(row.line, "commune_code", _("không có quyền")))
                break
        if errors:
            raise Refused(errors)  # leaving the block rolls back every row saved so far
        if dry_run:
            transaction.set_rollback(True)
    return result


def _apply(user, row: _Row, producers, products, result: ImportResult) -> None:
    key = (row.producer_commune.pk, row.producer_name.lower())
    producer = producers.get(key)
    if producer is None:
        if row.producer_kind is None:
            raise ValidationError({"producer_kind": _("bắt buộc khi tạo chủ thể mới")})
        producer = services.save_producer(
            user,
            commune=row.producer_commune,
            name=row.producer_name,
            kind=row.producer_kind,
            tax_code=row.tax_code or "",
        )
        producers[key] = producer
        result.producers_created.append(producer.name)
    elif (row.producer_kind and row.producer_kind != producer.kind) or (
        row.tax_code is not None and row.tax_code != producer.tax_code
    ):
        changes = {"kind": row.producer_kind or producer.kind}
        if row.tax_code is not None:
            changes["tax_code"] = row.tax_code
        producer = services.save_producer(
            user, producer=producer, expected_version=producer.version, **changes
        )
        producers[key] = producer
    product = products.get((row.commune.pk, producer.pk, row.name.lower()))
    if product is None:
        created = services.save_product(
            user,
            producer=producer,
            name=row.name,
            commune=row.commune,
            rule=row.rule,
            sheet_number=row.sheet_number,
            description=row.description or "",
            stage=row.stage or Stage.IDEA,
        )
        products[(row.commune.pk, producer.pk, row.name.lower())] = created
        result.created.append(created.name)
        return
    wanted = (
        row.rule,
        row.sheet_number,
        row.stage or product.stage,
        product.description if row.description is None else row.description.strip(),
        row.name,
    )
    if wanted == (
        product.rule,
        product.sheet_number,
        product.stage,
        product.description,
        product.name,
    ):
        return
    services.save_product(
        user,
        product=product,
        expected_version=product.version,
        name=row.name,
        commune=row.commune,
        rule=wanted[0],
        sheet_number=wanted[1],
        stage=wanted[2],
        description=wanted[3],
    )
    result.updated.append(product.name)


def _row_errors(line: int, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(line, name if name != "__all__" else "", message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(line, "", message) for message in exc.messages]
