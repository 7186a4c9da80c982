"""Periodic reports: the periods of a province, the reports (submissions) of the units in reach,
completeness and timeliness, and the report's life (open, save, send, return, accept) through
reporting.services, as the pages do. An accepted report is read from its frozen snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from nongthon.accounts import permissions
from nongthon.api.common import (
    IdQuery,
    Limit,
    LongText,
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
from nongthon.places.models import Agency, AgencyKind
from nongthon.reporting import queries, services
from nongthon.reporting.models import ReportPeriod, Submission
from nongthon.reporting.models import Status as ReportStatus

router = Router(tags=["reporting"])
OnDate = Annotated[dt.date | None, Query(description="Ngày xem / the day looked at")]
Code = text(60)
# A typed figure as written in the form ("1.250", "12,5"): short text, parsed by the service.
TypedValue = text(40)
Typed = Annotated[dict[Code, TypedValue], Field(max_length=100)]
Texts = Annotated[dict[Code, LongText], Field(max_length=50)]
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def _reader_scope(request, under: int | None) -> Q:
    where = permissions.scope_filter(
        user_of(request), prefix="unit__", roles=permissions.REPORT_READER_ROLES
    )
    if under is not None:
        root = get_unit(request, under, permissions.can_view_reports)
        where &= Q(unit=root) | Q(unit__province=root) | Q(unit__district=root)
    return where


class PeriodOut(Schema):
    id: int
    province: UnitRef
    rule_code: str
    form_code: str
    title: str
    label: str
    frequency: str
    submitters: str
    recipient: str
    year: int
    number: int
    start: dt.date
    end: dt.date
    deadline: dt.date
    illustrative: bool


def period_out(period: ReportPeriod) -> dict:
    return {
        "id": period.pk,
        "province": unit_ref(period.province),
        "rule_code": period.rule_code,
        "form_code": period.form_code,
        "title": period.title,
        "label": period.label,
        "frequency": period.frequency,
        "submitters": period.submitters,
        "recipient": period.recipient,
        "year": period.year,
        "number": period.number,
        "start": period.start,
        "end": period.end,
        "deadline": period.deadline,
        "illustrative": period.illustrative,
    }


@router.get(
    "/reporting/periods",
    response={200: Page[PeriodOut], **ERRORS},
    **doc(
        "Các kỳ báo cáo trong năm của tỉnh chứa đơn vị `unit` (lịch báo cáo của tỉnh; kỳ của năm "
        "được lập khi đọc lần đầu, như trang báo cáo); `owed=true`: chỉ các kỳ đơn vị phải gửi.",
        "The reporting periods of a year in the province of `unit` (the province's schedule; a "
        "year's periods are opened on first reading, as the reporting pages do); `owed=true`: "
        "only the periods the unit owes.",
    ),
)
def list_periods(
    request,
    unit: Annotated[int, Query(ge=1, le=2**53)],
    year: Annotated[int, Query(ge=2000, le=2100)],
    owed: bool = False,
    limit: Limit = 100,
    offset: Offset = 0,
):
    found = get_unit(request, unit, permissions.can_view_reports)
    province = queries.province_of(found)
    if not ReportPeriod.objects.filter(province=province, year=year).exists():
        services.ensure_periods(province, year)
    periods = ReportPeriod.objects.filter(province=province, year=year).select_related("province")
    periods = list(periods.order_by("deadline", "rule_code", "number", "pk"))
    if owed:
        periods = [p for p in periods if queries.owes(p, found)]
    return page(periods, limit, offset, period_out)


class EventOut(Schema):
    action: str
    comment: str
    by: str
    at: dt.datetime


class SubmissionOut(Schema):
    id: int
    period: PeriodOut
    unit: UnitRef
    agency: str | None
    status: str
    timeliness: str
    first_submitted_on: dt.date | None
    accepted_on: dt.date | None
    illustrative: bool
    version: int


class SubmissionDetailOut(SubmissionOut):
    figures: dict[str, Any]
    typed: dict[str, Any]
    texts: dict[str, str]
    snapshot: dict[str, Any] | None
    events: list[EventOut]


def submission_out(submission: Submission, detail: bool = False) -> dict:
    period = submission.period
    out = {
        "id": submission.pk,
        "period": period_out(period),
        "unit": unit_ref(submission.unit),
        "agency": submission.agency.name if submission.agency_id else None,
        "status": submission.status,
        "timeliness": queries.timeliness(
            period.deadline, submission.first_submitted_on, timezone.localdate()
        ),
        "first_submitted_on": submission.first_submitted_on,
        "accepted_on": submission.accepted_on,
        "illustrative": submission.illustrative,
        "version": submission.version,
    }
    if detail:
        # An accepted report answers with what was accepted, whatever the data says today.
        frozen = submission.snapshot if submission.is_frozen else None
        out |= {
            "figures": (frozen or {}).get("figures", submission.figures),
            "typed": (frozen or {}).get("typed", submission.typed),
            "texts": (frozen or {}).get("texts", submission.texts),
            "snapshot": frozen,
            "events": [
                {
                    "action": e.action,
                    "comment": e.comment,
                    "by": e.by.display_name if e.by else "",
                    "at": e.at,
                }
                for e in submission.events.select_related("by")
            ],
        }
    return out


def _submissions():
    return Submission.objects.select_related("period", "period__province", "unit", "agency").defer(
        "snapshot"
    )


@router.get(
    "/reporting/submissions",
    response={200: Page[SubmissionOut], **ERRORS},
    **doc(
        "Báo cáo của các đơn vị trong phạm vi của bạn; lọc theo đơn vị gốc (`under`), năm, kỳ, "
        "trạng thái (draft, submitted, returned, accepted).",
        "Reports of the units within your memberships; filter by subtree (`under`), year, "
        "period, status (draft, submitted, returned, accepted).",
    ),
)
def list_submissions(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    under: IdQuery = None,
    year: Year = None,
    period: IdQuery = None,
    status: ReportStatus | None = None,
):
    rows = _submissions().filter(_reader_scope(request, under))
    if year is not None:
        rows = rows.filter(period__year=year)
    if period is not None:
        rows = rows.filter(period_id=period)
    if status:
        rows = rows.filter(status=status)
    rows = rows.order_by("period__deadline", "period_id", "unit__code", "agency_id", "pk")
    return page(rows, limit, offset, submission_out)


def _submission(request, submission_id: int) -> Submission:
    found = Submission.objects.select_related("period", "period__province", "unit", "agency")
    submission = found.filter(pk=submission_id).first()
    return visible(
        submission,
        submission is not None and permissions.can_view_reports(user_of(request), submission.unit),
    )


@router.get(
    "/reporting/submissions/{int:submission_id}",
    response={200: SubmissionDetailOut, **ERRORS},
    **doc(
        "Một báo cáo: số liệu từ hệ thống, số liệu nhập, nội dung, diễn biến; báo cáo đã chấp "
        "nhận trả về bản chốt.",
        "One report: figures from the system, typed figures, texts, timeline; an accepted "
        "report answers with its frozen snapshot.",
    ),
)
def get_submission(request, submission_id: PathId):
    return submission_out(_submission(request, submission_id), detail=True)


class OpenIn(Schema):
    unit_id: int = Field(ge=1, le=2**53)
    agency_id: int | None = Field(default=None, ge=1, le=2**53)


@router.post(
    "/reporting/periods/{int:period_id}/submissions",
    response={201: SubmissionDetailOut, **ERRORS},
    **doc(
        "Lập (hoặc mở lại) báo cáo của đơn vị cho kỳ, điền sẵn số liệu từ hệ thống; báo cáo của "
        "sở, ngành: `agency_id`.",
        "Open (or reopen) the unit's report for the period, pre-filled from the data; a "
        "department's report: `agency_id`.",
    ),
)
def open_submission(request, period_id: PathId, data: OpenIn):
    unit = get_unit(request, data.unit_id, permissions.can_view_reports)
    period = ReportPeriod.objects.filter(pk=period_id, province=queries.province_of(unit)).first()
    visible(period, period is not None)
    agency = None
    if data.agency_id is not None:
        agency = Agency.objects.filter(
            pk=data.agency_id, unit=period.province, kind=AgencyKind.DEPARTMENT
        ).first()
        visible(agency, agency is not None)
    submission = services.open_submission(user_of(request), period, unit, agency)
    return Status(201, submission_out(_submission(request, submission.pk), detail=True))


def _act(request, submission_id: int, act) -> dict:
    """A step of the report's life on a report the caller can see (the service checks who may
    take it), answered with the report as it now stands."""
    act(user_of(request), _submission(request, submission_id))
    return submission_out(_submission(request, submission_id), detail=True)


class ContentIn(Schema):
    version: int = Field(ge=1, le=2**31)
    typed: Typed = {}
    texts: Texts = {}


class ReviewIn(Schema):
    version: int = Field(ge=1, le=2**31)
    comment: LongText = ""


@router.put(
    "/reporting/submissions/{int:submission_id}/draft",
    response={200: SubmissionDetailOut, **ERRORS},
    **doc(
        "Lưu nháp số liệu nhập và nội dung (`version`: phiên bản bạn đã đọc; bản cũ hơn bị từ "
        "chối với 409).",
        "Save the typed figures and texts as a draft (`version`: the one you read; an older one "
        "is refused with 409).",
    ),
)
def save_draft(request, submission_id: PathId, data: ContentIn):
    return _act(
        request,
        submission_id,
        lambda user, s: services.save_draft(user, s, data.version, data.typed, data.texts),
    )


@router.post(
    "/reporting/submissions/{int:submission_id}/submit",
    response={200: SubmissionDetailOut, **ERRORS},
    **doc(
        "Gửi báo cáo: mọi số liệu nhập và nội dung đầu tiên phải có; số liệu từ hệ thống được "
        "đọc lại.",
        "Send the report: every typed figure and the first text are required; the system's "
        "figures are read again.",
    ),
)
def submit(request, submission_id: PathId, data: ContentIn):
    return _act(
        request,
        submission_id,
        lambda user, s: services.submit(user, s, data.version, data.typed, data.texts),
    )


@router.post(
    "/reporting/submissions/{int:submission_id}/return",
    response={200: SubmissionDetailOut, **ERRORS},
    **doc(
        "Trả lại báo cáo đã gửi kèm ý kiến (cấp trên xem xét).",
        "Return a sent report with comments (the reviewing level).",
    ),
)
def return_report(request, submission_id: PathId, data: ReviewIn):
    return _act(
        request,
        submission_id,
        lambda user, s: services.return_report(user, s, data.version, data.comment),
    )


@router.post(
    "/reporting/submissions/{int:submission_id}/accept",
    response={200: SubmissionDetailOut, **ERRORS},
    **doc(
        "Chấp nhận báo cáo đã gửi: báo cáo được chốt, số liệu không đổi theo dữ liệu sau này.",
        "Accept a sent report: it is frozen; later data changes do not alter it.",
    ),
)
def accept(request, submission_id: PathId, data: ReviewIn):
    return _act(
        request,
        submission_id,
        lambda user, s: services.accept(user, s, data.version, data.comment),
    )


class MissingOut(Schema):
    unit: UnitRef | None
    agency: str | None
    period_id: int
    form_code: str
    deadline: dt.date


class SummaryOut(Schema):
    unit: UnitRef
    on: dt.date
    since: dt.date
    expected: int
    on_time: int
    late: int
    missing: int
    completeness: float | None
    timeliness: float | None
    missing_list: list[MissingOut]
    missing_list_complete: bool


@router.get(
    "/reporting/summary",
    response={200: SummaryOut, **ERRORS},
    **doc(
        "Tỷ lệ đã nộp và đúng hạn của các báo cáo phải gửi trong đơn vị (các kỳ có hạn trong "
        "khoảng [since, on), mặc định 12 tháng trước ngày `on`), và các báo cáo chưa nộp.",
        "Completeness and timeliness of the reports owed under the unit (periods due in "
        "[since, on), by default the 12 months before `on`), and the missing reports.",
    ),
)
def summary(
    request,
    unit: Annotated[int, Query(ge=1, le=2**53)],
    on: OnDate = None,
    since: OnDate = None,
    limit: Annotated[int, Query(ge=0, le=500)] = 50,
):
    found = get_unit(request, unit, permissions.can_view_reports)
    on = on or timezone.localdate()
    for name, day in (("on", on), ("since", since)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValidationError({name: _("Ngày phải trong khoảng 1900–2100.")})
    if since is not None and since > on:
        since = on
    result = queries.reporting_summary(found, on, since=since, limit=limit)
    return {
        "unit": unit_ref(found),
        "on": result.on,
        "since": result.since,
        "expected": result.expected,
        "on_time": result.on_time,
        "late": result.late,
        "missing": result.missing,
        "completeness": result.completeness,
        "timeliness": result.timeliness,
        "missing_list": [
            {
                "unit": None if isinstance(m.unit, Agency) else unit_ref(m.unit),
                "agency": m.unit.name if isinstance(m.unit, Agency) else None,
                "period_id": m.period.pk,
                "form_code": m.form.code,
                "deadline": m.deadline,
            }
            for m in result.missing_list
        ],
        "missing_list_complete": result.missing_list_complete,
    }
