"""What every router shares: bilingual operation texts, bounded text types, paging with a
stable order, unit references, and the "visible or 404" lookups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Schema
from pydantic import StringConstraints

from nongthon.api import errors
from nongthon.places.models import Unit

T = TypeVar("T")

# No NUL characters anywhere: PostgreSQL cannot store them, so they are refused at the door.
NO_NUL = r"^[^\x00]*$"
MAX_ID = 2**53  # larger ids cannot come from this database; they are refused as input


def text(max_length: int, min_length: int = 0) -> Any:
    return Annotated[
        str, StringConstraints(max_length=max_length, min_length=min_length, pattern=NO_NUL)
    ]


ShortText = text(200)
LongText = text(5000)
Code = text(60)


def doc(vi: str, en: str) -> dict[str, str]:
    """Summary in Vietnamese, description in both languages (the document serves both)."""
    return {"summary": vi, "description": f"{vi}\n\n*English:* {en}"}


class Page(Schema, Generic[T]):
    count: int
    limit: int
    offset: int
    items: list[T]


Limit = Annotated[int, Query(ge=1, le=500, description="Số dòng mỗi trang / page size")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Bỏ qua n dòng đầu / rows to skip")]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="Năm / year")]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


def page(rows: QuerySet | Sequence, limit: int, offset: int, convert: Callable[[Any], Any]) -> dict:
    """One page of `rows`, which the caller has ordered on a unique key (stable paging)."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [convert(row) for row in rows[offset : offset + limit]],
    }


class UnitRef(Schema):
    id: int
    edition: str
    level: str
    code: str
    name: str


def unit_ref(unit: Unit | None) -> dict | None:
    if unit is None:
        return None
    return {
        "id": unit.pk,
        "edition": unit.edition,
        "level": unit.level,
        "code": unit.code,
        "name": unit.name,
    }


def user_of(request: HttpRequest):
    return request.auth


def visible(obj, allowed: bool):
    """The object when the caller may see it; otherwise the same 404 as a missing one."""
    if obj is None or not allowed:
        raise errors.not_found()
    return obj


def get_unit(request: HttpRequest, unit_id: int, may: Callable[[Any, Unit], bool]) -> Unit:
    unit = Unit.objects.select_related("province", "district", "region").filter(pk=unit_id).first()
    return visible(unit, unit is not None and may(user_of(request), unit))


def require(allowed: bool) -> None:
    """A write the caller may not make on an object they may see: 403."""
    if not allowed:
        raise errors.forbidden()


def decimal_text(value) -> str | None:
    """Decimals as plain text ("85.5", "6259605000000"): exact, no float rounding."""
    if value is None:
        return None
    normal = value.normalize()
    return format(normal if normal != normal.to_integral_value() else normal.quantize(1), "f")
