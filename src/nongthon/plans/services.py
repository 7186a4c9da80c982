"""Use cases that change plans, targets, fund lines, directives, tasks and statuses. Each runs
in one transaction, asks accounts.permissions, and refuses with a Vietnamese message naming the
field (ValidationError) or PermissionDenied."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.funding import amounts
from nongthon.places.models import Agency, Hamlet, Level, Unit
from nongthon.places.text import fold
from nongthon.plans import deadlines as dl
from nongthon.plans import targets
from nongthon.plans.models import (
    CommuneStatus,
    Directive,
    FundLine,
    HamletStatus,
    HouseholdStatus,
    MoneyUnit,
    Plan,
    ProgressNote,
    StatusKind,
    Target,
    TargetKind,
    Task,
    TaskStatus,
)
from nongthon.web import uploads
from nongthon.web.history import changes_since

PLAN_FIELDS = (
    "issuer_parent",
    "body",
    "number",
    "issued_on",
    "place",
    "year_from",
    "year_to",
    "title",
    "legal_bases",
    "preamble",
    "purposes",
    "requirements",
    "objectives",
    "solutions_heading",
    "solutions",
    "resources_heading",
    "resources_intro",
    "closing",
    "recipients",
    "signing_authority",
    "signer_title",
    "signer_name",
    "illustrative",
)
TARGET_FIELDS = ("order", "group", "sentence", "kind", "type_code", "params", "due_on", "note")
MANUAL_FIELDS = (
    "manual_done",
    "manual_progress",
    "manual_figure",
    "manual_evidence",
    "manual_as_of",
)
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_KINDS = (*uploads.DOCUMENT_KINDS, uploads.ODT)


def _check_lengths(obj: models.Model) -> None:
    """Text longer than its column is refused by name (PostgreSQL would refuse the row with a
    server error; an imported appendix can hold a whole paragraph in one cell)."""
    errors = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        limit = field.max_length if isinstance(field, models.CharField) else None
        if limit and isinstance(value, str) and len(value) > limit:
            errors[field.name] = _("%(field)s: tối đa %(max)s ký tự (đang có %(n)s).") % {
                "field": capfirst(field.verbose_name),
                "max": limit,
                "n": len(value),
            }
    if errors:
        raise ValidationError(errors)


def _save(obj: models.Model, user: User | None, reason: str) -> None:
    _check_lengths(obj)
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


def _check_version(obj: models.Model, expected: int | None, fields: tuple[str, ...]) -> None:
    """Refuse a save based on an older version, saying who changed what since."""
    if expected is None or expected == obj.version:
        return
    who, what = changes_since(obj, expected, fields)
    raise ValidationError(
        _("Bản ghi đã được sửa sau khi bạn mở trang%(who)s: %(what)s. Hãy tải lại trang.")
        % {"who": who, "what": what},
        code="stale",
    )


def _require_manage(user: User | None, unit: Unit) -> None:
    # user None: system steps (demo builder, commands) that act on nobody's behalf.
    if user is not None and not permissions.can_manage_plans(user, unit):
        raise PermissionDenied(_("Bạn không có quyền quản lý kế hoạch của %(u)s.") % {"u": unit})


# --- Plans -------------------------------------------------------------------------------------


def _clean_plan(fields: dict[str, Any]) -> None:
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = _("Trích yếu: bắt buộc.")
    if not (fields.get("body") or "").strip():
        errors["body"] = _("Cơ quan ban hành: bắt buộc.")
    year_from, year_to = fields.get("year_from"), fields.get("year_to")
    if not year_from or not year_to:
        errors["year_from"] = _("Năm (từ, đến): bắt buộc.")
    elif year_to < year_from:
        errors["year_to"] = _("Đến năm phải từ %(y)s trở đi.") % {"y": year_from}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_plan(user: User | None, unit: Unit, **fields: Any) -> Plan:
    _require_manage(user, unit)
    _clean_plan(fields)
    plan = Plan(unit=unit, created_by=user, **{k: v for k, v in fields.items() if k in PLAN_FIELDS})
    _save(plan, user, "Tạo kế hoạch")
    return plan


@transaction.atomic
def update_plan(user: User | None, plan: Plan, expected_version: int | None, **fields: Any) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_manage(user, plan.unit)
    _check_version(plan, expected_version, PLAN_FIELDS)
    merged = {name: getattr(plan, name) for name in PLAN_FIELDS} | fields
    _clean_plan(merged)
    for name in PLAN_FIELDS:
        if name in fields:
            setattr(plan, name, fields[name])
    plan.version += 1
    _save(plan, user, "Sửa kế hoạch")
    return plan


# --- Targets -----------------------------------------------------------------------------------


def _clean_target(plan: Plan, fields: dict[str, Any]) -> dict[str, Any]:
    sentence = (fields.get("sentence") or "").strip()
    if not sentence:
        raise ValidationError({"sentence": _("Câu chỉ tiêu: bắt buộc (chép như kế hoạch ghi).")})
    if fields.get("kind", TargetKind.FIRM) not in TargetKind.values:
        raise ValidationError({"kind": _("Loại chỉ tiêu không hợp lệ.")})
    target_type = targets.get(fields.get("type_code") or "")
    params = target_type.clean(fields.get("params") or {}, plan)
    return fields | {"sentence": sentence, "params": params}


@transaction.atomic
def add_target(user: User | None, plan: Plan, **fields: Any) -> Target:
    _require_manage(user, plan.unit)
    fields = _clean_target(plan, fields)
    if "order" not in fields:
        fields["order"] = plan.targets.count() + 1
    target = Target(plan=plan, **{k: v for k, v in fields.items() if k in TARGET_FIELDS})
    _save(target, user, "Thêm chỉ tiêu")
    return target


@transaction.atomic
def update_target(
    user: User | None, target: Target, expected_version: int | None, **fields: Any
) -> Target:
    target = Target.objects.select_for_update().select_related("plan__unit").get(pk=target.pk)
    _require_manage(user, target.plan.unit)
    _check_version(target, expected_version, TARGET_FIELDS)
    merged = {name: getattr(target, name) for name in TARGET_FIELDS} | fields
    merged = _clean_target(target.plan, merged)
    for name in TARGET_FIELDS:
        setattr(target, name, merged[name])
    target.version += 1
    _save(target, user, "Sửa chỉ tiêu")
    return target


@transaction.atomic
def remove_target(user: User | None, target: Target) -> None:
    _require_manage(user, target.plan.unit)
    target._history_user = user
    target.delete()


@transaction.atomic
def record_manual_progress(
    user: User | None,
    target: Target,
    expected_version: int | None,
    *,
    done: bool | None,
    progress: Decimal | None,
    figure: str,
    evidence: str,
    as_of: dt.date,
) -> Target:
    """Only for free targets: every other type computes its figure, never typed in."""
    target = Target.objects.select_for_update().select_related("plan__unit").get(pk=target.pk)
    _require_manage(user, target.plan.unit)
    if target.type_code != "free":
        raise ValidationError(
            _("Chỉ tiêu kiểu «%(t)s» được tính từ dữ liệu, không nhập tay.")
            % {"t": targets.get(target.type_code).label}
        )
    _check_version(target, expected_version, MANUAL_FIELDS)
    if progress is not None and not Decimal(0) <= progress <= Decimal(100):
        raise ValidationError({"manual_progress": _("Tiến độ phải từ 0 đến 100%.")})
    if not (evidence or "").strip():
        raise ValidationError({"manual_evidence": _("Minh chứng: bắt buộc với chỉ tiêu nhập tay.")})
    target.manual_done = done
    target.manual_progress = progress
    target.manual_figure = figure
    target.manual_evidence = evidence
    target.manual_as_of = as_of
    target.version += 1
    _save(target, user, "Cập nhật kết quả tự đánh giá")
    return target


# --- Fund lines --------------------------------------------------------------------------------


FUND_FIELDS = ("source", "label", "amount", "money_unit", "note")
# The plan's money units and the funding parser's names for them.
PLAN_TO_FUNDING_UNIT = {
    MoneyUnit.MILLION: amounts.MoneyUnit.TRIEU,
    MoneyUnit.BILLION: amounts.MoneyUnit.TY,
}
# Unit words a typed amount may end with (folded), so "101,903 tỷ đồng" keeps tỷ as printed.
_WRITTEN_UNITS = (
    (("ty dong", "ti dong", "ty", "ti"), MoneyUnit.BILLION),
    (("trieu dong", "trieu", "tr.d", "trd"), MoneyUnit.MILLION),
)
AMOUNT_PLACES = FundLine._meta.get_field("amount").decimal_places
AMOUNT_WHOLE_DIGITS = FundLine._meta.get_field("amount").max_digits - AMOUNT_PLACES


def _written_unit(text: str) -> str | None:
    folded = fold(" ".join(text.split())).rstrip(".")
    for words, unit in _WRITTEN_UNITS:
        for word in words:
            if folded.endswith(word) and not folded[: -len(word)].rstrip()[-1:].isalpha():
                return unit
    return None


def fund_amount(value: Any, money_unit: str) -> tuple[Decimal | None, str]:
    """A fund line's amount as typed ("101,903", "6.259.605 triệu đồng") or a Decimal, in the
    line's unit: (amount, unit). A unit written in the text wins over the chosen one; errors
    land on the "amount" field, in Vietnamese."""
    if money_unit not in MoneyUnit.values:
        raise ValidationError({"money_unit": _("Đơn vị tính: chọn triệu đồng hoặc tỷ đồng.")})
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({"amount": _("Số tiền: bắt buộc.")})
    if isinstance(value, str):
        money_unit = _written_unit(value) or money_unit
        try:
            dong = amounts.parse_amount(value, PLAN_TO_FUNDING_UNIT[money_unit])
        except ValidationError as exc:
            raise ValidationError({"amount": exc.messages}) from None
        amount = amounts.in_unit(dong, PLAN_TO_FUNDING_UNIT[money_unit])
    elif isinstance(value, Decimal):
        amount = value
    else:
        raise TypeError(f"Số tiền phải là chuỗi hoặc Decimal, không phải {type(value).__name__}")
    unit_label = MoneyUnit(money_unit).label
    if amount < 0:
        raise ValidationError({"amount": _("Số tiền không được âm.")})
    if -amount.normalize().as_tuple().exponent > AMOUNT_PLACES:
        raise ValidationError(
            {
                "amount": _("Số tiền %(a)s %(u)s lẻ quá %(n)s chữ số thập phân.")
                % {"a": amounts.format_number(amount), "u": unit_label, "n": AMOUNT_PLACES}
            }
        )
    if amount >= Decimal(10) ** AMOUNT_WHOLE_DIGITS:
        raise ValidationError(
            {
                "amount": _("Số tiền %(a)s %(u)s quá lớn.")
                % {"a": amounts.format_number(amount), "u": unit_label}
            }
        )
    return amount, money_unit


def _full_clean_line(line: FundLine) -> None:
    try:
        line.full_clean(exclude=["plan"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


@transaction.atomic
def add_fund_line(
    user: User | None,
    plan: Plan,
    *,
    source: str,
    amount: Any,
    money_unit: str,
    label: str = "",
    note: str = "",
) -> FundLine:
    _require_manage(user, plan.unit)
    value, money_unit = fund_amount(amount, money_unit)
    line = FundLine(
        plan=plan,
        order=plan.fund_lines.count() + 1,
        source=source,
        label=(label or "").strip(),
        amount=value,
        money_unit=money_unit,
        note=(note or "").strip(),
    )
    _full_clean_line(line)
    _save(line, user, "Thêm nguồn vốn")
    return line


@transaction.atomic
def update_fund_line(
    user: User | None, line: FundLine, expected_version: int | None, **fields: Any
) -> FundLine:
    line = FundLine.objects.select_for_update().select_related("plan__unit").get(pk=line.pk)
    _require_manage(user, line.plan.unit)
    _check_version(line, expected_version, FUND_FIELDS)
    for name in ("source", "label", "note"):
        if name in fields:
            setattr(line, name, (fields[name] or "").strip())
    if "amount" in fields or "money_unit" in fields:
        line.amount, line.money_unit = fund_amount(
            fields.get("amount", line.amount), fields.get("money_unit", line.money_unit)
        )
    _full_clean_line(line)
    line.version += 1
    _save(line, user, "Sửa nguồn vốn")
    return line


@transaction.atomic
def remove_fund_line(user: User | None, line: FundLine, expected_version: int | None) -> None:
    """Delete a fund line (its history keeps it); refused when it changed since it was shown."""
    line = FundLine.objects.select_for_update().select_related("plan__unit").get(pk=line.pk)
    _require_manage(user, line.plan.unit)
    _check_version(line, expected_version, FUND_FIELDS)
    line._history_user = user
    line._change_reason = "Xóa nguồn vốn"
    line.delete()


# --- Directives and tasks ---------------------------------------------------------------------


@transaction.atomic
def create_directive(user: User | None, unit: Unit, **fields: Any) -> Directive:
    _require_manage(user, unit)
    directive = Directive(unit=unit, **fields)
    try:
        directive.full_clean(exclude=["unit"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    _save(directive, user, "Tạo văn bản chỉ đạo")
    return directive


def source_year(source: Plan | Directive) -> int:
    return source.year_from if isinstance(source, Plan) else source.issued_on.year


def apply_deadline(task: Task, text: str, default_year: int) -> None:
    """Read the deadline phrase into the task (raises ValidationError naming the field)."""
    try:
        parsed = dl.parse_deadline(text, default_year)
    except dl.DeadlineError as exc:
        raise ValidationError({"deadline_text": str(exc)}) from None
    task.deadline_text = parsed.text
    task.deadline_kind = parsed.kind
    task.deadline = parsed.due
    task.recurrence = parsed.recurrence


def _check_agencies(unit: Unit, agencies: Iterable[Agency]) -> None:
    province_id = unit.pk if unit.level == Level.PROVINCE else unit.province_id
    for agency in agencies:
        home = agency.unit
        if province_id not in (home.pk, home.province_id):
            raise ValidationError(
                {"lead": _("Cơ quan «%(a)s» không thuộc tỉnh của văn bản.") % {"a": agency}}
            )


@transaction.atomic
def add_task(
    user: User | None,
    source: Plan | Directive,
    *,
    content: str,
    lead: Agency | None = None,
    lead_text: str = "",
    coordinators: Iterable[Agency] = (),
    coordinators_text: str = "",
    deadline_text: str = "",
    section: str = "",
    order: int | None = None,
    illustrative: bool = False,
) -> Task:
    _require_manage(user, source.unit)
    if not (content or "").strip():
        raise ValidationError({"content": _("Nội dung thực hiện: bắt buộc.")})
    if lead is None and not lead_text.strip():
        raise ValidationError({"lead": _("Cơ quan chủ trì: chọn một cơ quan hoặc ghi tên nhóm.")})
    coordinators = list(coordinators)
    _check_agencies(source.unit, [a for a in [lead, *coordinators] if a is not None])
    task = Task(
        plan=source if isinstance(source, Plan) else None,
        directive=source if isinstance(source, Directive) else None,
        content=content.strip(),
        lead=lead,
        lead_text=lead_text.strip(),
        coordinators_text=coordinators_text.strip(),
        section=section,
        order=order if order is not None else source.tasks.count() + 1,
        illustrative=illustrative,
    )
    apply_deadline(task, deadline_text, source_year(source))
    _save(task, user, "Thêm nhiệm vụ")
    task.coordinators.set(coordinators)
    return task


TASK_FIELDS = ("content", "lead", "lead_text", "coordinators_text", "deadline_text", "section")
TASK_STATE_FIELDS = ("status", "completed_on", "cancelled_on", "cancel_reason")


@transaction.atomic
def update_task(user: User | None, task: Task, expected_version: int | None, **fields: Any) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    _require_manage(user, task.unit)
    _check_version(task, expected_version, TASK_FIELDS)
    coordinators = fields.pop("coordinators", None)
    for name in ("content", "lead", "lead_text", "coordinators_text", "section"):
        if name in fields:
            setattr(task, name, fields[name])
    if not (task.content or "").strip():
        raise ValidationError({"content": _("Nội dung thực hiện: bắt buộc.")})
    if task.lead is None and not (task.lead_text or "").strip():
        raise ValidationError({"lead": _("Cơ quan chủ trì: chọn một cơ quan hoặc ghi tên nhóm.")})
    _check_agencies(task.unit, [a for a in [task.lead, *(coordinators or [])] if a is not None])
    if "deadline_text" in fields:
        apply_deadline(task, fields["deadline_text"], source_year(task.source))
    task.version += 1
    _save(task, user, "Sửa nhiệm vụ")
    if coordinators is not None:
        task.coordinators.set(coordinators)
    return task


def _check_evidence(upload: UploadedFile | None) -> uploads.FileKind | None:
    """The evidence's kind by its content (nongthon.web.uploads), or a form error."""
    if upload is None:
        return None
    try:
        return uploads.check_upload(upload, kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"evidence": exc.messages}) from None


@transaction.atomic
def add_progress_note(
    user: User | None,
    task: Task,
    *,
    text: str,
    written_on: dt.date,
    completes: bool = False,
    occurrence_due: dt.date | None = None,
    evidence: UploadedFile | None = None,
    expected_version: int | None = None,
) -> ProgressNote:
    """A report on a task; `completes` closes the task, or for a recurring task the occurrence
    due on `occurrence_due`."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if user is not None and not permissions.can_report_task(user, task):
        raise PermissionDenied(_("Bạn không được báo cáo nhiệm vụ này."))
    _check_version(task, expected_version, TASK_STATE_FIELDS)
    if not (text or "").strip():
        raise ValidationError({"text": _("Nội dung báo cáo: bắt buộc.")})
    kind = _check_evidence(evidence)
    recurring = task.deadline_kind == dl.RECURRING
    if completes and recurring and occurrence_due is None:
        raise ValidationError({"occurrence_due": _("Chọn kỳ báo cáo được hoàn thành.")})
    if task.status != TaskStatus.OPEN and completes:
        raise ValidationError(_("Nhiệm vụ đã đóng."))
    note = ProgressNote(
        task=task,
        written_on=written_on,
        text=text.strip(),
        completes=completes,
        occurrence_due=occurrence_due if recurring else None,
        author=user,
    )
    if evidence is not None and kind is not None:
        note.evidence_name = uploads.clean_name(evidence.name)
        # Stored under a generated name; the user's name is kept as text only.
        evidence.name = f"{uuid.uuid4().hex}{kind.suffix}"
        note.evidence = evidence
    _save(note, user, "Báo cáo tiến độ")
    if completes and not recurring:
        task.status = TaskStatus.DONE
        task.completed_on = written_on
        task.version += 1
        _save(task, user, "Hoàn thành nhiệm vụ")
    return note


def _require_cancel(user: User | None, task: Task) -> None:
    if user is not None and not permissions.can_cancel_task(user, task):
        raise PermissionDenied(_("Bạn không có quyền hủy hoặc mở lại nhiệm vụ này."))


@transaction.atomic
def cancel_task(
    user: User | None,
    task: Task,
    expected_version: int | None,
    *,
    reason: str,
    on: dt.date | None = None,
) -> Task:
    """Drop an open task: it leaves the overdue lists from `on` and the scorecard counts it
    apart. The reason is kept on the task and in its history."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    _require_cancel(user, task)
    _check_version(task, expected_version, TASK_STATE_FIELDS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Lý do hủy: bắt buộc.")})
    if task.status == TaskStatus.CANCELLED:
        raise ValidationError(_("Nhiệm vụ đã bị hủy."))
    if task.status == TaskStatus.DONE:
        raise ValidationError(_("Nhiệm vụ đã hoàn thành: mở lại trước khi hủy."))
    on = on or dt.date.today()
    source = task.source
    issued = source.start if isinstance(source, Plan) else source.issued_on
    if on < issued:
        raise ValidationError(
            {"on": _("Ngày hủy phải từ %(d)s trở đi.") % {"d": issued.strftime("%d/%m/%Y")}}
        )
    if on > dt.date.today():
        raise ValidationError({"on": _("Ngày hủy không được sau hôm nay.")})
    task.status = TaskStatus.CANCELLED
    task.cancelled_on = on
    task.cancel_reason = reason
    task.version += 1
    _save(task, user, f"Hủy nhiệm vụ: {reason}")
    return task


@transaction.atomic
def reopen_task(user: User | None, task: Task, expected_version: int | None) -> Task:
    """A done or cancelled task back to open; the completion or cancellation stays in history."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    _require_cancel(user, task)
    _check_version(task, expected_version, TASK_STATE_FIELDS)
    if task.status == TaskStatus.OPEN:
        raise ValidationError(_("Nhiệm vụ đang thực hiện, không cần mở lại."))
    reason = "Mở lại nhiệm vụ đã hủy" if task.status == TaskStatus.CANCELLED else "Mở lại nhiệm vụ"
    task.status = TaskStatus.OPEN
    task.completed_on = None
    task.cancelled_on = None
    task.cancel_reason = ""
    task.version += 1
    _save(task, user, reason)
    return task


# --- Statuses (ấp văn hóa, hộ gia đình văn hóa, ...) ------------------------------------------


def _require_statuses(user: User | None, commune: Unit) -> None:
    if user is not None and not permissions.can_record_statuses(user, commune):
        raise PermissionDenied(_("Bạn không có quyền ghi danh hiệu của %(u)s.") % {"u": commune})


def _kind(code: str, applies_to: str) -> StatusKind:
    kind = StatusKind.objects.filter(code=code, applies_to=applies_to).first()
    if kind is None:
        raise ValidationError({"kind": _("Danh hiệu không có: %(c)s.") % {"c": code}})
    return kind


@transaction.atomic
def record_hamlet_status(
    user: User | None,
    hamlet: Hamlet,
    kind_code: str,
    year: int,
    *,
    achieved: bool,
    recognised_on: dt.date | None,
    source: str,
    illustrative: bool = False,
) -> HamletStatus:
    _require_statuses(user, hamlet.commune)
    if not source.strip():
        raise ValidationError({"source": _("Căn cứ (quyết định công nhận): bắt buộc.")})
    kind = _kind(kind_code, StatusKind.Applies.HAMLET)
    record, _created = HamletStatus.objects.get_or_create(
        hamlet=hamlet,
        kind=kind,
        year=year,
        defaults={"achieved": achieved, "recognised_on": recognised_on, "source": source},
    )
    record.achieved, record.recognised_on, record.source = achieved, recognised_on, source
    record.illustrative = illustrative
    if not _created:
        record.version += 1
    _save(record, user, "Ghi danh hiệu thôn, ấp")
    return record


@transaction.atomic
def record_hamlet_statuses(
    user: User | None, commune: Unit, kind_code: str, year: int, rows: list[dict[str, Any]]
) -> int:
    """Several hamlets of one commune at once (the statuses page): all rows or none. Each row:
    hamlet, achieved, recognised_on, source."""
    _require_statuses(user, commune)
    errors = []
    for row in rows:
        if row["hamlet"].commune_id != commune.pk:
            raise PermissionDenied
        if row["achieved"] and not (row.get("source") or "").strip():
            errors.append(
                _("%(h)s: căn cứ (quyết định công nhận) bắt buộc khi đạt.") % {"h": row["hamlet"]}
            )
    if errors:
        raise ValidationError(errors)
    for row in rows:
        record_hamlet_status(
            user,
            row["hamlet"],
            kind_code,
            year,
            achieved=row["achieved"],
            recognised_on=row.get("recognised_on"),
            source=(row.get("source") or "").strip() or "—",
        )
    return len(rows)


@transaction.atomic
def record_household_status(
    user: User | None,
    commune: Unit,
    kind_code: str,
    year: int,
    *,
    households: int,
    achieved: int,
    as_of: dt.date,
    source: str,
    illustrative: bool = False,
) -> HouseholdStatus:
    _require_statuses(user, commune)
    if achieved > households:
        raise ValidationError({"achieved": _("Số hộ đạt không được lớn hơn tổng số hộ.")})
    kind = _kind(kind_code, StatusKind.Applies.HOUSEHOLD)
    record = HouseholdStatus.objects.filter(commune=commune, kind=kind, year=year).first()
    if record is None:
        record = HouseholdStatus(commune=commune, kind=kind, year=year)
    else:
        record.version += 1
    record.households, record.achieved, record.as_of = households, achieved, as_of
    record.source, record.illustrative = source, illustrative
    _save(record, user, "Ghi danh hiệu hộ gia đình")
    return record


@transaction.atomic
def record_commune_status(
    user: User | None,
    commune: Unit,
    kind_code: str,
    year: int,
    *,
    achieved: bool,
    recognised_on: dt.date | None,
    source: str,
    illustrative: bool = False,
) -> CommuneStatus:
    _require_statuses(user, commune)
    kind = _kind(kind_code, StatusKind.Applies.COMMUNE)
    record = CommuneStatus.objects.filter(commune=commune, kind=kind, year=year).first()
    if record is None:
        record = CommuneStatus(commune=commune, kind=kind, year=year, achieved=achieved)
    else:
        record.version += 1
    record.achieved, record.recognised_on = achieved, recognised_on
    record.source, record.illustrative = source, illustrative
    _save(record, user, "Ghi danh hiệu cấp xã")
    return record


# Pages that add, edit and delete one household or commune record (the record_* functions above
# stay the upsert the demo and imports use).

HOUSEHOLD_FIELDS = ("households", "achieved", "as_of", "source")
COMMUNE_STATUS_FIELDS = ("achieved", "recognised_on", "source")
YEARS = (2000, 2100)


def _check_year(year: int) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValidationError({"year": _("Năm không hợp lệ: %(y)s.") % {"y": year}})


def _clean_households(year: int, households: int, achieved: int, as_of, source: str) -> None:
    errors: dict[str, str] = {}
    if households is None or households <= 0:
        errors["households"] = _("Tổng số hộ: phải lớn hơn 0.")
    if achieved is None or achieved < 0:
        errors["achieved"] = _("Số hộ đạt: bắt buộc, không âm.")
    elif households and achieved > households:
        errors["achieved"] = _("Số hộ đạt không được lớn hơn tổng số hộ.")
    if as_of is None:
        errors["as_of"] = _("Số liệu đến ngày: bắt buộc.")
    elif as_of.year < year:
        errors["as_of"] = _("Số liệu năm %(y)s phải tính đến một ngày từ 01/01/%(y)s.") % {
            "y": year
        }
    if not (source or "").strip():
        errors["source"] = _("Căn cứ (số, ngày quyết định hoặc báo cáo): bắt buộc.")
    if errors:
        raise ValidationError(errors)


def _clean_commune_status(achieved: bool, source: str) -> None:
    if achieved and not (source or "").strip():
        raise ValidationError(
            {"source": _("Căn cứ (số, ngày quyết định công nhận): bắt buộc khi đạt.")}
        )


def _refuse_duplicate(model: type[models.Model], commune: Unit, kind: StatusKind, year: int):
    if model.objects.filter(commune=commune, kind=kind, year=year).exists():
        raise ValidationError(
            {
                "kind": _("%(c)s đã có số liệu «%(k)s» năm %(y)s: hãy sửa bản ghi đó.")
                % {"c": commune.name, "k": kind.name, "y": year}
            }
        )


@transaction.atomic
def add_household_status(
    user: User | None,
    commune: Unit,
    kind_code: str,
    year: int,
    *,
    households: int,
    achieved: int,
    as_of: dt.date,
    source: str,
) -> HouseholdStatus:
    """A new record for a commune, status and year; an existing one is edited, not replaced."""
    _require_statuses(user, commune)
    _check_year(year)
    kind = _kind(kind_code, StatusKind.Applies.HOUSEHOLD)
    _refuse_duplicate(HouseholdStatus, commune, kind, year)
    _clean_households(year, households, achieved, as_of, source)
    return record_household_status(
        user,
        commune,
        kind_code,
        year,
        households=households,
        achieved=achieved,
        as_of=as_of,
        source=source.strip(),
    )


@transaction.atomic
def update_household_status(
    user: User | None, record: HouseholdStatus, expected_version: int | None, **fields: Any
) -> HouseholdStatus:
    record = HouseholdStatus.objects.select_for_update().select_related("commune").get(pk=record.pk)
    _require_statuses(user, record.commune)
    _check_version(record, expected_version, HOUSEHOLD_FIELDS)
    merged = {name: getattr(record, name) for name in HOUSEHOLD_FIELDS} | {
        k: v for k, v in fields.items() if k in HOUSEHOLD_FIELDS
    }
    _clean_households(record.year, **merged)
    for name in HOUSEHOLD_FIELDS:
        setattr(record, name, merged[name].strip() if name == "source" else merged[name])
    record.illustrative = False  # typed by an officer: no longer the demo's figure
    record.version += 1
    _save(record, user, "Sửa danh hiệu hộ gia đình")
    return record


@transaction.atomic
def remove_household_status(
    user: User | None, record: HouseholdStatus, expected_version: int | None
) -> None:
    record = HouseholdStatus.objects.select_for_update().select_related("commune").get(pk=record.pk)
    _require_statuses(user, record.commune)
    _check_version(record, expected_version, HOUSEHOLD_FIELDS)
    record._history_user = user
    record._change_reason = "Xóa danh hiệu hộ gia đình"
    record.delete()


@transaction.atomic
def add_commune_status(
    user: User | None,
    commune: Unit,
    kind_code: str,
    year: int,
    *,
    achieved: bool,
    recognised_on: dt.date | None,
    source: str,
) -> CommuneStatus:
    _require_statuses(user, commune)
    _check_year(year)
    kind = _kind(kind_code, StatusKind.Applies.COMMUNE)
    _refuse_duplicate(CommuneStatus, commune, kind, year)
    _clean_commune_status(achieved, source)
    return record_commune_status(
        user,
        commune,
        kind_code,
        year,
        achieved=achieved,
        recognised_on=recognised_on,
        source=(source or "").strip(),
    )


@transaction.atomic
def update_commune_status(
    user: User | None, record: CommuneStatus, expected_version: int | None, **fields: Any
) -> CommuneStatus:
    record = CommuneStatus.objects.select_for_update().select_related("commune").get(pk=record.pk)
    _require_statuses(user, record.commune)
    _check_version(record, expected_version, COMMUNE_STATUS_FIELDS)
    merged = {name: getattr(record, name) for name in COMMUNE_STATUS_FIELDS} | {
        k: v for k, v in fields.items() if k in COMMUNE_STATUS_FIELDS
    }
    _clean_commune_status(merged["achieved"], merged["source"])
    record.achieved, record.recognised_on = merged["achieved"], merged["recognised_on"]
    record.source = (merged["source"] or "").strip()
    record.illustrative = False
    record.version += 1
    _save(record, user, "Sửa danh hiệu cấp xã")
    return record


@transaction.atomic
def remove_commune_status(
    user: User | None, record: CommuneStatus, expected_version: int | None
) -> None:
    record = CommuneStatus.objects.select_for_update().select_related("commune").get(pk=record.pk)
    _require_statuses(user, record.commune)
    _check_version(record, expected_version, COMMUNE_STATUS_FIELDS)
    record._history_user = user
    record._change_reason = "Xóa danh hiệu cấp xã"
    record.delete()


def load_status_kinds() -> int:
    """The statuses of data/status_kinds.yaml; idempotent (matched on code)."""
    from pathlib import Path

    import yaml

    with open(Path(__file__).parent / "data" / "status_kinds.yaml") as f:
        data = yaml.safe_load(f)
    for item in data["statuses"]:
        StatusKind.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "applies_to": item["applies_to"],
                "source": item["source"],
            },
        )
    return len(data["statuses"])
