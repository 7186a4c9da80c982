"""What the bulk imports share: per-row problems in Vietnamese, CSV in and out, and reading
loosely typed cells (a CSV cell is text, a JSON cell may be a number or a boolean)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_ROWS = 20000


@dataclass(frozen=True)
class RowError:
    """One thing wrong with one row (row None: the whole file). Rows count as the file shows
    them: the CSV line number (the header is line 1), or the position in the JSON list from 1."""

    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.field:
            return _("Dòng %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Dòng %(row)d, trường «%(field)s»: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": str(self)}


class Refused(Exception):
    """The import is refused whole; nothing was saved. `errors` lists every problem."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def read_csv(data: bytes | str, fields: list[str]) -> list[tuple[int, dict]]:
    """(line number, row) for each non-empty line; refused when the header lacks a column."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Refused([RowError(None, "", _("Tệp CSV phải mã hóa UTF-8."))]) from exc
    data = data.removeprefix("\ufeff")
    if "\x00" in data:
        raise Refused([RowError(None, "", _("Tệp CSV chứa ký tự NUL: không phải tệp văn bản."))])
    reader = csv.DictReader(io.StringIO(data))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [f for f in fields if f not in header]
    if not header or missing:
        raise Refused(
            [
                RowError(
                    None,
                    "",
                    _("Dòng tiêu đề của tệp CSV thiếu cột: %(cols)s.")
                    % {"cols": ", ".join(missing or fields)},
                )
            ]
        )
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            line = reader.line_num
            cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if not any(cells.values()):
                continue
            if len(rows) >= MAX_ROWS:
                raise Refused([RowError(None, "", too_many_rows())])
            rows.append((line, cells))
    except csv.Error as exc:
        raise Refused(
            [RowError(reader.line_num, "", _("dòng CSV không đọc được (%s)") % exc)]
        ) from exc
    return rows


def run_import(
    bulk, user, rows: list[tuple[int, dict]] | None = None, *, csv_body=None, dry_run: bool = False
):
    """A bulk module's `import_rows` on JSON rows or a CSV body, a refusal turned into the
    API's 422 `import_refused` with every row's error."""
    from nongthon.api import errors

    try:
        if csv_body is not None:
            rows = read_csv(csv_body, bulk.KEY_FIELDS)
        return bulk.import_rows(user, rows, dry_run=dry_run)
    except Refused as exc:
        raise errors.import_refused(exc.errors) from exc


def too_many_rows() -> str:
    return _("Tệp có hơn %(n)s dòng; hãy chia thành nhiều tệp.") % {
        "n": f"{MAX_ROWS:,}".replace(",", ".")
    }


def write_csv(fields: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(row.get(k)) for k in fields})
    return out.getvalue()


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int | float):
        return str(value)
    return str(value or "").strip()


def cell_int(value, low: int, high: int) -> int:
    """A whole number in [low, high]; ValueError with a Vietnamese message otherwise."""
    if isinstance(value, bool):
        raise ValueError(_("cần một số nguyên"))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(_("«%s» không phải số nguyên") % value) from exc
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(_("«%s» không phải số nguyên") % value)
    if not low <= number <= high:
        raise ValueError(_("phải từ %(low)s đến %(high)s") % {"low": low, "high": high})
    return int(number)


YES = {"true", "1", "đạt", "dat", "có", "co", "x", "yes"}
NO = {"false", "0", "chưa đạt", "chua dat", "không", "khong", "không đạt", "khong dat", "no"}


def cell_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(_("«%s» không phải true/false (Đạt/Chưa đạt)") % value)
