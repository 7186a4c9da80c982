"""Word documents in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I): national motto, issuing
body, number, place and date, title, bases, body, recipients and signature block; A4, Times New
Roman. (a) the plan from its structured content; (b) "Báo cáo kết quả thực hiện Kế hoạch ..."
at a date with every target's figure and status, the tasks' status and the funds.

Sizes and margins follow the decree's usual reading (A4; top and bottom 20 mm, left 30 mm,
right 15 mm; text 13-14 pt); shared/reference/ does not reproduce Phụ lục I, so they are the
common practice, not checked against the decree's text."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import translation
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from nongthon.plans import queries
from nongthon.plans.models import Plan, TaskStatus

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
FONT = "Times New Roman"


def vn_number(value: Decimal | int | None) -> str:
    """Vietnamese number format regardless of the active language: 14348.283 → "14.348,283"."""
    if value is None:
        return "…"
    value = Decimal(value)
    text = format(value.normalize(), "f") if value == value.normalize() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _sep, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


def vn_date_line(place: str, day: dt.date | None, year: int) -> str:
    """ "Hậu Giang, ngày 11 tháng 7 năm 2022"; blanks when the plan is not dated yet."""
    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)  # decree: 01, 02 padded
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(6)
    return document


def _para(
    container,
    text: str = "",
    *,
    bold=False,
    italic=False,
    size=None,
    align=None,
    indent=True,
    upper=False,
    space_after=None,
):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text.upper() if upper else text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    fmt = paragraph.paragraph_format
    fmt.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent and align is None:
        fmt.first_line_indent = Cm(1)
    if space_after is not None:
        fmt.space_after = Pt(space_after)
    return paragraph


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell_para(cell, text: str, *, bold=False, italic=False, size=13, first=False, upper=False):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    run = paragraph.add_run(text.upper() if upper else text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _header(
    document,
    *,
    parent: str,
    body: str,
    number: str,
    kind_code: str,
    place: str,
    issued_on: dt.date | None,
    year: int,
) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    first = True
    if parent:
        _cell_para(left, parent, size=13, first=True, upper=True)
        first = False
    _cell_para(left, body, bold=True, size=13, first=first, upper=True)
    _cell_para(left, "―――――", size=9)
    _cell_para(left, f"Số: {number}" if number else f"Số:        /{kind_code}", size=13)
    _cell_para(right, MOTTO_1, bold=True, size=13, first=True)
    _cell_para(right, MOTTO_2, bold=True, size=14)
    _cell_para(right, "―――――――――――――――", size=9)
    _cell_para(right, vn_date_line(place or "", issued_on, year), italic=True, size=14)


def _signature(document, *, recipients: list[str], authority: str, title: str, name: str) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    paragraph = left.paragraphs[0]
    run = paragraph.add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    for line in recipients:
        p = left.add_paragraph()
        r = p.add_run(line if line.startswith("-") else f"- {line}")
        r.font.size = Pt(11)
        p.paragraph_format.space_after = Pt(0)
    lines = [
        line.strip() for line in (authority or "").replace("/", "\n").splitlines() if line.strip()
    ]
    first = True
    for line in [*lines, title]:
        if line:
            _cell_para(right, line, bold=True, size=14, first=first, upper=True)
            first = False
    for _i in range(3):
        _cell_para(right, "", first=first)
        first = False
    if name:
        _cell_para(right, name, bold=True, size=14)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _title(document, word: str, subject: str) -> None:
    _para(document, word, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(document, subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(document, "―――――", align=WD_ALIGN_PARAGRAPH.CENTER, size=9)


def plan_document(plan: Plan) -> bytes:
    """The plan itself, from its structured content (always in Vietnamese: it is the document)."""
    with translation.override("vi"):
        return _plan_document(plan)


def _plan_document(plan: Plan) -> bytes:
    document = _document()
    _header(
        document,
        parent=plan.issuer_parent,
        body=plan.body,
        number=plan.number,
        kind_code="KH",
        place=plan.place,
        issued_on=plan.issued_on,
        year=plan.year_from,
    )
    _title(document, "KẾ HOẠCH", plan.title)
    for line in _lines(plan.legal_bases):
        _para(document, line)
    for line in _lines(plan.preamble):
        _para(document, line)
    number = iter(ROMAN)

    if plan.purposes or plan.requirements:
        _para(document, f"{next(number)}. MỤC ĐÍCH VÀ YÊU CẦU", bold=True)
        _para(document, "1. Mục đích", bold=True)
        for line in _lines(plan.purposes):
            _para(document, line)
        _para(document, "2. Yêu cầu", bold=True)
        for line in _lines(plan.requirements):
            _para(document, line)

    targets = list(plan.targets.order_by("order", "pk"))
    if targets:
        _para(document, f"{next(number)}. MỤC TIÊU", bold=True)
        group_no, last_group = 0, None
        if plan.objectives:
            group_no = 1
            _para(document, "1. Mục tiêu tổng quát", bold=True)
            for line in _lines(plan.objectives):
                _para(document, line)
        for target in targets:
            if target.group and target.group != last_group:
                group_no += 1
                _para(document, f"{group_no}. {target.group}", bold=True)
                last_group = target.group
            sentence = target.sentence
            _para(document, sentence if sentence.startswith("-") else f"- {sentence}")

    if plan.solutions:
        heading = plan.solutions_heading or "NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN"
        _para(document, f"{next(number)}. {heading.upper()}", bold=True)
        for line in _lines(plan.solutions):
            _para(document, line)

    lines = queries.fund_lines(plan)
    if lines or plan.resources_intro:
        heading = plan.resources_heading or "DỰ KIẾN NGUỒN LỰC"
        _para(document, f"{next(number)}. {heading.upper()}", bold=True)
        for line in _lines(plan.resources_intro):
            _para(document, line)
        for line in lines:
            amount = (
                f": {vn_number(line.amount)} {line.get_money_unit_display()}"
                if line.amount is not None
                else ""
            )
            note = f" {line.note}" if line.note else ""
            _para(document, f"- {line.shown_label}{amount}.{note}")

    tasks = list(plan.tasks.select_related("lead").prefetch_related("coordinators"))
    if tasks:
        _para(document, f"{next(number)}. TỔ CHỨC THỰC HIỆN", bold=True)
        last_section = None
        for task in tasks:
            if task.section != last_section:
                if task.section:
                    _para(document, task.section, bold=True)
                last_section = task.section
            _para(document, task.content if task.content.startswith("-") else f"- {task.content}")

    for line in _lines(plan.closing):
        _para(document, line)
    _signature(
        document,
        recipients=_lines(plan.recipients),
        authority=plan.signing_authority,
        title=plan.signer_title,
        name=plan.signer_name,
    )
    return _save(document)


def _table(document, headers: list[str], rows: list[list[str]], widths: list[float]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    # LibreOffice sizes columns from the table grid, Word from the cells: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(12)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for values in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, values, widths, strict=True):
            cell.width = Cm(width)
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(12)


def _plan_reference(plan: Plan) -> str:
    number = f"số {plan.number} " if plan.number else ""
    date = f"ngày {plan.issued_on:%d/%m/%Y} " if plan.issued_on else ""
    return f"Kế hoạch {number}{date}của {plan.body}"


def report_document(plan: Plan, on: dt.date) -> bytes:
    """Báo cáo kết quả thực hiện Kế hoạch at `on`: targets, tasks and funds (in Vietnamese)."""
    with translation.override("vi"):
        return _report_document(plan, on)


def _report_document(plan: Plan, on: dt.date) -> bytes:
    document = _document()
    _header(
        document,
        parent=plan.issuer_parent,
        body=plan.body,
        number="",
        kind_code="BC",
        place=plan.place,
        issued_on=None,
        year=on.year,
    )
    _title(
        document,
        "BÁO CÁO",
        f"Kết quả thực hiện {_plan_reference(plan)} (tính đến ngày {on:%d/%m/%Y})",
    )
    _para(
        document,
        f"Thực hiện {_plan_reference(plan)} về {plan.title[:1].lower()}{plan.title[1:]}, "
        f"{plan.body} báo cáo kết quả thực hiện đến ngày {on:%d/%m/%Y} như sau:",
    )
    groups = queries.plan_targets(plan, on)
    _para(document, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True)
    counts = queries.status_counts(groups)
    from nongthon.plans.targets.base import STATUS_LABELS

    summary = "; ".join(f"{STATUS_LABELS[code]}: {vn_number(n)}" for code, n in counts.items())
    if summary:
        _para(document, f"Tổng hợp: {summary}.")
    illustrative = False
    for kind_label, attr in (("Chỉ tiêu", "firm"), ("Chỉ tiêu phấn đấu", "stretch")):
        rows = []
        for group in groups:
            for line in getattr(group, attr):
                illustrative |= line.figure.illustrative
                rows.append(
                    [
                        str(len(rows) + 1),
                        line.target.sentence,
                        line.figure.shown,
                        f"{line.judgement.label}"
                        + (f" ({line.judgement.reason})" if line.judgement.reason else ""),
                    ]
                )
        if rows:
            _para(document, kind_label, bold=True, italic=True)
            _table(
                document,
                ["TT", "Chỉ tiêu", f"Kết quả đến {on:%d/%m/%Y}", "Đánh giá"],
                rows,
                [1, 7.5, 5, 3],
            )
    if illustrative:
        _para(
            document,
            "Ghi chú: một số kết quả tính từ dữ liệu minh họa (không phải số liệu thật).",
            italic=True,
        )

    _para(document, "II. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", bold=True)
    tasks = queries._tasks(plan.tasks.all())
    score = queries.scorecard(tasks, on)
    totals = {
        k: sum(getattr(r, k) for r in score)
        for k in ("on_time", "late", "overdue", "open", "not_dated", "cancelled")
    }
    cancelled = f"; đã hủy: {totals['cancelled']}" if totals["cancelled"] else ""
    _para(
        document,
        f"Hoàn thành đúng hạn: {totals['on_time']}; hoàn thành trễ hạn: {totals['late']}; "
        f"quá hạn chưa hoàn thành: {totals['overdue']}; chưa đến hạn: {totals['open']}; "
        f"thường xuyên, không ghi thời hạn: {totals['not_dated']}{cancelled}.",
    )
    state_labels = {
        queries.ON_TIME: "Hoàn thành đúng hạn",
        queries.LATE: "Hoàn thành trễ hạn",
        queries.OVERDUE: "Quá hạn",
        queries.OPEN: "Đang thực hiện",
        queries.NOT_DATED: "Thường xuyên",
        queries.CANCELLED: "Đã hủy",
    }
    rows = []
    for task in tasks:
        occ = queries.task_state(task, on)
        state = state_labels[occ.state]
        if task.status == TaskStatus.DONE and task.completed_on:
            state = f"{state} ({task.completed_on:%d/%m/%Y})"
        elif occ.state == queries.CANCELLED:
            state = f"{state} ({task.cancelled_on:%d/%m/%Y}): {task.cancel_reason}"
        rows.append(
            [str(len(rows) + 1), task.content, task.owner_label, task.deadline_text or "—", state]
        )
    if rows:
        _table(
            document,
            ["TT", "Nội dung", "Chủ trì", "Thời hạn", "Tình trạng"],
            rows,
            [1, 7, 3.5, 2.5, 2.5],
        )

    _para(document, "III. NGUỒN LỰC", bold=True)
    lines = queries.fund_lines(plan)
    rows = [
        [
            str(i),
            line.shown_label,
            f"{vn_number(line.amount)} {line.get_money_unit_display()}",
            "Chưa có số liệu phân bổ, giải ngân",
        ]
        for i, line in enumerate(lines, start=1)
    ]
    total, unit_label = queries.fund_total(plan)
    if rows:
        if total is not None:
            rows.append(["", "Tổng cộng", f"{vn_number(total)} {unit_label}", ""])
        _table(
            document, ["TT", "Nguồn vốn", "Kế hoạch", "Phân bổ, giải ngân"], rows, [1, 7, 4.5, 4]
        )
    else:
        _para(document, "Kế hoạch không ghi nguồn vốn theo nguồn.")
    _signature(
        document,
        recipients=_lines(plan.recipients) or ["Như trên;", "Lưu: VT."],
        authority=plan.signing_authority,
        title=plan.signer_title,
        name="",
    )
    return _save(document)


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
