"""The audit log as .xlsx (openpyxl, write-only) and .csv, with the page's filters.

Both read the entries in keyset chunks, so memory stays flat; at most EXPORT_LIMIT rows, and
the last line says so when the filters matched more. Cells that a spreadsheet would read as a
formula (=, +, -, @ first) are written as text with a leading apostrophe: labels and values
come from what users typed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from nongthon.audit.models import Entry
from nongthon.audit.queries import Row, chunks, rows

EXPORT_LIMIT = 100_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def headers() -> list[str]:
    return [
        _("Thời gian"),
        _("Người thực hiện"),
        _("Địa chỉ IP"),
        _("Thao tác"),
        _("Loại dữ liệu"),
        _("Đối tượng"),
        _("Đơn vị"),
        _("Thay đổi (trước → sau)"),
        _("Lý do"),
    ]


def _cells(row: Row) -> list[str]:
    changes = "; ".join(f"{c.field}: {c.before} → {c.after}" for c in row.changes)
    when = formats.date_format(timezone.localtime(row.when), "SHORT_DATETIME_FORMAT")
    texts = [
        when,
        row.who,
        row.ip,
        row.action,
        row.model,
        row.object_label,
        row.unit,
        changes,
        row.reason,
    ]
    return [safe(t) for t in texts]


def _lines(query: QuerySet[Entry], limit: int) -> Iterator[list[str]]:
    written = 0
    for found in chunks(query, limit + 1):
        overflow = written + len(found) > limit
        found = found[: limit - written]
        for row in rows(found):
            yield _cells(row)
        written += len(found)
        if overflow:
            yield [
                _("Chỉ xuất %(n)s dòng đầu; hãy thu hẹp bộ lọc.")
                % {"n": formats.number_format(limit, force_grouping=True)}
            ]
            return


def write_xlsx(query: QuerySet[Entry], target, limit: int = EXPORT_LIMIT) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Nhật ký"))
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", (17, 22, 16, 10, 26, 40, 28, 70, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    header = []
    for text in headers():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for line in _lines(query, limit):
        sheet.append(line)
    book.save(target)


def csv_lines(query: QuerySet[Entry], limit: int = EXPORT_LIMIT) -> Iterator[str]:
    """The CSV text line by line (UTF-8 with BOM first, so Excel shows Vietnamese)."""

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(headers())
    for line in _lines(query, limit):
        yield writer.writerow(line)
