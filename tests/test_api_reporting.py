"""Periodic reports through the API: a commune opens, fills and sends its report, the district
returns it and then accepts it, with the pages' permissions, validation and version checks; an
accepted report reads back frozen; completeness and timeliness equal the reporting module's."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.accounts.models import Role
from nongthon.api.models import Scope
from nongthon.reporting.queries import reporting_summary
from tests.api_support import api_as, error_code
from tests.conftest import make_user
from tests.reporting_support import TEXTS, TYPED, open_2023, period, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(hau_giang):
    """The communes' report of March 2023 (due 10/3/2023)."""
    open_2023(hau_giang)
    return period(hau_giang, "xa-thang", 3)


def test_a_commune_sends_and_the_district_returns_then_accepts(
    march, commune_officer, district_officer, vi_binh
):
    commune = api_as(commune_officer)
    owed = commune.get("/reporting/periods", {"unit": vi_binh.pk, "year": 2023, "owed": "true"})
    assert owed.status_code == 200
    assert march.pk in [p["id"] for p in owed.json()["items"]]
    assert all(p["submitters"] == "commune" for p in owed.json()["items"])

    opened = commune.post(f"/reporting/periods/{march.pk}/submissions", {"unit_id": vi_binh.pk})
    assert opened.status_code == 201, opened.json()
    report = opened.json()
    assert report["status"] == "draft" and report["figures"]

    # Sending without the typed figures is refused, naming the figure; nothing changes.
    incomplete = commune.post(
        f"/reporting/submissions/{report['id']}/submit",
        {"version": report["version"], "typed": {}, "texts": TEXTS},
    )
    assert incomplete.status_code == 422
    assert "typed_htx_kien_toan" in incomplete.json()["fields"]
    draft = commune.put(
        f"/reporting/submissions/{report['id']}/draft",
        {"version": report["version"], "typed": TYPED, "texts": TEXTS},
    )
    assert draft.status_code == 200 and draft.json()["typed"]["nguoi_tap_huan"] == 1250
    sent = commune.post(
        f"/reporting/submissions/{report['id']}/submit",
        {"version": draft.json()["version"], "typed": TYPED, "texts": TEXTS},
    )
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"

    district = api_as(district_officer)
    stale = district.post(
        f"/reporting/submissions/{report['id']}/accept", {"version": report["version"]}
    )
    assert stale.status_code == 409 and error_code(stale) == "stale"
    silent = district.post(
        f"/reporting/submissions/{report['id']}/return", {"version": sent.json()["version"]}
    )
    assert silent.status_code == 422 and "comment" in silent.json()["fields"]
    returned = district.post(
        f"/reporting/submissions/{report['id']}/return",
        {"version": sent.json()["version"], "comment": "Bổ sung số liệu HTX."},
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    again = commune.post(
        f"/reporting/submissions/{report['id']}/submit",
        {"version": returned.json()["version"], "typed": TYPED, "texts": TEXTS},
    )
    assert again.status_code == 200
    accepted = district.post(
        f"/reporting/submissions/{report['id']}/accept", {"version": again.json()["version"]}
    )
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["status"] == "accepted" and body["snapshot"]["typed"] == body["typed"]
    assert [e["action"] for e in body["events"]] == [
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]
    # An accepted report is frozen: no more drafts.
    frozen = commune.put(
        f"/reporting/submissions/{report['id']}/draft",
        {"version": body["version"], "typed": TYPED, "texts": TEXTS},
    )
    assert frozen.status_code == 422


def test_the_list_filters_by_status_and_stays_within_reach(
    march, commune_officer, district_officer, vi_binh, long_tri
):
    send(march, vi_binh, dt.date(2023, 3, 9))
    send(march, long_tri, dt.date(2023, 3, 12))
    district = api_as(district_officer)
    mine = district.get("/reporting/submissions", {"year": 2023, "status": "submitted"}).json()
    assert [s["unit"]["code"] for s in mine["items"]] == [vi_binh.code]
    assert mine["items"][0]["timeliness"] == "on_time"
    other = make_user("xa-longtri", long_tri, Role.COMMUNE_OFFICER)
    theirs = api_as(other).get("/reporting/submissions").json()
    assert [s["unit"]["code"] for s in theirs["items"]] == [long_tri.code]
    assert theirs["items"][0]["timeliness"] == "late"


def test_refusals_name_no_other_units_report_and_writes_need_the_right_role(
    march, commune_officer, district_officer, viewer, vi_binh, long_tri
):
    report = send(march, vi_binh, dt.date(2023, 3, 9))
    outsider = api_as(make_user("xa-longtri", long_tri, Role.COMMUNE_OFFICER))
    assert outsider.get(f"/reporting/submissions/{report.pk}").status_code == 404
    opening = outsider.post(f"/reporting/periods/{march.pk}/submissions", {"unit_id": vi_binh.pk})
    assert opening.status_code == 404
    # The commune may not accept its own report; a viewer reads but may not review.
    own = api_as(commune_officer).post(
        f"/reporting/submissions/{report.pk}/accept", {"version": report.version}
    )
    assert own.status_code == 403
    assert api_as(viewer).get(f"/reporting/submissions/{report.pk}").status_code == 200
    watching = api_as(viewer).post(
        f"/reporting/submissions/{report.pk}/accept", {"version": report.version}
    )
    assert watching.status_code == 403
    # A read-only token cannot write, whoever holds it.
    read_only = api_as(district_officer, Scope.READ).post(
        f"/reporting/submissions/{report.pk}/accept", {"version": report.version}
    )
    assert read_only.status_code == 403 and error_code(read_only) == "read_only_token"
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_summary_equals_the_reporting_module_and_refuses_other_units(
    march, district_officer, vi_thuy, vi_binh, hau_giang, can_tho
):
    send(march, vi_binh, dt.date(2023, 3, 10))
    on = dt.date(2023, 3, 11)
    client = api_as(district_officer)
    got = client.get("/reporting/summary", {"unit": vi_thuy.pk, "on": on.isoformat()})
    assert got.status_code == 200
    expected = reporting_summary(vi_thuy, on)
    body = got.json()
    assert (body["expected"], body["on_time"], body["late"], body["missing"]) == (
        expected.expected,
        expected.on_time,
        expected.late,
        expected.missing,
    )
    assert body["completeness"] == expected.completeness
    assert len(body["missing_list"]) == min(50, expected.missing)
    for unit in (hau_giang, can_tho):
        refused = client.get("/reporting/summary", {"unit": unit.pk})
        assert refused.status_code == 404
    far = client.get("/reporting/summary", {"unit": vi_thuy.pk, "on": "0001-01-01"})
    assert far.status_code == 422 and "on" in far.json()["fields"]
