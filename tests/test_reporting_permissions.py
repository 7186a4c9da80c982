"""Who may read, submit, review reports and edit the schedule: a unit submits its own report, the
level above reviews its subtree's, a department submits its own, viewers read, the others get a
404 on another unit's report; every rule with its refusals."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from nongthon.accounts import permissions
from nongthon.accounts.models import Role
from nongthon.reporting import services
from tests.conftest import client_for, make_user
from tests.reporting_support import (
    department,
    department_officer_of,
    open_2023,
    period,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods_2023(hau_giang):
    return open_2023(hau_giang)


def test_a_commune_officer_submits_for_the_own_commune_only(
    commune_officer, vi_binh, vi_dong, vi_thuy
):
    assert permissions.can_submit_report(commune_officer, vi_binh)
    assert not permissions.can_submit_report(commune_officer, vi_dong)
    assert not permissions.can_submit_report(commune_officer, vi_thuy)


def test_the_levels_above_review_and_do_not_submit(
    district_officer, province_coordinator, vi_binh, vi_thuy, long_tri, hau_giang
):
    # A commune's report: its district and the province review; neither submits it.
    assert permissions.can_review_report(district_officer, vi_binh)
    assert permissions.can_review_report(province_coordinator, vi_binh)
    assert not permissions.can_submit_report(district_officer, vi_binh)
    assert not permissions.can_submit_report(province_coordinator, vi_binh)
    # Another district's commune: not Vị Thủy's to review.
    assert not permissions.can_review_report(district_officer, long_tri)
    # A district's own report: the district submits it, the province reviews it.
    assert permissions.can_submit_report(district_officer, vi_thuy)
    assert not permissions.can_review_report(district_officer, vi_thuy)
    assert permissions.can_review_report(province_coordinator, vi_thuy)
    # Nobody submits for a province.
    assert not permissions.can_submit_report(province_coordinator, hau_giang)


def test_a_commune_officer_reviews_nothing(commune_officer, vi_binh, vi_dong):
    assert not permissions.can_review_report(commune_officer, vi_binh)
    assert not permissions.can_review_report(commune_officer, vi_dong)


def test_departments_submit_for_their_own_agency_and_the_province_reviews(
    hau_giang, province_coordinator, viewer
):
    so_xd = department(hau_giang, "so-xay-dung", "Sở Xây dựng")
    so_yt = department(hau_giang, "so-y-te", "Sở Y tế")
    officer = department_officer_of(so_xd, "soxd")
    assert permissions.can_submit_report(officer, hau_giang, so_xd)
    assert not permissions.can_submit_report(officer, hau_giang, so_yt)
    assert not permissions.can_review_report(officer, hau_giang, so_yt)
    assert permissions.can_review_report(province_coordinator, hau_giang, so_xd)
    assert not permissions.can_submit_report(province_coordinator, hau_giang, so_xd)
    assert not permissions.can_submit_report(viewer, hau_giang, so_xd)


def test_a_report_addressed_to_an_agency_is_reviewed_by_its_officers(hau_giang, vi_thuy):
    so_nn = department(hau_giang, "so-nnptnt", "Sở Nông nghiệp và Phát triển nông thôn")
    so_yt = department(hau_giang, "so-y-te", "Sở Y tế")
    nn_officer = department_officer_of(so_nn, "sonn2")
    yt_officer = department_officer_of(so_yt, "soyt2")
    assert permissions.can_review_report(nn_officer, vi_thuy, None, "so-nnptnt")
    assert not permissions.can_review_report(yt_officer, vi_thuy, None, "so-nnptnt")
    assert not permissions.can_review_report(nn_officer, vi_thuy)  # level above: province


def test_viewers_read_and_producers_do_not(viewer, vi_binh, hau_giang):
    producer = make_user("chuthe", vi_binh, Role.OCOP_PRODUCER)
    council = make_user("hoidong", hau_giang, Role.OCOP_COUNCIL)
    assert permissions.can_view_reports(viewer, vi_binh)
    assert not permissions.can_submit_report(viewer, vi_binh)
    assert not permissions.can_review_report(viewer, vi_binh)
    assert not permissions.can_view_reports(producer, vi_binh)
    assert not permissions.can_view_reports(council, vi_binh)


def test_only_the_province_coordinator_edits_the_schedule(
    province_coordinator, district_officer, viewer, hau_giang, vi_thuy, can_tho
):
    assert permissions.can_manage_report_schedule(province_coordinator, hau_giang)
    assert not permissions.can_manage_report_schedule(province_coordinator, can_tho)
    assert not permissions.can_manage_report_schedule(district_officer, hau_giang)
    assert not permissions.can_manage_report_schedule(viewer, hau_giang)
    assert not permissions.can_manage_report_schedule(province_coordinator, vi_thuy)


@pytest.fixture
def sent(periods_2023, vi_binh):
    return send(period(periods_2023, "xa-thang", 3), vi_binh, dt.date(2023, 3, 9))


def test_other_units_get_a_404_on_a_report(sent, other_commune_officer, vi_binh, long_tri):
    url = reverse("reporting:submission", args=[sent.pk])
    assert client_for(other_commune_officer).get(url).status_code == 404
    far = make_user("longtri", long_tri, Role.COMMUNE_OFFICER)
    assert client_for(far).get(url).status_code == 404
    producer = make_user("chuthe2", vi_binh, Role.OCOP_PRODUCER)
    assert client_for(producer).get(url).status_code == 404
    docx = reverse("reporting:submission_docx", args=[sent.pk])
    assert client_for(far).get(docx).status_code == 404
    assert client_for(far).get(reverse("reporting:unit", args=[vi_binh.pk])).status_code == 404


def test_a_viewer_reads_but_cannot_accept(sent, viewer):
    client = client_for(viewer)
    url = reverse("reporting:submission", args=[sent.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="accept"' not in page.content.decode()
    refused = client.post(url, {"action": "accept", "version": sent.version})
    assert refused.status_code == 403
    sent.refresh_from_db()
    assert sent.status == "submitted"


def test_the_commune_cannot_accept_its_own_report(sent, commune_officer):
    url = reverse("reporting:submission", args=[sent.pk])
    response = client_for(commune_officer).post(url, {"action": "accept", "version": sent.version})
    assert response.status_code == 403


def test_another_district_cannot_return_the_report(sent, long_tri):
    from nongthon.places.models import Unit

    other_district = Unit.objects.get(pk=long_tri.district_id)
    officer = make_user("huyenkhac", other_district, Role.DISTRICT_OFFICER)
    url = reverse("reporting:submission", args=[sent.pk])
    response = client_for(officer).post(url, {"action": "return", "comment": "x", "version": 1})
    assert response.status_code == 404  # not even visible


def test_the_schedule_pages_refuse_others(
    periods_2023, hau_giang, district_officer, viewer, province_coordinator
):
    rule_url = reverse("reporting:rule", args=[hau_giang.pk, "xa-thang"])
    adhoc_url = reverse("reporting:adhoc_new", args=[hau_giang.pk])
    assert client_for(viewer).get(rule_url).status_code == 403
    assert client_for(viewer).get(adhoc_url).status_code == 403
    assert client_for(district_officer).get(rule_url).status_code == 404  # province not in scope
    assert client_for(province_coordinator).get(rule_url).status_code == 200
    with pytest.raises(PermissionDenied):
        services.open_adhoc(
            viewer,
            hau_giang,
            title="Báo cáo nhanh",
            form_code="dot-xuat",
            submitters="district",
            deadline=dt.date(2030, 1, 1),
        )
