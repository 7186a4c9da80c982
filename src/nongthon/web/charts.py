"""What a dashboard panel shows: headline numbers, charts and the table behind each chart.

A chart is its table: one row per category (a year, a criterion, a funding source), one column
per series. The page draws the chart from the same data (ECharts, `web/static/web/dashboard.js`),
prints the table with every number linked to the list behind it, and offers it as CSV or xlsx.
Numbers stay int or Decimal (JSON carries Decimals as strings; ECharts reads them as numbers).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

Number = int | Decimal | None

BAR, LINE, BAR_HORIZONTAL, PIE = "bar", "line", "barh", "pie"


@dataclass
class Stat:
    """A headline number and the list behind it."""

    key: str
    label: str
    value: Number
    url: str = ""
    suffix: str = ""  # "/51", "%"
    css: str = ""  # Bootstrap colour (success, danger...) when the number carries a status


@dataclass
class Series:
    name: str
    values: list[Number]
    urls: list[str] = field(default_factory=list)
    kind: str = ""  # bar or line inside a chart that mixes them; default the chart's kind
    axis: int = 0  # 1: the right-hand axis (a count beside an average)
    color: str = ""


@dataclass
class Chart:
    key: str
    title: str
    kind: str
    category_label: str
    categories: list[str]
    series: list[Series]
    unit_label: str = ""  # "xã", "triệu đồng"
    axis_labels: tuple[str, str] = ("", "")
    category_urls: list[str] = field(default_factory=list)
    category_colors: list[str] = field(default_factory=list)  # a pie's slices
    stack: bool = False

    @property
    def data_id(self) -> str:
        """The id of the json_script element holding the chart's spec."""
        return f"chart-{self.key}-data"

    def rows(self) -> list[tuple[str, str, list[tuple[Number, str]]]]:
        """(category, its link, [(value, link) per series]) for the table under the chart."""
        out = []
        for i, category in enumerate(self.categories):
            link = self.category_urls[i] if i < len(self.category_urls) else ""
            cells = [(s.values[i], s.urls[i] if i < len(s.urls) else "") for s in self.series]
            out.append((category, link, cells))
        return out

    def spec(self) -> dict:
        """What dashboard.js needs to draw the chart (passed with json_script)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "categories": self.categories,
            "unit": self.unit_label,
            "axes": list(self.axis_labels),
            "stack": self.stack,
            "colors": self.category_colors,
            "series": [
                {
                    "name": s.name,
                    "values": s.values,
                    "urls": s.urls,
                    "kind": s.kind or self.kind,
                    "axis": s.axis,
                    "color": s.color,
                }
                for s in self.series
            ],
        }


@dataclass
class ListRow:
    """One line of a short list in a panel (a target, an overdue task)."""

    label: str
    url: str = ""
    detail: str = ""
    status: str = ""
    css: str = ""


@dataclass
class Panel:
    key: str
    title: str
    stats: list[Stat] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    rows: list[ListRow] = field(default_factory=list)
    rows_title: str = ""
    more_url: str = ""  # the module's own page for this panel
    note: str = ""
    empty: str = ""  # shown instead of the content when there is nothing to show
    illustrative: bool = False


def _plain(value: Number) -> str:
    return "" if value is None else str(value)


def chart_csv(chart: Chart) -> bytes:
    """The chart's table as CSV (UTF-8 with BOM, so spreadsheet programs read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([chart.category_label] + [s.name for s in chart.series])
    for category, _link, cells in chart.rows():
        writer.writerow([category] + [_plain(value) for value, _url in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def charts_xlsx(title: str, charts: list[Chart]) -> bytes:
    """Every chart's table on its own sheet, numbers as numbers."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for chart in charts:
        name = _sheet_name(chart.title, used)
        sheet = book.create_sheet(name)
        sheet.append([chart.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([title])
        header = [chart.category_label] + [s.name for s in chart.series]
        sheet.append(header)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for category, _link, cells in chart.rows():
            sheet.append([category] + [value for value, _url in cells])
        sheet.column_dimensions["A"].width = 40
    if not book.sheetnames:
        book.create_sheet("-")
    from nongthon.web import spreadsheets

    return spreadsheets.workbook_bytes(book)


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base[:25]} {n}"
    used.add(name)
    return name
