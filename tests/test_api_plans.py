"""Plans, targets and tasks through the API: targets with the figure and status the plan page
computes, writes through plans.services (permissions, stale versions), tasks by state."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.api.models import Scope
from nongthon.plans import queries, services
from tests.api_support import api_as, error_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(hau_giang):
    plan = services.create_plan(
        None,
        hau_giang,
        title="Kế hoạch xây dựng NTM năm 2023",
        body="UBND tỉnh Hậu Giang",
        year_from=2023,
        year_to=2023,
        issued_on=dt.date(2023, 1, 10),
    )
    services.add_target(None, plan, sentence="Phấn đấu 3 xã đạt chuẩn", type_code="free")
    services.add_task(
        None,
        plan,
        content="Rà soát tiêu chí",
        lead_text="UBND các huyện",
        deadline_text="Quý I/2023",
    )
    return plan


def test_targets_carry_the_computed_figure_and_status_of_the_plan_page(province_coordinator, plan):
    client = api_as(province_coordinator, Scope.READ)
    assert [p["id"] for p in client.get("/plans", {"year": 2023}).json()["items"]] == [plan.pk]
    targets = client.get(f"/plans/{plan.pk}/targets", {"on": "2023-12-31"}).json()["items"]
    line = queries.target_line(plan.targets.get(), dt.date(2023, 12, 31))
    assert targets[0]["status"] == line.judgement.code
    assert targets[0]["figure"]["shown"] == str(line.figure.shown)
    filtered = client.get(f"/plans/{plan.pk}/targets", {"on": "2023-12-31", "status": "dat"})
    assert filtered.json()["count"] == (1 if line.judgement.code == "dat" else 0)
    detail = client.get(f"/targets/{targets[0]['id']}").json()
    assert "rows" in detail and detail["sentence"] == "Phấn đấu 3 xã đạt chuẩn"


def test_tasks_are_listed_with_their_state_at_a_date(province_coordinator, plan):
    client = api_as(province_coordinator, Scope.READ)
    late = client.get("/tasks", {"on": "2023-06-01"}).json()["items"][0]
    assert (late["state"], late["due"]) == ("overdue", "2023-03-31")
    early = client.get("/tasks", {"on": "2023-02-01", "status": "open"}).json()["items"][0]
    assert early["state"] == "open"


def test_writes_follow_the_plan_permissions_and_versions(
    province_coordinator, district_officer, commune_officer, plan
):
    coordinator = api_as(province_coordinator)
    added = coordinator.post(
        f"/plans/{plan.pk}/targets", {"sentence": "Thêm 1 xã nâng cao", "type_code": "free"}
    )
    assert added.status_code == 201, added.json()
    target = added.json()
    changed = coordinator.patch(
        f"/targets/{target['id']}", {"version": target["version"], "group": "Xã"}
    )
    assert changed.status_code == 200 and changed.json()["group"] == "Xã"
    stale = coordinator.patch(
        f"/targets/{target['id']}", {"version": target["version"], "group": "X"}
    )
    assert stale.status_code == 409 and error_code(stale) == "stale"
    unknown = coordinator.post(
        f"/plans/{plan.pk}/targets", {"sentence": "x", "type_code": "khong-co"}
    )
    assert unknown.status_code == 422 and "type_code" in unknown.json()["fields"]
    # A district officer cannot see the province's plan; a commune officer neither.
    for other in (district_officer, commune_officer):
        client = api_as(other)
        assert client.get(f"/plans/{plan.pk}").status_code == 404
        assert (
            client.post(
                f"/plans/{plan.pk}/targets", {"sentence": "x", "type_code": "free"}
            ).status_code
            == 404
        )
    task = plan.tasks.get()
    note = coordinator.post(
        f"/tasks/{task.pk}/notes",
        {"text": "Đã rà soát", "written_on": "2023-03-20", "completes": True},
    )
    assert note.status_code == 201, note.json()
    assert note.json()["task"]["status"] == "done"
    assert api_as(commune_officer).get(f"/tasks/{task.pk}").status_code == 404


def test_a_read_only_token_cannot_create_a_plan(province_coordinator, hau_giang):
    body = {
        "unit_id": hau_giang.pk,
        "title": "KH",
        "body": "UBND",
        "year_from": 2024,
        "year_to": 2024,
    }
    refused = api_as(province_coordinator, Scope.READ).post("/plans", body)
    assert refused.status_code == 403 and error_code(refused) == "read_only_token"
    created = api_as(province_coordinator).post("/plans", body)
    assert created.status_code == 201, created.json()
    bad = api_as(province_coordinator).post("/plans", body | {"year_to": 2020})
    assert bad.status_code == 422 and "year_to" in bad.json()["fields"]
