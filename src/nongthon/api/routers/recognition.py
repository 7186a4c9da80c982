"""Titles (held on a date, by subtree, tier, status) and recognition applications with their
steps; registering and completing a step go through recognition.services, as the pages do."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import Q
from ninja import Query, Router, Schema, Status
from pydantic import Field

from nongthon.accounts import permissions
from nongthon.api.common import (
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
from nongthon.catalogue.models import Tier
from nongthon.recognition import services
from nongthon.recognition.models import Application, ApplicationStatus, Title, TitleStatus

router = Router(tags=["recognition"])
OnDate = Annotated[dt.date | None, Query(description="Đang giữ vào ngày / held on")]


def _in_scope(request, under: int | None, prefix: str = "unit__") -> Q:
    user = user_of(request)
    where = permissions.scope_filter(user, prefix=prefix)
    if under is not None:
        root = get_unit(request, under, permissions.can_view_recognition)
        where &= (
            Q(**{f"{prefix}id": root.pk})
            | Q(**{f"{prefix}province": root})
            | Q(**{f"{prefix}district": root})
        )
    return where


class DecisionOut(Schema):
    number: str
    date: dt.date
    signer: str
    issuer: str


class TitleOut(Schema):
    id: int
    unit: UnitRef
    tier: str
    year: int
    status: str
    decision: DecisionOut
    criteria_set_id: int | None
    ended_on: dt.date | None
    end_reason: str
    illustrative: bool


def _decision(d) -> dict | None:
    if d is None:
        return None
    return {"number": d.number, "date": d.date, "signer": d.signer, "issuer": d.issuer}


def title_out(t: Title) -> dict:
    return {
        "id": t.pk,
        "unit": unit_ref(t.unit),
        "tier": t.tier,
        "year": t.year,
        "status": t.status,
        "decision": _decision(t.decision),
        "criteria_set_id": t.criteria_set_id,
        "ended_on": t.ended_on,
        "end_reason": t.end_reason,
        "illustrative": t.illustrative,
    }


@router.get(
    "/titles",
    response={200: Page[TitleOut], **ERRORS},
    **doc(
        "Danh hiệu đạt chuẩn (NTM, nâng cao, kiểu mẫu...) của các đơn vị trong phạm vi của bạn; "
        "`on`: chỉ danh hiệu đang giữ vào ngày đó; lọc theo cây đơn vị, mức, năm, tình trạng.",
        "Titles (NTM, advanced, model...) of the units within your memberships; `on`: only "
        "those held that day; filter by subtree, tier, year of recognition, status.",
    ),
)
def list_titles(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    under: IdQuery = None,
    tier: Tier | None = None,
    year: Year = None,
    status: TitleStatus | None = None,
    on: OnDate = None,
):
    titles = Title.objects.filter(_in_scope(request, under))
    if tier:
        titles = titles.filter(tier=tier)
    if year is not None:
        titles = titles.filter(year=year)
    if status:
        titles = titles.filter(status=status)
    if on:
        titles = titles.filter(decision__date__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on)
        )
    titles = titles.select_related("unit", "decision").order_by("unit__code", "tier", "year", "pk")
    return page(titles, limit, offset, title_out)


@router.get(
    "/titles/{int:title_id}",
    response={200: TitleOut, **ERRORS},
    **doc("Một danh hiệu.", "One title."),
)
def get_title(request, title_id: PathId):
    title = Title.objects.select_related("unit", "decision").filter(pk=title_id).first()
    visible(
        title, title is not None and permissions.can_view_recognition(user_of(request), title.unit)
    )
    return title_out(title)


class StepOut(Schema):
    code: str
    order: int
    status: str
    started_on: dt.date | None
    deadline: dt.date | None
    done_on: dt.date | None
    note: str


class ApplicationOut(Schema):
    id: int
    unit: UnitRef
    tier: str
    year: int
    procedure: str
    criteria_set_id: int
    status: str
    current_step: str
    satisfaction_meets: bool | None
    security_confirmed: bool | None
    illustrative: bool
    version: int


class ApplicationDetailOut(ApplicationOut):
    steps: list[StepOut]


def application_out(a: Application) -> dict:
    return {
        "id": a.pk,
        "unit": unit_ref(a.unit),
        "tier": a.tier,
        "year": a.year,
        "procedure": a.procedure,
        "criteria_set_id": a.criteria_set_id,
        "status": a.status,
        "current_step": a.current_step,
        "satisfaction_meets": a.satisfaction_meets,
        "security_confirmed": a.security_confirmed,
        "illustrative": a.illustrative,
        "version": a.version,
    }


def application_detail(a: Application) -> dict:
    out = application_out(a)
    out["steps"] = [
        {
            "code": s.code,
            "order": s.order,
            "status": s.status,
            "started_on": s.started_on,
            "deadline": s.deadline,
            "done_on": s.done_on,
            "note": s.note,
        }
        for s in a.steps.order_by("order", "pk")
    ]
    return out


@router.get(
    "/applications",
    response={200: Page[ApplicationOut], **ERRORS},
    **doc(
        "Hồ sơ đề nghị công nhận trong phạm vi của bạn; lọc theo cây đơn vị, mức, năm, trạng thái.",
        "Recognition applications within your memberships; filter by subtree, tier, year, status.",
    ),
)
def list_applications(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    under: IdQuery = None,
    tier: Tier | None = None,
    year: Year = None,
    status: ApplicationStatus | None = None,
):
    rows = Application.objects.filter(_in_scope(request, under))
    if tier:
        rows = rows.filter(tier=tier)
    if year is not None:
        rows = rows.filter(year=year)
    if status:
        rows = rows.filter(status=status)
    rows = rows.select_related("unit").order_by("unit__code", "year", "tier", "pk")
    return page(rows, limit, offset, application_out)


def _application(request, application_id: PathId) -> Application:
    a = Application.objects.select_related("unit").filter(pk=application_id).first()
    return visible(a, a is not None and permissions.can_view_recognition(user_of(request), a.unit))


@router.get(
    "/applications/{int:application_id}",
    response={200: ApplicationDetailOut, **ERRORS},
    **doc("Một hồ sơ với các bước.", "One application with its steps."),
)
def get_application(request, application_id: PathId):
    return application_detail(_application(request, application_id))


class RegisterIn(Schema):
    unit_id: int
    tier: Tier
    year: Annotated[int, Field(ge=1900, le=2100)]


@router.post(
    "/applications",
    response={201: ApplicationDetailOut, **ERRORS},
    **doc(
        "Đăng ký xét công nhận một mức cho một năm (mở bước đầu của trình tự).",
        "Register a unit for a tier and year (opens the procedure's first step).",
    ),
)
def register(request, data: RegisterIn):
    unit = get_unit(request, data.unit_id, permissions.can_view_recognition)
    application = services.register(user_of(request), unit, data.tier, data.year)
    return Status(201, application_detail(application))


class StepIn(Schema):
    version: int
    done_on: dt.date | None = None
    note: text(2000) = ""
    posting_count: Annotated[int, Field(ge=0, le=1000)] | None = None
    posting_days: Annotated[int, Field(ge=0, le=1000)] | None = None


@router.post(
    "/applications/{int:application_id}/complete-step",
    response={200: ApplicationDetailOut, **ERRORS},
    **doc(
        "Hoàn thành bước hiện tại (người thực hiện theo dữ liệu trình tự); bước quyết định "
        "không làm ở đây.",
        "Complete the current step (by the actors the procedure data names); the decision step "
        "is not done here.",
    ),
)
def complete_step(request, application_id: PathId, data: StepIn):
    application = _application(request, application_id)
    done = services.complete_step(
        user_of(request),
        application,
        expected_version=data.version,
        done_on=data.done_on,
        note=data.note,
        posting_count=data.posting_count,
        posting_days=data.posting_days,
    )
    return application_detail(done)
