"""The plans section of accounts.permissions: who views, manages, reports, records statuses."""

import pytest

from nongthon.accounts import permissions
from nongthon.accounts.models import Role
from nongthon.plans import services
from tests.conftest import make_user
from tests.plans_support import agencies, make_plan

pytestmark = pytest.mark.django_db


def test_viewing_plans_follows_the_unit_scope(
    hau_giang, vi_thuy, province_coordinator, district_officer, commune_officer, viewer, can_tho
):
    assert permissions.can_view_plans(viewer, hau_giang)
    assert permissions.can_view_plans(district_officer, vi_thuy)
    assert not permissions.can_view_plans(district_officer, hau_giang)
    assert not permissions.can_view_plans(commune_officer, vi_thuy)
    assert not permissions.can_view_plans(province_coordinator, can_tho)


def test_managing_plans_is_for_the_province_and_district_offices(
    hau_giang,
    vi_thuy,
    vi_binh,
    province_coordinator,
    district_officer,
    commune_officer,
    viewer,
    system_admin,
):
    assert permissions.can_manage_plans(province_coordinator, hau_giang)
    assert permissions.can_manage_plans(province_coordinator, vi_thuy)
    assert permissions.can_manage_plans(district_officer, vi_thuy)
    assert not permissions.can_manage_plans(district_officer, hau_giang)
    assert not permissions.can_manage_plans(commune_officer, vi_binh)
    assert not permissions.can_manage_plans(viewer, hau_giang)
    assert permissions.can_manage_plans(system_admin, hau_giang)


def test_reporting_on_a_task_is_for_its_lead_agency_and_the_office(
    hau_giang, province_coordinator, viewer
):
    a = agencies(hau_giang)
    task = services.add_task(None, make_plan(hau_giang, 2023), content="x", lead=a["so-y-te"])
    lead = make_user("yte", hau_giang, Role.DEPARTMENT_OFFICER, a["so-y-te"])
    other = make_user("gd", hau_giang, Role.DEPARTMENT_OFFICER, a["so-gddt"])
    assert permissions.can_report_task(lead, task)
    assert permissions.can_report_task(province_coordinator, task)
    assert not permissions.can_report_task(other, task)
    assert not permissions.can_report_task(viewer, task)
    group = services.add_task(None, task.plan, content="y", lead_text="Các sở, ban, ngành")
    assert not permissions.can_report_task(lead, group)
    assert permissions.can_view_agency_tasks(lead, a["so-y-te"])


def test_statuses_are_recorded_by_the_commune_and_those_above(
    vi_binh, vi_dong, commune_officer, other_commune_officer, viewer, district_officer, vi_thuy
):
    assert permissions.can_record_statuses(commune_officer, vi_binh)
    assert permissions.can_record_statuses(district_officer, vi_binh)
    assert not permissions.can_record_statuses(other_commune_officer, vi_binh)
    assert not permissions.can_record_statuses(viewer, vi_binh)
    assert not permissions.can_record_statuses(district_officer, vi_thuy)  # not a commune
