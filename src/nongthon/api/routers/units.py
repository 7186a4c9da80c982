"""Units of both official lists (any signed-in caller: the lists are public law) and agencies
(only those of units the caller's memberships reach; others answer 404)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import Q
from ninja import Query, Router, Schema, Status

from nongthon.accounts import permissions
from nongthon.api.common import (
    IdQuery,
    Limit,
    Offset,
    Page,
    PathId,
    ShortText,
    UnitRef,
    doc,
    get_unit,
    page,
    text,
    unit_ref,
    user_of,
    visible,
)
from nongthon.api.errors import ERRORS
from nongthon.places import agencies as agency_services
from nongthon.places.models import Agency, AgencyKind, Edition, Level, Unit

router = Router(tags=["units"])
ValidOn = Annotated[dt.date | None, Query(description="Có hiệu lực vào ngày / valid on")]


class UnitOut(Schema):
    id: int
    edition: str
    level: str
    kind: str
    code: str
    name: str
    short_name: str
    parent: UnitRef | None
    province_id: int | None
    district_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None


def unit_out(unit: Unit) -> dict:
    return {
        "id": unit.pk,
        "edition": unit.edition,
        "level": unit.level,
        "kind": unit.kind,
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "parent": unit_ref(unit.parent),
        "province_id": unit.province_id,
        "district_id": unit.district_id,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


@router.get(
    "/units",
    response={200: Page[UnitOut], **ERRORS},
    **doc(
        "Danh sách đơn vị hành chính (lọc theo danh mục, cấp, mã, đơn vị cha, cây đơn vị, "
        "tên; sắp theo danh mục, mã).",
        "Administrative units of both official lists, filtered by edition, level, code, parent, "
        "subtree or name; ordered by edition and code.",
    ),
)
def list_units(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    edition: Edition | None = None,
    level: Level | None = None,
    code: text(5) | None = None,
    parent: IdQuery = None,
    under: IdQuery = None,
    q: text(100) | None = None,
    on: ValidOn = None,
):
    units = Unit.objects.select_related("parent")
    if edition:
        units = units.filter(edition=edition)
    if level:
        units = units.filter(level=level)
    if code:
        units = units.filter(code=code)
    if parent is not None:
        units = units.filter(parent_id=parent)
    if under is not None:
        root = Unit.objects.filter(pk=under).first()
        units = units.subtree(root) if root else units.none()
    if q:
        units = units.search(q)
    if on:
        units = units.valid_on(on)
    return page(units.order_by("edition", "code", "level", "pk"), limit, offset, unit_out)


@router.get(
    "/units/{int:unit_id}",
    response={200: UnitOut, **ERRORS},
    **doc("Một đơn vị hành chính.", "One administrative unit."),
)
def get_one_unit(request, unit_id: PathId):
    return unit_out(get_unit(request, unit_id, lambda user, unit: True))


class AgencyOut(Schema):
    id: int
    unit: UnitRef
    code: str
    name: str
    short_name: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    succeeded_by_id: int | None
    version: int


def agency_out(agency: Agency) -> dict:
    return {
        "id": agency.pk,
        "unit": unit_ref(agency.unit),
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "valid_from": agency.valid_from,
        "valid_to": agency.valid_to,
        "succeeded_by_id": agency.succeeded_by_id,
        "version": agency.version,
    }


@router.get(
    "/agencies",
    response={200: Page[AgencyOut], **ERRORS},
    tags=["agencies"],
    **doc(
        "Cơ quan của các đơn vị trong phạm vi của bạn (lọc theo đơn vị, cây đơn vị, ngày).",
        "Agencies of the units within your memberships (filter by unit, subtree, date).",
    ),
)
def list_agencies(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    unit: IdQuery = None,
    under: IdQuery = None,
    on: dt.date | None = None,
    kind: AgencyKind | None = None,
):
    user = user_of(request)
    agencies = Agency.objects.filter(permissions.scope_filter(user, prefix="unit__"))
    if unit is not None:
        agencies = agencies.filter(unit=get_unit(request, unit, permissions.can_view_unit_data))
    if under is not None:
        root = get_unit(request, under, permissions.can_view_unit_data)
        agencies = agencies.filter(Q(unit=root) | Q(unit__province=root) | Q(unit__district=root))
    if on:
        agencies = agencies.valid_on(on)
    if kind:
        agencies = agencies.filter(kind=kind)
    agencies = agencies.select_related("unit").order_by("unit__edition", "unit__code", "name", "pk")
    return page(agencies, limit, offset, agency_out)


def _agency(request, agency_id: PathId) -> Agency:
    agency = Agency.objects.select_related("unit").filter(pk=agency_id).first()
    return visible(
        agency,
        agency is not None and permissions.can_view_unit_data(user_of(request), agency.unit),
    )


@router.get(
    "/agencies/{int:agency_id}",
    response={200: AgencyOut, **ERRORS},
    tags=["agencies"],
    **doc("Một cơ quan.", "One agency."),
)
def get_agency(request, agency_id: PathId):
    return agency_out(_agency(request, agency_id))


class AgencyIn(Schema):
    unit_id: int
    name: ShortText
    kind: AgencyKind
    short_name: text(60) = ""
    valid_from: dt.date | None = None
    basis: text(300) = ""


@router.post(
    "/agencies",
    response={201: AgencyOut, **ERRORS},
    tags=["agencies"],
    **doc(
        "Thêm cơ quan cho một đơn vị (điều phối cấp tỉnh).",
        "Add an agency to a unit (province coordinators).",
    ),
)
def add_agency(request, data: AgencyIn):
    unit = get_unit(request, data.unit_id, permissions.can_view_unit_data)
    agency = agency_services.add_agency(
        user_of(request),
        unit=unit,
        name=data.name,
        kind=data.kind,
        short_name=data.short_name,
        valid_from=data.valid_from,
        basis=data.basis,
    )
    return Status(201, agency_out(agency))


class AgencyRenameIn(Schema):
    version: int
    name: ShortText
    short_name: text(60) = ""
    reason: text(300) = ""


@router.post(
    "/agencies/{int:agency_id}/rename",
    response={200: AgencyOut, **ERRORS},
    tags=["agencies"],
    **doc(
        "Đổi tên cơ quan (tên cũ giữ trong lịch sử; `version` là phiên bản bạn đã đọc).",
        "Rename an agency (the old name stays in history; `version` is the one you read).",
    ),
)
def rename_agency(request, agency_id: PathId, data: AgencyRenameIn):
    agency = _agency(request, agency_id)
    renamed = agency_services.rename_agency(
        user_of(request),
        agency=agency,
        expected_version=data.version,
        name=data.name,
        short_name=data.short_name,
        reason=data.reason,
    )
    return agency_out(renamed)
