"""Titles and recognition applications through the API: reads by subtree, tier, date; writes
(register, complete a step) through recognition.services with its permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.api.models import Scope
from nongthon.recognition import services
from nongthon.recognition.models import Application
from tests.api_support import api_as, error_code
from tests.conftest import make_user
from tests.recognition_support import evaluate, load_qd318

pytestmark = pytest.mark.django_db


def title_for(unit, number="10/QĐ-UBND", day=dt.date(2022, 12, 20)):
    data = services.DecisionData(number, day, "Chủ tịch", "UBND tỉnh Hậu Giang")
    return services.record_past_title(None, unit, "ntm", data, basis_note="Bộ 2016-2020")


def test_titles_are_read_by_subtree_tier_and_date(province_coordinator, vi_binh, long_tri, vi_thuy):
    title_for(vi_binh)
    title_for(long_tri, "11/QĐ-UBND", dt.date(2023, 6, 1))
    client = api_as(province_coordinator, Scope.READ)
    assert client.get("/titles").json()["count"] == 2
    assert [
        t["unit"]["code"] for t in client.get("/titles", {"under": vi_thuy.pk}).json()["items"]
    ] == [vi_binh.code]
    assert client.get("/titles", {"on": "2022-12-31"}).json()["count"] == 1
    assert client.get("/titles", {"tier": "nang_cao"}).json()["count"] == 0
    held = client.get("/titles", {"status": "active", "year": 2023}).json()["items"]
    assert held[0]["decision"]["number"] == "11/QĐ-UBND"


def test_a_commune_sees_only_its_own_titles_and_others_answer_404(
    commune_officer, vi_binh, long_tri
):
    own, other = title_for(vi_binh), title_for(long_tri, "11/QĐ-UBND")
    client = api_as(commune_officer, Scope.READ)
    assert [t["id"] for t in client.get("/titles").json()["items"]] == [own.pk]
    assert client.get(f"/titles/{own.pk}").status_code == 200
    missing = client.get(f"/titles/{other.pk}")
    assert missing.status_code == 404 and missing.json() == client.get("/titles/999999").json()
    assert client.get("/titles", {"under": long_tri.pk}).status_code == 404


def test_registering_and_completing_a_step_follow_the_procedure_rules(
    commune_officer, viewer, vi_binh, long_tri
):
    criteria_set = load_qd318()
    evaluate(vi_binh, criteria_set)
    client = api_as(commune_officer)
    registered = client.post("/applications", {"unit_id": vi_binh.pk, "tier": "ntm", "year": 2023})
    assert registered.status_code == 201, registered.json()
    app = registered.json()
    assert app["status"] == "in_progress" and app["steps"][0]["status"] == "current"
    twice = client.post("/applications", {"unit_id": vi_binh.pk, "tier": "ntm", "year": 2023})
    assert twice.status_code == 422 and "year" in twice.json()["fields"]
    assert (
        client.post(
            "/applications", {"unit_id": long_tri.pk, "tier": "ntm", "year": 2023}
        ).status_code
        == 404
    )
    refused = api_as(viewer).post(
        "/applications", {"unit_id": vi_binh.pk, "tier": "nang_cao", "year": 2023}
    )
    assert refused.status_code == 403
    step = client.post(
        f"/applications/{app['id']}/complete-step",
        {
            "version": app["version"],
            "posting_count": 5,
            "posting_days": 15,
        },
    )
    assert step.status_code == 200, step.json()
    assert step.json()["current_step"] != app["current_step"]
    stale = client.post(f"/applications/{app['id']}/complete-step", {"version": app["version"]})
    assert stale.status_code == 409 and error_code(stale) == "stale"
    listed = api_as(make_user("xem-huyen", vi_binh.district, "viewer"), Scope.READ).get(
        "/applications"
    )
    assert [a["id"] for a in listed.json()["items"]] == [app["id"]]
    assert Application.objects.get().version == step.json()["version"]
