"""Use cases of reporting, one transaction each, permission checked first: the province's
schedule (its copy of the default, edited), opening the periods, ad-hoc requests, and a report's
life (open pre-filled, save, send, return with comments, accept and freeze).

Errors are ValidationError in Vietnamese naming the field (typed_<figure>, text_<section>...);
a save based on an older version is refused (code "stale"); PermissionDenied otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.places.models import Agency, Level, Unit
from nongthon.reporting import definitions as defs
from nongthon.reporting import figures as figure_values
from nongthon.reporting.models import (
    ADHOC_RULE,
    Event,
    ReportPeriod,
    Schedule,
    Status,
    Submission,
)
from nongthon.reporting.periods import periods_of
from nongthon.reporting.queries import owes
from nongthon.web.history import changes_since


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_version(obj, expected_version: int | None, fields: tuple[str, ...]) -> None:
    if expected_version is not None and obj.version != expected_version:
        who, what = changes_since(obj, expected_version, fields)
        raise ValidationError(
            _("Bản ghi đã được người khác sửa%(who)s: %(what)s. Hãy tải lại trang rồi sửa tiếp.")
            % {"who": who, "what": what},
            code="stale",
        )


# --- The schedule --------------------------------------------------------------------------------


def ensure_schedule(province: Unit) -> Schedule:
    """The province's schedule; the first time, a copy of the default (reporting/data)."""
    if province.level != Level.PROVINCE:
        raise ValueError("a schedule belongs to a province")
    schedule = Schedule.objects.filter(province=province).first()
    if schedule is not None:
        return schedule
    default = defs.default_schedule()
    schedule = Schedule(
        province=province,
        rules=[r.as_dict() for r in default.rules],
        adhoc_forms=list(default.adhoc_forms),
        change_note="Lịch mặc định (reporting/data/schedule.yaml)",
    )
    schedule.save()
    return schedule


@transaction.atomic
def save_rule(
    user: User,
    province: Unit,
    data: dict,
    expected_version: int,
    note: str = "",
    today: dt.date | None = None,
) -> Schedule:
    """Add a rule or replace the one with the same code; a new version of the schedule. The
    periods not yet due and without reports follow the new rule; the others keep theirs."""
    _require(
        permissions.can_manage_report_schedule(user, province),
        _("Bạn không có quyền sửa lịch báo cáo của tỉnh này."),
    )
    ensure_schedule(province)
    schedule = Schedule.objects.select_for_update().get(province=province)
    _check_version(schedule, expected_version, ("rules", "change_note"))
    rule = defs.Rule.from_dict(data)
    if (
        rule.recipient != defs.LEVEL_ABOVE
        and not Agency.objects.filter(unit=province, code=rule.recipient).exists()
    ):
        raise ValidationError({"recipient": _("Tỉnh không có cơ quan mã «%s».") % rule.recipient})
    rules = [r for r in schedule.rules if r["code"] != rule.code]
    position = next(
        (i for i, r in enumerate(schedule.rules) if r["code"] == rule.code), len(schedule.rules)
    )
    rules.insert(position, rule.as_dict())
    schedule.rules = rules
    schedule.change_note = note.strip() or _("Sửa quy định «%s»") % rule.code
    schedule.version += 1
    schedule._history_user = user
    schedule.save()
    today = today or timezone.localdate()
    years = set(
        ReportPeriod.objects.filter(province=province, year__gte=today.year).values_list(
            "year", flat=True
        )
    ) | {today.year}
    for year in sorted(years):
        ensure_periods(province, year, today=today)
    return schedule


@transaction.atomic
def ensure_periods(province: Unit, year: int, today: dt.date | None = None) -> int:
    """Open the periods of `year` from the province's schedule (idempotent). A period already
    due, or with a report, keeps the deadline it had; the others follow the schedule (and go
    away when their rule does). Returns the number of periods created."""
    today = today or timezone.localdate()
    schedule = ensure_schedule(province)
    existing = {
        (p.rule_code, p.number): p
        for p in ReportPeriod.objects.filter(province=province, year=year).exclude(
            rule_code=ADHOC_RULE
        )
    }
    used = set(
        Submission.objects.filter(period__in=[p.pk for p in existing.values()]).values_list(
            "period_id", flat=True
        )
    )
    new: list[ReportPeriod] = []
    wanted: set[tuple[str, int]] = set()
    for rule in schedule.rule_list():
        if not rule.active:
            continue
        for spec in periods_of(rule, year):
            key = (rule.code, spec.number)
            wanted.add(key)
            fields = {
                "form_code": rule.form,
                "frequency": rule.frequency,
                "submitters": rule.submitters,
                "unit_kinds": list(rule.unit_kinds),
                "recipient": rule.recipient,
                "start": spec.start,
                "end": spec.end,
                "deadline": spec.deadline,
                "title": rule.name,
            }
            period = existing.get(key)
            if period is None:
                new.append(
                    ReportPeriod(
                        province=province,
                        rule_code=rule.code,
                        year=year,
                        number=spec.number,
                        schedule_version=schedule.version,
                        **fields,
                    )
                )
            elif period.deadline >= today and period.pk not in used:
                changed = {k: v for k, v in fields.items() if getattr(period, k) != v}
                if changed:
                    for name, value in changed.items():
                        setattr(period, name, value)
                    period.schedule_version = schedule.version
                    period.save()
    for key, period in existing.items():
        if key not in wanted and period.deadline >= today and period.pk not in used:
            period.delete()
    # One statement for the year's periods (and one for their history rows).
    bulk_create_with_history(new, ReportPeriod)
    return len(new)


@transaction.atomic
def open_adhoc(
    user: User | None,
    province: Unit,
    *,
    title: str,
    form_code: str,
    submitters: str,
    deadline: dt.date,
    request_text: str = "",
    today: dt.date | None = None,
) -> ReportPeriod:
    """An ad-hoc report a coordinator asks for, with its own deadline (user None: the
    system, e.g. the demo)."""
    if user is not None:
        _require(
            permissions.can_manage_report_schedule(user, province),
            _("Bạn không có quyền yêu cầu báo cáo đột xuất của tỉnh này."),
        )
    today = today or timezone.localdate()
    schedule = ensure_schedule(province)
    errors = {}
    if not title.strip():
        errors["title"] = _("Hãy ghi tên báo cáo.")
    if form_code not in schedule.adhoc_forms:
        errors["form_code"] = _("Biểu mẫu «%s» không dùng cho báo cáo đột xuất.") % form_code
    if submitters not in defs.SUBMITTERS:
        errors["submitters"] = _("Đơn vị báo cáo không hợp lệ.")
    if deadline < today:
        errors["deadline"] = _("Hạn gửi phải từ hôm nay (%s) trở đi.") % today.strftime("%d/%m/%Y")
    if errors:
        raise ValidationError(errors)
    kinds = next(
        (
            list(r.unit_kinds)
            for r in schedule.rule_list()
            if r.submitters == submitters and r.active
        ),
        [],
    )
    last = ReportPeriod.objects.filter(
        province=province, rule_code=ADHOC_RULE, year=deadline.year
    ).aggregate(n=Max("number"))["n"]
    period = ReportPeriod(
        province=province,
        rule_code=ADHOC_RULE,
        form_code=form_code,
        frequency=defs.ADHOC,
        submitters=submitters,
        unit_kinds=kinds,
        year=deadline.year,
        number=(last or 0) + 1,
        start=today,
        end=deadline,
        deadline=deadline,
        title=title.strip(),
        request_text=request_text.strip(),
        schedule_version=schedule.version,
        opened_by=user,
    )
    period._history_user = user
    period.save()
    return period


# --- A report ------------------------------------------------------------------------------------


def _subject(submission: Submission, cache: dict | None = None) -> figure_values.Subject:
    period = submission.period
    subject = figure_values.Subject(
        unit=submission.unit, year=period.year, as_of=period.as_of, agency=submission.agency
    )
    if cache is not None:
        subject.cache = cache
    return subject


def _refresh(submission: Submission, cache: dict | None = None) -> None:
    submission.figures = figure_values.compute(submission.period.form, _subject(submission, cache))
    submission.figures_at = timezone.now()


@transaction.atomic
def open_submission(
    user: User | None,
    period: ReportPeriod,
    unit: Unit,
    agency: Agency | None = None,
    illustrative: bool = False,
    cache: dict | None = None,
) -> Submission:
    """The unit's report for the period, pre-filled from the data (created the first time).
    `cache`: sources already read for the same unit (or department), year and day, shared
    when many reports are opened at once (the demo)."""
    if agency is not None:
        unit = agency.unit
    if user is not None:
        _require(
            permissions.can_submit_report(user, unit, agency),
            _("Bạn không có quyền lập báo cáo của đơn vị này."),
        )
    existing = Submission.objects.filter(period=period, unit=unit, agency=agency).first()
    if existing is not None:
        return existing
    if not owes(period, unit, agency):
        raise ValidationError(
            _("%(who)s không thuộc các đơn vị phải gửi «%(period)s».")
            % {"who": agency.name if agency else unit.name, "period": period}
        )
    submission = Submission(period=period, unit=unit, agency=agency, illustrative=illustrative)
    _refresh(submission, cache)
    submission._history_user = user
    submission.save()
    return submission


def _locked(submission: Submission) -> Submission:
    """The report re-read under a row lock (only its own row: of=self), with what it shows."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("period", "unit", "agency")
        .get(pk=submission.pk)
    )


def _editable(user: User | None, submission: Submission) -> Submission:
    if user is not None:
        _require(
            permissions.can_submit_report(user, submission.unit, submission.agency),
            _("Bạn không có quyền lập báo cáo của đơn vị này."),
        )
    current = _locked(submission)
    if not current.is_editable:
        raise ValidationError(
            _("Báo cáo đang ở trạng thái «%s»: không sửa được.") % current.get_status_display()
        )
    return current


def _typed(form: defs.FormDef, typed: dict, required: bool) -> dict:
    """Typed figures from the form's text (Vietnamese numbers: 1.234 and 1.234,5)."""
    values, errors = {}, {}
    for figure in form.typed_figures:
        text = str(typed.get(figure.code, "") or "").strip().replace(" ", "")
        field = f"typed_{figure.code}"
        if not text:
            if required:
                errors[field] = _("«%s»: chưa nhập (ghi 0 nếu không có).") % figure.label
            continue
        try:
            if figure.typed == "integer":
                digits = text.replace(".", "")
                if not digits.isdigit():
                    raise InvalidOperation
                values[figure.code] = int(digits)
            else:
                number = Decimal(text.replace(".", "").replace(",", "."))
                if number < 0 or not number.is_finite():
                    raise InvalidOperation
                values[figure.code] = str(number)
        except InvalidOperation:
            errors[field] = (
                _("«%s»: hãy nhập một số nguyên không âm (ví dụ 1.234).") % figure.label
                if figure.typed == "integer"
                else _("«%s»: hãy nhập một số không âm (ví dụ 1.234,5).") % figure.label
            )
    if errors:
        raise ValidationError(errors)
    return values


def _texts(form: defs.FormDef, texts: dict, required: bool) -> dict:
    values = {t.code: str(texts.get(t.code, "") or "").strip() for t in form.texts}
    if required and form.texts and not values[form.texts[0].code]:
        first = form.texts[0]
        raise ValidationError({f"text_{first.code}": _("«%s»: chưa ghi nội dung.") % first.label})
    return values


EDIT_FIELDS = ("status", "typed", "texts")


@transaction.atomic
def save_draft(
    user: User | None,
    submission: Submission,
    expected_version: int | None,
    typed: dict,
    texts: dict,
    refresh: bool = False,
) -> Submission:
    """Save the typed figures and texts (blanks allowed); `refresh` re-reads the figures."""
    current = _editable(user, submission)
    _check_version(current, expected_version, EDIT_FIELDS)
    form = current.period.form
    current.typed = _typed(form, typed, required=False)
    current.texts = _texts(form, texts, required=False)
    if refresh:
        _refresh(current)
    current.version += 1
    current._history_user = user
    current.save()
    return current


@transaction.atomic
def submit(
    user: User | None,
    submission: Submission,
    expected_version: int | None,
    typed: dict,
    texts: dict,
    today: dt.date | None = None,
    refresh: bool = True,
) -> Submission:
    """Send the report: every typed figure and the first text filled in; the figures are read
    again from the data as of the period's day (`refresh=False`: they were just read, e.g. by
    the demo opening and sending at once). The first sending date is kept."""
    today = today or timezone.localdate()
    current = _editable(user, submission)
    _check_version(current, expected_version, EDIT_FIELDS)
    period = current.period
    if today < period.start:
        raise ValidationError(
            _("Kỳ «%(period)s» bắt đầu từ %(start)s: chưa gửi báo cáo được.")
            % {"period": period.label, "start": period.start.strftime("%d/%m/%Y")}
        )
    form = period.form
    current.typed = _typed(form, typed, required=True)
    current.texts = _texts(form, texts, required=True)
    if refresh:
        _refresh(current)
    current.status = Status.SUBMITTED
    current.submitted_at = timezone.now()
    current.submitted_by = user
    if current.first_submitted_on is None:
        current.first_submitted_on = today
    current.version += 1
    current._history_user = user
    current.save()
    Event.objects.create(
        submission=current, action=Event.Action.SUBMITTED, by=user, at=_moment(today)
    )
    return current


def _moment(today: dt.date) -> dt.datetime:
    """Now, or noon of a given day (tests and the demo replay past dates)."""
    now = timezone.now()
    if timezone.localdate(now) == today:
        return now
    return timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))


def _reviewable(user: User | None, submission: Submission) -> Submission:
    if user is not None:
        _require(
            permissions.can_review_report(
                user, submission.unit, submission.agency, submission.period.recipient
            ),
            _("Bạn không có quyền xem xét báo cáo này."),
        )
    current = _locked(submission)
    if current.status != Status.SUBMITTED:
        raise ValidationError(
            _("Chỉ xem xét được báo cáo đã gửi (trạng thái hiện tại: «%s»).")
            % current.get_status_display()
        )
    return current


@transaction.atomic
def return_report(
    user: User | None,
    submission: Submission,
    expected_version: int | None,
    comment: str,
    today: dt.date | None = None,
) -> Submission:
    """Send the report back to its unit with comments; the unit corrects and sends again."""
    current = _reviewable(user, submission)
    _check_version(current, expected_version, EDIT_FIELDS)
    if not comment.strip():
        raise ValidationError({"comment": _("Hãy ghi ý kiến khi trả lại báo cáo.")})
    current.status = Status.RETURNED
    current.version += 1
    current._history_user = user
    current.save()
    Event.objects.create(
        submission=current,
        action=Event.Action.RETURNED,
        comment=comment.strip(),
        by=user,
        at=_moment(today or timezone.localdate()),
    )
    return current


def snapshot_of(submission: Submission, accepted_by: User | None, today: dt.date) -> dict:
    """Everything an accepted report shows, as plain JSON."""
    period = submission.period
    return {
        "form": period.form.as_dict(),
        "period": {
            "label": period.label,
            "title": period.title,
            "frequency": period.frequency,
            "year": period.year,
            "number": period.number,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "deadline": period.deadline.isoformat(),
            "as_of": period.as_of.isoformat(),
        },
        "submitter": {
            "unit_code": submission.unit.code,
            "unit_name": submission.unit.name,
            "agency": submission.agency.name if submission.agency_id else None,
        },
        "figures": submission.figures,
        "typed": submission.typed,
        "texts": submission.texts,
        "first_submitted_on": submission.first_submitted_on.isoformat()
        if submission.first_submitted_on
        else None,
        "accepted_on": today.isoformat(),
        "accepted_by": accepted_by.display_name if accepted_by else "",
    }


@transaction.atomic
def accept(
    user: User | None,
    submission: Submission,
    expected_version: int | None,
    comment: str = "",
    today: dt.date | None = None,
) -> Submission:
    """Accept the report: it is frozen as a JSON snapshot no later change of data alters."""
    today = today or timezone.localdate()
    current = _reviewable(user, submission)
    _check_version(current, expected_version, EDIT_FIELDS)
    current.status = Status.ACCEPTED
    current.accepted_on = today
    current.accepted_by = user
    current.snapshot = snapshot_of(current, user, today)
    current.version += 1
    current._history_user = user
    current.save()
    Event.objects.create(
        submission=current,
        action=Event.Action.ACCEPTED,
        comment=comment.strip(),
        by=user,
        at=_moment(today),
    )
    return current
