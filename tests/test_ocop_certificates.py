"""Certificates: 36-month validity, the 180–120-day re-evaluation window, status on a day,
reminders to the commune and the coordination office, upgrades, revocation as a decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongthon.ocop import certificates as cd
from nongthon.ocop import queries, services
from nongthon.ocop.models import Certificate, CouncilLevel, Reminder
from tests.ocop_support import council_with, producer_at, product_of, scored

pytestmark = pytest.mark.django_db


def test_validity_is_36_months_and_the_window_180_to_120_days_before():
    assert cd.valid_until(dt.date(2022, 3, 15)) == dt.date(2025, 3, 15)
    assert cd.valid_until(dt.date(2020, 2, 29)) == dt.date(2023, 2, 28)
    window = cd.reevaluation_window(dt.date(2027, 3, 1))
    assert window.opens == dt.date(2027, 3, 1) - dt.timedelta(days=180)
    assert window.closes == dt.date(2027, 3, 1) - dt.timedelta(days=120)


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (dt.date(2024, 9, 1), "valid"),
        (dt.date(2025, 3, 15) - dt.timedelta(days=181), "valid"),
        (dt.date(2025, 3, 15) - dt.timedelta(days=180), "expiring"),
        (dt.date(2025, 3, 15), "expiring"),
        (dt.date(2025, 3, 16), "expired"),
    ],
)
def test_status_on_a_day(day, status):
    got = cd.status_on(until=dt.date(2025, 3, 15), revoked_on=None, superseded=False, day=day)
    assert got == status


def test_revoked_and_superseded_win_over_dates():
    until = dt.date(2027, 1, 1)
    assert (
        cd.status_on(
            until=until, revoked_on=dt.date(2026, 1, 1), superseded=False, day=dt.date(2026, 1, 1)
        )
        == "revoked"
    )
    assert (
        cd.status_on(
            until=until, revoked_on=dt.date(2026, 1, 2), superseded=False, day=dt.date(2026, 1, 1)
        )
        == "valid"
    )
    assert (
        cd.status_on(until=until, revoked_on=None, superseded=True, day=dt.date(2026, 1, 1))
        == "superseded"
    )


@pytest.fixture
def certified(vi_binh, hau_giang):
    # 5 stars are recognised by the central council (Bộ NN&MT).
    council, users = council_with(hau_giang, level=CouncilLevel.CENTRAL)
    product = product_of(producer_at(vi_binh))
    evaluation = scored(product, council, users, 100, dt.date(2026, 6, 10))
    cert = services.issue_certificate(
        None, evaluation=evaluation, decision_no="123/QĐ-UBND", decision_date=dt.date(2026, 6, 20)
    )
    return cert, council, users


def test_issue_records_rule_level_and_expiry(certified):
    cert, _council, _users = certified
    assert (cert.star, cert.level, cert.rule) == (5, "central", "qd26-2026")
    assert cert.valid_until == dt.date(2029, 6, 20)
    assert cert.product.stage == "certified"
    assert cert.product.code.startswith("93-31468-")


def test_two_stars_get_no_certificate(vi_binh, hau_giang):
    council, users = council_with(hau_giang)
    product = product_of(producer_at(vi_binh), rule="qd148-2023", number=1)
    evaluation = scored(product, council, users, 49, dt.date(2024, 5, 1))
    assert evaluation.star == 2
    with pytest.raises(ValidationError, match="dưới 3 sao"):
        services.issue_certificate(
            None, evaluation=evaluation, decision_no="1/QĐ", decision_date=dt.date(2024, 5, 2)
        )


def test_reminders_once_per_window_to_commune_and_office(certified, vi_binh, hau_giang):
    cert, _c, _u = certified
    window = cd.reevaluation_window(cert.valid_until)
    assert services.send_reminders(window.opens - dt.timedelta(days=1)) == []
    made = services.send_reminders(window.opens)
    assert {(r.recipient, r.unit) for r in made} == {("commune", vi_binh), ("office", hau_giang)}
    assert services.send_reminders(window.opens + dt.timedelta(days=5)) == []  # once
    assert Reminder.objects.count() == 2
    assert list(queries.reevaluation_due(None, day=window.closes)) == [cert]
    assert list(queries.reevaluation_due(None, day=window.closes + dt.timedelta(days=1))) == []


def test_reminders_skip_revoked_certificates(certified):
    cert, _c, _u = certified
    services.revoke_certificate(
        None,
        certificate=cert,
        expected_version=cert.version,
        decision_no="9/QĐ-UBND",
        day=dt.date(2026, 7, 1),
        ground="dd",
    )
    window = cd.reevaluation_window(cert.valid_until)
    assert services.send_reminders(window.opens) == []


def test_upgrade_supersedes_and_keeps_the_old_rule(vi_binh, vi_thuy, hau_giang):
    council, users = council_with(hau_giang)
    district, district_users = council_with(vi_thuy, level=CouncilLevel.DISTRICT, prefix="h")
    product = product_of(producer_at(vi_binh), rule="qd148-2023", number=1)
    first = scored(product, district, district_users, 60, dt.date(2024, 5, 1))
    old = services.issue_certificate(
        None, evaluation=first, decision_no="10/QĐ", decision_date=dt.date(2024, 5, 10)
    )
    # Upgrade under QĐ 26/2026: the product is reclassified to its 2026 sub-group (sheet 2).
    upgrade = scored(
        product, council, users, 75, dt.date(2026, 8, 1), kind="upgrade", sheet_number=2
    )
    assert upgrade.rule == "qd26-2026"
    new = services.issue_certificate(
        None, evaluation=upgrade, decision_no="20/QĐ", decision_date=dt.date(2026, 8, 20)
    )
    old.refresh_from_db()
    assert old.superseded_by == new and old.rule == "qd148-2023" and old.star == 3
    assert first.sheet_content["rule"] == "qd148-2023"
    assert cd.status(old, dt.date(2026, 9, 1)) == "superseded"
    assert queries.upgraded_share(None, 2026) == (1, 1, 1.0)


def test_upgrade_needs_a_certificate(vi_binh, hau_giang):
    council, users = council_with(hau_giang)
    product = product_of(producer_at(vi_binh))
    round_ = services.create_round(
        None,
        council=council,
        name="Đợt",
        evaluated_on=dt.date(2026, 6, 1),
        deadline=dt.date(2026, 6, 30),
    )
    with pytest.raises(ValidationError, match="chưa có giấy chứng nhận"):
        services.add_to_round(None, round=round_, product=product, kind="upgrade")


def test_revocation_is_a_recorded_decision(certified, province_coordinator):
    cert, _c, _u = certified
    with pytest.raises(ValidationError) as info:
        services.revoke_certificate(
            province_coordinator,
            certificate=cert,
            expected_version=cert.version,
            decision_no="",
            day=dt.date(2026, 7, 1),
            ground="x",
        )
    assert set(info.value.error_dict) == {"decision_no", "ground"}
    revoked = services.revoke_certificate(
        province_coordinator,
        certificate=cert,
        expected_version=cert.version,
        decision_no="45/QĐ-UBND",
        day=dt.date(2026, 9, 1),
        ground="b",
        note="Kiểm tra 8/2026",
    )
    assert cd.status(revoked, dt.date(2026, 9, 1)) == "revoked"
    record = revoked.history.first()
    assert record.history_user == province_coordinator and record.revocation_no == "45/QĐ-UBND"
    with pytest.raises(ValidationError, match="Người khác đã sửa"):
        services.revoke_certificate(
            province_coordinator,
            certificate=cert,
            expected_version=cert.version,
            decision_no="46/QĐ",
            day=dt.date(2026, 9, 2),
            ground="b",
        )


def test_only_the_coordination_office_revokes(certified, commune_officer, viewer):
    cert, _c, users = certified
    for user in (commune_officer, viewer, users[0]):
        with pytest.raises(PermissionDenied):
            services.revoke_certificate(
                user,
                certificate=cert,
                expected_version=cert.version,
                decision_no="1",
                day=dt.date(2026, 9, 1),
                ground="b",
            )


def test_expiring_within_six_months(certified):
    cert, _c, _u = certified
    assert list(queries.expiring_within(None, months=6, day=dt.date(2028, 12, 20))) == [cert]
    assert list(queries.expiring_within(None, months=6, day=dt.date(2028, 12, 19))) == []
    assert Certificate.objects.count() == 1


def test_who_recognises_which_star_follows_the_rule_in_force(vi_binh, vi_thuy, hau_giang):
    """QĐ 148 until 05/7/2025: district 3 stars, province 4; after QĐ 1489 the province 3–4;
    5 stars only centrally; under QĐ 1048 the district recognises nothing."""
    province, users = council_with(hau_giang)
    district, d_users = council_with(vi_thuy, level=CouncilLevel.DISTRICT, prefix="h")
    producer = producer_at(vi_binh)
    cases = [
        (province, users, 60, dt.date(2024, 5, 1), False),  # 3★ at province, district era
        (district, d_users, 60, dt.date(2024, 5, 1), True),
        (district, d_users, 75, dt.date(2024, 5, 1), False),  # 4★ is the province's
        (province, users, 75, dt.date(2024, 5, 1), True),
        (province, users, 60, dt.date(2025, 8, 1), True),  # after QĐ 1489
        (province, users, 95, dt.date(2025, 8, 1), False),  # 5★ is central
        (district, d_users, 60, dt.date(2022, 5, 1), False),  # QĐ 1048: district evaluates only
    ]
    for i, (council, members, score, day, allowed) in enumerate(cases):
        number = 1
        rule = "qd1048-2019" if day.year < 2023 else "qd148-2023"
        product = product_of(producer, name=f"Sản phẩm {i}", rule=rule, number=number)
        evaluation = scored(product, council, members, score, day)
        issue = lambda ev=evaluation, d=day, n=i: services.issue_certificate(  # noqa: E731
            None, evaluation=ev, decision_no=f"{n}/QĐ", decision_date=d + dt.timedelta(days=5)
        )
        if allowed:
            issue()
        else:
            with pytest.raises(ValidationError, match="không công nhận"):
                issue()
