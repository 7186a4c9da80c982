"""The QĐ 18/2022/QĐ-TTg revocation rule at its boundaries, and revocation as a decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongthon.recognition.revocation import criteria_rule, district_communes_rule


def failing(n: int, key: bool) -> list[tuple[str, bool]]:
    """n failing criteria; the first is a key one when `key`."""
    return [(f"TC{i}", key and i == 0) for i in range(n)]


@pytest.mark.parametrize(
    ("failing_count", "key", "due"),
    [
        (29, True, False),  # 29%: below the rule even with a key criterion
        (29, False, False),
        (30, True, True),  # 30% with a key criterion: due
        (30, False, False),  # 30% without: not due
        (49, True, True),
        (49, False, False),
        (50, True, True),  # 50% or more: due whatever fails
        (50, False, True),
    ],
)
def test_commune_rule_at_its_boundaries(failing_count, key, due):
    verdict = criteria_rule(failing(failing_count, key), 100)
    assert verdict.due is due
    assert verdict.percent == failing_count


def test_thirty_percent_is_exact_not_rounded():
    # 3 of 10 is exactly 30%: due with a key criterion.
    assert criteria_rule(failing(3, True), 10).due
    # 5 of 19 is 26,3%: not due even with a key criterion; 6 of 19 is 31,6%: due.
    assert not criteria_rule(failing(5, True), 19).due
    assert criteria_rule(failing(6, True), 19).due
    assert not criteria_rule(failing(9, False), 19).due  # 47,4% without a key one
    assert criteria_rule(failing(10, False), 19).due  # 52,6%


def test_reason_names_share_and_key_criteria():
    verdict = criteria_rule([("10. Thu nhập", True), ("2. Giao thông", False), ("6", False)], 10)
    assert verdict.due
    assert "3/10" in verdict.reason and "30,0%" in verdict.reason
    assert "10. Thu nhập" in verdict.reason
    assert "không có tiêu chí then chốt" in criteria_rule(failing(3, False), 10).reason


def test_district_rule_at_its_boundaries():
    assert criteria_rule(failing(30, True), 100, "district").due
    assert not criteria_rule(failing(30, False), 100, "district").due
    assert criteria_rule(failing(50, False), 100, "district").due
    assert not district_communes_rule(29, 100).due
    assert district_communes_rule(30, 100).due
    assert district_communes_rule(3, 10).due


# --- Revocation as a recorded decision ------------------------------------------------------


@pytest.fixture
def title(vi_binh):
    from nongthon.recognition.models import Decision, DecisionKind, Title

    decision = Decision.objects.create(
        kind=DecisionKind.RECOGNITION,
        number="1/QĐ-UBND",
        date=dt.date(2022, 12, 20),
        signer="Chủ tịch",
        issuer="UBND tỉnh",
        province=vi_binh.province,
    )
    return Title.objects.create(unit=vi_binh, tier="ntm", year=2022, decision=decision)


def revocation():
    from nongthon.recognition.services import DecisionData

    return DecisionData("9/QĐ-UBND", dt.date(2024, 3, 1), "Chủ tịch", "UBND tỉnh")


def test_revocation_is_a_decision_and_the_title_stays(title, province_coordinator):
    from nongthon.recognition import queries, services
    from nongthon.recognition.models import Title, TitleStatus

    services.revoke(
        province_coordinator, title, revocation(), reason="Không duy trì", expected_version=1
    )
    title = Title.objects.get(pk=title.pk)
    assert title.status == TitleStatus.REVOKED
    assert title.end_decision.number == "9/QĐ-UBND"
    assert title.end_reason == "Không duy trì"
    assert title.history.count() == 2
    province = title.unit.province
    assert queries.titles_held(province, dt.date(2024, 2, 29)).filter(pk=title.pk).exists()
    assert not queries.titles_held(province, dt.date(2024, 3, 1)).filter(pk=title.pk).exists()


def test_only_the_province_revokes(title, district_officer, commune_officer):
    from nongthon.recognition import services

    for user in (district_officer, commune_officer):
        with pytest.raises(PermissionDenied):
            services.revoke(user, title, revocation(), reason="x", expected_version=1)


def test_revocation_needs_a_reason_and_a_current_version(title, province_coordinator):
    from nongthon.recognition import services

    with pytest.raises(ValidationError) as error:
        services.revoke(province_coordinator, title, revocation(), reason=" ", expected_version=1)
    assert "reason" in error.value.error_dict
    title.version = 2
    title.save()
    with pytest.raises(ValidationError) as error:
        services.revoke(province_coordinator, title, revocation(), reason="x", expected_version=1)
    assert error.value.code == "stale"
