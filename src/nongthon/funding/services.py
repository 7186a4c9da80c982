"""Use cases that change funding data: one transaction each, permission checked first,
ValidationError in Vietnamese naming the field or line, PermissionDenied otherwise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.funding.amounts import parse_amount
from nongthon.funding.models import (
    Debt,
    Disbursement,
    FundingLine,
    FundingSource,
    LineKind,
    Repayment,
    StatedTotal,
    Work,
    WorkSource,
)
from nongthon.funding.plan_text import read_plan_text
from nongthon.funding.sources import ensure_loaded, source_by_label
from nongthon.places.models import Level, Unit
from nongthon.web.history import changes_since


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền cập nhật nguồn vốn của đơn vị này."))


def _amount(text: str | Decimal, unit: str | None, field: str) -> Decimal:
    """A written amount (or a Decimal in đồng) as whole đồng; errors land on `field`."""
    if isinstance(text, Decimal):
        if text < 0 or text != text.to_integral_value():
            raise ValidationError({field: _("Số tiền phải là số đồng nguyên, không âm.")})
        return text
    try:
        return parse_amount(text, unit)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def _source(code: str) -> FundingSource:
    ensure_loaded()
    try:
        return FundingSource.objects.get(code=code)
    except FundingSource.DoesNotExist as error:
        raise ValidationError({"source": _("Không có nguồn vốn «%s».") % code}) from error


def _check_version(obj, expected_version: int | None, fields: tuple[str, ...]) -> None:
    if expected_version is not None and obj.version != expected_version:
        who, what = changes_since(obj, expected_version, fields)
        raise ValidationError(
            _("Bản ghi đã được người khác sửa%(who)s: %(what)s. Hãy tải lại trang rồi sửa tiếp.")
            % {"who": who, "what": what},
            code="stale",
        )


# --- Funding lines -----------------------------------------------------------------------------


@transaction.atomic
def record_line(
    user: User | None,
    unit: Unit,
    year: int,
    source_code: str,
    kind: str,
    amount: str | Decimal,
    money_unit: str | None = None,
    on_date: dt.date | None = None,
    document: str = "",
    note: str = "",
    illustrative: bool = False,
) -> FundingLine:
    """One amount of a source for a unit and year (user None: the system, e.g. the demo)."""
    if user is not None:
        _require(permissions.can_edit_funding(user, unit))
    if kind not in LineKind.values:
        raise ValidationError({"kind": _("Loại số liệu không hợp lệ.")})
    if on_date is not None and on_date.year != year:
        raise ValidationError({"on_date": _("Ngày %(d)s không thuộc năm %(y)d.") % {
            "d": on_date.strftime("%d/%m/%Y"), "y": year}})  # fmt: skip
    dong = _amount(amount, money_unit, "amount")
    line = FundingLine(
        unit=unit,
        year=year,
        source=_source(source_code),
        kind=kind,
        amount=dong,
        on_date=on_date,
        written=amount if isinstance(amount, str) else "",
        document=document,
        note=note,
        illustrative=illustrative,
    )
    line._history_user = user
    line.save()
    return line


@transaction.atomic
def update_line(
    user: User, line: FundingLine, expected_version: int, amount: str, money_unit: str | None
) -> FundingLine:
    _require(permissions.can_edit_funding(user, line.unit))
    current = FundingLine.objects.select_for_update().get(pk=line.pk)
    _check_version(current, expected_version, ("amount", "on_date", "note"))
    current.amount = _amount(amount, money_unit, "amount")
    current.written = amount
    current.version += 1
    current._history_user = user
    current.save()
    return current


@transaction.atomic
def delete_line(user: User, line: FundingLine) -> None:
    _require(permissions.can_edit_funding(user, line.unit))
    line._history_user = user
    line.delete()


@dataclass
class PlanImport:
    lines: list[FundingLine]
    stated: StatedTotal | None


@transaction.atomic
def import_plan_text(
    user: User | None,
    unit: Unit,
    year: int,
    text: str,
    kind: str = LineKind.PLANNED,
    document: str = "",
    illustrative: bool = False,
) -> PlanImport:
    """The funding section of a plan as written: every line or none, one message per bad line.
    Replaces the unit's earlier lines of that year and kind from the same document."""
    if user is not None:
        _require(permissions.can_edit_funding(user, unit))
    read = read_plan_text(text)
    ensure_loaded()
    sources = list(FundingSource.objects.all())
    errors = list(read.errors)
    matched = []
    for line in read.lines:
        source = source_by_label(line.label, sources)
        if source is None:
            errors.append(
                _("Dòng %(n)d: không nhận ra nguồn vốn «%(label)s».")
                % {"n": line.number, "label": line.label}
            )
        else:
            matched.append((line, source))
    if errors:
        raise ValidationError(errors)
    FundingLine.objects.filter(unit=unit, year=year, kind=kind, document=document).delete()
    created = []
    for line, source in matched:
        row = FundingLine(
            unit=unit,
            year=year,
            source=source,
            kind=kind,
            amount=line.amount,
            written=line.written,
            document=document,
            note=line.label,
            illustrative=illustrative,
        )
        row._history_user = user
        row.save()
        created.append(row)
    stated = None
    if read.total is not None:
        stated = set_stated_total(user, unit, year, kind, read.total, read.total_written, document)
    return PlanImport(created, stated)


@transaction.atomic
def set_stated_total(
    user: User | None,
    unit: Unit,
    year: int,
    kind: str,
    amount: Decimal,
    written: str = "",
    document: str = "",
) -> StatedTotal:
    if user is not None:
        _require(permissions.can_edit_funding(user, unit))
    stated, created = StatedTotal.objects.get_or_create(
        unit=unit, year=year, kind=kind, defaults={"amount": amount}
    )
    if not created:
        stated.version += 1
    stated.amount, stated.written, stated.document = amount, written, document
    stated._history_user = user
    stated.save()
    return stated


# --- Works ---------------------------------------------------------------------------------

WORK_FIELDS = (
    "name",
    "criterion_number",
    "indicator_code",
    "investment_total",
    "start_date",
    "end_date",
    "finished_on",
    "progress",
    "note",
)


def _check_work(work: Work) -> None:
    errors: dict[str, str] = {}
    if not work.name.strip():
        errors["name"] = _("Chưa nhập tên công trình.")
    if work.commune.level != Level.COMMUNE:
        errors["commune"] = _("Công trình phải thuộc một xã.")
    if not Decimal(0) <= work.progress <= Decimal(100):
        errors["progress"] = _("Tiến độ khối lượng phải từ 0 đến 100%.")
    if work.start_date and work.end_date and work.end_date < work.start_date:
        errors["end_date"] = _("Ngày hoàn thành dự kiến trước ngày khởi công.")
    if work.finished_on and work.progress < 100:
        errors["progress"] = _("Công trình đã hoàn thành thì tiến độ khối lượng phải là 100%.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_work(
    user: User | None,
    commune: Unit,
    *,
    name: str,
    family: str,
    criterion_number: int,
    investment_total: str | Decimal,
    money_unit: str | None = None,
    indicator_code: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    progress: Decimal = Decimal(0),
    sources: dict[str, Decimal] | None = None,
    note: str = "",
    illustrative: bool = False,
) -> Work:
    if user is not None:
        _require(permissions.can_edit_works(user, commune))
    work = Work(
        commune=commune,
        name=name,
        family=family,
        criterion_number=criterion_number,
        indicator_code=indicator_code,
        investment_total=_amount(investment_total, money_unit, "investment_total"),
        start_date=start_date,
        end_date=end_date,
        progress=progress,
        note=note,
        illustrative=illustrative,
    )
    _check_work(work)
    work._history_user = user
    work.save()
    for code, amount in (sources or {}).items():
        WorkSource.objects.create(
            work=work, source=_source(code), amount=_amount(amount, None, "sources")
        )
    if sum((s.amount for s in work.sources.all()), Decimal(0)) > work.investment_total:
        raise ValidationError(
            {"sources": _("Tổng các nguồn vốn vượt tổng mức đầu tư của công trình.")}
        )
    return work


@transaction.atomic
def update_work(user: User, work: Work, expected_version: int, **changes) -> Work:
    """Change a work's fields; refused when someone saved it since `expected_version`."""
    _require(permissions.can_edit_works(user, work.commune))
    current = Work.objects.select_for_update().select_related("commune").get(pk=work.pk)
    _check_version(current, expected_version, WORK_FIELDS)
    money_unit = changes.pop("money_unit", None)
    for name, value in changes.items():
        if name not in WORK_FIELDS:
            raise ValidationError(_("Không sửa được trường «%s».") % name)
        if name == "investment_total":
            value = _amount(value, money_unit, "investment_total")
        setattr(current, name, value)
    _check_work(current)
    current.version += 1
    current._history_user = user
    current.save()
    return current


@transaction.atomic
def finish_work(user: User, work: Work, expected_version: int, on_date: dt.date) -> Work:
    return update_work(user, work, expected_version, finished_on=on_date, progress=Decimal(100))


@transaction.atomic
def record_disbursement(
    user: User | None,
    work: Work,
    on_date: dt.date,
    amount: str | Decimal,
    money_unit: str | None = None,
    source_code: str | None = None,
    note: str = "",
) -> Disbursement:
    if user is not None:
        _require(permissions.can_edit_works(user, work.commune))
    dong = _amount(amount, money_unit, "amount")
    paid = work.disbursements.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    if paid + dong > work.investment_total:
        raise ValidationError(
            {"amount": _("Giải ngân lũy kế vượt tổng mức đầu tư của công trình «%s».") % work.name}
        )
    row = Disbursement(
        work=work,
        on_date=on_date,
        amount=dong,
        source=_source(source_code) if source_code else None,
        note=note,
    )
    row._history_user = user
    row.save()
    return row


@transaction.atomic
def record_debt(
    user: User | None,
    work: Work,
    amount: str | Decimal,
    year_incurred: int,
    money_unit: str | None = None,
    note: str = "",
) -> Debt:
    if user is not None:
        _require(permissions.can_edit_works(user, work.commune))
    dong = _amount(amount, money_unit, "amount")
    if dong <= 0:
        raise ValidationError({"amount": _("Số nợ đọng phải lớn hơn 0.")})
    debt = Debt(work=work, amount=dong, year_incurred=year_incurred, note=note)
    debt._history_user = user
    debt.save()
    return debt


@transaction.atomic
def record_repayment(
    user: User | None,
    debt: Debt,
    on_date: dt.date,
    amount: str | Decimal,
    money_unit: str | None = None,
    note: str = "",
) -> Repayment:
    if user is not None:
        _require(permissions.can_edit_works(user, debt.work.commune))
    debt = Debt.objects.select_for_update().get(pk=debt.pk)
    dong = _amount(amount, money_unit, "amount")
    repaid = debt.repayments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    if dong <= 0 or repaid + dong > debt.amount:
        raise ValidationError(
            {"amount": _("Số trả nợ phải lớn hơn 0 và không vượt số nợ còn lại.")}
        )
    if on_date.year < debt.year_incurred:
        raise ValidationError({"on_date": _("Ngày trả nợ trước năm phát sinh nợ.")})
    row = Repayment(debt=debt, on_date=on_date, amount=dong, note=note)
    row._history_user = user
    row.save()
    return row


@transaction.atomic
def set_work_sources(user: User | None, work: Work, text: str) -> list[WorkSource]:
    """Replace a work's funding structure from lines "Ngân sách tỉnh: 1.350 triệu đồng" (the
    plan-text reader): all lines or none; their sum may not exceed the investment."""
    if user is not None:
        _require(permissions.can_edit_works(user, work.commune))
    read = read_plan_text(text) if text.strip() else None
    ensure_loaded()
    sources = list(FundingSource.objects.all())
    errors = list(read.errors) if read else []
    rows: dict[int, WorkSource] = {}
    for line in read.lines if read else []:
        source = source_by_label(line.label, sources)
        if source is None:
            errors.append(
                _("Dòng %(n)d: không nhận ra nguồn vốn «%(label)s».")
                % {"n": line.number, "label": line.label}
            )
        elif source.pk in rows:
            errors.append(_("Dòng %(n)d: nguồn vốn ghi hai lần.") % {"n": line.number})
        else:
            rows[source.pk] = WorkSource(work=work, source=source, amount=line.amount)
    if not errors and sum((r.amount for r in rows.values()), Decimal(0)) > work.investment_total:
        errors.append(_("Tổng các nguồn vốn vượt tổng mức đầu tư của công trình."))
    if errors:
        raise ValidationError({"sources_text": errors})
    work.sources.all().delete()
    for row in rows.values():
        row._history_user = user
        row.save()
    return list(rows.values())
