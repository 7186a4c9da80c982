"""Hamlets from an Excel sheet, all or nothing, and the template workbook to fill in.

The sheet has a header row with "Mã xã", "Tên thôn, ấp" and "Loại" (matched ignoring case,
diacritics, punctuation and spaces). Every row is checked first; one message per bad row; any
error saves nothing. Rows identical to an active hamlet (same folded name, same kind) are skipped,
so running the same file twice changes nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.places import hamlets
from nongthon.places.models import Hamlet, HamletKind, Level, Unit
from nongthon.places.text import clean_name, fold
from nongthon.web import spreadsheets, uploads

MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common in office sheets
CODE, NAME, KIND = "code", "name", "kind"
HEADERS = {CODE: "Mã xã", NAME: "Tên thôn, ấp", KIND: "Loại"}
# Keys are headers reduced by _key(); a few spellings seen in commune sheets besides ours.
HEADER_ALIASES = {
    CODE: {"ma xa", "ma xa phuong", "ma xa phuong thi tran", "ma don vi"},
    NAME: {"ten thon ap", "ten thon", "ten ap", "ten thon ap to dan pho", "ten"},
    KIND: {"loai", "loai thon ap"},
}
KIND_ALIASES = {"phum": HamletKind.PHUM_SOC, "soc": HamletKind.PHUM_SOC}
SHEET_DATA, SHEET_KINDS, SHEET_COMMUNES = "Thôn, ấp", "Loại", "Danh sách xã"


class ImportRefused(Exception):
    """The file is refused whole; `errors` are the Vietnamese sentences to show, one per row."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class RawRow:
    line: int  # the Excel row number, as the user sees it
    code: object
    name: object
    kind: object


@dataclass
class CommuneTally:
    commune: Unit
    created: int = 0
    skipped: int = 0


@dataclass
class ImportResult:
    tallies: list[CommuneTally] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "Dòng 4: ... — đã có, bỏ qua"

    @property
    def created(self) -> int:
        return sum(t.created for t in self.tallies)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)


def _key(text: object) -> str:
    """Header or label reduced to ASCII words: "Tên thôn/ấp " → "ten thon ap"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).split())


def _kind_lookup() -> dict[str, str]:
    # Vietnamese labels whatever the user's language: the file is written in Vietnamese.
    with translation.override("vi"):
        lookup = {_key(kind.label): kind.value for kind in HamletKind}
    lookup.update({_key(kind.value): kind.value for kind in HamletKind})
    lookup.update(KIND_ALIASES)
    return lookup


def kind_labels() -> list[str]:
    with translation.override("vi"):
        return [str(kind.label) for kind in HamletKind]


def allowed_kinds_text() -> str:
    # Quoted, since one label has a comma of its own ("Phum, sóc").
    return ", ".join(f"«{label}»" for label in kind_labels())


# ---- reading -----------------------------------------------------------------------------


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


def _open(upload) -> object:
    # Excel by content and within the archive bounds (nongthon.web.uploads), then openpyxl.
    try:
        _kind, data = uploads.check_office(upload, kinds=(uploads.XLSX,))
    except ValidationError as exc:
        raise ImportRefused([_refusal(exc)]) from exc
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # openpyxl fails in many ways on a file that is not xlsx (zip, XML, key errors); all
    # of them mean the same thing to the user.
    except Exception as exc:
        raise ImportRefused(
            [
                _(
                    "Tệp không phải Excel (.xlsx). Nếu là tệp .xls cũ, hãy mở bằng Excel "
                    "rồi lưu lại dưới dạng .xlsx."
                )
            ]
        ) from exc


def _header_columns(row: tuple) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(row):
        key = _key(value)
        for column, aliases in HEADER_ALIASES.items():
            if key in aliases and column not in columns:
                columns[column] = index
    return columns


def _find_header(workbook) -> tuple[object, int, dict[str, int]]:
    """The first sheet with a header row naming at least the code and name columns."""
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
        for number, row in enumerate(rows, start=1):
            columns = _header_columns(row)
            if CODE in columns and NAME in columns:
                return sheet, number, columns
    raise ImportRefused(
        [
            _(
                "Không tìm thấy dòng tiêu đề có các cột «%(code)s», «%(name)s» và «%(kind)s». "
                "Hãy dùng tệp mẫu."
            )
            % {"code": HEADERS[CODE], "name": HEADERS[NAME], "kind": HEADERS[KIND]}
        ]
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_rows(upload) -> list[RawRow]:
    """The non-empty data rows of the first sheet with our header, at most MAX_ROWS."""
    workbook = _open(upload)
    try:
        sheet, header_line, columns = _find_header(workbook)

        def cell(row: tuple, column: str) -> object:
            index = columns.get(column)
            return row[index] if index is not None and index < len(row) else None

        rows: list[RawRow] = []
        data = sheet.iter_rows(min_row=header_line + 1, values_only=True)
        for line, row in enumerate(data, start=header_line + 1):
            raw = RawRow(line, cell(row, CODE), cell(row, NAME), cell(row, KIND))
            if all(_blank(v) for v in (raw.code, raw.name, raw.kind)):
                continue
            if len(rows) == MAX_ROWS:
                raise ImportRefused(
                    [
                        _("Tệp có hơn %(max)s dòng dữ liệu; hãy chia thành nhiều tệp.")
                        % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
                    ]
                )
            rows.append(raw)
    finally:
        workbook.close()
    if not rows:
        raise ImportRefused([_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")])
    return rows


# ---- checking ----------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as text; Excel turns 12 into 12.0, which is not how anyone wrote it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_name(str(value)) if value is not None else ""


def _code(value: object) -> str:
    # Excel drops the leading zeros of codes typed as numbers (00001 → 1).
    text = _text(value)
    return text.zfill(5) if text.isdigit() else text


@dataclass
class _Planned:
    line: int
    commune: Unit
    name: str
    kind: str


@dataclass
class _Plan:
    to_create: list[_Planned] = field(default_factory=list)
    to_skip: list[_Planned] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _plan(actor: User | None, unit: Unit, rows: list[RawRow]) -> _Plan:
    communes = {c.code: c for c in Unit.objects.subtree(unit).communes().select_related("district")}
    existing: dict[tuple[int, str], Hamlet] = {
        (h.commune_id, h.search_text): h
        for h in Hamlet.objects.active().filter(commune__in=communes.values())
    }
    # Codes that are communes elsewhere in the edition, to name them in the message.
    codes = {_code(r.code) for r in rows} - set(communes)
    elsewhere = {
        c.code: c
        for c in Unit.objects.filter(edition=unit.edition, level=Level.COMMUNE, code__in=codes)
    }
    kinds = _kind_lookup()
    seen: dict[tuple[int, str], int] = {}
    plan = _Plan()
    for row in rows:
        problems: list[str] = []
        code = _code(row.code)
        commune = None
        if not code:
            if unit.level == Level.COMMUNE:
                commune = unit  # a sheet filled from a commune's own page may leave it blank
            else:
                problems.append(_("thiếu mã xã"))
        elif not code.isdigit() or len(code) != 5:
            problems.append(_("mã xã «%(code)s» không hợp lệ (phải gồm 5 chữ số)") % {"code": code})
        else:
            commune = communes.get(code)
            if commune is None and code in elsewhere:
                problems.append(
                    _("mã xã «%(code)s» là %(other)s, không thuộc %(unit)s")
                    % {"code": code, "other": elsewhere[code].name, "unit": unit.name}
                )
            elif commune is None:
                problems.append(
                    _("mã xã «%(code)s» không phải là xã thuộc %(unit)s")
                    % {"code": code, "unit": unit.name}
                )
            elif actor is not None and not permissions.can_edit_hamlets(actor, commune):
                problems.append(
                    _("bạn không có quyền sửa thôn, ấp của %(commune)s") % {"commune": commune.name}
                )
        name = _text(row.name)
        if not name:
            problems.append(_("thiếu tên thôn, ấp"))
        elif len(name) > hamlets.NAME_MAX_LENGTH:
            problems.append(
                _("tên thôn, ấp dài quá %(max)d ký tự") % {"max": hamlets.NAME_MAX_LENGTH}
            )
        kind_text = _text(row.kind)
        kind = kinds.get(_key(kind_text)) if kind_text else None
        if kind_text and kind is None:
            problems.append(
                _("loại «%(kind)s» không có trong danh sách (%(allowed)s)")
                % {"kind": kind_text, "allowed": allowed_kinds_text()}
            )
        if commune is not None and name and not problems:
            key = (commune.pk, fold(name))
            if key in seen:
                problems.append(
                    _("trùng với dòng %(line)d (%(name)s, %(commune)s)")
                    % {"line": seen[key], "name": name, "commune": commune.name}
                )
            else:
                seen[key] = row.line
                found = existing.get(key)
                # A blank kind means "whatever it is": it matches an existing hamlet's kind.
                kind = kind or (found.kind if found else hamlets.default_kind(commune))
                if found is not None and found.kind != kind:
                    problems.append(
                        _("%(duplicate)s, khác loại «%(kind)s» ghi trong tệp")
                        % {
                            "duplicate": hamlets.duplicate_message(commune, found).rstrip("."),
                            "kind": HamletKind(kind).label,
                        }
                    )
                elif found is not None:
                    plan.to_skip.append(_Planned(row.line, commune, found.name, kind))
                else:
                    plan.to_create.append(_Planned(row.line, commune, name, kind))
        if problems:
            plan.errors.append(
                _("Dòng %(line)d: %(problems)s.")
                % {"line": row.line, "problems": "; ".join(problems)}
            )
    return plan


def _tallies(plan: _Plan) -> list[CommuneTally]:
    by_commune: dict[int, CommuneTally] = {}
    for item in plan.to_create:
        by_commune.setdefault(item.commune.pk, CommuneTally(item.commune)).created += 1
    for item in plan.to_skip:
        by_commune.setdefault(item.commune.pk, CommuneTally(item.commune)).skipped += 1
    return sorted(by_commune.values(), key=lambda t: t.commune.code)


@transaction.atomic
def import_hamlets(actor: User | None, *, unit: Unit, upload, filename: str = "") -> ImportResult:
    """Check every row of the workbook, then create all its new hamlets or none of them."""
    if actor is not None and not permissions.can_import_hamlets(actor, unit):
        raise PermissionDenied
    plan = _plan(actor, unit, read_rows(upload))
    if plan.errors:
        raise ImportRefused(plan.errors)
    reason = _("Nhập từ tệp Excel %(file)s") % {"file": filename} if filename else ""
    try:
        with transaction.atomic():
            for item in plan.to_create:
                hamlets.insert_hamlet(
                    actor, commune=item.commune, name=item.name, kind=item.kind, reason=reason
                )
    except (IntegrityError, ValidationError) as exc:
        # Someone added one of these names between the check and the insert.
        raise ImportRefused(
            [_("Trong lúc nhập, danh sách thôn, ấp vừa được người khác thay đổi; hãy nhập lại.")]
        ) from exc
    return ImportResult(
        tallies=_tallies(plan),
        skipped=[
            _("Dòng %(line)d: %(name)s (%(commune)s) — đã có, bỏ qua")
            % {"line": item.line, "name": item.name, "commune": item.commune.name}
            for item in plan.to_skip
        ],
    )


# ---- the template workbook ----------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBDA")


def _header(sheet, titles: Iterable[str], widths: Iterable[int]) -> None:
    sheet.append(list(titles))
    for cell, width in zip(sheet[1], widths, strict=False):
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def _communes_for_template(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.subtree(unit).communes().select_related("district").order_by("code")


def build_template(unit: Unit) -> bytes:
    """An empty import sheet, the allowed kinds and the unit's communes, as xlsx bytes."""
    with translation.override("vi"):
        workbook = Workbook()
        data = workbook.active
        data.title = SHEET_DATA
        _header(data, [HEADERS[CODE], HEADERS[NAME], HEADERS[KIND]], [12, 40, 16])
        # Codes as text, so 00001 keeps its zeros when typed.
        data.column_dimensions["A"].number_format = "@"

        kinds = workbook.create_sheet(SHEET_KINDS)
        _header(kinds, [_("Loại"), _("Thường dùng ở")], [16, 40])
        urban = {HamletKind.TO_DAN_PHO, HamletKind.KHU_PHO, HamletKind.KHOM, HamletKind.KHU_VUC}
        for kind in HamletKind:
            if kind == HamletKind.OTHER:
                where = _("tên gọi khác (ví dụ: xóm)")
            elif kind in urban:
                where = _("phường, thị trấn")
            else:
                where = _("xã")
            kinds.append([str(kind.label), str(where)])

        communes = workbook.create_sheet(SHEET_COMMUNES)
        _header(communes, [_("Mã xã"), _("Tên xã"), _("Thuộc")], [12, 36, 36])
        count = 0
        for commune in _communes_for_template(unit):
            parent = commune.district.name if commune.district else ""
            communes.append([commune.code, commune.name, parent])
            communes.cell(row=communes.max_row, column=1).number_format = "@"
            count += 1

        # Drop-down lists on the data sheet; typing another value still works (forgiving).
        last = MAX_ROWS + 1
        kind_list = DataValidation(
            type="list",
            formula1=f"='{SHEET_KINDS}'!$A$2:$A${len(HamletKind) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        data.add_data_validation(kind_list)
        kind_list.add(f"C2:C{last}")
        if count:
            code_list = DataValidation(
                type="list",
                formula1=f"='{SHEET_COMMUNES}'!$A$2:$A${count + 1}",
                allow_blank=True,
                showErrorMessage=False,
            )
            data.add_data_validation(code_list)
            code_list.add(f"A2:A{last}")

    return spreadsheets.workbook_bytes(workbook)


def template_filename(unit: Unit) -> str:
    return f"mau-nhap-thon-ap-{unit.code}.xlsx"
