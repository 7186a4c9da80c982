"""Indicator values (read by subtree, year, family; written per unit through the same use
case as the entry page), their bulk exchange as JSON or CSV, and the stored evaluations with
the province summary the results page shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from ninja import Path, Query, Router, Schema

from nongthon.accounts import permissions
from nongthon.api import bulk_values, errors
from nongthon.api.common import (
    Code,
    IdQuery,
    Limit,
    Offset,
    Page,
    PathId,
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
from nongthon.assessment import queries as results
from nongthon.assessment import services
from nongthon.assessment.models import Evaluation, IndicatorValue
from nongthon.places.models import Unit

router = Router(tags=["values"])
PathYear = Annotated[int, Path(ge=1900, le=2100)]
PathSlug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]{1,60}$")]
RequiredYear = Annotated[int, Query(ge=1900, le=2100, description="Năm / year")]
Format = Literal["json", "csv"]


def _under(unit: Unit, prefix: str = "unit__") -> Q:
    return (
        Q(**{f"{prefix}id": unit.pk})
        | Q(**{f"{prefix}province": unit})
        | Q(**{f"{prefix}district": unit})
    )


class ValueOut(Schema):
    id: int
    unit: UnitRef
    year: int
    family: str
    indicator_code: str
    value: bool | str | None
    hand_verdict: bool | None
    hand_reason: str
    note: str
    illustrative: bool
    version: int
    entered_at: dt.datetime


def value_out(v: IndicatorValue) -> dict:
    return {
        "id": v.pk,
        "unit": unit_ref(v.unit),
        "year": v.year,
        "family": v.family,
        "indicator_code": v.indicator_code,
        "value": bulk_values.stored_value(v),
        "hand_verdict": v.hand_verdict,
        "hand_reason": v.hand_reason,
        "note": v.note,
        "illustrative": v.illustrative,
        "version": v.version,
        "entered_at": v.entered_at,
    }


@router.get(
    "/values",
    response={200: Page[ValueOut], **ERRORS},
    **doc(
        "Số liệu chỉ tiêu trong phạm vi của bạn; `unit`: một đơn vị, `under`: cả cây đơn vị.",
        "Indicator values within your memberships; `unit`: one unit, `under`: its subtree.",
    ),
)
def list_values(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    unit: IdQuery = None,
    under: IdQuery = None,
    year: Year = None,
    family: Code | None = None,
    indicator: text(20) | None = None,
):
    user = user_of(request)
    values = IndicatorValue.objects.filter(permissions.scope_filter(user, prefix="unit__"))
    if unit is not None:
        values = values.filter(unit=get_unit(request, unit, permissions.can_view_values))
    if under is not None:
        values = values.filter(_under(get_unit(request, under, permissions.can_view_values)))
    if year is not None:
        values = values.filter(year=year)
    if family:
        values = values.filter(family=family)
    if indicator:
        values = values.filter(indicator_code=indicator)
    values = values.select_related("unit").order_by(
        "unit__edition", "unit__code", "year", "family", "indicator_code", "pk"
    )
    return page(values, limit, offset, value_out)


class EntryIn(Schema):
    indicator_code: text(20, 1)
    value: bool | Decimal | text(120) | None = None
    hand_verdict: bool | None = None
    hand_reason: text(2000) = ""
    note: text(2000) = ""
    version: int | None = None


class ValuesIn(Schema):
    entries: list[EntryIn]


class EvaluationBrief(Schema):
    id: int
    criteria_set_code: str
    criteria_set_version: int
    met_count: int
    total: int
    all_met: bool


class SaveOut(Schema):
    changed: list[str]
    reopened: list[int]
    evaluations: list[EvaluationBrief]


def brief(e: Evaluation) -> dict:
    return {
        "id": e.pk,
        "criteria_set_code": e.criteria_set.code,
        "criteria_set_version": e.criteria_set.version,
        "met_count": e.met_count,
        "total": e.total,
        "all_met": e.all_met,
    }


@router.put(
    "/values/{int:unit_id}/{int:year}/{slug:family}",
    response={200: SaveOut, **ERRORS},
    **doc(
        "Lưu số liệu của một đơn vị, một năm (giống trang nhập liệu): tất cả hoặc không; "
        "`version` là phiên bản bạn đã đọc (0: chưa có), bỏ trống để không so; đơn vị được "
        "đánh giá lại ngay.",
        "Save one unit's values for a year (as the entry page does): all or nothing; `version` "
        "is the one you read (0: none yet), omit it to skip the check; the unit is re-evaluated "
        "at once.",
    ),
)
def save_unit_values(
    request, unit_id: PathId, year: PathYear, family: PathSlug, data: ValuesIn
) -> dict:
    unit = get_unit(request, unit_id, permissions.can_view_values)
    entries = []
    for entry in data.entries:
        value = entry.value
        if isinstance(value, Decimal) and not value.is_finite():
            raise errors.ApiError(422, errors.INVALID, "value: NaN / Infinity")
        entries.append(
            services.ValueEntry(
                indicator_code=entry.indicator_code,
                value=value,
                hand_verdict=entry.hand_verdict,
                hand_reason=entry.hand_reason,
                note=entry.note,
                expected_version=entry.version,
            )
        )
    try:
        outcome = services.save_values(
            user_of(request), unit=unit, year=year, family=family, entries=entries
        )
    except ValidationError as exc:
        error = errors.from_validation(exc)
        if _has_stale(unit, year, family, entries):
            error.status, error.code = 409, errors.STALE  # someone saved since the caller read
        raise error from exc
    return {
        "changed": outcome.changed,
        "reopened": outcome.reopened,
        "evaluations": [brief(e) for e in outcome.evaluations],
    }


def _has_stale(unit: Unit, year: int, family: str, entries: list[services.ValueEntry]) -> bool:
    """save_values names a stale entry only in its message; the versions tell it apart."""
    expected = {
        e.indicator_code: e.expected_version for e in entries if e.expected_version is not None
    }
    if not expected:
        return False
    current = dict(
        IndicatorValue.objects.filter(
            unit=unit, year=year, family=family, indicator_code__in=expected
        ).values_list("indicator_code", "version")
    )
    return any(current.get(code, 0) != version for code, version in expected.items())


# --- bulk -------------------------------------------------------------------------------------


class ValueRow(Schema):
    edition: text(8) | None = None
    unit_code: text(5) | int | None = None
    year: int | text(10) | None = None
    family: Code | None = None
    indicator_code: text(20) | None = None
    value: bool | Decimal | text(120) | None = None
    hand_verdict: bool | text(20) | None = None
    hand_reason: text(4000) | None = None
    note: text(4000) | None = None


class ValuesFile(Schema):
    format: str = bulk_values.FORMAT
    rows: list[ValueRow]


class ImportIn(Schema):
    rows: list[ValueRow]
    dry_run: bool = False


class GroupOut(Schema):
    unit: UnitRef
    year: int
    family: str
    rows: int
    changed: list[str]
    reopened: list[int]


class ImportOut(Schema):
    dry_run: bool
    rows: int
    changed: int
    evaluations: int
    units: list[GroupOut]


def import_out(result: bulk_values.ImportResult) -> dict:
    return {
        "dry_run": result.dry_run,
        "rows": result.rows,
        "changed": result.changed,
        "evaluations": result.evaluations,
        "units": [
            {
                "unit": unit_ref(g.unit),
                "year": g.year,
                "family": g.family,
                "rows": g.rows,
                "changed": g.changed,
                "reopened": g.reopened,
            }
            for g in result.groups
        ],
    }


CSV_RESPONSE = {
    "content": {"text/csv": {"schema": {"type": "string"}}},
    "description": "CSV (UTF-8)",
}


@router.get(
    "/values/export",
    response={200: ValuesFile, **ERRORS},
    openapi_extra={"responses": {200: {"content": CSV_RESPONSE["content"]}}},
    **doc(
        "Xuất số liệu của một đơn vị và cây đơn vị của nó (JSON hoặc CSV với `format=csv`), "
        "theo khóa tự nhiên: danh mục + mã đơn vị, năm, họ bộ tiêu chí, mã chỉ tiêu.",
        "Export the values of a unit and its subtree (JSON, or CSV with `format=csv`), keyed "
        "by natural keys: edition + unit code, year, set family, indicator code.",
    ),
)
def export_values(
    request,
    unit: Annotated[int, Query(ge=1, le=2**53)],
    year: Year = None,
    family: Code | None = None,
    format: Format = "json",
):
    scope = get_unit(request, unit, permissions.can_view_values)
    rows = bulk_values.export_rows(user_of(request), scope, year=year, family=family)
    if format == "csv":
        response = HttpResponse(
            write_csv(bulk_values.FIELDS, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="so-lieu-{scope.code}.csv"'
        return response
    return {"format": bulk_values.FORMAT, "rows": rows}


@router.post(
    "/values/import",
    response={200: ImportOut, **ERRORS},
    **doc(
        "Nhập số liệu hàng loạt (JSON): kiểm tra cả tệp trước, có lỗi thì không lưu gì và trả "
        "danh sách lỗi theo dòng, trường; nhập lại cùng dữ liệu không thay đổi gì. Ô trống: "
        "giữ số liệu đang có. `dry_run`: chỉ kiểm tra.",
        "Bulk import (JSON): the whole file is checked first; on any error nothing is saved and "
        "the errors are listed by row and field; importing the same rows again changes "
        "nothing. Empty cells keep what is stored. `dry_run`: check only.",
    ),
)
def import_values(request, data: ImportIn):
    rows = [(n, row.dict()) for n, row in enumerate(data.rows, start=1)]
    return import_out(run_import(bulk_values, user_of(request), rows, dry_run=data.dry_run))


@router.post(
    "/values/import.csv",
    response={200: ImportOut, **ERRORS},
    openapi_extra={
        "requestBody": {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "required": True,
        }
    },
    **doc(
        "Nhập số liệu hàng loạt từ CSV (UTF-8, dòng tiêu đề: "
        + ", ".join(bulk_values.FIELDS)
        + "); lỗi ghi số dòng của tệp. `dry_run=true`: chỉ kiểm tra.",
        "Bulk import from CSV (UTF-8, header: "
        + ", ".join(bulk_values.FIELDS)
        + "); errors name the file's line. `dry_run=true`: check only.",
    ),
)
def import_values_csv(request, dry_run: bool = False):
    return import_out(
        run_import(bulk_values, user_of(request), csv_body=request.body, dry_run=dry_run)
    )


# --- evaluations ------------------------------------------------------------------------------


class EvaluationOut(Schema):
    id: int
    unit: UnitRef
    year: int
    criteria_set_id: int
    criteria_set_code: str
    criteria_set_version: int
    family: str
    met_count: int
    total: int
    missing_count: int
    all_met: bool
    effective_region: str
    computed_at: dt.datetime


class IndicatorResultOut(Schema):
    code: str
    status: str
    reason: str
    by_hand: bool


class CriterionResultOut(Schema):
    number: int
    name: str
    status: str
    reason: str
    is_key: bool
    indicators: list[IndicatorResultOut]


class EvaluationDetailOut(EvaluationOut):
    region_reason: str
    criteria: list[CriterionResultOut]


def evaluation_out(e: Evaluation) -> dict:
    return {
        "id": e.pk,
        "unit": unit_ref(e.unit),
        "year": e.year,
        "criteria_set_id": e.criteria_set_id,
        "criteria_set_code": e.criteria_set.code,
        "criteria_set_version": e.criteria_set.version,
        "family": e.criteria_set.family,
        "met_count": e.met_count,
        "total": e.total,
        "missing_count": e.missing_count,
        "all_met": e.all_met,
        "effective_region": e.effective_region,
        "computed_at": e.computed_at,
    }


@router.get(
    "/evaluations",
    response={200: Page[EvaluationOut], **ERRORS},
    tags=["evaluations"],
    **doc(
        "Kết quả đánh giá đã lưu (đơn vị trong phạm vi của bạn), lọc theo đơn vị, cây đơn vị, "
        "năm, họ bộ tiêu chí, đạt tất cả tiêu chí.",
        "Stored evaluations within your memberships, filtered by unit, subtree, year, set "
        "family, all criteria met.",
    ),
)
def list_evaluations(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    unit: IdQuery = None,
    under: IdQuery = None,
    year: Year = None,
    family: Code | None = None,
    all_met: bool | None = None,
):
    user = user_of(request)
    rows = Evaluation.objects.filter(permissions.scope_filter(user, prefix="unit__"))
    if unit is not None:
        rows = rows.filter(unit=get_unit(request, unit, permissions.can_view_values))
    if under is not None:
        rows = rows.filter(_under(get_unit(request, under, permissions.can_view_values)))
    if year is not None:
        rows = rows.filter(year=year)
    if family:
        rows = rows.filter(criteria_set__family=family)
    if all_met is not None:
        rows = rows.filter(all_met=all_met)
    rows = rows.select_related("unit", "criteria_set").order_by(
        "unit__edition", "unit__code", "year", "criteria_set__code", "pk"
    )
    return page(rows, limit, offset, evaluation_out)


class TotalOut(Schema):
    number: int
    name: str
    met: int
    not_met: int
    missing: int


class SummaryOut(Schema):
    unit: UnitRef
    year: int
    family: str
    criteria_set_id: int
    criteria_count: int
    communes: int
    all_met: int
    all_met_percent: str | None
    average: str | None
    below_15: int
    at_least_14: int
    illustrative: bool
    criteria: list[TotalOut]


@router.get(
    "/evaluations/summary",
    response={200: SummaryOut, **ERRORS},
    tags=["evaluations"],
    **doc(
        "Các số liệu tổng hợp trang kết quả hiển thị cho tỉnh/huyện: số xã có kết quả, đạt "
        "chuẩn (tỷ lệ), bình quân tiêu chí/xã, dưới 15 và từ 14 tiêu chí, và từng tiêu chí.",
        "The summary the results page shows for a province or district: communes evaluated, "
        "at standard (share), criteria met per commune, below 15 and at least 14, per criterion.",
    ),
)
def summary(
    request,
    unit: Annotated[int, Query(ge=1, le=2**53)],
    year: RequiredYear,
    family: Code,
):
    scope = get_unit(request, unit, permissions.can_view_values)
    figures = results.summary_figures(scope, year, family)
    if figures is None:
        raise errors.not_found()
    return {
        "unit": unit_ref(scope),
        "year": year,
        "family": family,
        "criteria_set_id": figures.criteria_set.pk,
        "criteria_count": figures.criteria_count,
        "communes": figures.total,
        "all_met": figures.all_met,
        "all_met_percent": _text(figures.all_met_percent),
        "average": _text(figures.average),
        "below_15": figures.below_15,
        "at_least_14": figures.at_least_14,
        "illustrative": results.has_illustrative_values(scope, year, family),
        "criteria": [
            {
                "number": t.number,
                "name": t.name,
                "met": t.met,
                "not_met": t.not_met,
                "missing": t.missing,
            }  # fmt: skip
            for t in results.criterion_totals(scope, figures.criteria_set, year)
        ],
    }


def _text(value) -> str | None:
    return None if value is None else str(value)


@router.get(
    "/evaluations/{int:evaluation_id}",
    response={200: EvaluationDetailOut, **ERRORS},
    tags=["evaluations"],
    **doc(
        "Một kết quả đánh giá với lý do từng tiêu chí, chỉ tiêu.",
        "One evaluation with the reason for each criterion and indicator.",
    ),
)
def get_evaluation(request, evaluation_id: PathId):
    e = Evaluation.objects.select_related("unit", "criteria_set").filter(pk=evaluation_id).first()
    visible(e, e is not None and permissions.can_view_values(user_of(request), e.unit))
    out = evaluation_out(e)
    out["region_reason"] = e.region_reason
    out["criteria"] = [
        {
            "number": c["number"],
            "name": c["name"],
            "status": c["status"],
            "reason": c["reason"],
            "is_key": c.get("is_key", False),
            "indicators": [
                {
                    "code": i["code"],
                    "status": i["status"],
                    "reason": i["reason"],
                    "by_hand": i.get("by_hand", False),
                }  # fmt: skip
                for i in c.get("indicators", [])
            ],
        }
        for c in e.result.get("criteria", [])
    ]
    return out
