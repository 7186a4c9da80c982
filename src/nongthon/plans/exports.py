"""Targets and tasks of a plan (or a directive's tasks) to Excel. The task sheet has the columns
of a task appendix, so a filled copy can be imported back (task_import)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from nongthon.plans import queries
from nongthon.plans.models import Directive, Plan, TargetKind
from nongthon.web import spreadsheets

TASK_HEADERS = [
    "TT",
    "Nội dung thực hiện",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
]
STATE_LABELS = {
    queries.ON_TIME: "Hoàn thành đúng hạn",
    queries.LATE: "Hoàn thành trễ hạn",
    queries.OVERDUE: "Quá hạn",
    queries.OPEN: "Đang thực hiện",
    queries.NOT_DATED: "Thường xuyên / không ghi hạn",
    queries.CANCELLED: "Đã hủy",
}


def _sheet(workbook, title: str, headers: list[str], widths: list[int]):
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=1, column=index).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _wrap(sheet) -> None:
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _task_rows(sheet, tasks, on: dt.date) -> None:
    for number, task in enumerate(tasks, start=1):
        occ = queries.task_state(task, on)
        coordinators = ", ".join(
            [a.name for a in task.coordinators.all()]
            + ([task.coordinators_text] if task.coordinators_text else [])
        )
        sheet.append(
            [
                number,
                task.content,
                task.owner_label,
                coordinators,
                task.deadline_text,
                occ.due,
                STATE_LABELS[occ.state],
                task.completed_on,
                task.section,
            ]
        )
        for column in (6, 8):
            sheet.cell(row=sheet.max_row, column=column).number_format = "DD/MM/YYYY"


def workbook_for(source: Plan | Directive, on: dt.date) -> bytes:
    """The targets (plans only) and tasks, in Vietnamese like the documents they come from."""
    with translation.override("vi"):
        return _workbook_for(source, on)


def _workbook_for(source: Plan | Directive, on: dt.date) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    if isinstance(source, Plan):
        sheet = _sheet(
            workbook,
            "Chỉ tiêu",
            [
                "TT",
                "Nhóm",
                "Loại",
                "Chỉ tiêu (như kế hoạch ghi)",
                "Kiểu chỉ tiêu",
                "Tham số",
                f"Kết quả đến {on:%d/%m/%Y}",
                "Đánh giá",
                "Ghi chú",
            ],
            [5, 24, 10, 60, 28, 40, 36, 16, 30],
        )
        number = 0
        for group in queries.plan_targets(source, on):
            for line in group.firm + group.stretch:
                number += 1
                sheet.append(
                    [
                        number,
                        group.name,
                        "Phấn đấu" if line.target.kind == TargetKind.STRETCH else "Chỉ tiêu",
                        line.target.sentence,
                        str(line.type.label),
                        line.params_text,
                        line.figure.shown,
                        line.judgement.label,
                        line.judgement.reason or line.figure.note,
                    ]
                )
        _wrap(sheet)
    sheet = _sheet(
        workbook,
        "Nhiệm vụ",
        [*TASK_HEADERS, "Hạn (kỳ gần nhất)", "Tình trạng", "Ngày hoàn thành", "Mục"],
        [5, 60, 28, 32, 24, 14, 20, 14, 30],
    )
    _task_rows(sheet, queries._tasks(source.tasks.all()), on)
    _wrap(sheet)
    return spreadsheets.workbook_bytes(workbook)


def appendix_template() -> bytes:
    """An empty task appendix with the expected columns and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục nhiệm vụ"
    sheet.append(TASK_HEADERS)
    for index, width in enumerate([6, 60, 30, 36, 26], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=1, column=index).font = Font(bold=True)
    sheet.append(["I", "Công tác chỉ đạo, điều hành", None, None, None])
    sheet.append(
        [
            1,
            "Ví dụ: Tổng hợp báo cáo kết quả thực hiện",
            "Văn phòng Điều phối nông thôn mới tỉnh",
            "Sở Tài chính, Sở Kế hoạch và Đầu tư",
            "Định kỳ 6 tháng, năm",
        ]
    )
    return spreadsheets.workbook_bytes(workbook)
