"""Funding lines (by unit, year, source, kind) and works in communes with their disbursements
and outstanding debt; writes through funding.services. Money is whole đồng as exact text;
amounts may be sent as written in documents ("6.259.605 triệu đồng")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from nongthon.accounts import permissions
from nongthon.api.common import (
    Code,
    IdQuery,
    Limit,
    LongText,
    Offset,
    Page,
    PathId,
    ShortText,
    UnitRef,
    Year,
    decimal_text,
    doc,
    get_unit,
    page,
    text,
    unit_ref,
    user_of,
    visible,
)
from nongthon.api.errors import ERRORS
from nongthon.funding import queries, services
from nongthon.funding.amounts import MoneyUnit, parse_amount
from nongthon.funding.models import FundingLine, FundingSource, LineKind, Work
from nongthon.funding.sources import ensure_loaded

router = Router(tags=["funding"])
MAX_DONG = Decimal(10) ** 20  # the columns hold 20 digits
Amount = text(80, 1)
YearIn = Annotated[int, Field(ge=1900, le=2100)]


def _checked_amount(written: str, money_unit: str | None, field: str) -> str:
    """Refuse before the service what the database could not hold; the service parses again
    and keeps the text as written."""
    try:
        dong = parse_amount(written, money_unit)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    if dong >= MAX_DONG:
        raise ValidationError({field: _("Số tiền quá lớn.")})
    return written


def _under(request, under: int | None, prefix: str) -> Q:
    if under is None:
        return Q()
    root = get_unit(request, under, permissions.can_view_funding)
    return (
        Q(**{f"{prefix}id": root.pk})
        | Q(**{f"{prefix}province": root})
        | Q(**{f"{prefix}district": root})
    )


class SourceOut(Schema):
    code: str
    name: str
    parent: str | None
    nature: str


@router.get(
    "/funding/sources",
    response={200: list[SourceOut], **ERRORS},
    **doc(
        "Danh mục nguồn vốn (cây nguồn: ngân sách trung ương, địa phương, lồng ghép, tín dụng, "
        "doanh nghiệp và người dân...).",
        "The funding sources (a tree: central and local budget, integrated, credit, enterprises "
        "and people...).",
    ),
)
def list_sources(request):
    ensure_loaded()
    return [
        {
            "code": s.code,
            "name": s.name,
            "parent": s.parent.code if s.parent else None,
            "nature": s.nature,
        }
        for s in FundingSource.objects.select_related("parent").order_by("order", "pk")
    ]


class LineOut(Schema):
    id: int
    unit: UnitRef
    year: int
    source: str
    kind: str
    amount: str
    on_date: dt.date | None
    written: str
    document: str
    note: str
    illustrative: bool
    version: int


def line_out(line: FundingLine) -> dict:
    return {
        "id": line.pk,
        "unit": unit_ref(line.unit),
        "year": line.year,
        "source": line.source.code,
        "kind": line.kind,
        "amount": decimal_text(line.amount),
        "on_date": line.on_date,
        "written": line.written,
        "document": line.document,
        "note": line.note,
        "illustrative": line.illustrative,
        "version": line.version,
    }


@router.get(
    "/funding/lines",
    response={200: Page[LineOut], **ERRORS},
    **doc(
        "Dòng nguồn vốn (số tiền theo đơn vị, năm, nguồn, loại: dự kiến, giao, giải ngân, huy "
        "động) trong phạm vi của bạn; số tiền là đồng.",
        "Funding lines (amount by unit, year, source, kind: planned, allocated, disbursed, "
        "mobilised) within your memberships; amounts in đồng.",
    ),
)
def list_lines(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    under: IdQuery = None,
    year: Year = None,
    kind: LineKind | None = None,
    source: Code | None = None,
):
    lines = FundingLine.objects.filter(
        permissions.scope_filter(user_of(request), prefix="unit__")
    ).filter(_under(request, under, "unit__"))
    if year is not None:
        lines = lines.filter(year=year)
    if kind:
        lines = lines.filter(kind=kind)
    if source:
        lines = lines.filter(source__code=source)
    lines = lines.select_related("unit", "source").order_by(
        "unit__edition", "unit__code", "year", "source__order", "kind", "pk"
    )
    return page(lines, limit, offset, line_out)


class LineIn(Schema):
    unit_id: int
    year: YearIn
    source: Code
    kind: LineKind
    amount: Amount
    money_unit: MoneyUnit | None = None
    on_date: dt.date | None = None
    document: ShortText = ""
    note: text(300) = ""


@router.post(
    "/funding/lines",
    response={201: LineOut, **ERRORS},
    **doc(
        'Ghi một dòng nguồn vốn; `amount` viết như văn bản ("149.039 triệu đồng") hoặc con số '
        "với `money_unit`.",
        'Record a funding line; `amount` as documents write it ("149.039 triệu đồng") or a '
        "number with `money_unit`.",
    ),
)
def record_line(request, data: LineIn):
    unit = get_unit(request, data.unit_id, permissions.can_view_funding)
    line = services.record_line(
        user_of(request),
        unit,
        data.year,
        data.source,
        data.kind,
        _checked_amount(data.amount, data.money_unit, "amount"),
        money_unit=data.money_unit,
        on_date=data.on_date,
        document=data.document,
        note=data.note,
    )
    return Status(201, line_out(line))


def _line(request, line_id: PathId) -> FundingLine:
    line = FundingLine.objects.select_related("unit", "source").filter(pk=line_id).first()
    return visible(
        line, line is not None and permissions.can_view_funding(user_of(request), line.unit)
    )


class LinePatch(Schema):
    version: int
    amount: Amount
    money_unit: MoneyUnit | None = None


@router.patch(
    "/funding/lines/{int:line_id}",
    response={200: LineOut, **ERRORS},
    **doc("Sửa số tiền của một dòng nguồn vốn.", "Change a funding line's amount."),
)
def update_line(request, line_id: PathId, data: LinePatch):
    line = _line(request, line_id)
    amount = _checked_amount(data.amount, data.money_unit, "amount")
    updated = services.update_line(user_of(request), line, data.version, amount, data.money_unit)
    return line_out(updated)


@router.delete(
    "/funding/lines/{int:line_id}",
    response={204: None, **ERRORS},
    **doc("Xóa một dòng nguồn vốn (lịch sử vẫn giữ).", "Delete a funding line (history keeps it)."),
)
def delete_line(request, line_id: PathId):
    services.delete_line(user_of(request), _line(request, line_id))
    return Status(204, None)


class WorkOut(Schema):
    id: int
    commune: UnitRef
    name: str
    family: str
    criterion_number: int
    indicator_code: str
    investment_total: str
    start_date: dt.date | None
    end_date: dt.date | None
    finished_on: dt.date | None
    progress: str
    disbursed: str
    outstanding_debt: str
    on: dt.date
    note: str
    illustrative: bool
    version: int


def work_out(work: Work, on: dt.date, disbursed: Decimal, debt: Decimal) -> dict:
    return {
        "id": work.pk,
        "commune": unit_ref(work.commune),
        "name": work.name,
        "family": work.family,
        "criterion_number": work.criterion_number,
        "indicator_code": work.indicator_code,
        "investment_total": decimal_text(work.investment_total),
        "start_date": work.start_date,
        "end_date": work.end_date,
        "finished_on": work.finished_on,
        "progress": decimal_text(work.progress),
        "disbursed": decimal_text(disbursed),
        "outstanding_debt": decimal_text(debt),
        "on": on,
        "note": work.note,
        "illustrative": work.illustrative,
        "version": work.version,
    }


def _figures(works: list[Work], on: dt.date) -> tuple[dict, dict]:
    ids = [w.pk for w in works]
    paid = dict(
        Work.objects.filter(pk__in=ids, disbursements__on_date__lte=on)
        .annotate(s=Sum("disbursements__amount"))
        .values_list("pk", "s")
    )
    return paid, queries._outstanding_by_work(ids, on)


OnDate = Annotated[dt.date | None, Query(description="Số liệu đến ngày / figures up to")]


@router.get(
    "/funding/works",
    response={200: Page[WorkOut], **ERRORS},
    **doc(
        "Công trình ở các xã trong phạm vi của bạn, với giải ngân lũy kế và nợ đọng XDCB còn lại "
        "đến ngày `on`; lọc theo cây đơn vị, bộ tiêu chí, tiêu chí, đã hoàn thành.",
        "Works in the communes within your memberships, with disbursed-to-date and outstanding "
        "capital-construction debt at `on`; filter by subtree, set family, criterion, finished.",
    ),
)
def list_works(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    under: IdQuery = None,
    family: Code | None = None,
    criterion: Annotated[int | None, Query(ge=1, le=99)] = None,
    finished: bool | None = None,
    on: OnDate = None,
):
    works = Work.objects.filter(
        permissions.scope_filter(user_of(request), prefix="commune__")
    ).filter(_under(request, under, "commune__"))
    if family:
        works = works.filter(family=family)
    if criterion is not None:
        works = works.filter(criterion_number=criterion)
    if finished is not None:
        works = works.filter(finished_on__isnull=not finished)
    works = works.select_related("commune").order_by("commune__code", "name", "pk")
    day = on or timezone.localdate()
    count = works.count()
    chunk = list(works[offset : offset + limit])
    paid, debts = _figures(chunk, day)
    zero = Decimal(0)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [work_out(w, day, paid.get(w.pk) or zero, debts.get(w.pk, zero)) for w in chunk],
    }


def _work(request, work_id: PathId) -> Work:
    work = Work.objects.select_related("commune").filter(pk=work_id).first()
    return visible(
        work, work is not None and permissions.can_view_funding(user_of(request), work.commune)
    )


def _one(work: Work, on: dt.date | None = None) -> dict:
    day = on or timezone.localdate()
    paid, debts = _figures([work], day)
    return work_out(work, day, paid.get(work.pk) or Decimal(0), debts.get(work.pk, Decimal(0)))


@router.get(
    "/funding/works/{int:work_id}",
    response={200: WorkOut, **ERRORS},
    **doc("Một công trình.", "One work."),
)
def get_work(request, work_id: PathId, on: OnDate = None):
    return _one(_work(request, work_id), on)


class WorkIn(Schema):
    commune_id: int
    name: text(250, 1)
    family: Code
    criterion_number: Annotated[int, Field(ge=1, le=99)]
    investment_total: Amount
    money_unit: MoneyUnit | None = None
    indicator_code: text(20) = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    progress: Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] = Decimal(0)
    note: LongText = ""


@router.post(
    "/funding/works",
    response={201: WorkOut, **ERRORS},
    **doc(
        "Ghi một công trình ở một xã (phục vụ tiêu chí, chỉ tiêu nào; tổng mức đầu tư).",
        "Record a work in a commune (which criterion and indicator it serves; investment).",
    ),
)
def create_work(request, data: WorkIn):
    commune = get_unit(request, data.commune_id, permissions.can_view_funding)
    work = services.create_work(
        user_of(request),
        commune,
        name=data.name,
        family=data.family,
        criterion_number=data.criterion_number,
        investment_total=_checked_amount(
            data.investment_total, data.money_unit, "investment_total"
        ),
        money_unit=data.money_unit,
        indicator_code=data.indicator_code,
        start_date=data.start_date,
        end_date=data.end_date,
        progress=data.progress,
        note=data.note,
    )
    return Status(201, _one(work))


class WorkPatch(Schema):
    version: int
    name: text(250, 1) | None = None
    criterion_number: Annotated[int, Field(ge=1, le=99)] | None = None
    indicator_code: text(20) | None = None
    investment_total: Amount | None = None
    money_unit: MoneyUnit | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    finished_on: dt.date | None = None
    progress: Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] | None = None
    note: LongText | None = None


@router.patch(
    "/funding/works/{int:work_id}",
    response={200: WorkOut, **ERRORS},
    **doc(
        "Sửa công trình (`version`: phiên bản bạn đã đọc); hoàn thành: ghi `finished_on` và "
        "tiến độ 100.",
        "Change a work (`version`: the one you read); finished: set `finished_on` and progress "
        "100.",
    ),
)
def update_work(request, work_id: PathId, data: WorkPatch):
    work = _work(request, work_id)
    changes = data.dict(exclude_unset=True)
    version = changes.pop("version")
    money_unit = changes.pop("money_unit", None)
    for name in ("name", "criterion_number", "indicator_code", "progress", "note"):
        if changes.get(name, "") is None:
            changes.pop(name)
    if changes.get("investment_total") is not None:
        changes["investment_total"] = _checked_amount(
            changes["investment_total"], money_unit, "investment_total"
        )
        changes["money_unit"] = money_unit
    elif "investment_total" in changes:
        changes.pop("investment_total")
    updated = services.update_work(user_of(request), work, version, **changes)
    return _one(updated)


class DisbursementIn(Schema):
    on_date: dt.date
    amount: Amount
    money_unit: MoneyUnit | None = None
    source: Code | None = None
    note: text(300) = ""


@router.post(
    "/funding/works/{int:work_id}/disbursements",
    response={201: WorkOut, **ERRORS},
    **doc(
        "Ghi một lần giải ngân của công trình (lũy kế không vượt tổng mức đầu tư).",
        "Record a disbursement of a work (the total may not exceed the investment).",
    ),
)
def add_disbursement(request, work_id: PathId, data: DisbursementIn):
    work = _work(request, work_id)
    services.record_disbursement(
        user_of(request),
        work,
        data.on_date,
        _checked_amount(data.amount, data.money_unit, "amount"),
        money_unit=data.money_unit,
        source_code=data.source,
        note=data.note,
    )
    return Status(201, _one(work, max(data.on_date, timezone.localdate())))
