"""The dashboard's reports panel: completeness and timeliness of the reports owed under a unit
in the 12 months before the date, read from the reporting module's own summary, every number
linking to the list of missing and late reports that counts it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nongthon.accounts.models import Role
from nongthon.places.models import Unit
from nongthon.reporting.queries import reporting_summary
from nongthon.web import dashboard
from tests.conftest import client_for, make_user
from tests.reporting_support import open_2023, period, send

DEADLINE = dt.date(2023, 3, 10)  # the communes' report of March 2023
DAY = dt.timedelta(days=1)
ON = DEADLINE + DAY


@pytest.fixture
def vi_thuy_march(hau_giang, vi_thuy):
    """Vị Thủy's first xã sends its March report on the deadline, the second a day late."""
    open_2023(hau_giang)
    march = period(hau_giang, "xa-thang", 3)
    communes = list(Unit.objects.filter(district=vi_thuy, kind="xa").order_by("code"))
    send(march, communes[0], DEADLINE)
    send(march, communes[1], DEADLINE + DAY)
    return communes


def reports_panel(user, unit, on=ON):
    return next((p for p in dashboard.build(user, unit, on) if p.key == "reports"), None)


def stat(panel, key):
    return next(s for s in panel.stats if s.key == key)


def test_the_panel_shows_the_reporting_summary_of_the_unit(vi_thuy_march, vi_thuy):
    user = make_user("huyen", vi_thuy, Role.DISTRICT_OFFICER)
    panel = reports_panel(user, vi_thuy)
    summary = reporting_summary(vi_thuy, ON)
    assert summary.expected > 0
    assert stat(panel, "reports-expected").value == summary.expected
    assert stat(panel, "reports-on-time").value == summary.on_time == 1
    assert stat(panel, "reports-late").value == summary.late == 1
    assert stat(panel, "reports-missing").value == summary.missing
    assert str(stat(panel, "reports-completeness").value) == str(summary.completeness)
    pie = panel.charts[0]
    assert pie.series[0].values == [summary.on_time, summary.late, summary.missing]
    # The short list: the oldest missing reports first, as many as the panel shows.
    assert [row.label for row in panel.rows] == [
        str(m.unit) for m in summary.missing_list[: dashboard.TOP_LIST]
    ]


def test_the_missing_and_late_figures_link_to_the_list_that_counts_them(vi_thuy_march, vi_thuy):
    user = make_user("huyen", vi_thuy, Role.DISTRICT_OFFICER)
    panel = reports_panel(user, vi_thuy)
    client = client_for(user)
    for key, state in (("reports-missing", "missing"), ("reports-late", "late")):
        figure = stat(panel, key)
        page = client.get(figure.url).content.decode()
        assert page.count(f'data-testid="problem" data-state="{state}"') == figure.value, key


def test_a_unit_with_no_report_due_says_so(hau_giang, vi_thuy):
    open_2023(hau_giang)
    user = make_user("huyen", vi_thuy, Role.DISTRICT_OFFICER)
    panel = reports_panel(user, vi_thuy, on=dt.date(2023, 1, 2))
    assert stat(panel, "reports-expected").value == 0
    assert panel.empty and not panel.charts


def test_producer_and_council_accounts_get_no_reports_panel(vi_thuy_march, vi_binh):
    officer = make_user("xa", vi_binh, Role.COMMUNE_OFFICER)
    assert reports_panel(officer, vi_binh) is not None
    for role in (Role.OCOP_PRODUCER, Role.OCOP_COUNCIL):
        assert reports_panel(make_user(f"u-{role}", vi_binh, role), vi_binh) is None


def test_the_dashboard_page_draws_the_reports_pie(vi_thuy_march, vi_thuy):
    client = client_for(make_user("huyen", vi_thuy, Role.DISTRICT_OFFICER))
    response = client.get(reverse("web:dashboard", args=[vi_thuy.pk]), {"on": ON.isoformat()})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="chart-reports-states-data"' in content
    assert reverse("reporting:missing", args=[vi_thuy.pk]) in content
