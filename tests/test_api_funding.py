"""Funding lines and works through the API: amounts as written or in đồng (exact text), reads
by subtree and year, writes through funding.services with its permissions."""

from __future__ import annotations

import pytest

from nongthon.api.models import Scope
from nongthon.funding.models import FundingLine, Work
from tests.api_support import api_as, error_code

pytestmark = pytest.mark.django_db


def test_a_line_is_recorded_as_written_and_read_back_in_dong(district_officer, vi_thuy, vi_binh):
    client = api_as(district_officer)
    created = client.post(
        "/funding/lines",
        {
            "unit_id": vi_thuy.pk,
            "year": 2023,
            "source": "local",
            "kind": "planned",
            "amount": "149.039 triệu đồng",
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["amount"] == "149039000000"
    assert created.json()["written"] == "149.039 triệu đồng"
    bad = client.post(
        "/funding/lines",
        {
            "unit_id": vi_thuy.pk,
            "year": 2023,
            "source": "local",
            "kind": "planned",
            "amount": "mười tỷ",
        },
    )
    assert bad.status_code == 422 and "amount" in bad.json()["fields"]
    huge = client.post(
        "/funding/lines",
        {
            "unit_id": vi_thuy.pk,
            "year": 2023,
            "source": "local",
            "kind": "planned",
            "amount": "9" * 25,
            "money_unit": "dong",
        },
    )
    assert huge.status_code == 422
    listed = client.get("/funding/lines", {"under": vi_thuy.pk, "year": 2023}).json()
    assert listed["count"] == 1
    line = listed["items"][0]
    patched = client.patch(
        f"/funding/lines/{line['id']}", {"version": line["version"], "amount": "1 tỷ đồng"}
    )
    assert patched.status_code == 200 and patched.json()["amount"] == "1000000000"
    stale = client.patch(
        f"/funding/lines/{line['id']}", {"version": line["version"], "amount": "2 tỷ đồng"}
    )
    assert stale.status_code == 409 and error_code(stale) == "stale"
    assert client.delete(f"/funding/lines/{line['id']}").status_code == 204
    assert not FundingLine.objects.exists()


def test_other_units_lines_and_works_are_404_and_viewers_cannot_write(
    province_coordinator, commune_officer, viewer, vi_binh, long_tri, hau_giang
):
    coordinator = api_as(province_coordinator)
    line = coordinator.post(
        "/funding/lines",
        {
            "unit_id": hau_giang.pk,
            "year": 2023,
            "source": "local",
            "kind": "allocated",
            "amount": "5 tỷ đồng",
        },
    ).json()
    work = coordinator.post(
        "/funding/works",
        {
            "commune_id": long_tri.pk,
            "name": "Đường ấp 3",
            "family": "qd318-xa-ntm",
            "criterion_number": 2,
            "investment_total": "3 tỷ đồng",
        },
    )
    assert work.status_code == 201, work.json()
    commune = api_as(commune_officer)
    assert commune.get(f"/funding/lines/{line['id']}").status_code in (404, 405)
    assert (
        commune.patch(
            f"/funding/lines/{line['id']}", {"version": 1, "amount": "1 đồng"}
        ).status_code
        == 404
    )
    assert commune.get(f"/funding/works/{work.json()['id']}").status_code == 404
    assert commune.get("/funding/works").json()["count"] == 0
    refused = api_as(viewer).post(
        "/funding/works",
        {
            "commune_id": vi_binh.pk,
            "name": "Trường",
            "family": "qd318-xa-ntm",
            "criterion_number": 5,
            "investment_total": "1 tỷ đồng",
        },
    )
    assert refused.status_code == 403
    read_only = api_as(province_coordinator, Scope.READ).delete(f"/funding/lines/{line['id']}")
    assert read_only.status_code == 403 and error_code(read_only) == "read_only_token"


def test_a_work_with_disbursements_shows_what_is_paid_at_a_date(commune_officer, vi_binh):
    client = api_as(commune_officer)
    work = client.post(
        "/funding/works",
        {
            "commune_id": vi_binh.pk,
            "name": "Nhà văn hóa ấp 1",
            "family": "qd318-xa-ntm",
            "criterion_number": 6,
            "investment_total": "2.000 triệu đồng",
            "start_date": "2023-02-01",
        },
    ).json()
    paid = client.post(
        f"/funding/works/{work['id']}/disbursements",
        {"on_date": "2023-05-01", "amount": "500 triệu đồng"},
    )
    assert paid.status_code == 201, paid.json()
    assert (
        client.get(f"/funding/works/{work['id']}", {"on": "2023-04-30"}).json()["disbursed"] == "0"
    )
    assert (
        client.get(f"/funding/works/{work['id']}", {"on": "2023-05-31"}).json()["disbursed"]
        == "500000000"
    )
    too_much = client.post(
        f"/funding/works/{work['id']}/disbursements",
        {"on_date": "2023-06-01", "amount": "2 tỷ đồng"},
    )
    assert too_much.status_code == 422
    finished = client.patch(
        f"/funding/works/{work['id']}",
        {"version": work["version"], "finished_on": "2023-12-01", "progress": 100},
    )
    assert finished.status_code == 200, finished.json()
    assert client.get("/funding/works", {"finished": True}).json()["count"] == 1
    assert Work.objects.get().history.first().history_user == commune_officer
    assert len(client.get("/funding/sources").json()) > 5
