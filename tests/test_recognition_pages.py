"""Recognition pages: titles link to their decision and frozen evaluation; application pages
show the steps with their rule text, deadlines, documents, conditions and the actions by role;
other units' pages are 404; refused actions say why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from nongthon.recognition import services
from nongthon.recognition.models import Title
from tests.conftest import client_for
from tests.recognition_support import conditions_met, evaluate, load_qd318, walk

D = dt.date(2023, 9, 1)


@pytest.fixture
def qd318(db):
    return load_qd318()


@pytest.fixture
def decided(vi_binh, qd318):
    evaluate(vi_binh, qd318)
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D)))
    return services.decide(
        None,
        app,
        services.DecisionData("77/QĐ-UBND", dt.date(2023, 12, 20), "Chủ tịch", "UBND tỉnh"),
        expected_version=None,
    )


def test_title_list_counts_and_links(decided, province_coordinator, hau_giang):
    response = client_for(province_coordinator).get(
        reverse("recognition:titles", args=[hau_giang.pk]) + "?on=2023-12-31"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="count-ntm"' in html and "1<span" in html
    assert reverse("recognition:title", args=[decided.pk]) in html
    assert reverse("recognition:decision", args=[decided.decision.pk]) in html
    assert 'data-testid="by-district"' in html and 'data-testid="year-2023"' in html


def test_a_unit_that_no_longer_exists_is_shown_as_it_stood_on_its_last_day(
    decided, province_coordinator, hau_giang
):
    # Hậu Giang (pre-2025) ended on 30/06/2025: without a date its titles read on that day.
    response = client_for(province_coordinator).get(
        reverse("recognition:titles", args=[hau_giang.pk])
    )
    assert response.context["on"] == hau_giang.valid_to == dt.date(2025, 6, 30)


def test_title_page_links_decision_and_shows_frozen_evaluation(decided, commune_officer):
    response = client_for(commune_officer).get(reverse("recognition:title", args=[decided.pk]))
    html = response.content.decode()
    assert reverse("recognition:decision", args=[decided.decision.pk]) in html
    assert 'data-testid="snapshot"' in html and "19/19" in html
    assert "Ghi quyết định thu hồi" not in html  # a commune may not revoke


def test_other_communes_get_404(decided, other_commune_officer, vi_binh):
    client = client_for(other_commune_officer)
    for url in (
        reverse("recognition:title", args=[decided.pk]),
        reverse("recognition:decision", args=[decided.decision.pk]),
        reverse("recognition:application", args=[decided.application.pk]),
        reverse("recognition:titles", args=[vi_binh.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_application_page_shows_rule_text_and_actions_by_role(
    vi_binh,
    qd318,
    commune_officer,
    district_officer,
):
    app = walk(services.register(None, vi_binh, "ntm", 2023, on=D), "public_posting")
    url = reverse("recognition:application", args=[app.pk])
    html = client_for(commune_officer).get(url).content.decode()
    assert "ít nhất 05 lần trong thời hạn 15 ngày" in html
    assert 'data-testid="verified"' in html and 'data-testid="unverified"' in html
    assert 'data-testid="deadline"' in html  # the posting step has its 15 days
    assert 'data-testid="step-form"' in html and 'data-testid="return-form"' not in html
    html = client_for(district_officer).get(url).content.decode()
    assert 'data-testid="return-form"' in html and 'data-testid="step-form"' not in html


def test_completing_a_step_with_too_few_postings_is_refused_on_the_page(
    vi_binh,
    qd318,
    commune_officer,
):
    app = walk(services.register(None, vi_binh, "ntm", 2023, on=D), "public_posting")
    response = client_for(commune_officer).post(
        reverse("recognition:complete_step", args=[app.pk]),
        {"version": app.version, "done_on": "2023-10-01", "posting_count": 3, "posting_days": 15},
    )
    assert response.status_code == 400
    assert "ít nhất 5 lần" in response.content.decode()


def test_decide_on_the_page_refuses_naming_the_condition(
    vi_binh,
    qd318,
    province_coordinator,
):
    evaluate(vi_binh, qd318, failing=(17,))
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D)))
    response = client_for(province_coordinator).post(
        reverse("recognition:decide", args=[app.pk]),
        {
            "version": app.version,
            "number": "1/QĐ",
            "date": "2023-12-20",
            "signer": "A",
            "issuer": "UBND tỉnh",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Chưa đủ điều kiện" in html and "tiêu chí 17" in html
    assert not Title.objects.exists()


def test_commune_cannot_post_a_decision(vi_binh, qd318, commune_officer):
    evaluate(vi_binh, qd318)
    app = conditions_met(walk(services.register(None, vi_binh, "ntm", 2023, on=D)))
    response = client_for(commune_officer).post(
        reverse("recognition:decide", args=[app.pk]),
        {"version": app.version, "number": "1", "date": "2023-12-20", "signer": "A", "issuer": "B"},
    )
    assert response.status_code == 403


def test_register_from_the_page(vi_binh, qd318, commune_officer):
    response = client_for(commune_officer).post(
        reverse("recognition:applications", args=[vi_binh.pk]),
        {"unit": vi_binh.pk, "tier": "ntm", "year": 2023},
    )
    assert response.status_code == 302
    assert vi_binh.recognition_applications.count() == 1


def test_maintenance_page_lists_and_links_revocation(
    decided, vi_binh, qd318, province_coordinator, hau_giang
):
    evaluate(vi_binh, qd318, year=2024, failing=(10, 2, 6, 13, 5, 11))  # 6/19 with income
    html = (
        client_for(province_coordinator)
        .get(reverse("recognition:maintenance", args=[hau_giang.pk]) + "?year=2024")
        .content.decode()
    )
    assert 'data-status="revoke"' in html and "Thu nhập" in html
    assert reverse("recognition:revoke", args=[decided.pk]) in html


def test_revoke_page_records_the_decision(decided, province_coordinator):
    response = client_for(province_coordinator).post(
        reverse("recognition:revoke", args=[decided.pk]),
        {
            "version": decided.version,
            "number": "9/QĐ-UBND",
            "date": "2024-06-01",
            "signer": "Chủ tịch",
            "issuer": "UBND tỉnh",
            "reason": "6/19 tiêu chí không đạt",
        },
    )
    assert response.status_code == 302
    decided.refresh_from_db()
    assert decided.status == "revoked" and decided.end_decision.number == "9/QĐ-UBND"


def test_conditions_page_lists_the_units_behind(decided, district_officer, vi_thuy):
    html = (
        client_for(district_officer)
        .get(reverse("recognition:conditions", args=[vi_thuy.pk]) + "?on=2023-12-31")
        .content.decode()
    )
    assert 'data-testid="condition-communes_ntm"' in html and 'data-met="no"' in html
    assert "Vị Đông" in html  # not NTM: in the list behind the condition
    assert "1/9" in html


def test_debt_recorded_by_hand_shows_who(vi_binh, qd318, district_officer):
    app = services.register(None, vi_binh, "ntm", 2023, on=D)
    client = client_for(district_officer)
    client.post(
        reverse("recognition:debt", args=[app.pk]),
        {"version": app.version, "amount": "12,5", "basis": "Báo cáo 3/BC"},
    )
    app.refresh_from_db()
    assert app.manual_debt == Decimal("12.5") and app.manual_debt_by == district_officer
    html = client.get(reverse("recognition:application", args=[app.pk])).content.decode()
    assert "12,5 triệu đồng" in html and "Huyen" in html


def test_province_records_a_past_title_with_its_decision(
    vi_binh, qd318, province_coordinator, district_officer, hau_giang, vi_thuy
):
    evaluate(vi_binh, qd318, year=2021)
    data = {
        "unit": vi_binh.pk,
        "tier": "ntm",
        "number": "12/QĐ-UBND",
        "date": "2019-12-10",
        "signer": "Chủ tịch",
        "issuer": "UBND tỉnh",
        "basis_note": "QĐ 1980/QĐ-TTg",
    }
    url = reverse("recognition:record_past", args=[hau_giang.pk])
    district_url = reverse("recognition:record_past", args=[vi_thuy.pk])
    assert client_for(district_officer).post(url, data).status_code == 404  # not their unit
    assert client_for(district_officer).post(district_url, data).status_code == 403
    response = client_for(province_coordinator).post(url, data)
    title = Title.objects.get(unit=vi_binh)
    assert response.url == reverse("recognition:title", args=[title.pk])
    assert title.decision.number == "12/QĐ-UBND" and title.criteria_set is None
    assert title.snapshot["kind"] == "review" and title.snapshot["year"] == 2021
    html = client_for(province_coordinator).get(response.url).content.decode()
    assert 'data-testid="snapshot-review"' in html and "QĐ 1980/QĐ-TTg" in html


def test_an_overdue_step_is_marked(vi_binh, qd318, commune_officer):
    app = walk(services.register(None, vi_binh, "ntm", 2023, on=D), "public_posting")
    html = (
        client_for(commune_officer)
        .get(reverse("recognition:application", args=[app.pk]))
        .content.decode()
    )
    assert "quá hạn" in html  # 15 days from 01/09/2023 are long past
