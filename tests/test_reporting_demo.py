"""The demo's reports (built here for 2023 and Vị Thủy only, to stay fast; `nongthon demo` builds
2022 and 2023 and every district): Hậu Giang's default schedule, reports of xã, a district and
five departments, some late, some missing, one returned with comments, the rest accepted or
waiting; all marked illustrative."""

import datetime as dt

import pytest

from nongthon.demo import reporting_data
from nongthon.places.agencies import create_default_agencies
from nongthon.reporting.aggregation import compile_report
from nongthon.reporting.models import Event, ReportPeriod, Schedule, Status, Submission
from nongthon.reporting.queries import reporting_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(hau_giang):
    create_default_agencies(hau_giang)
    reporting_data.build_reporting(lambda _m: None, years=(2023,), districts=("935",))
    return hau_giang


def test_the_demo_holds_reports_late_missing_returned_and_accepted(demo):
    # The default schedule, the year opened, one ad-hoc request.
    assert Schedule.objects.get(province=demo).version == 1
    assert ReportPeriod.objects.filter(province=demo, year=2023).count() == 50 + 1
    assert ReportPeriod.objects.filter(province=demo, year=2023, rule_code="adhoc").count() == 1
    # Reports of xã, districts and five departments, all illustrative.
    reports = Submission.objects.filter(unit__province=demo) | Submission.objects.filter(unit=demo)
    assert not reports.filter(illustrative=False).exists()
    levels = set(reports.values_list("unit__level", flat=True))
    assert levels == {"commune", "district", "province"}
    departments = set(reports.filter(agency__isnull=False).values_list("agency__code", flat=True))
    assert departments == set(reporting_data.DEPARTMENTS)
    assert reports.filter(status=Status.ACCEPTED).count() > 100
    assert reports.filter(status=Status.SUBMITTED).exists()
    # One returned with comments; Vị Bình's December 2023 report left for the demo user.
    returned = Submission.objects.get(status=Status.RETURNED)
    assert returned.unit.name == "Xã Vị Bình"
    assert (returned.period.rule_code, returned.period.number) == ("xa-quy", 4)
    assert "bổ sung" in returned.events.get(action=Event.Action.RETURNED).comment
    assert not Submission.objects.filter(
        unit__code="31468", period__rule_code="xa-thang", period__year=2023, period__number=12
    ).exists()
    # Some late, some missing, most on time.
    vi_thuy = demo.__class__.objects.get(code="935")
    summary = reporting_summary(vi_thuy, dt.date(2024, 1, 1), since=dt.date(2023, 1, 1))
    assert summary.late > 0 and summary.missing > 0
    assert summary.on_time > summary.late + summary.missing
    assert summary.expected == summary.on_time + summary.late + summary.missing
    # The compiled yearly report of the district from its xã's reports (accepted: snapshots).
    compiled = compile_report(vi_thuy, "yearly", 2023, 1)
    periodic = compiled.forms[0]
    assert periodic.primary.submitters == "commune"
    assert 0 < periodic.primary.received <= 9
    assert compiled.illustrative
