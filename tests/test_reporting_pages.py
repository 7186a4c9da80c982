"""The reporting pages: a commune fills in and sends its report, the district returns it with a
comment and then accepts it; the grid, the list of missing reports, the compiled report, the
schedule edited by the coordinator (a new version, history, future periods only), ad-hoc
requests; the navigation item."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from nongthon.reporting import services
from nongthon.reporting.models import ReportPeriod, Schedule, Status, Submission
from nongthon.reporting.queries import missing_url
from tests.conftest import client_for
from tests.reporting_support import TEXTS, TYPED, open_2023, period, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods_2023(hau_giang):
    return open_2023(hau_giang)


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def report_post(submission, action: str, **extra) -> dict:
    data = {"action": action, "version": submission.version}
    data.update({f"typed_{k}": v for k, v in TYPED.items()})
    data.update({f"text_{k}": v for k, v in TEXTS.items()})
    data.update(extra)
    return data


def test_the_navigation_has_a_reports_item(commune_officer):
    page = client_for(commune_officer).get(reverse("home"))
    assert reverse("reporting:index") in page.content.decode()
    assert "Báo cáo" in text(page)


def test_a_commune_sends_and_the_district_returns_then_accepts(
    periods_2023, vi_binh, commune_officer, district_officer
):
    commune = client_for(commune_officer)
    unit_page = commune.get(reverse("reporting:unit", args=[vi_binh.pk]) + "?year=2023")
    assert unit_page.status_code == 200
    assert "Báo cáo tháng của xã" in text(unit_page)
    march = period(periods_2023, "xa-thang", 3)
    opened = commune.post(reverse("reporting:open", args=[march.pk, vi_binh.pk]))
    submission = Submission.objects.get(period=march, unit=vi_binh)
    assert opened.url == reverse("reporting:submission", args=[submission.pk])
    url = opened.url
    refused = commune.post(url, report_post(submission, "submit", typed_htx_kien_toan="x"))
    assert refused.status_code == 200
    assert "hãy nhập một số nguyên" in text(refused)
    sent = commune.post(url, report_post(submission, "submit"))
    assert sent.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED

    district = client_for(district_officer)
    queue = district.get(reverse("reporting:unit", args=[vi_binh.district_id]))
    assert url in queue.content.decode()
    page = district.get(url)
    assert 'data-testid="accept"' in page.content.decode()
    district.post(url, {"action": "return", "version": submission.version, "comment": "Bổ sung."})
    submission.refresh_from_db()
    assert submission.status == Status.RETURNED
    assert "Bổ sung." in text(commune.get(url))

    commune.post(url, report_post(submission, "submit"))
    submission.refresh_from_db()
    district.post(url, {"action": "accept", "version": submission.version, "comment": ""})
    submission.refresh_from_db()
    assert submission.status == Status.ACCEPTED and submission.snapshot
    page = commune.get(url)
    assert 'data-testid="frozen"' in page.content.decode()
    assert 'data-testid="submit"' not in page.content.decode()
    docx = commune.get(reverse("reporting:submission_docx", args=[submission.pk]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_stale_form_is_refused_with_a_message(periods_2023, vi_binh, commune_officer):
    march = period(periods_2023, "xa-thang", 3)
    submission = services.open_submission(commune_officer, march, vi_binh)
    services.save_draft(commune_officer, submission, submission.version, TYPED, TEXTS)
    client = client_for(commune_officer)
    url = reverse("reporting:submission", args=[submission.pk])
    response = client.post(url, report_post(submission, "save"), follow=True)
    assert "người khác sửa" in text(response)


def test_the_grid_the_missing_list_and_the_compiled_report_render(
    periods_2023, hau_giang, vi_thuy, vi_binh, province_coordinator, district_officer
):
    march = period(periods_2023, "xa-thang", 3)
    send(march, vi_binh, dt.date(2023, 3, 11))
    client = client_for(province_coordinator)
    grid = client.get(
        reverse("reporting:grid", args=[hau_giang.pk, 2023]) + "?rule=xa-thang&on=2023-03-12"
    )
    assert grid.status_code == 200
    assert grid.content.decode().count('data-testid="grid-row"') == 8
    district_grid = client_for(district_officer).get(
        reverse("reporting:grid", args=[vi_thuy.pk, 2023]) + "?rule=xa-thang&on=2023-03-12"
    )
    assert district_grid.content.decode().count('data-state="late"') == 1
    missing = client.get(missing_url(vi_thuy, dt.date(2023, 3, 12), "late"))
    assert missing.status_code == 200
    assert missing.content.decode().count('data-testid="problem"') == 1
    assert "Xã Vị Bình" in text(missing)
    compiled = client.get(
        reverse("reporting:compiled", args=[hau_giang.pk, 2023, "monthly", 3]) + "?on=2023-03-12"
    )
    assert compiled.status_code == 200
    assert "Tháng 3/2023" in text(compiled)
    xlsx = client.get(
        reverse("reporting:compiled", args=[hau_giang.pk, 2023, "monthly", 3]) + "?format=xlsx"
    )
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        client.get(reverse("reporting:compiled", args=[hau_giang.pk, 2023, "weekly", 3]))
    ).status_code == 404


def test_the_coordinator_edits_a_rule_a_new_version_for_future_periods_only(
    periods_2023, hau_giang, province_coordinator, vi_binh
):
    schedule = Schedule.objects.get(province=hau_giang)
    march = period(hau_giang, "xa-thang", 3)
    send(march, vi_binh, dt.date(2023, 3, 9))  # March has a report: it keeps its deadline
    url = reverse("reporting:rule", args=[hau_giang.pk, "xa-thang"])
    client = client_for(province_coordinator)
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "version": schedule.version,
        "code": "xa-thang",
        "name": "Báo cáo tháng của xã",
        "form": "ntm-ocop-dinh-ky",
        "submitters": "commune",
        "unit_kinds": ["xa"],
        "frequency": "monthly",
        "deadline_day": "15",
        "months_after": "0",
        "halves": ["1"],
        "recipient": "level_above",
        "active": "on",
        "source": "Quyết định của UBND tỉnh (minh họa)",
        "note": "Lùi hạn báo cáo tháng sang ngày 15",
    }
    # Edited on 1/3/2023 (the service's today): January and February are due already.
    services.save_rule(
        province_coordinator,
        hau_giang,
        {**{k: v for k, v in data.items() if k not in ("version", "note")}, "halves": [1]},
        schedule.version,
        data["note"],
        today=dt.date(2023, 3, 1),
    )
    schedule.refresh_from_db()
    assert schedule.version == 2
    deadlines = {
        p.number: p.deadline
        for p in ReportPeriod.objects.filter(province=hau_giang, rule_code="xa-thang", year=2023)
    }
    assert deadlines[2] == dt.date(2023, 2, 10)  # already due: unchanged
    assert deadlines[3] == dt.date(2023, 3, 10)  # has a report: unchanged
    assert deadlines[4] == dt.date(2023, 4, 15)  # follows the new rule
    # The page: a stale version is refused; the history lists both versions.
    stale = client.post(url, data, follow=True)
    assert "người khác sửa" in text(stale)
    page = client.get(reverse("reporting:schedule", args=[hau_giang.pk]))
    assert "Lùi hạn báo cáo tháng sang ngày 15" in text(page)
    assert page.content.decode().count('data-testid="unverified"') >= 10


def test_a_bad_rule_is_refused_on_the_page(periods_2023, hau_giang, province_coordinator):
    schedule = Schedule.objects.get(province=hau_giang)
    response = client_for(province_coordinator).post(
        reverse("reporting:rule", args=[hau_giang.pk, "new"]),
        {
            "version": schedule.version,
            "code": "xa-thang",
            "name": "Trùng mã",
            "form": "ntm-ocop-dinh-ky",
            "submitters": "commune",
            "frequency": "monthly",
            "deadline_day": "40",
            "months_after": "0",
            "recipient": "level_above",
            "source": "x",
        },
    )
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in response.content.decode() or "is-invalid" in (
        response.content.decode()
    )
    schedule.refresh_from_db()
    assert schedule.version == 1


def test_the_coordinator_opens_an_ad_hoc_report_with_its_deadline(
    periods_2023, hau_giang, province_coordinator, vi_thuy, district_officer
):
    today = dt.date.today()
    deadline = today + dt.timedelta(days=5)
    client = client_for(province_coordinator)
    response = client.post(
        reverse("reporting:adhoc_new", args=[hau_giang.pk]),
        {
            "title": "Báo cáo nhanh thiệt hại do mưa lũ",
            "form_code": "dot-xuat",
            "submitters": "district",
            "deadline": deadline.strftime("%d/%m/%Y"),
            "request_text": "Báo cáo số xã bị ảnh hưởng.",
        },
    )
    assert response.status_code == 302
    adhoc = ReportPeriod.objects.get(province=hau_giang, rule_code="adhoc")
    assert adhoc.deadline == deadline and adhoc.submitters == "district"
    page = client_for(district_officer).get(
        reverse("reporting:unit", args=[vi_thuy.pk]) + f"?year={deadline.year}"
    )
    assert "Báo cáo nhanh thiệt hại do mưa lũ" in text(page)
    late = client.post(
        reverse("reporting:adhoc_new", args=[hau_giang.pk]),
        {
            "title": "Quá khứ",
            "form_code": "dot-xuat",
            "submitters": "district",
            "deadline": "01/01/2020",
        },
    )
    assert "Hạn gửi phải từ hôm nay" in text(late)


def test_the_progress_report_goes_to_the_department_of_agriculture(
    periods_2023, hau_giang, vi_thuy, province_coordinator
):
    from tests.reporting_support import department, department_officer_of

    so_nn = department(hau_giang, "so-nnptnt", "Sở Nông nghiệp và Phát triển nông thôn")
    officer = department_officer_of(so_nn, "sonn3")
    progress = period(hau_giang, "huyen-tien-do-so-nn", 3)
    assert progress.deadline == dt.date(2023, 3, 20)
    sent = send(progress, vi_thuy, dt.date(2023, 3, 18))
    client = client_for(officer)
    page = client.get(reverse("reporting:agency", args=[so_nn.pk]))
    url = reverse("reporting:submission", args=[sent.pk])
    assert url in page.content.decode()
    # The province's queue holds it too (the coordinator may review it), not a commune's.
    queue = client_for(province_coordinator).get(reverse("reporting:unit", args=[hau_giang.pk]))
    assert url in queue.content.decode()
    client.post(url, {"action": "accept", "version": sent.version, "comment": ""})
    sent.refresh_from_db()
    assert sent.status == Status.ACCEPTED and sent.accepted_by == officer
