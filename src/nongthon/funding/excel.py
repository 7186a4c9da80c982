"""Excel exports: funding by source, the works list, the proposed targets, and the plan
appendix "Nhu cầu vốn công trình". Amounts are written as exact Decimals in the unit the user
picked, with a Vietnamese number format; the unit is in the header."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from nongthon.funding.amounts import MoneyUnit, in_unit
from nongthon.funding.distance import Distance, ProposedTarget
from nongthon.funding.models import LineKind
from nongthon.funding.queries import Figures, PartRow, SourceRow, TotalCheck, WorkRow
from nongthon.places.models import Unit
from nongthon.web import spreadsheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.###"
BOLD = Font(bold=True)


def _money(dong: Decimal, unit: str) -> Decimal:
    return in_unit(dong, unit)


def _sheet(workbook: Workbook, title: str, heading: str, columns: list[str], note: str = ""):
    # A new workbook comes with one empty sheet: use it for the first table.
    sheet = workbook.active if workbook.active.title == "Sheet" else workbook.create_sheet()
    sheet.title = title[:31]
    sheet["A1"] = heading
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = note
    sheet["A2"].font = Font(italic=True)
    for i, name in enumerate(columns, start=1):
        cell = sheet.cell(row=4, column=i, value=name)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(i)].width = 16 if i > 2 else 32
    sheet.freeze_panes = "A5"
    return sheet


def _put(sheet, row: int, values: Iterable, money_columns: set[int] = frozenset()) -> None:
    for i, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=i, value=value)
        if i in money_columns:
            cell.number_format = MONEY_FORMAT
        elif isinstance(value, dt.date):
            cell.number_format = "DD/MM/YYYY"


def _bytes(workbook: Workbook) -> bytes:
    return spreadsheets.workbook_bytes(workbook)


def _illustrative_note(illustrative: bool) -> str:
    return _("Dữ liệu minh họa: số liệu do hệ thống tạo để trình diễn.") if illustrative else ""


def funding_workbook(
    scope: Unit,
    year: int,
    unit: str,
    sources: list[SourceRow],
    parts: list[PartRow],
    checks: list[TotalCheck],
    illustrative: bool,
) -> bytes:
    label = MoneyUnit(unit).label
    workbook = Workbook()
    kinds = [str(k.label) for k in LineKind]
    columns = [_("Nguồn vốn"), *[f"{k} ({label})" for k in kinds], _("Tỷ lệ giải ngân (%)")]
    sheet = _sheet(
        workbook,
        _("Theo nguồn vốn"),
        _("Nguồn vốn %(unit)s năm %(year)d") % {"unit": scope.name, "year": year},
        columns,
        _illustrative_note(illustrative),
    )
    row = 5
    for r in sources:
        f = r.figures
        _put(
            sheet,
            row,
            ["   " * r.depth + r.source.name, *[_money(a, unit) for a in f.as_dict().values()],
             f.disbursement_rate],
            {2, 3, 4, 5},
        )  # fmt: skip
        row += 1
    total = sum((r.figures for r in sources if r.depth == 0), Figures())
    if sources:
        _put(sheet, row, [_("Tổng cộng"), *[_money(a, unit) for a in total.as_dict().values()],
                          total.disbursement_rate], {2, 3, 4, 5})  # fmt: skip
        sheet.cell(row=row, column=1).font = BOLD
    row += 2
    for check in checks:
        sheet.cell(row=row, column=1, value=_("Tổng theo văn bản (%s)") % check.stated.written)
        _put(sheet, row, [None, _money(check.stated.amount, unit), _money(check.computed, unit),
                          _money(check.difference, unit)], {2, 3, 4})  # fmt: skip
        sheet.cell(row=row, column=1, value=_("Tổng theo văn bản / cộng các dòng / chênh lệch"))
        row += 1
    split = _sheet(
        workbook,
        _("Theo đơn vị"),
        _("Nguồn vốn %(unit)s năm %(year)d theo đơn vị") % {"unit": scope.name, "year": year},
        [_("Đơn vị"), *[f"{k} ({label})" for k in kinds], _("Tỷ lệ giải ngân (%)")],
        _illustrative_note(illustrative),
    )
    for i, p in enumerate(parts, start=5):
        name = p.unit.name + (f" ({_('ghi trực tiếp')})" if p.own else "")
        f = p.figures
        amounts = [_money(a, unit) for a in f.as_dict().values()]
        _put(split, i, [name, *amounts, f.disbursement_rate], {2, 3, 4, 5})
    return _bytes(workbook)


def works_workbook(scope: Unit, on_date: dt.date, unit: str, rows: list[WorkRow]) -> bytes:
    label = MoneyUnit(unit).label
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        _("Công trình"),
        _("Công trình trên địa bàn %(unit)s đến ngày %(day)s")
        % {"unit": scope.name, "day": on_date.strftime("%d/%m/%Y")},
        [
            _("Tên công trình"), _("Xã"), _("Tiêu chí"), _("Chỉ tiêu"),
            _("Tổng mức đầu tư (%s)") % label, _("Đã giải ngân (%s)") % label,
            _("Còn thiếu (%s)") % label, _("Tiến độ khối lượng (%)"), _("Khởi công"),
            _("Hoàn thành dự kiến"), _("Hoàn thành"), _("Nợ đọng XDCB (%s)") % label,
        ],
        _illustrative_note(any(r.work.illustrative for r in rows)),
    )  # fmt: skip
    for i, r in enumerate(rows, start=5):
        w = r.work
        _put(
            sheet,
            i,
            [w.name, w.commune.name, w.criterion_number, w.indicator_code,
             _money(w.investment_total, unit), _money(r.disbursed, unit),
             _money(r.remaining, unit), w.progress, w.start_date, w.end_date, w.finished_on,
             _money(r.debt, unit)],
            {5, 6, 7, 12},
        )  # fmt: skip
    return _bytes(workbook)


def targets_workbook(
    scope: Unit, year: int, unit: str, found: Distance, targets: list[ProposedTarget]
) -> bytes:
    """The proposed targets for `year + 1`, one row per commune, for the plans module."""
    label = MoneyUnit(unit).label
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        _("Đề xuất chỉ tiêu"),
        _("Đề xuất chỉ tiêu năm %(next)d: %(unit)s, %(set)s")
        % {"next": year + 1, "unit": scope.name, "set": found.criteria_set.name},
        [
            _("Mã xã"), _("Xã"), _("Huyện"), _("Đề xuất"), _("Số tiêu chí đạt cuối năm %d") % year,
            _("Tiêu chí còn thiếu"), _("Công trình đang thực hiện"),
            _("Kinh phí còn cần (%s)") % label, _("Hoàn thành dự kiến"),
        ],
    )  # fmt: skip
    for i, t in enumerate(targets, start=5):
        r = t.row
        _put(
            sheet,
            i,
            [t.unit.code, t.unit.name, t.unit.district.name if t.unit.district else "", t.label,
             f"{r.met}/{r.total}", ", ".join(str(m.number) for m in r.missing),
             "; ".join(w.work.name for w in r.works), _money(r.cost_to_finish, unit), t.due],
            {8},
        )  # fmt: skip
        sheet.cell(row=i, column=1).number_format = "@"
    return _bytes(workbook)


def needs_workbook(
    scope: Unit, year: int, unit: str, found: Distance, rows: list[WorkRow], tier_label: str
) -> bytes:
    """Appendix "Nhu cầu vốn công trình cần đầu tư trên địa bàn các xã phấn đấu đạt chuẩn":
    the works serving the communes that aim at the tier, with their sources and what they still
    need (investment not yet disbursed)."""
    label = MoneyUnit(unit).label
    source_names = sorted({name for r in rows for name, _a in r.sources})
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        _("Nhu cầu vốn công trình"),
        _("PHỤ LỤC: NHU CẦU VỐN CÔNG TRÌNH CẦN ĐẦU TƯ TRÊN ĐỊA BÀN CÁC XÃ PHẤN ĐẤU ĐẠT CHUẨN "
          "%(tier)s NĂM %(year)d — %(unit)s")
        % {"tier": tier_label.upper(), "year": year, "unit": scope.name.upper()},
        [
            _("STT"), _("Huyện"), _("Xã"), _("Tên công trình"), _("Tiêu chí"),
            _("Tổng mức đầu tư (%s)") % label,
            *[f"{n} ({label})" for n in source_names],
            _("Đã giải ngân (%s)") % label, _("Nhu cầu vốn còn lại (%s)") % label,
            _("Thời gian thực hiện"),
        ],
        _("Đơn vị tính: %s") % label,
    )  # fmt: skip
    money_cols = {6, *range(7, 7 + len(source_names)), 7 + len(source_names), 8 + len(source_names)}
    row_no = 5
    total_need = Decimal(0)
    for n, r in enumerate(rows, start=1):
        w = r.work
        amounts = dict(r.sources)
        period = " – ".join(d.strftime("%m/%Y") for d in (w.start_date, w.end_date) if d)
        _put(
            sheet,
            row_no,
            [n, w.commune.district.name if w.commune.district else "", w.commune.name, w.name,
             w.criterion_number, _money(w.investment_total, unit),
             *[_money(amounts.get(s, Decimal(0)), unit) for s in source_names],
             _money(r.disbursed, unit), _money(r.remaining, unit), period],
            money_cols,
        )  # fmt: skip
        total_need += r.remaining
        row_no += 1
    sheet.cell(row=row_no, column=4, value=_("Tổng cộng")).font = BOLD
    cell = sheet.cell(row=row_no, column=8 + len(source_names), value=_money(total_need, unit))
    cell.number_format = MONEY_FORMAT
    cell.font = BOLD
    return _bytes(workbook)
