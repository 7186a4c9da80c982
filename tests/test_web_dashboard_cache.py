"""A dashboard's panels (and a plan's target figures) are computed once per state of its
province's data: a second view reads them back (a handful of queries), while any write in the
province (an audited save, a bulk re-evaluation), a write to data of no province, another user,
another date or another language computes them anew. A write in another province leaves them
cached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nongthon.accounts.models import Role
from nongthon.assessment.evaluation import recompute_set
from nongthon.places.models import Edition, Level, ProvinceStamp, Unit
from tests.conftest import client_for, make_user
from tests.test_matrix import enter

pytestmark = pytest.mark.django_db
ON = dt.date(2023, 12, 31)
CACHED = 12  # queries of a view served from the cache (session, user, state, page chrome)


@pytest.fixture
def family(tiny_set) -> str:
    return tiny_set.family


@pytest.fixture
def evaluated(family, vi_binh, vi_dong):
    enter(vi_binh, family, **{"3.1": "90", "3.2": True, "10": True})
    enter(vi_dong, family, **{"3.1": "70", "3.2": True, "10": True})


@pytest.fixture
def client(province_coordinator):
    return client_for(province_coordinator)


def view(client, unit, on=ON, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/tong-quan/{unit.pk}/", {"on": on.isoformat()}, **extra)
    assert response.status_code == 200
    stats = {s.key: s.value for p in response.context["panels"] for s in p.stats}
    return stats, len(queries)


def test_a_second_view_reads_the_panels_back(evaluated, hau_giang, client):
    first, computed = view(client, hau_giang)
    again, cached = view(client, hau_giang)
    assert again == first
    assert cached <= CACHED < computed


def test_a_value_saved_in_the_province_shows_at_once(evaluated, family, hau_giang, client, vi_dong):
    before, _n = view(client, hau_giang)
    assert before["criteria-all-met"] == 1
    enter(vi_dong, family, **{"3.1": "95", "3.2": True, "10": True})
    after, _n = view(client, hau_giang)
    assert after["criteria-all-met"] == 2


def test_a_bulk_re_evaluation_stamps_the_province(evaluated, hau_giang, client, tiny_set):
    view(client, hau_giang)
    stamp = ProvinceStamp.objects.get(province=hau_giang).changed_at
    recompute_set(tiny_set, force=True)
    assert ProvinceStamp.objects.get(province=hau_giang).changed_at > stamp
    _stats, queries = view(client, hau_giang)
    assert queries > CACHED


def test_data_of_no_province_drops_every_cached_dashboard(evaluated, hau_giang, client, tiny_set):
    view(client, hau_giang)
    tiny_set.name = "Bộ tiêu chí thử (sửa tên)"
    tiny_set.save()  # a national set: an audit entry of no province
    _stats, queries = view(client, hau_giang)
    assert queries > CACHED


def test_a_write_in_another_province_keeps_the_cache(evaluated, hau_giang, client):
    view(client, hau_giang)
    elsewhere = (
        Unit.objects.filter(edition=Edition.Y2025, level=Level.COMMUNE)
        .exclude(province=hau_giang)
        .first()
    )
    elsewhere.short_name = "Đổi tên thử"
    elsewhere.save()  # an audit entry of Cần Thơ (2025), not of Hậu Giang
    _stats, queries = view(client, hau_giang)
    assert queries <= CACHED


def test_each_user_date_and_language_has_its_own_panels(evaluated, hau_giang, client):
    view(client, hau_giang)
    viewer = client_for(make_user("xem2", hau_giang, Role.VIEWER))
    assert view(viewer, hau_giang)[1] > CACHED
    assert view(client, hau_giang, on=dt.date(2023, 6, 30))[1] > CACHED
    assert view(client, hau_giang, HTTP_ACCEPT_LANGUAGE="en")[1] > CACHED


@pytest.fixture
def plan(hau_giang, family):
    from nongthon.plans import services as plan_services

    plan = plan_services.create_plan(
        None, hau_giang, body="Ban Chỉ đạo", year_from=2023, year_to=2023, title="Kế hoạch thử"
    )
    plan_services.add_target(
        None,
        plan,
        group="NTM",
        sentence="Các xã đạt đủ tiêu chí.",
        type_code="criteria.all_met",
        params={"family": family},
    )
    return plan


def plan_figure(client, plan):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/plans/{plan.pk}/", {"on": "31/12/2023"})
    assert response.status_code == 200
    line = response.context["groups"][0].firm[0]
    return line.figure.value, len(queries)


def test_a_plans_target_figures_follow_the_province_data(evaluated, plan, family, client, vi_dong):
    first, computed = plan_figure(client, plan)
    again, cached = plan_figure(client, plan)
    assert again == first == 1 and cached < computed
    enter(vi_dong, family, **{"3.1": "95", "3.2": True, "10": True})
    after, _n = plan_figure(client, plan)
    assert after == 2
