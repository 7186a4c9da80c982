"""Deadlines as Vietnamese documents write them, read into a kind and dates; recurring ones
expanded into occurrences. Pure functions, no database.

Read: "31/12/2023", "ngày 01 tháng 11 năm 2023", "trước ngày 15/3/2023", "tháng 6/2023",
"trong tháng 6" (with the plan's year), "quý II/2023", "quý 3", "năm 2023", "6 tháng đầu năm
2023", "định kỳ 6 tháng, năm", "định kỳ hàng tháng, quý, 06 tháng, 01 năm", "hàng tháng trước
ngày 20", "hằng quý", "thường xuyên", "khi có thay đổi thành viên" (any "khi ..." event).
Anything else is refused with DeadlineError naming what could not be read: a guessed deadline
would put a task on the wrong list.

When a period is due: a month, quarter, half-year or year is due on its last day, or on day N of
its last month when the phrase says "trước ngày N". The reference gives no other rule (reporting
days of TT 01/2022 are not in shared/reference/), so this is the reading, not a regulation.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from nongthon.places.text import fold

DATE = "date"
MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
RECURRING = "recurring"
ONGOING = "ongoing"
ON_EVENT = "on_event"
NONE = "none"

PERIODS = ("month", "quarter", "half", "year")
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# Words that carry no deadline of their own around the parts we read.
FILLERS = {
    "truoc",
    "ngay",
    "han",
    "cham",
    "nhat",
    "trong",
    "hoan",
    "thanh",
    "vao",
    "den",
    "va",
    "hoac",
    "dinh",
    "ky",
    "hang",
    "moi",
    "tu",
    "bao",
    "cao",
    "ket",
    "qua",
    "thuc",
    "hien",
}


class DeadlineError(ValueError):
    """The phrase could not be read; the message says what was left over."""


@dataclass(frozen=True)
class Deadline:
    kind: str
    text: str
    due: dt.date | None = None
    periods: tuple[str, ...] = ()
    day: int | None = None
    event: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def recurrence(self) -> dict:
        if self.kind != RECURRING:
            return {}
        return {"periods": list(self.periods), "day": self.day}


# Years a plan's deadline can sensibly name; "năm 0000" or "31/12/9999" is a typing error, and
# dates at the ends of the calendar would overflow later arithmetic.
MIN_YEAR, MAX_YEAR = 1900, 2100


def _year(year: int | None, text: str) -> int:
    if year is None:
        raise DeadlineError(f"Thiếu năm: «{text}»")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DeadlineError(f"Năm {year} không hợp lệ (từ {MIN_YEAR} đến {MAX_YEAR}): «{text}»")
    return year


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int, text: str) -> dt.date:
    year = _year(year, text)
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DeadlineError(f"Ngày không hợp lệ: «{text}»") from exc


def _leftover(folded: str, spans: list[tuple[int, int]], text: str) -> None:
    """Refuse when words other than fillers remain outside the parts that were read."""
    rest = list(folded)
    for start, end in spans:
        for i in range(start, end):
            rest[i] = " "
    words = re.findall(r"[a-z0-9]+", "".join(rest))
    unknown = [w for w in words if w not in FILLERS]
    if unknown:
        raise DeadlineError(f"Không đọc được thời hạn «{text}»: không hiểu «{' '.join(unknown)}»")


def _recurring(folded: str, text: str) -> Deadline | None:
    if not re.search(r"\b(dinh ky|hang|moi)\b", folded):
        return None
    spans: list[tuple[int, int]] = []
    periods: set[str] = set()
    day = None
    m = re.search(r"truoc ngay (\d{1,2})\b(?!\s*/)", folded)
    if m:
        day = int(m.group(1))
        if not 1 <= day <= 31:
            raise DeadlineError(f"Ngày không hợp lệ: «{text}»")
        spans.append(m.span())
    patterns = [
        (r"\b(0?6|sau) thang( dau nam| cuoi nam)?\b", "half"),
        (r"\b(01 |1 |ca )?nam\b", "year"),
        (r"\bquy\b", "quarter"),
        (r"\b(hang |moi )?thang\b", "month"),
        (r"\btuan\b", "week"),
    ]
    taken = [False] * len(folded)
    for pattern, period in patterns:
        for m in re.finditer(pattern, folded):
            if any(taken[m.start() : m.end()]):
                continue
            if period == "week":
                raise DeadlineError(f"Chưa hỗ trợ thời hạn hằng tuần: «{text}»")
            periods.add(period)
            spans.append(m.span())
            for i in range(m.start(), m.end()):
                taken[i] = True
    if not periods:
        return None
    _leftover(folded, spans, text)
    ordered = tuple(p for p in PERIODS if p in periods)
    return Deadline(RECURRING, text, periods=ordered, day=day)


def parse_deadline(text: str, default_year: int | None = None) -> Deadline:
    """Read one deadline phrase. `default_year` completes "tháng 6" or "quý II" (the plan's
    year); without it such a phrase is refused."""
    raw = " ".join((text or "").split())
    folded = fold(raw).replace("–", "-")
    folded = re.sub(r"[,;.:()]", " ", folded)
    folded = " ".join(folded.split())
    if not folded:
        return Deadline(NONE, raw)
    if folded.startswith("khi "):
        return Deadline(ON_EVENT, raw, event=raw)
    recurring = _recurring(folded, raw)
    if recurring is not None:
        return recurring
    if folded == "thuong xuyen" or folded in {"lien tuc", "thuong xuyen lien tuc"}:
        return Deadline(ONGOING, raw)

    # dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy)
    m = re.search(r"\b(\d{1,2})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{4})\b", folded)
    if m:
        _leftover(folded, [m.span()], raw)
        return Deadline(DATE, raw, due=_safe_date(int(m[3]), int(m[2]), int(m[1]), raw))
    m = re.search(r"\bngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})\b", folded)
    if m:
        _leftover(folded, [m.span()], raw)
        return Deadline(DATE, raw, due=_safe_date(int(m[3]), int(m[2]), int(m[1]), raw))
    # 6 tháng đầu / cuối năm
    m = re.search(r"\b(0?6|sau) thang (dau|cuoi) nam( (\d{4}))?\b", folded)
    if m:
        year = _year(int(m[4]) if m[4] else default_year, raw)
        _leftover(folded, [m.span()], raw)
        month = 6 if m[2] == "dau" else 12
        return Deadline(DATE, raw, due=_last_day(year, month))
    m = re.search(r"\bthang (\d{1,2})(?:\s*/\s*| nam )(\d{4})\b", folded) or re.search(
        r"\bthang (\d{1,2})\b(?!\s*/)", folded
    )
    if m:
        month = int(m[1])
        year = _year(int(m[2]) if m.lastindex and m.lastindex >= 2 else default_year, raw)
        if not 1 <= month <= 12:
            raise DeadlineError(f"Tháng không hợp lệ: «{raw}»")
        _leftover(folded, [m.span()], raw)
        return Deadline(MONTH, raw, due=_last_day(year, month))
    m = re.search(r"\bquy (iv|iii|ii|i|[1-4])(?:(?:\s*/\s*| nam )(\d{4}))?\b", folded)
    if m:
        quarter = ROMAN.get(m[1]) or int(m[1])
        year = _year(int(m[2]) if m[2] else default_year, raw)
        _leftover(folded, [m.span()], raw)
        return Deadline(QUARTER, raw, due=_last_day(year, quarter * 3))
    m = re.search(r"\b(?:ca |cuoi )?nam (\d{4})\b", folded)
    if m:
        _leftover(folded, [m.span()], raw)
        return Deadline(YEAR, raw, due=dt.date(_year(int(m[1]), raw), 12, 31))
    raise DeadlineError(f"Không đọc được thời hạn «{raw}»")


def _due_in_period(period_end: dt.date, day: int | None) -> dt.date:
    if day is None:
        return period_end
    return dt.date(period_end.year, period_end.month, min(day, period_end.day))


def occurrences(
    periods: list[str] | tuple[str, ...], day: int | None, start: dt.date, end: dt.date
) -> list[dt.date]:
    """Due dates of a recurring deadline between `start` and `end` (both included), one per
    period end; a date shared by two periods (31/12 ends the quarter, the half and the year)
    appears once."""
    dates: set[dt.date] = set()
    for period in periods:
        step = PERIOD_MONTHS[period]
        for year in range(start.year, end.year + 1):
            for month in range(step, 13, step):
                due = _due_in_period(_last_day(year, month), day)
                if start <= due <= end:
                    dates.add(due)
    return sorted(dates)
