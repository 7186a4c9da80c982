"""Every Excel file the project writes is saved here, so text typed by users can never run as a
formula in the reader's Excel (formula injection: "=HYPERLINK(...)", "+cmd|...", "@SUM(...)").

openpyxl turns any string that starts with "=" into a formula. Before saving, each text cell
that starts with =, +, -, @, a tab or a carriage return is written as plain text with Excel's
"quote prefix" (what Excel itself stores when one types a leading apostrophe): the reader sees the
text exactly as typed, Excel and LibreOffice never evaluate it, and our own imports read the same
text back. Numbers, dates and booleans are untouched: -5 stays the number -5.

The project's exports write no formulas of their own; one that needs to would have to say so here.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_FORMULA, TYPE_STRING

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(value: object) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS_STARTS)


def neutralise(workbook: Workbook) -> int:
    """Make every dangerous text cell of `workbook` inert; returns how many were."""
    count = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type in (TYPE_STRING, TYPE_FORMULA) and is_dangerous(cell.value):
                    cell.data_type = TYPE_STRING
                    cell.quotePrefix = True
                    count += 1
    return count


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx file of `workbook`, its text cells neutralised."""
    neutralise(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
