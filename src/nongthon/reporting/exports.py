"""The compiled report of a period as an Excel workbook (one Excel table per sheet) and as a
Word document in the layout of Nghị định 30/2020/NĐ-CP (the plans module's helpers); one
unit's report as a Word document too. Always in Vietnamese: they are the documents."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from nongthon.places.models import AgencyKind, Level, Unit
from nongthon.plans import documents as doc
from nongthon.reporting import definitions as defs
from nongthon.reporting.aggregation import Compiled, FormReport, report_texts
from nongthon.reporting.display import money_in_unit, report_view, shown, unit_label
from nongthon.reporting.models import Submission
from nongthon.web import spreadsheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NUMBER_FORMAT = "#,##0.###"
ILLUSTRATIVE = (
    "Dữ liệu minh họa: số liệu và báo cáo trong tệp này là giả định, không phải số liệu thật."
)


# --- Excel -----------------------------------------------------------------------------------


def _cell_value(figure: defs.FigureDef, value):
    if value is None or isinstance(value, dict):
        return None
    return money_in_unit(value) if figure.is_money else value


def _sheet(workbook: Workbook, title: str, heading: str, note: str = ""):
    sheet = workbook.active if workbook.active.title == "Sheet" else workbook.create_sheet()
    sheet.title = title[:31]
    sheet["A1"] = heading
    sheet["A1"].font = Font(bold=True, size=13)
    if note:
        sheet["A2"] = note
        sheet["A2"].font = Font(italic=True)
    return sheet


def _table(sheet, name: str, first_row: int, headers: list[str], rows: list[list]) -> int:
    """An Excel table (ListObject) of `rows` under `headers` from `first_row`; returns the next
    free row."""
    for i, header in enumerate(headers, start=1):
        cell = sheet.cell(row=first_row, column=i, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = 48 if i == 2 else 16
        current = sheet.column_dimensions[get_column_letter(i)].width or 0
        sheet.column_dimensions[get_column_letter(i)].width = max(current, width)
    for r, values in enumerate(rows, start=first_row + 1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, Decimal | int) and not isinstance(value, bool):
                cell.number_format = NUMBER_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, str) and len(value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    last_row = first_row + max(len(rows), 1)
    if not rows:
        sheet.cell(row=first_row + 1, column=1, value="")
    ref = f"A{first_row}:{get_column_letter(len(headers))}{last_row}"
    table = Table(displayName=re.sub(r"\W", "_", name), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    sheet.add_table(table)
    return last_row + 2


def compiled_workbook(compiled: Compiled) -> bytes:
    with translation.override("vi"):
        return _compiled_workbook(compiled)


def _figure_rows(form_report: FormReport) -> list[list]:
    rows = []
    for line in form_report.lines:
        figure = line.figure
        rows.append(
            [
                line.section.title,
                figure.label,
                unit_label(figure),
                _cell_value(figure, line.value),
                _cell_value(figure, line.system),
                _cell_value(figure, line.last_year),
                _cell_value(figure, line.change),
            ]
        )
    return rows


def _compiled_workbook(compiled: Compiled) -> bytes:
    workbook = Workbook()
    heading = f"Tổng hợp báo cáo {compiled.label} – {compiled.scope.name}"
    note = ILLUSTRATIVE if compiled.illustrative else f"Tình hình đến ngày {compiled.on:%d/%m/%Y}"
    sheet = _sheet(workbook, "Tong hop", heading, note)
    row = 4
    for n, form_report in enumerate(compiled.forms, start=1):
        if not form_report.has_figures:
            continue
        primary = form_report.primary
        sheet.cell(row=row, column=1, value=form_report.form.name).font = Font(bold=True)
        sheet.cell(
            row=row + 1,
            column=1,
            value=(
                f"Tổng hợp từ {primary.received}/{primary.expected} báo cáo "
                f"{primary.label.lower()} đã nhận; số liệu tính đến ngày "
                f"{form_report.as_of:%d/%m/%Y}"
            ),
        )
        row = _table(
            sheet,
            f"TongHop{n}",
            row + 2,
            [
                "Mục",
                "Chỉ tiêu",
                "Đơn vị tính",
                "Kỳ này (tổng hợp từ báo cáo)",
                "Theo dữ liệu hệ thống",
                "Cùng kỳ năm trước",
                "Tăng (+), giảm (-)",
            ],
            _figure_rows(form_report),
        )

    sheet = _sheet(workbook, "Tinh hinh bao cao", f"Tình hình gửi báo cáo {compiled.label}")
    rows = []
    for form_report in compiled.forms:
        for level in form_report.levels:
            deadlines = sorted({e.period.deadline for e in level.entries})
            rows.append(
                [
                    form_report.form.name,
                    level.label,
                    deadlines[0] if deadlines else None,
                    level.expected,
                    level.on_time,
                    level.late,
                    level.missing,
                    level.accepted,
                ]
            )
    _table(
        sheet,
        "TinhHinh",
        4,
        [
            "Biểu mẫu",
            "Đơn vị báo cáo",
            "Hạn gửi",
            "Phải gửi",
            "Đúng hạn",
            "Trễ hạn",
            "Chưa gửi (quá hạn)",
            "Đã chấp nhận",
        ],
        rows,
    )

    sheet = _sheet(workbook, "Theo don vi", f"Số liệu theo từng báo cáo {compiled.label}")
    row = 4
    for n, form_report in enumerate(compiled.forms, start=1):
        figures = [f for f in form_report.form.figures if f.kind != "table"]
        for level in form_report.levels:
            if not figures or level.submitters == defs.DEPARTMENT:
                continue
            rows = []
            for entry in level.entries:
                values = [
                    _cell_value(f, _value(f, entry.values)) if entry.received else None
                    for f in figures
                ]
                rows.append(
                    [entry.who.code, entry.who.name, entry.state.label, _status(entry), *values]
                )
            headers = ["Mã", "Đơn vị", "Thời hạn", "Trạng thái"] + [
                f"{f.label} ({unit_label(f)})" for f in figures
            ]
            sheet.cell(row=row, column=1, value=f"{form_report.form.name} – {level.label}")
            row = _table(sheet, f"DonVi{n}_{level.submitters}", row + 1, headers, rows)

    sheet = _sheet(workbook, "So nganh", f"Báo cáo của sở, ngành {compiled.label}")
    rows = []
    for form_report in compiled.forms:
        level = form_report.level(defs.DEPARTMENT)
        if level is None:
            continue
        for entry in level.entries:
            if not entry.received:
                rows.append([entry.who.name, entry.state.label, "", "", None, None, None])
                continue
            for figure in form_report.form.figures:
                value = entry.values.get(figure.code)
                if isinstance(value, dict):
                    for number, name, met, not_met, missing in value.get("rows", []):
                        rows.append(
                            [entry.who.name, entry.state.label, f"Tiêu chí {number}", name,
                             met, not_met, missing]
                        )  # fmt: skip
                elif figure.kind != "table":
                    rows.append(
                        [entry.who.name, entry.state.label, figure.label, unit_label(figure),
                         _cell_value(figure, _value(figure, entry.values)), None, None]
                    )  # fmt: skip
    _table(
        sheet,
        "SoNganh",
        4,
        ["Sở, ngành", "Thời hạn", "Nội dung", "Chi tiết", "Số (đạt)", "Chưa đạt", "Thiếu dữ liệu"],
        rows,
    )

    sheet = _sheet(workbook, "Y kien", f"Kết quả, khó khăn và đề xuất {compiled.label}")
    rows = []
    for form_report in compiled.forms:
        for level in form_report.levels:
            for entry in level.entries:
                if not entry.received:
                    continue
                texts = report_texts(entry.submission)
                for text_def in form_report.form.texts:
                    if texts.get(text_def.code):
                        rows.append(
                            [level.label, entry.who.name, text_def.label, texts[text_def.code]]
                        )
    _table(sheet, "YKien", 4, ["Cấp", "Đơn vị", "Mục", "Nội dung"], rows)
    return spreadsheets.workbook_bytes(workbook)


def _value(figure: defs.FigureDef, values: dict):
    from nongthon.reporting.figures import value_of

    return value_of(figure, values)


def _status(entry) -> str:
    if entry.submission is None:
        return "Chưa gửi"
    return str(entry.submission.get_status_display())


# --- Word ------------------------------------------------------------------------------------


def _issuer(scope: Unit) -> tuple[str, str]:
    """(parent body, issuing body): the scope's coordination office under its People's
    Committee, else the People's Committee itself."""
    office = scope.agencies.filter(kind=AgencyKind.COORDINATION).order_by("pk").first()
    committee = f"Ủy ban nhân dân {scope.name[:1].lower()}{scope.name[1:]}"
    if office is None:
        return "", committee
    return f"UBND {scope.name}", office.name


def _place(scope: Unit) -> str:
    province = scope if scope.level == Level.PROVINCE else scope.province
    return province.short_name if province else scope.short_name


def compiled_document(compiled: Compiled) -> bytes:
    with translation.override("vi"):
        return _compiled_document(compiled)


def _compiled_document(compiled: Compiled) -> bytes:
    scope = compiled.scope
    parent, body = _issuer(scope)
    document = doc._document()
    doc._header(
        document,
        parent=parent,
        body=body,
        number="",
        kind_code="BC",
        place=_place(scope),
        issued_on=None,
        year=compiled.on.year,
    )
    doc._title(
        document,
        "BÁO CÁO",
        "Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới và Chương trình OCOP "
        f"{compiled.label[:1].lower()}{compiled.label[1:]}",
    )
    doc._para(
        document,
        f"Trên cơ sở báo cáo của các đơn vị gửi đến ngày {compiled.on:%d/%m/%Y}, {body} tổng hợp "
        f"kết quả thực hiện {compiled.label[:1].lower()}{compiled.label[1:]} như sau:",
    )
    if compiled.illustrative:
        doc._para(document, ILLUSTRATIVE, italic=True)
    number = iter(doc.ROMAN)
    doc._para(document, f"{next(number)}. TÌNH HÌNH GỬI BÁO CÁO", bold=True)
    rows = []
    for form_report in compiled.forms:
        for level in form_report.levels:
            rows.append(
                [
                    str(len(rows) + 1),
                    f"{form_report.form.name} ({level.label.lower()})",
                    doc.vn_number(level.expected),
                    doc.vn_number(level.on_time),
                    doc.vn_number(level.late),
                    doc.vn_number(level.missing),
                ]
            )
    if rows:
        doc._table(
            document,
            ["TT", "Báo cáo", "Phải gửi", "Đúng hạn", "Trễ hạn", "Chưa gửi"],
            rows,
            [1, 7.5, 2, 2, 2, 2],
        )
    else:
        doc._para(document, "Không có kỳ báo cáo nào.")

    doc._para(document, f"{next(number)}. KẾT QUẢ THỰC HIỆN", bold=True)
    for form_report in compiled.forms:
        if not form_report.has_figures:
            continue
        primary = form_report.primary
        doc._para(
            document,
            f"{form_report.form.name}: tổng hợp từ {primary.received}/{primary.expected} báo cáo "
            f"{primary.label.lower()}, số liệu tính đến ngày {form_report.as_of:%d/%m/%Y}.",
            italic=True,
        )
        rows, last_section = [], None
        for line in form_report.lines:
            if line.section.code != last_section:
                rows.append(["", line.section.title, "", "", ""])
                last_section = line.section.code
            figure = line.figure
            unit = unit_label(figure)
            rows.append(
                [
                    str(sum(1 for r in rows if r[0]) + 1),
                    f"{figure.label} ({unit})" if unit else figure.label,
                    shown(figure, line.value, vietnamese=True),
                    shown(figure, line.last_year, vietnamese=True),
                    _signed(figure, line.change),
                ]
            )
        doc._table(
            document,
            ["TT", "Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Tăng (+), giảm (-)"],
            rows,
            [1, 8, 2.5, 2.5, 2.5],
        )
    departments = [
        (form_report, form_report.level(defs.DEPARTMENT))
        for form_report in compiled.forms
        if form_report.level(defs.DEPARTMENT) is not None
    ]
    if departments:
        doc._para(document, f"{next(number)}. KẾT QUẢ THỰC HIỆN CỦA CÁC SỞ, NGÀNH", bold=True)
        for form_report, level in departments:
            for entry in level.entries:
                if not entry.received:
                    doc._para(document, f"- {entry.who.name}: chưa gửi báo cáo.")
                    continue
                parts = []
                for figure in form_report.form.figures:
                    value = entry.values.get(figure.code)
                    if isinstance(value, dict):
                        for crit, _name, met, not_met, _missing in value.get("rows", []):
                            parts.append(f"tiêu chí {crit}: {met} xã đạt, {not_met} xã chưa đạt")
                    elif figure.kind != "table":
                        parts.append(
                            f"{figure.label[:1].lower()}{figure.label[1:]}: "
                            f"{shown(figure, _value(figure, entry.values), vietnamese=True)}"
                        )
                doc._para(document, f"- {entry.who.name}: " + "; ".join(parts) + ".")
    for code, heading in (
        ("kho_khan", "KHÓ KHĂN, VƯỚNG MẮC"),
        ("de_xuat", "ĐỀ XUẤT, KIẾN NGHỊ"),
    ):
        doc._para(document, f"{next(number)}. {heading}", bold=True)
        texts = compiled.texts(code)
        if not texts:
            doc._para(document, "Các đơn vị không nêu.")
        for who, text in texts:
            doc._para(document, f"- {who}: {text}")
    doc._signature(
        document,
        recipients=["Ban Chỉ đạo các chương trình MTQG tỉnh;", "Lưu: VT."],
        authority="",
        title="Thủ trưởng cơ quan",
        name="",
    )
    return doc._save(document)


def _signed(figure: defs.FigureDef, change) -> str:
    if change is None:
        return "—"
    text = shown(figure, abs(change), vietnamese=True)
    return f"+{text}" if change > 0 else (f"-{text}" if change < 0 else "0")


def submission_document(submission: Submission) -> bytes:
    """One unit's report, from its snapshot once accepted."""
    with translation.override("vi"):
        return _submission_document(submission)


def _submission_document(submission: Submission) -> bytes:
    view = report_view(submission)
    unit = submission.unit
    if submission.agency_id:
        parent, body = f"UBND {unit.name}", submission.agency.name
    else:
        parent, body = _issuer(unit)
    document = doc._document()
    doc._header(
        document,
        parent=parent,
        body=body,
        number="",
        kind_code="BC",
        place=_place(unit),
        issued_on=submission.first_submitted_on,
        year=view.as_of.year,
    )
    doc._title(document, "BÁO CÁO", f"{view.form.name} {view.period_label.lower()}")
    doc._para(document, f"Căn cứ: {view.form.legal_basis}.", italic=True)
    if view.illustrative:
        doc._para(document, ILLUSTRATIVE, italic=True)
    number = iter(doc.ROMAN)
    for section in view.sections:
        doc._para(document, f"{next(number)}. {section.section.title.upper()}", bold=True)
        rows = []
        for row in section.rows:
            if row.is_table and isinstance(row.value, dict):
                for crit, name, met, not_met, missing in row.value.get("rows", []):
                    rows.append(
                        [str(len(rows) + 1), f"Tiêu chí {crit}. {name}",
                         f"{met} xã đạt, {not_met} chưa đạt, {missing} thiếu dữ liệu"]
                    )  # fmt: skip
                continue
            unit_text = row.unit
            rows.append(
                [
                    str(len(rows) + 1),
                    f"{row.figure.label} ({unit_text})" if unit_text else row.figure.label,
                    shown(row.figure, row.value, vietnamese=True),
                ]
            )
        if rows:
            doc._table(document, ["TT", "Chỉ tiêu", "Kết quả"], rows, [1, 11, 4.5])
    for text_def, text in view.texts:
        doc._para(document, f"{next(number)}. {text_def.label.upper()}", bold=True)
        for line in doc._lines(text) or ["Không có."]:
            doc._para(document, line)
    doc._para(document, f"Số liệu từ hệ thống tính đến ngày {view.as_of:%d/%m/%Y}.", italic=True)
    doc._signature(
        document,
        recipients=["Như trên;", "Lưu: VT."],
        authority="",
        title="Thủ trưởng cơ quan",
        name="",
    )
    return doc._save(document)


def filename(scope: Unit, compiled: Compiled, extension: str) -> str:
    period = f"{compiled.year}-{compiled.frequency}-{compiled.number}"
    return f"bao-cao-{scope.code}-{period}.{extension}"
