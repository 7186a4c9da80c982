"""The Vietnamese deadline phrases of plans and directives, read or refused."""

import datetime as dt

import pytest

from nongthon.plans import deadlines as dl


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("31/12/2023", dl.DATE, dt.date(2023, 12, 31)),
        ("Trước ngày 15/3/2023", dl.DATE, dt.date(2023, 3, 15)),
        ("đến ngày 01/11/2023", dl.DATE, dt.date(2023, 11, 1)),
        ("ngày 01 tháng 11 năm 2023", dl.DATE, dt.date(2023, 11, 1)),
        ("Tháng 6/2023", dl.MONTH, dt.date(2023, 6, 30)),
        ("tháng 2 năm 2024", dl.MONTH, dt.date(2024, 2, 29)),
        ("Trong tháng 6", dl.MONTH, dt.date(2023, 6, 30)),
        ("Quý II/2023", dl.QUARTER, dt.date(2023, 6, 30)),
        ("quý IV năm 2023", dl.QUARTER, dt.date(2023, 12, 31)),
        ("Quý 3", dl.QUARTER, dt.date(2023, 9, 30)),
        ("Năm 2023", dl.YEAR, dt.date(2023, 12, 31)),
        ("6 tháng đầu năm 2023", dl.DATE, dt.date(2023, 6, 30)),
    ],
)
def test_it_reads_dates_months_quarters_and_years(text, kind, due):
    parsed = dl.parse_deadline(text, default_year=2023)
    assert (parsed.kind, parsed.due) == (kind, due)


@pytest.mark.parametrize(
    ("text", "periods", "day"),
    [
        ("Định kỳ 6 tháng, năm", ("half", "year"), None),
        ("định kỳ, quý, 06 tháng, 01 năm", ("quarter", "half", "year"), None),
        ("Định kỳ hàng tháng, quý, 06 tháng, 01 năm", ("month", "quarter", "half", "year"), None),
        ("định kỳ quý, sáu tháng, cả năm", ("quarter", "half", "year"), None),
        ("Hàng tháng trước ngày 20", ("month",), 20),
        ("Trước ngày 20 hằng tháng", ("month",), 20),
        ("Hằng quý", ("quarter",), None),
        ("hằng năm", ("year",), None),
    ],
)
def test_it_reads_recurring_deadlines(text, periods, day):
    parsed = dl.parse_deadline(text)
    assert parsed.kind == dl.RECURRING
    assert parsed.periods == periods
    assert parsed.day == day


def test_it_reads_ongoing_and_event_deadlines():
    assert dl.parse_deadline("Thường xuyên").kind == dl.ONGOING
    event = dl.parse_deadline("Khi có thay đổi thành viên")
    assert event.kind == dl.ON_EVENT
    assert event.event == "Khi có thay đổi thành viên"
    assert dl.parse_deadline("").kind == dl.NONE


@pytest.mark.parametrize(
    "text",
    [
        "Trước Tết",
        "sớm nhất có thể",
        "32/13/2023",
        "30/02/2023",
        "Quý V/2023",
        "tháng 13/2023",
        "31/12/2023 hoặc khi được yêu cầu",
        "hàng tuần",
        "Thường xuyên theo dõi",
    ],
)
def test_it_refuses_what_it_cannot_read(text):
    with pytest.raises(dl.DeadlineError):
        dl.parse_deadline(text, default_year=2023)


def test_a_month_or_quarter_without_a_year_needs_the_plans_year():
    with pytest.raises(dl.DeadlineError, match="Thiếu năm"):
        dl.parse_deadline("Trong tháng 6")
    with pytest.raises(dl.DeadlineError, match="Thiếu năm"):
        dl.parse_deadline("Quý II")


def test_recurring_deadlines_expand_to_one_occurrence_per_period_end():
    year = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert dl.occurrences(("half", "year"), None, *year) == [
        dt.date(2023, 6, 30),
        dt.date(2023, 12, 31),
    ]
    quarterly = dl.occurrences(("quarter", "half", "year"), None, *year)
    assert quarterly == [
        dt.date(2023, 3, 31),
        dt.date(2023, 6, 30),
        dt.date(2023, 9, 30),
        dt.date(2023, 12, 31),
    ]
    monthly = dl.occurrences(("month",), 20, dt.date(2023, 7, 11), dt.date(2023, 12, 31))
    assert monthly[0] == dt.date(2023, 7, 20)
    assert len(monthly) == 6


def test_a_day_past_the_months_end_falls_on_its_last_day():
    assert dl.occurrences(("month",), 31, dt.date(2023, 2, 1), dt.date(2023, 2, 28)) == [
        dt.date(2023, 2, 28)
    ]
