"""Indicator values of a district's or province's communes through Excel, all or nothing.

The template has a sheet «Số liệu» with a row per commune and a column per indicator of the
governing set (codes, names, units and the threshold that applies in header rows; hand-judged
indicators get a verdict and a reason column), the current values pre-filled as real numbers,
data validation on every input cell, a hidden row of column keys (so moved columns still read
right) and a hidden, protected sheet saying which unit, year, family and set version it is for.

An upload is checked whole before anything is saved: one Vietnamese message per bad cell, naming
sheet, row, column and indicator. Then every commune is saved through services.save_values in
one transaction, so a failure at commune 80 takes communes 1-79 back with it. An empty cell means
"no change"; a cell equal to the stored value is no change either (so re-uploading a pre-filled
file does not turn illustrative demo values into entered ones).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from nongthon.accounts import permissions
from nongthon.assessment import services
from nongthon.assessment.evaluation import recompute_units
from nongthon.assessment.models import IndicatorValue
from nongthon.catalogue.engine import Comparator, IndicatorSpec, ThresholdSpec, fmt_number, plain
from nongthon.catalogue.engine import select_threshold as engine_select_threshold
from nongthon.catalogue.models import CriteriaSet, Indicator, IndicatorKind, SetLevel, SetStatus
from nongthon.catalogue.specs import spec_for
from nongthon.places.models import Level, Unit, UnitKind
from nongthon.places.text import fold
from nongthon.web import spreadsheets, uploads

SHEET_DATA = "Số liệu"
SHEET_HELP = "Hướng dẫn"
SHEET_LISTS = "Danh mục"
SHEET_META = "_thongtin"
FORMAT = "nongthon/so-lieu-chi-tieu/1"

TITLE_ROW, CODE_ROW, NAME_ROW, UOM_ROW, THRESHOLD_ROW, KEY_ROW = 1, 2, 3, 4, 5, 6
FIRST_DATA_ROW = 7
FIXED_COLUMNS = 3  # A mã xã, B tên xã, C huyện
MAX_ROWS = 5000
MAX_REASON = 2000
KEY_PREFIX = "nt:"
COMMUNE_KEY = "nt:commune"
VALUE, VERDICT, REASON = "value", "verdict", "reason"
# Integer digits a value may have (IndicatorValue.value_number: 18 digits, 4 decimals).
MAX_INTEGER_DIGITS = 14
FOUR_PLACES = Decimal("0.0001")

YES_WORDS = {"dat", "co", "x", "1", "true"}
NO_WORDS = {"chua dat", "khong", "khong dat", "0", "false"}

HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="DDEBDA")
HAND_FILL = PatternFill("solid", fgColor="FCE8D5")
DEMO_FILL = PatternFill("solid", fgColor="FFF3B0")
WRAP = Alignment(wrap_text=True, vertical="top")


# ---- what a file is for --------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One input column of the data sheet: an indicator's value, hand verdict or reason."""

    role: str
    indicator: Indicator

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}{self.role}:{self.indicator.code}"

    @property
    def label(self) -> str:
        """How messages name the column: "3.1", "10, đánh giá", "10, lý do"."""
        code = self.indicator.code
        if self.role == VERDICT:
            return _("%(code)s, đánh giá") % {"code": code}
        if self.role == REASON:
            return _("%(code)s, lý do") % {"code": code}
        return code


@dataclass
class Layout:
    """The governing set of a unit's communes for a year and family, and the columns it needs."""

    unit: Unit
    year: int
    family: str
    criteria_set: CriteriaSet
    region: str | None
    region_name: str
    indicators: list[Indicator]
    thresholds: dict[str, str]  # indicator code → threshold text for the header row
    hand_judged: set[str]
    columns: list[Column]


def communes_of(unit: Unit, year: int | None = None):
    """The communes a file for `unit` has rows for: its xã (the rural communes the NTM sets
    judge, not phường or thị trấn), those valid at some time in `year`; a commune's own file
    has its one row whatever its kind."""
    communes = Unit.objects.subtree(unit).communes().select_related("district")
    if unit.level != Level.COMMUNE:
        communes = communes.filter(kind=UnitKind.XA)
    if year is not None:
        communes = communes.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=dt.date(year, 12, 31)),
            Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(year, 1, 1)),
        )
    return communes.order_by("code")


def governing_set_for(unit: Unit, family: str, year: int) -> CriteriaSet | None:
    """The commune set of `family` that judges the communes of `unit` in `year`.

    All communes of a province share it (a refinement is per province), so one commune answers.
    """
    commune = unit if unit.level == Level.COMMUNE else communes_of(unit).first()
    if commune is None:
        return None
    return services.governing_set(commune, family, year)


@dataclass
class FamilyChoice:
    family: str
    name: str
    years: list[int]


def families_for(unit: Unit) -> list[FamilyChoice]:
    """Commune-level set families that apply to the unit's communes, with the years they cover."""
    province_id = unit.pk if unit.level == Level.PROVINCE else unit.province_id
    sets = CriteriaSet.objects.filter(status=SetStatus.ACTIVE, level=SetLevel.COMMUNE).filter(
        Q(province__isnull=True) | Q(province_id=province_id)
    )
    choices: dict[str, FamilyChoice] = {}
    # A province's own set names the family when it has one (it is what governs).
    for s in sorted(sets, key=lambda s: (s.family, s.province_id is not None)):
        choice = choices.setdefault(s.family, FamilyChoice(s.family, s.name, []))
        if s.province_id is not None:
            choice.name = s.name
        choice.years = sorted(set(choice.years) | set(range(s.period_from, s.period_to + 1)))
    return sorted(choices.values(), key=lambda c: c.name)


def _threshold_rule(t: ThresholdSpec, unit_of_measure: str) -> str:
    if t.comparator == Comparator.YES:
        return _("Đạt")
    if t.comparator == Comparator.IN:
        return _("thuộc: %(list)s") % {"list": ", ".join(t.value or ())}
    symbol = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "!=": "≠"}[t.comparator]
    return f"{symbol} {fmt_number(t.value, unit_of_measure)}"


def _threshold_text(spec: IndicatorSpec, region: str | None, region_name: str, year: int) -> str:
    groups = sorted({t.group for t in spec.thresholds if t.group is not None})
    parts = []
    for group in groups or [None]:
        t = engine_select_threshold(spec, region, group, year)
        if t is None:
            text = _("đánh giá thủ công")
        else:
            where = []
            if t.region:
                where.append(_("vùng %(region)s") % {"region": region_name or t.region})
            if t.year:
                where.append(_("năm %(year)s") % {"year": t.year})
            text = _threshold_rule(t, spec.unit)
            if where:
                text += f" ({', '.join(where)})"
        parts.append(_("nhóm %(g)s: %(t)s") % {"g": group, "t": text} if group else text)
    return "; ".join(parts)


def _is_hand_judged(spec: IndicatorSpec, region: str | None, year: int) -> bool:
    groups = sorted({t.group for t in spec.thresholds if t.group is not None})
    return any(engine_select_threshold(spec, region, g, year) is None for g in groups or [None])


def layout_for(unit: Unit, year: int, family: str, criteria_set: CriteriaSet | None = None):
    """What the file for (unit, year, family) holds; ValidationError when no set applies."""
    criteria_set = criteria_set or governing_set_for(unit, family, year)
    if criteria_set is None:
        raise ValidationError(
            _("Không có bộ tiêu chí «%(family)s» cấp xã áp dụng cho %(unit)s năm %(year)s.")
            % {"family": family, "unit": unit.name, "year": year}
        )
    region_obj = unit.effective_region()
    region = region_obj.code if region_obj else None
    region_name = region_obj.name if region_obj else ""
    spec = spec_for(criteria_set)
    specs = {i.code: i for c in spec.criteria for i in c.indicators}
    indicators = list(
        Indicator.objects.filter(criterion__criteria_set=criteria_set)
        .select_related("criterion")
        .order_by("criterion__number", "order", "code")
    )
    thresholds: dict[str, str] = {}
    hand: set[str] = set()
    columns: list[Column] = []
    for indicator in indicators:
        ispec = specs[indicator.code]
        thresholds[indicator.code] = _threshold_text(ispec, region, region_name, year)
        columns.append(Column(VALUE, indicator))
        if _is_hand_judged(ispec, region, year):
            hand.add(indicator.code)
            columns += [Column(VERDICT, indicator), Column(REASON, indicator)]
    return Layout(
        unit, year, family, criteria_set, region, region_name, indicators, thresholds, hand, columns
    )


# ---- the template --------------------------------------------------------------------------


def _kind_hint(indicator: Indicator) -> str:
    return {
        IndicatorKind.BOOLEAN: _("Đạt / Chưa đạt"),
        IndicatorKind.PERCENT: _("số từ 0 đến 100"),
        IndicatorKind.NUMBER: _("số không âm"),
        IndicatorKind.AMOUNT: _("số tiền, không âm"),
        IndicatorKind.CATEGORY: _("chọn trong danh sách"),
    }[IndicatorKind(indicator.kind)]


def _cell_value(row: IndicatorValue | None, column: Column):
    """The stored value as the cell shows it: numbers as numbers, yes/no as Đạt / Chưa đạt."""
    if row is None:
        return None
    if column.role == VERDICT:
        if row.hand_verdict is None:
            return None
        return _("Đạt") if row.hand_verdict else _("Chưa đạt")
    if column.role == REASON:
        return row.hand_reason or None
    if row.value_bool is not None:
        return _("Đạt") if row.value_bool else _("Chưa đạt")
    if row.value_number is not None:
        number = row.value_number.normalize()
        return int(number) if number == number.to_integral_value() else float(number)
    return row.value_text or None


def _validations(sheet, lists, layout: Layout, last_row: int) -> None:
    """Drop-downs for yes/no and categories, 0-100 for percentages, ≥ 0 for numbers."""
    if last_row < FIRST_DATA_ROW:
        return
    yes_no = DataValidation(
        type="list",
        formula1='"{},{}"'.format(_("Đạt"), _("Chưa đạt")),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Giá trị không hợp lệ"),
        error=_("Chọn Đạt hoặc Chưa đạt."),
    )
    percent = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Giá trị không hợp lệ"),
        error=_("Tỷ lệ là một số từ 0 đến 100."),
    )
    non_negative = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Giá trị không hợp lệ"),
        error=_("Nhập một số không âm."),
    )
    for dv in (yes_no, percent, non_negative):
        sheet.add_data_validation(dv)
    list_column = 0
    for index, column in enumerate(layout.columns, start=FIXED_COLUMNS + 1):
        letter = get_column_letter(index)
        cells = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
        kind = column.indicator.kind
        if column.role == VERDICT or (column.role == VALUE and kind == IndicatorKind.BOOLEAN):
            yes_no.add(cells)
        elif column.role == VALUE and kind == IndicatorKind.PERCENT:
            percent.add(cells)
        elif column.role == VALUE and kind in (IndicatorKind.NUMBER, IndicatorKind.AMOUNT):
            non_negative.add(cells)
        elif column.role == VALUE and kind == IndicatorKind.CATEGORY:
            # Categories may hold commas, so the list lives on a sheet, not in the formula.
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=column.indicator.code).font = HEADER_FONT
            for n, category in enumerate(column.indicator.categories, start=2):
                lists.cell(row=n, column=list_column, value=category)
            end = len(column.indicator.categories) + 1
            dv = DataValidation(
                type="list",
                formula1=f"'{SHEET_LISTS}'!${list_letter}$2:${list_letter}${end}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Giá trị không hợp lệ"),
                error=_("Chọn một giá trị trong danh sách."),
            )
            sheet.add_data_validation(dv)
            dv.add(cells)


def _write_data_sheet(sheet, layout: Layout, communes: list[Unit], values: dict) -> int:
    unit, criteria_set = layout.unit, layout.criteria_set
    sheet.cell(
        row=TITLE_ROW,
        column=1,
        value=_("Số liệu chỉ tiêu năm %(year)s – %(unit)s – %(set)s (phiên bản %(version)s)")
        % {
            "year": layout.year,
            "unit": unit.name,
            "set": criteria_set.name,
            "version": criteria_set.version,
        },
    ).font = TITLE_FONT
    fixed = [_("Mã xã"), _("Tên xã"), _("Huyện")]
    for index, title in enumerate(fixed, start=1):
        cell = sheet.cell(row=CODE_ROW, column=index, value=title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    region_note = (
        _("Ngưỡng áp dụng (vùng %(region)s, năm %(year)s)")
        % {"region": layout.region_name, "year": layout.year}
        if layout.region_name
        else _("Ngưỡng áp dụng (năm %(year)s)") % {"year": layout.year}
    )
    for row, label in ((NAME_ROW, _("Tên chỉ tiêu")), (UOM_ROW, _("Đơn vị tính"))):
        sheet.cell(row=row, column=1, value=label).font = HEADER_FONT
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=FIXED_COLUMNS)
    sheet.cell(row=THRESHOLD_ROW, column=1, value=region_note).font = HEADER_FONT
    sheet.merge_cells(
        start_row=THRESHOLD_ROW, start_column=1, end_row=THRESHOLD_ROW, end_column=FIXED_COLUMNS
    )
    sheet.cell(row=KEY_ROW, column=1, value=COMMUNE_KEY)
    sheet.cell(row=KEY_ROW, column=2, value=f"{KEY_PREFIX}name")
    sheet.cell(row=KEY_ROW, column=3, value=f"{KEY_PREFIX}district")

    for index, column in enumerate(layout.columns, start=FIXED_COLUMNS + 1):
        indicator = column.indicator
        if column.role == VALUE:
            name = indicator.name
            uom = indicator.unit_of_measure or _kind_hint(indicator)
            rule = layout.thresholds[indicator.code]
        elif column.role == VERDICT:
            name = _("Đánh giá thủ công: %(name)s") % {"name": indicator.name}
            uom = _("Đạt / Chưa đạt")
            rule = _("đánh giá thủ công")
        else:
            name = _("Lý do đánh giá (%(code)s)") % {"code": indicator.code}
            uom = _("chữ")
            rule = ""
        fill = HEADER_FILL if column.role == VALUE else HAND_FILL
        for row, value in (
            (CODE_ROW, indicator.code),
            (NAME_ROW, name),
            (UOM_ROW, uom),
            (THRESHOLD_ROW, rule),
        ):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.fill, cell.alignment = fill, WRAP
            if row == CODE_ROW:
                cell.font = HEADER_FONT
        sheet.cell(row=KEY_ROW, column=index, value=column.key)
        width = 30 if column.role == REASON else 14
        sheet.column_dimensions[get_column_letter(index)].width = width

    row_number = FIRST_DATA_ROW - 1
    for row_number, commune in enumerate(communes, start=FIRST_DATA_ROW):
        code_cell = sheet.cell(row=row_number, column=1, value=commune.code)
        code_cell.number_format = "@"  # codes keep their leading zeros
        sheet.cell(row=row_number, column=2, value=commune.name)
        sheet.cell(
            row=row_number, column=3, value=commune.district.name if commune.district else ""
        )
        for index, column in enumerate(layout.columns, start=FIXED_COLUMNS + 1):
            stored = values.get((commune.pk, column.indicator.code))
            value = _cell_value(stored, column)
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=index, value=value)
            if stored.illustrative:
                cell.fill = DEMO_FILL
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 22
    sheet.row_dimensions[NAME_ROW].height = 90
    sheet.row_dimensions[THRESHOLD_ROW].height = 45
    sheet.row_dimensions[KEY_ROW].hidden = True
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=FIXED_COLUMNS + 1).coordinate
    return row_number


def _write_help(sheet, layout: Layout, commune_count: int) -> None:
    s = layout.criteria_set
    basis = s.basis + (f", {s.basis_date:%d/%m/%Y}" if s.basis_date else "")
    lines = [
        _("Hướng dẫn nhập số liệu chỉ tiêu"),
        _(
            "Tệp mẫu của %(unit)s, năm %(year)s, %(count)s xã, theo %(set)s "
            "(phiên bản %(v)s, %(basis)s)."
        )
        % {
            "unit": layout.unit.name,
            "year": layout.year,
            "count": commune_count,
            "set": s.name,
            "v": s.version,
            "basis": basis,
        },
        "",
        _(
            "1. Sheet «Số liệu»: mỗi dòng là một xã, mỗi cột là một chỉ tiêu (dòng 2: mã, "
            "dòng 3: tên, dòng 4: đơn vị tính, dòng 5: ngưỡng áp dụng). Không sửa cột «Mã xã», "
            "không xóa các dòng tiêu đề và dòng ẩn số 6."
        ),
        _(
            "2. Ô để trống nghĩa là giữ nguyên số liệu đang có (không xóa). Muốn xóa một số liệu, "
            "hãy sửa trên trang nhập liệu của xã."
        ),
        _(
            "3. Tỷ lệ phần trăm: số từ 0 đến 100, ví dụ 85 hoặc 85,5. Số và số tiền: không âm. "
            "Đạt / Chưa đạt và phân loại: chọn trong danh sách của ô."
        ),
        _(
            "4. Chỉ tiêu chưa có ngưỡng (ghi «đánh giá thủ công»): ghi Đạt hoặc Chưa đạt ở cột "
            "«Đánh giá thủ công» (nền cam) và lý do ở cột bên cạnh."
        ),
        _(
            "5. Dòng 5 ghi ngưỡng theo vùng của tỉnh. Xã thuộc diện áp dụng mức vùng khác "
            "(xã đặc biệt khó khăn, an toàn khu... theo Điều 1 QĐ 318/QĐ-TTg) được đánh giá theo "
            "mức của vùng đó."
        ),
        _(
            "6. Ô nền vàng là dữ liệu minh họa (không phải số liệu thật); hãy thay bằng số liệu "
            "thật."
        ),
        _(
            "7. Khi tải lên, cả tệp được kiểm tra trước. Nếu có ô sai, không lưu gì cả và hệ thống "
            "liệt kê từng ô sai (sheet, dòng, cột, chỉ tiêu). Sửa xong thì tải lên lại."
        ),
        _(
            "8. Không sửa, không xóa sheet ẩn «_thongtin»: hệ thống dùng nó để biết tệp này của "
            "đơn vị, năm và bộ tiêu chí nào."
        ),
        "",
    ]
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = TITLE_FONT
    header = [_("Mã chỉ tiêu"), _("Tên chỉ tiêu"), _("Loại"), _("Đơn vị tính"),
              _("Ngưỡng áp dụng"), _("Ghi chú")]  # fmt: skip
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for indicator in layout.indicators:
        sheet.append(
            [
                indicator.code,
                indicator.name,
                str(IndicatorKind(indicator.kind).label),
                indicator.unit_of_measure,
                layout.thresholds[indicator.code],
                indicator.note,
            ]
        )
    for letter, width in zip("ABCDEF", (14, 60, 18, 16, 30, 50), strict=True):
        sheet.column_dimensions[letter].width = width


def _write_meta(sheet, layout: Layout) -> None:
    unit, s = layout.unit, layout.criteria_set
    rows = [
        ("format", FORMAT),
        ("set_code", s.code),
        ("set_version", s.version),
        ("family", layout.family),
        ("year", layout.year),
        ("unit_edition", unit.edition),
        ("unit_level", unit.level),
        ("unit_code", unit.code),
        ("unit_name", unit.name),
        ("created_at", timezone.now().isoformat(timespec="seconds")),
    ]
    for key, value in rows:
        sheet.append([key, str(value)])
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def build_template(unit: Unit, *, year: int, family: str) -> bytes:
    """The pre-filled workbook for the communes of `unit` (a province, district or commune)."""
    with translation.override("vi"):
        layout = layout_for(unit, year, family)
        communes = list(communes_of(unit, year))
        values = {
            (v.unit_id, v.indicator_code): v
            for v in IndicatorValue.objects.filter(
                unit__in=communes, year=year, family=family
            ).only(
                "unit_id",
                "indicator_code",
                "value_number",
                "value_bool",
                "value_text",
                "hand_verdict",
                "hand_reason",
                "illustrative",
            )
        }
        workbook = Workbook()
        data = workbook.active
        data.title = SHEET_DATA
        guide = workbook.create_sheet(SHEET_HELP)
        lists = workbook.create_sheet(SHEET_LISTS)
        meta = workbook.create_sheet(SHEET_META)
        last_row = _write_data_sheet(data, layout, communes, values)
        _validations(data, lists, layout, last_row)
        _write_help(guide, layout, len(communes))
        lists.sheet_state = "hidden"
        _write_meta(meta, layout)
    return spreadsheets.workbook_bytes(workbook)


def template_filename(unit: Unit, year: int, family: str) -> str:
    return f"so-lieu-{family}-{year}-{unit.code}.xlsx"


# ---- reading and checking an upload --------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload; a cell's problem names sheet, row, column and indicator."""

    message: str
    row: int | None = None
    column: str = ""  # the column letter
    label: str = ""  # "3.1", "mã xã"
    sheet: str = SHEET_DATA

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Sheet «%(sheet)s», dòng %(row)d: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        return _("Sheet «%(sheet)s», dòng %(row)d, cột %(column)s (%(label)s): %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "label": self.label,
            "message": self.message,
        }


class ImportRefused(Exception):
    """The file is refused whole; nothing was saved. `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


@dataclass
class ProblemGroup:
    title: str
    problems: list[Problem]


def group_problems(problems: list[Problem]) -> list[ProblemGroup]:
    """File-level problems first, then one group per sheet row, in row order."""
    groups: dict[int | None, ProblemGroup] = {}
    for p in problems:
        if p.row not in groups:
            title = _("Cả tệp") if p.row is None else _("Dòng %(row)d") % {"row": p.row}
            groups[p.row] = ProblemGroup(title, [])
        groups[p.row].problems.append(p)
    return [groups[k] for k in sorted(groups, key=lambda r: -1 if r is None else r)]


@dataclass
class PlannedCommune:
    line: int
    commune: Unit
    entries: list[services.ValueEntry] = field(default_factory=list)


@dataclass
class CommuneTally:
    line: int
    commune: Unit
    changed: int = 0
    reopened: list[int] = field(default_factory=list)


@dataclass
class ImportResult:
    tallies: list[CommuneTally] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(t.changed for t in self.tallies)

    @property
    def communes_changed(self) -> int:
        return sum(1 for t in self.tallies if t.changed)


def _refusal(exc: ValidationError) -> str:
    """The sentence for a file refused before opening: this import's own wording for the
    common cases, the upload check's for an abnormal archive."""
    limit = settings.NONGTHON_MAX_IMPORT_BYTES
    if exc.code == "too_large":
        return _("Tệp lớn quá (tối đa %(mb)s MB).") % {"mb": f"{limit / 1024 / 1024:.0f}"}
    if exc.code == "file_type":
        return _(
            "Tệp không phải Excel (.xlsx). Nếu là tệp .xls cũ, hãy mở bằng Excel "
            "rồi lưu lại dưới dạng .xlsx."
        )
    return exc.messages[0]


def _open(upload):
    # Excel by content and within the archive bounds (nongthon.web.uploads), then openpyxl.
    try:
        _kind, data = uploads.check_office(upload, kinds=(uploads.XLSX,))
    except ValidationError as exc:
        raise ImportRefused([Problem(_refusal(exc))]) from exc
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # openpyxl fails in many ways on what is not an xlsx (zip, XML, key errors): one message.
    except Exception as exc:
        raise ImportRefused(
            [
                Problem(
                    _(
                        "Tệp không phải Excel (.xlsx). Nếu là tệp .xls cũ, hãy mở bằng Excel "
                        "rồi lưu lại dưới dạng .xlsx."
                    )
                )
            ]
        ) from exc


def _not_our_template() -> ImportRefused:
    return ImportRefused(
        [
            Problem(
                _(
                    "Tệp không phải tệp mẫu nhập số liệu chỉ tiêu của hệ thống (thiếu sheet "
                    "«%(data)s» hoặc sheet ẩn «%(meta)s»). Hãy tải tệp mẫu rồi điền vào đó."
                )
                % {"data": SHEET_DATA, "meta": SHEET_META}
            )
        ]
    )


def _read_meta(workbook) -> dict[str, str]:
    if SHEET_META not in workbook.sheetnames or SHEET_DATA not in workbook.sheetnames:
        raise _not_our_template()
    meta = {}
    for row in workbook[SHEET_META].iter_rows(max_col=2, values_only=True):
        if row and row[0] is not None:
            meta[str(row[0]).strip()] = "" if len(row) < 2 or row[1] is None else str(row[1])
    if meta.get("format") != FORMAT:
        raise _not_our_template()
    return meta


def _check_meta(meta: dict[str, str], unit: Unit, year: int, family: str) -> list[Problem]:
    problems = []
    file_unit = (meta.get("unit_edition"), meta.get("unit_level"), meta.get("unit_code"))
    if file_unit != (unit.edition, unit.level, unit.code):
        problems.append(
            Problem(
                _(
                    "Tệp này lập cho %(file_unit)s, không phải %(unit)s. "
                    "Hãy tải tệp mẫu của %(unit)s."
                )
                % {"file_unit": meta.get("unit_name") or meta.get("unit_code"), "unit": unit.name}
            )
        )
    if meta.get("year") != str(year):
        problems.append(
            Problem(
                _("Tệp này là số liệu năm %(file_year)s, không phải năm %(year)s.")
                % {"file_year": meta.get("year"), "year": year}
            )
        )
    if meta.get("family") != family:
        problems.append(
            Problem(
                _("Tệp này theo bộ tiêu chí «%(file_family)s», không phải «%(family)s».")
                % {"file_family": meta.get("family"), "family": family}
            )
        )
    return problems


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _code(value: object) -> str:
    """A commune code as typed: Excel drops leading zeros of codes typed as numbers."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if value is not None else ""
    return text.zfill(5) if text.isdigit() else text


def _decimal_of(value: int | float) -> Decimal:
    # repr, not the binary float: 0.1 is "0.1" to the user.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _raw_value(cell, indicator: Indicator):
    """A value cell as check_value wants it (None when empty)."""
    value = cell.value
    if _blank(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        number = _decimal_of(value)
        if indicator.kind in (IndicatorKind.BOOLEAN, IndicatorKind.CATEGORY):
            return str(plain(number))
        # "85%" typed into a cell becomes 0.85 shown as a percentage.
        if indicator.kind == IndicatorKind.PERCENT and "%" in (cell.number_format or ""):
            number *= 100
        return number
    return str(value)  # a date or a time: check_value names it


def _checked_number(number: Decimal) -> Decimal:
    """Rounded to what the database keeps (4 decimals); ValueError when too large."""
    try:
        number = number.quantize(FOUR_PLACES) if number.as_tuple().exponent < -4 else number
    except InvalidOperation as exc:
        raise ValueError(_("số quá lớn")) from exc
    if abs(number) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise ValueError(_("số quá lớn"))
    return number


def _verdict(value: object) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        value = str(plain(_decimal_of(value)))
    folded = fold(str(value))
    if folded in YES_WORDS:
        return True
    if folded in NO_WORDS:
        return False
    raise ValueError(_("«%s» không phải Đạt / Chưa đạt") % value)


def _read_columns(sheet) -> tuple[int, dict[int, str]]:
    """(key row number, column index → key) from the hidden key row."""
    for number, row in enumerate(sheet.iter_rows(max_row=FIRST_DATA_ROW + 3), start=1):
        cells = list(row)
        if cells and cells[0].value == COMMUNE_KEY:
            keys = {}
            for index, cell in enumerate(cells):
                if isinstance(cell.value, str) and cell.value.startswith(KEY_PREFIX):
                    keys[index] = cell.value
            return number, keys
    raise ImportRefused(
        [
            Problem(
                _(
                    "Sheet «%(sheet)s» thiếu dòng ẩn ghi mã các cột (dòng 6 của tệp mẫu). "
                    "Hãy tải tệp mẫu mới rồi chép số liệu sang."
                )
                % {"sheet": SHEET_DATA}
            )
        ]
    )


def _map_columns(
    keys: dict[int, str], index: dict[str, Indicator], criteria_set: CriteriaSet
) -> dict[int, Column]:
    """Column index → Column; a file from another set version is fine while its codes exist."""
    columns: dict[int, Column] = {}
    missing: list[str] = []
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for position, key in sorted(keys.items()):
        parts = key[len(KEY_PREFIX) :].split(":", 1)
        if len(parts) != 2 or parts[0] not in (VALUE, VERDICT, REASON):
            continue  # the commune, name and district columns
        role, code = parts
        indicator = index.get(code)
        if indicator is None:
            if code not in missing:
                missing.append(code)
            continue
        if key in seen:
            problems.append(
                Problem(
                    _("Cột %(a)s và cột %(b)s cùng ghi «%(label)s»; hãy xóa một cột.")
                    % {
                        "a": get_column_letter(seen[key] + 1),
                        "b": get_column_letter(position + 1),
                        "label": Column(role, indicator).label,
                    }
                )
            )
            continue
        seen[key] = position
        columns[position] = Column(role, indicator)
    if missing:
        problems.insert(
            0,
            Problem(
                _(
                    "Tệp có chỉ tiêu không còn trong bộ tiêu chí đang áp dụng (%(set)s, phiên "
                    "bản %(version)s): %(codes)s. Hãy tải tệp mẫu mới rồi chép số liệu sang."
                )
                % {
                    "set": criteria_set.name,
                    "version": criteria_set.version,
                    "codes": ", ".join(missing),
                }
            ),
        )
    if problems:
        raise ImportRefused(problems)
    return columns


@dataclass
class _CellInput:
    value: object = None  # checked (number, yes, text) or None when the cell was empty
    verdict: bool | None = None
    reason: str | None = None


def _stored(row: IndicatorValue | None) -> tuple:
    if row is None:
        return (None, None, "")
    number = row.value_number.normalize() if row.value_number is not None else None
    return (number, row.value_bool, row.value_text)


def _entry(code: str, given: _CellInput, row: IndicatorValue | None) -> services.ValueEntry | None:
    """The entry for one indicator, keeping what the file leaves empty; None when no change."""
    old = _stored(row)
    new = given.value if given.value is not None else old
    new = (new[0].normalize() if new[0] is not None else None, new[1], new[2])
    verdict = given.verdict if given.verdict is not None else (row.hand_verdict if row else None)
    reason = given.reason if given.reason is not None else (row.hand_reason if row else "")
    old_verdict = row.hand_verdict if row else None
    old_reason = row.hand_reason if row else ""
    if new == old and verdict == old_verdict and reason.strip() == old_reason.strip():
        return None
    number, yes, text = new
    raw = yes if yes is not None else number if number is not None else (text or None)
    return services.ValueEntry(
        indicator_code=code,
        value=raw,
        hand_verdict=verdict,
        hand_reason=reason,
        note=row.note if row else "",
        expected_version=None,  # the file is the user's whole intent
    )


def check_upload(actor, *, unit: Unit, year: int, family: str, upload) -> list[PlannedCommune]:
    """Read and check the whole file; the communes to save, or ImportRefused listing every
    bad cell. Nothing is written."""
    workbook = _open(upload)
    try:
        meta = _read_meta(workbook)
        problems = _check_meta(meta, unit, year, family)
        if problems:
            raise ImportRefused(problems)
        criteria_set = governing_set_for(unit, family, year)
        if criteria_set is None:
            raise ImportRefused(
                [
                    Problem(
                        _("Không có bộ tiêu chí «%(family)s» áp dụng cho %(unit)s năm %(year)s.")
                        % {"family": family, "unit": unit.name, "year": year}
                    )
                ]
            )
        sheet = workbook[SHEET_DATA]
        sheet.reset_dimensions()  # some writers record wrong dimensions; read every row
        key_row, keys = _read_columns(sheet)
        columns = _map_columns(keys, services.indicator_index(criteria_set), criteria_set)
        rows = _read_rows(sheet, key_row, columns)
    finally:
        workbook.close()
    return _plan(actor, unit, year, family, rows, columns)


@dataclass
class _Row:
    line: int
    code_cell: object
    cells: dict[int, object]


def _read_rows(sheet, key_row: int, columns: dict[int, Column]) -> list[_Row]:
    rows: list[_Row] = []
    for line, row in enumerate(sheet.iter_rows(min_row=key_row + 1), start=key_row + 1):
        cells = list(row)
        if not cells:
            continue
        wanted = {i: cells[i] for i in columns if i < len(cells)}
        code = cells[0].value
        if _blank(code) and all(_blank(c.value) for c in wanted.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportRefused(
                [
                    Problem(
                        _("Tệp có hơn %(max)s dòng số liệu; hãy chia thành nhiều tệp.")
                        % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
                    )
                ]
            )
        rows.append(_Row(line, code, wanted))
    return rows


def _plan(
    actor, unit: Unit, year: int, family: str, rows: list[_Row], columns: dict[int, Column]
) -> list[PlannedCommune]:
    communes = {c.code: c for c in communes_of(unit)}
    codes = {_code(r.code_cell) for r in rows} - set(communes)
    elsewhere = {
        c.code: c
        for c in Unit.objects.filter(edition=unit.edition, level=Level.COMMUNE, code__in=codes)
    }
    existing = {
        (v.unit_id, v.indicator_code): v
        for v in IndicatorValue.objects.filter(
            unit__in=list(communes.values()), year=year, family=family
        )
    }
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    planned: list[PlannedCommune] = []
    commune_label = _("mã xã")
    for row in rows:
        code = _code(row.code_cell)
        commune = None
        line = row.line

        def bad(message: str, column: str = "A", label: str = commune_label, line: int = line):
            problems.append(Problem(message, line, column, label))

        if not code:
            bad(_("thiếu mã xã"))
        elif code in seen:
            bad(_("xã «%(code)s» đã có ở dòng %(line)d") % {"code": code, "line": seen[code]})
        elif code in communes:
            commune = communes[code]
            seen[code] = row.line
            if actor is not None and not permissions.can_edit_values(actor, commune):
                bad(_("bạn không có quyền sửa số liệu của %(commune)s") % {"commune": commune.name})
                commune = None
        elif code in elsewhere and permissions.covers(unit, elsewhere[code]):
            bad(
                _("«%(code)s» là %(other)s: bộ tiêu chí này chỉ áp dụng cho xã")
                % {"code": code, "other": elsewhere[code].name}
            )
        elif code in elsewhere:
            bad(
                _("«%(code)s» là %(other)s, không thuộc %(unit)s")
                % {"code": code, "other": elsewhere[code].name, "unit": unit.name}
            )
        else:
            bad(_("«%(code)s» không phải mã xã thuộc %(unit)s") % {"code": code, "unit": unit.name})

        given: dict[str, _CellInput] = {}
        for position, column in sorted(columns.items()):
            cell = row.cells.get(position)
            if cell is None or _blank(cell.value):
                continue
            indicator = column.indicator
            letter = get_column_letter(position + 1)
            slot = given.setdefault(indicator.code, _CellInput())
            try:
                if column.role == VALUE:
                    number, yes, text = services.check_value(indicator, _raw_value(cell, indicator))
                    if number is not None:
                        number = _checked_number(number)
                    slot.value = (number, yes, text)
                elif column.role == VERDICT:
                    slot.verdict = _verdict(cell.value)
                else:
                    reason = " ".join(str(cell.value).split())
                    if len(reason) > MAX_REASON:
                        raise ValueError(_("lý do dài quá %(max)d ký tự") % {"max": MAX_REASON})
                    slot.reason = reason
            except ValueError as exc:
                bad(str(exc), letter, column.label)
        if commune is None:
            continue
        entries = [
            entry
            for code_, cell_input in given.items()
            if (entry := _entry(code_, cell_input, existing.get((commune.pk, code_)))) is not None
        ]
        planned.append(PlannedCommune(row.line, commune, entries))
    if problems:
        raise ImportRefused(problems)
    if not planned:
        raise ImportRefused([Problem(_("Tệp không có dòng số liệu nào của xã."))])
    return planned


def _flatten(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for messages in exc.message_dict.values() for m in messages)
    return " ".join(exc.messages)


@transaction.atomic
def import_values(
    actor,
    *,
    unit: Unit,
    year: int,
    family: str,
    upload,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check the whole file, then save every commune's values in one transaction, or none.

    `progress(done, total)` is called after each commune (the command line prints it)."""
    if actor is not None and not permissions.can_edit_values(actor, unit):
        raise PermissionDenied
    planned = check_upload(actor, unit=unit, year=year, family=family, upload=upload)
    result = ImportResult()
    touched: list[Unit] = []
    total = len(planned)
    for done, item in enumerate(planned, start=1):
        tally = CommuneTally(item.line, item.commune)
        if item.entries:
            try:
                # Looked up at call time so a failure can be simulated in tests.
                outcome = services.save_values(
                    actor,
                    unit=item.commune,
                    year=year,
                    family=family,
                    entries=item.entries,
                    recompute=False,
                )
            except (ValidationError, PermissionDenied) as exc:
                # Raised inside the atomic block: every commune saved so far is rolled back.
                detail = _flatten(exc) if isinstance(exc, ValidationError) else _("không có quyền")
                raise ImportRefused(
                    [
                        Problem(
                            _("không lưu được số liệu của %(commune)s: %(detail)s")
                            % {"commune": item.commune.name, "detail": detail},
                            row=item.line,
                        )
                    ]
                ) from exc
            tally.changed = len(outcome.changed)
            tally.reopened = outcome.reopened
            if outcome.changed:
                touched.append(item.commune)
        result.tallies.append(tally)
        if progress:
            progress(done, total)
    # One batch re-evaluation for every commune that changed, not one per commune.
    recompute_units(touched, year)
    return result
