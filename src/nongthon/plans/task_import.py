"""Import a task appendix (phụ lục nhiệm vụ) from an Excel sheet or a Word table with the usual
columns: TT, Nội dung thực hiện, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian hoàn thành.

Reading makes a preview and saves nothing: each row with its content, agencies matched by
diacritic-insensitive name (abbreviations expanded: "Sở NN&PTNT" = "Sở Nông nghiệp và Phát
triển nông thôn"), its deadline read by plans.deadlines, and its errors. Names no agency matches
go to a review step where the user picks an agency or keeps the name as written (a group such as
"Các sở, ban, ngành tỉnh"). import_tasks() then saves all rows or none.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.places.models import Agency, Level, Unit
from nongthon.places.text import clean_name, fold
from nongthon.plans import deadlines as dl
from nongthon.plans import services
from nongthon.plans.models import DeadlineKind, Directive, Plan
from nongthon.web import uploads
from nongthon.web.forms import int_param

KEEP_AS_TEXT = "__text__"
MAX_ROWS = 2000

COLUMNS = {
    "tt": ("tt", "stt", "so tt"),
    "content": ("noi dung",),
    "lead": ("chu tri",),
    "coordinators": ("phoi hop",),
    "deadline": ("thoi gian", "thoi han", "han hoan thanh"),
}

# Abbreviations as plans write agency names, expanded before comparing (folded, lower case).
ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "ubmttq": "uy ban mat tran to quoc",
    "ubmttqvn": "uy ban mat tran to quoc viet nam",
    "vpdp": "van phong dieu phoi",
    "ntm": "nong thon moi",
    "nn": "nong nghiep",
    "ptnt": "phat trien nong thon",
    "kh": "ke hoach",
    "dt": "dau tu",
    "gtvt": "giao thong van tai",
    "gd": "giao duc",
    "tt": "thong tin",
    "tn": "tai nguyen",
    "mt": "moi truong",
    "ld": "lao dong",
    "tb": "thuong binh",
    "xh": "xa hoi",
    "vh": "van hoa",
    "khcn": "khoa hoc va cong nghe",
    "bcd": "ban chi dao",
    "ctmtqg": "cac chuong trinh muc tieu quoc gia",
    "mtqg": "muc tieu quoc gia",
}
# The level word that only says where the agency sits ("Sở Tài chính tỉnh"): one is ignored at
# the end of a name when comparing. Only one: "UBND huyện, thị xã, thành phố" (a group) must not
# shrink to "UBND" and match the province's "UBND tỉnh".
PLACE_PHRASES = (("thanh", "pho"), ("thi", "xa"), ("thi", "tran"), ("tinh",), ("huyen",), ("xa",))


def agency_key(name: str) -> str:
    words = re.sub(r"[&,.;:()\-–/]", " ", fold(name)).replace(" & ", " va ").split()
    expanded: list[str] = []
    for word in words:
        expanded.extend(ABBREVIATIONS.get(word, word).split())
    for phrase in PLACE_PHRASES:
        if len(expanded) > len(phrase) and tuple(expanded[-len(phrase) :]) == phrase:
            del expanded[-len(phrase) :]
            break
    return " ".join(w for w in expanded if w != "va")


PERIOD_WORDS = {
    "month": gettext_lazy("tháng"),
    "quarter": gettext_lazy("quý"),
    "half": gettext_lazy("6 tháng"),
    "year": gettext_lazy("năm"),
}


def deadline_label(parsed: dl.Deadline) -> str:
    """How the review page shows a reading: the date, the periods, or the kind."""
    if parsed.due:
        return parsed.due.strftime("%d/%m/%Y")
    if parsed.kind == dl.RECURRING:
        label = _("định kỳ: %(p)s") % {"p": ", ".join(str(PERIOD_WORDS[p]) for p in parsed.periods)}
        if parsed.day:
            label += _(", trước ngày %(d)s") % {"d": parsed.day}
        return label
    return str(DeadlineKind(parsed.kind).label)


@dataclass
class ImportRow:
    line: int
    tt: str
    content: str
    lead_name: str
    coordinator_names: list[str]
    deadline_text: str
    section: str = ""
    deadline_kind: str = ""
    deadline_due: str = ""
    lead_id: int | None = None
    lead_match: str = ""
    coordinator_ids: list[int | None] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[ImportRow]
    unmatched: list[str]
    candidates: list[tuple[int, str]]
    file_error: str = ""

    @property
    def row_errors(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def can_confirm(self) -> bool:
        return not self.file_error and bool(self.rows) and not self.row_errors

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": [asdict(r) for r in self.rows],
            "unmatched": self.unmatched,
            "file_error": self.file_error,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], candidates: list[tuple[int, str]]) -> Preview:
        return cls(
            [ImportRow(**r) for r in data["rows"]],
            data["unmatched"],
            candidates,
            data.get("file_error", ""),
        )


def province_of(unit: Unit) -> Unit:
    return unit if unit.level == Level.PROVINCE else unit.province


def candidate_agencies(unit: Unit, day: dt.date | None = None) -> list[Agency]:
    """Agencies a task of `unit` may name: those of its province and the units under it that
    existed on `day` (the document's date: a 2023 plan names the pre-2025 departments)."""
    province = province_of(unit)
    return list(
        Agency.objects.valid_on(day or dt.date.today())
        .filter(unit__in=Unit.objects.subtree(province))
        .select_related("unit")
        .order_by("unit__code", "kind", "name")
    )


def _table_from_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = [
        ["" if v is None else clean_name(str(v)) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return rows


def _table_from_docx(data: bytes) -> list[list[str]]:
    from docx import Document

    document = Document(io.BytesIO(data))
    for table in document.tables:
        rows = [[clean_name(cell.text) for cell in row.cells] for row in table.rows]
        if _header_index(rows) is not None:
            return rows
    return []


def _header_index(rows: list[list[str]]) -> int | None:
    for index, row in enumerate(rows[:20]):
        folded = [fold(c) for c in row]
        if any("noi dung" in c for c in folded) and any("chu tri" in c for c in folded):
            return index
    return None


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        folded = fold(cell)
        for key, words in COLUMNS.items():
            if key not in found and any(
                folded == w or (key != "tt" and w in folded) for w in words
            ):
                found[key] = index
                break
    return found


def _split_names(cell: str) -> list[str]:
    """Coordinating agencies as listed: ";", new lines and "," separate them, except inside
    parentheses, and a piece after a comma that starts in lower case continues the one before
    ("Các sở, ban, ngành tỉnh", "UBND huyện, thị xã, thành phố" are one group each)."""
    names: list[str] = []
    after_comma = False
    for piece in re.split(r"([;\n]|,(?![^()]*\)))", cell or ""):
        if piece in (";", "\n"):
            after_comma = False
            continue
        if piece == ",":
            after_comma = True
            continue
        text = clean_name(piece)
        if not text:
            continue
        if after_comma and names and text[0].islower():
            names[-1] = f"{names[-1]}, {text}"
        else:
            names.append(text)
        after_comma = False
    return names


ROMAN = re.compile(r"^(?=[ivxlc]+$)[ivxlc]+\.?$", re.IGNORECASE)


def source_day(source: Plan | Directive) -> dt.date:
    return source.start if isinstance(source, Plan) else source.issued_on


def read_appendix(
    filename: str, data: bytes, unit: Unit, default_year: int, day: dt.date | None = None
) -> Preview:
    """Parse a file into a preview; nothing is saved. `day`: the document's date, for which
    agencies existed (default: 1 January of `default_year`)."""
    agencies = candidate_agencies(unit, day or dt.date(default_year, 1, 1))
    candidates = [(a.pk, f"{a.name} ({a.unit.name})") for a in agencies]
    # Which reader by the content, not the name; the archive bounded before it is opened.
    try:
        kind = uploads.check_office_data(data, filename, kinds=(uploads.XLSX, uploads.DOCX))
    except ValidationError as exc:
        if exc.code == "file_type":
            return Preview([], [], candidates, _("Chỉ nhận tệp .xlsx hoặc .docx."))
        return Preview([], [], candidates, exc.messages[0])
    try:
        table = _table_from_xlsx(data) if kind == uploads.XLSX else _table_from_docx(data)
    except Exception:  # noqa: BLE001  (a broken upload is the user's file, not our bug)
        return Preview(
            [], [], candidates, _("Không đọc được tệp: tệp hỏng hoặc không đúng định dạng.")
        )
    header_at = _header_index(table)
    if header_at is None:
        return Preview(
            [],
            [],
            candidates,
            _(
                "Không tìm thấy dòng tiêu đề (TT, Nội dung thực hiện, Cơ quan chủ trì, Cơ quan"
                " phối hợp, Thời gian hoàn thành)."
            ),
        )
    columns = _columns(table[header_at])
    missing = [k for k in ("content", "lead", "deadline") if k not in columns]
    if missing:
        names = {
            "content": "Nội dung thực hiện",
            "lead": "Cơ quan chủ trì",
            "deadline": "Thời gian hoàn thành",
        }
        return Preview(
            [],
            [],
            candidates,
            _("Thiếu cột: %(c)s.") % {"c": ", ".join(names[k] for k in missing)},
        )
    by_key: dict[str, int] = {}
    names = {a.pk: a.name for a in agencies}
    for agency in agencies:
        for name in (agency.name, agency.short_name):
            if name:
                by_key.setdefault(agency_key(name), agency.pk)

    def cell(row: list[str], key: str) -> str:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else ""

    rows: list[ImportRow] = []
    unmatched: list[str] = []
    section = ""
    body = table[header_at + 1 :]
    if len(body) > MAX_ROWS:
        return Preview([], [], candidates, _("Tệp quá %(n)s dòng.") % {"n": MAX_ROWS})
    for offset, raw in enumerate(body, start=header_at + 2):
        tt, content = cell(raw, "tt"), cell(raw, "content")
        lead_name, coordinators = cell(raw, "lead"), cell(raw, "coordinators")
        deadline_text = cell(raw, "deadline")
        if not any((tt, content, lead_name, coordinators, deadline_text)):
            continue
        # A heading row (I, II... or a title with no agency and no deadline) opens a section.
        if not lead_name and not deadline_text and (ROMAN.match(tt) or not tt):
            section = " ".join(p for p in (tt, content) if p)
            continue
        row = ImportRow(
            offset, tt, content, lead_name, _split_names(coordinators), deadline_text, section
        )
        if not content:
            row.errors.append(_("Dòng %(n)s: thiếu nội dung thực hiện.") % {"n": offset})
        if not lead_name:
            row.errors.append(_("Dòng %(n)s: thiếu cơ quan chủ trì.") % {"n": offset})
        else:
            row.lead_id = by_key.get(agency_key(lead_name))
            row.lead_match = names.get(row.lead_id, "")
            if row.lead_id is None and lead_name not in unmatched:
                unmatched.append(lead_name)
        for name in row.coordinator_names:
            agency_id = by_key.get(agency_key(name))
            row.coordinator_ids.append(agency_id)
            if agency_id is None and name not in unmatched:
                unmatched.append(name)
        try:
            parsed = dl.parse_deadline(deadline_text, default_year)
            row.deadline_kind = parsed.kind
            row.deadline_due = deadline_label(parsed)
        except dl.DeadlineError as exc:
            row.errors.append(_("Dòng %(n)s: %(e)s") % {"n": offset, "e": exc})
        rows.append(row)
    return Preview(rows, unmatched, candidates)


@transaction.atomic
def import_tasks(
    user: User | None, source: Plan | Directive, preview: Preview, mapping: dict[str, str]
) -> int:
    """Save every row of a reviewed preview, or none. `mapping`: unmatched name → agency id
    (as a string) or KEEP_AS_TEXT. Raises ValidationError listing every problem."""
    if user is not None and not permissions.can_manage_plans(user, source.unit):
        raise PermissionDenied(
            _("Bạn không có quyền quản lý kế hoạch của %(u)s.") % {"u": source.unit}
        )
    allowed = {a.pk: a for a in candidate_agencies(source.unit, source_day(source))}
    problems = [e for r in preview.rows for e in r.errors]
    if preview.file_error:
        problems.append(preview.file_error)
    resolved: dict[str, Agency | None] = {}
    for name in preview.unmatched:
        choice = mapping.get(name, "")
        if choice == KEEP_AS_TEXT:
            resolved[name] = None
        elif int_param(choice) in allowed:
            resolved[name] = allowed[int_param(choice)]
        else:
            problems.append(_("Chưa chọn cơ quan cho «%(n)s».") % {"n": name})
    if problems:
        raise ValidationError(problems)
    created = 0
    for row in preview.rows:
        lead = allowed.get(row.lead_id) if row.lead_id else resolved.get(row.lead_name)
        lead_text = "" if lead else row.lead_name
        coordinators, coordinators_text = [], []
        for name, agency_id in zip(row.coordinator_names, row.coordinator_ids, strict=True):
            agency = allowed.get(agency_id) if agency_id else resolved.get(name)
            if agency is not None:
                coordinators.append(agency)
            else:
                coordinators_text.append(name)
        try:
            services.add_task(
                user,
                source,
                content=row.content,
                lead=lead,
                lead_text=lead_text,
                coordinators=coordinators,
                coordinators_text=", ".join(coordinators_text),
                deadline_text=row.deadline_text,
                section=row.section,
            )
        except ValidationError as exc:
            messages = [
                m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms
            ]
            raise ValidationError(
                [_("Dòng %(n)s: %(e)s") % {"n": row.line, "e": m} for m in messages]
            ) from None
        created += 1
    return created
