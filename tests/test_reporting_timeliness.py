"""Completeness and timeliness at the deadline's boundaries (fixed dates): sent on the deadline
day is on time, the day after is late, nothing by the deadline is missing from the next day;
the grid units × periods with its totals; the dashboard's summary and its query count."""

import datetime as dt

import pytest

from nongthon.places.models import Unit
from nongthon.reporting import queries
from nongthon.reporting.queries import LATE, MISSING, ON_TIME, OPEN, reporting_summary, timeliness
from tests.reporting_support import (
    department,
    open_2023,
    period,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods_2023(hau_giang):
    return open_2023(hau_giang)


DEADLINE = dt.date(2023, 3, 10)  # the communes' report of March 2023
DAY = dt.timedelta(days=1)


def test_the_deadline_day_itself_is_on_time_and_the_day_after_is_late():
    assert timeliness(DEADLINE, DEADLINE, DEADLINE + 5 * DAY) == ON_TIME
    assert timeliness(DEADLINE, DEADLINE + DAY, DEADLINE + 5 * DAY) == LATE
    assert timeliness(DEADLINE, None, DEADLINE) == OPEN
    assert timeliness(DEADLINE, None, DEADLINE + DAY) == MISSING
    # A report sent after the day we look at does not count yet.
    assert timeliness(DEADLINE, DEADLINE + DAY, DEADLINE) == OPEN


def xa_of(district_code: str) -> list[Unit]:
    return list(Unit.objects.filter(district__code=district_code, kind="xa").order_by("code"))


@pytest.fixture
def vi_thuy_march(periods_2023, vi_thuy):
    """Vị Thủy's 9 xã owe the March report (due 10/3/2023): the first sends on the deadline
    day, the second the day after, the others nothing."""
    march = period(periods_2023, "xa-thang", 3)
    communes = xa_of(vi_thuy.code)
    send(march, communes[0], DEADLINE)
    send(march, communes[1], DEADLINE + DAY)
    return march, communes


def test_the_summary_counts_on_time_late_and_missing_at_the_boundaries(vi_thuy_march, vi_thuy):
    march, communes = vi_thuy_march
    since = dt.date(2023, 3, 1)
    on_deadline = reporting_summary(vi_thuy, DEADLINE, since=since)
    # On the deadline day nothing is missing yet: the March period is not considered.
    assert on_deadline.periods == []
    assert on_deadline.expected == on_deadline.missing == 0

    day_after = reporting_summary(vi_thuy, DEADLINE + DAY, since=since)
    # Due on 10/3: the xã's March and first-quarter reports, the district's own two.
    rules = [p.rule_code for p in day_after.periods]
    assert rules == ["huyen-quy", "huyen-thang", "xa-quy", "xa-thang"]
    assert march.pk in [p.pk for p in day_after.periods]
    assert day_after.expected == 9 + 9 + 1 + 1
    # The late report is sent on the day after; looking on that day it is received, late.
    assert (day_after.on_time, day_after.late, day_after.missing) == (1, 1, 18)
    missing = [(m.period.rule_code, m.unit) for m in day_after.missing_list]
    assert missing == (
        [("huyen-quy", vi_thuy), ("huyen-thang", vi_thuy)]
        + [("xa-quy", c) for c in communes]
        + [("xa-thang", c) for c in communes[2:]]
    )
    assert all(m.deadline == DEADLINE for m in day_after.missing_list)
    assert day_after.missing_list[0].form.code == "ntm-ocop-dinh-ky"
    assert day_after.completeness == pytest.approx(10.0)
    assert day_after.timeliness == pytest.approx(5.0)


def test_the_summary_looks_at_stored_reports_as_of_the_day(vi_thuy_march, vi_thuy, hau_giang):
    march, communes = vi_thuy_march
    # Later reports exist, but looking back at the day after the deadline they do not count.
    send(march, communes[2], DEADLINE + 10 * DAY)
    summary = reporting_summary(vi_thuy, DEADLINE + DAY, since=dt.date(2023, 3, 1))
    assert (summary.on_time, summary.late, summary.missing) == (1, 1, 18)
    assert summary.completeness == pytest.approx(10.0)


def test_the_summary_of_a_province_counts_its_districts_communes_and_departments(
    periods_2023, hau_giang
):
    department(hau_giang, "so-xay-dung", "Sở Xây dựng")
    department(hau_giang, "so-y-te", "Sở Y tế")
    on = dt.date(2023, 6, 13)  # the day after the departments' six-month deadline (12/6)
    summary = reporting_summary(hau_giang, on, since=dt.date(2023, 6, 1))
    rules = sorted({p.rule_code for p in summary.periods})
    assert rules == ["huyen-6-thang", "huyen-quy", "huyen-thang", "so-6-thang", "xa-6-thang",
                     "xa-quy", "xa-thang"]  # fmt: skip
    # 51 xã × 3 commune periods + 8 districts × 3 + 2 departments.
    assert summary.expected == 51 * 3 + 8 * 3 + 2
    assert summary.missing == summary.expected
    assert len(summary.missing_list) == 50 and not summary.missing_list_complete
    names = {m.unit.name for m in reporting_summary(hau_giang, on, since=on - DAY).missing_list}
    assert names == {"Sở Xây dựng", "Sở Y tế"}


def test_the_summary_reads_a_bounded_number_of_queries(
    vi_thuy_march, hau_giang, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        summary = reporting_summary(hau_giang, dt.date(2023, 12, 31), limit=20)
    assert summary.expected > 500 and len(summary.missing_list) == 20


def test_the_grid_of_a_district_shows_each_commune_and_the_totals(vi_thuy_march, vi_thuy):
    march, communes = vi_thuy_march
    grid = queries.grid(vi_thuy, "xa-thang", 2023, DEADLINE + DAY)
    assert [row.who for row in grid.rows] == communes
    column = [p.pk for p in grid.periods].index(march.pk)
    states = [row.cells[column].state.code for row in grid.rows]
    assert states == [ON_TIME, LATE] + [MISSING] * 7
    # April is not due yet: open, and not missing.
    assert {row.cells[column + 1].state.code for row in grid.rows} == {OPEN}
    totals = grid.totals[column]
    assert (totals.expected, totals.on_time, totals.late, totals.missing) == (9, 1, 1, 7)
    assert grid.totals[column + 1].missing == 0
    assert grid.totals[0].missing == 9  # January: nothing sent at all


def test_the_grid_of_a_province_groups_the_communes_by_district(vi_thuy_march, hau_giang, vi_thuy):
    march, _communes = vi_thuy_march
    grid = queries.grid(hau_giang, "xa-thang", 2023, DEADLINE + DAY)
    assert grid.grouped_by_district
    assert len(grid.rows) == 8  # every district-level unit has xã
    column = [p.pk for p in grid.periods].index(march.pk)
    row = next(r for r in grid.rows if r.who == vi_thuy)
    cell = row.cells[column]
    assert (cell.expected, cell.on_time, cell.late) == (9, 1, 1)
    assert grid.totals[column].expected == 51
    assert grid.totals[column].missing == 49


def test_the_list_of_problems_holds_late_and_missing_reports(vi_thuy_march, vi_thuy):
    march, communes = vi_thuy_march
    rows, cut = queries.problem_rows(vi_thuy, DEADLINE + DAY, since=dt.date(2023, 3, 1))
    assert not cut
    monthly = [(r.who, r.state.code) for r in rows if r.period == march]
    assert monthly == [(communes[1], LATE)] + [(c, MISSING) for c in communes[2:]]
    assert len(rows) == 1 + 18
    late_only, _ = queries.problem_rows(vi_thuy, DEADLINE + DAY, dt.date(2023, 3, 1), LATE)
    assert [r.who for r in late_only] == [communes[1]]
