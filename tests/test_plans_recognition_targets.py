"""The recognition target types of plans: named units, titled count, a unit's title, titles kept.
Titles are stored directly (the procedure is tested in test_recognition_*)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nongthon.places.models import Level, Unit
from nongthon.plans import services
from nongthon.plans.targets import base
from nongthon.plans.targets.base import PendingType
from nongthon.recognition.models import Decision, DecisionKind, Title, TitleStatus
from tests.plans_support import communes, make_plan

pytestmark = pytest.mark.django_db


def grant(unit: Unit, tier: str, day: dt.date, number: str = "1/QĐ-UBND") -> Title:
    province = unit.province if unit.level != Level.PROVINCE else unit
    decision = Decision.objects.create(
        kind=DecisionKind.RECOGNITION,
        number=number,
        date=day,
        signer="Chủ tịch",
        issuer="UBND tỉnh",
        province=province,
    )
    return Title.objects.create(unit=unit, tier=tier, year=day.year, decision=decision)


def add(plan, type_code: str, params: dict):
    return services.add_target(
        None, plan, group="NTM", sentence=type_code, type_code=type_code, params=params
    )


def test_the_real_types_replace_the_pending_declarations():
    for code in (
        "recognition.named_units",
        "recognition.titled_count",
        "recognition.unit_title",
        "recognition.titles_kept",
    ):
        assert not isinstance(base.get(code), PendingType)
        assert base.get(code).__module__ == "nongthon.recognition.plan_targets"


def test_named_units_counts_decisions_of_the_year_by_the_date(hau_giang):
    a, b, c = communes(hau_giang, "Xã Phú Hữu", "Xã Tân Phú", "Xã Hiệp Hưng")
    grant(b, "ntm", dt.date(2022, 6, 1))
    grant(c, "ntm", dt.date(2022, 11, 20))
    grant(a, "ntm", dt.date(2023, 3, 1))  # the next year: not in the 2022 target
    grant(a, "nang_cao", dt.date(2022, 5, 1))  # another tier
    plan = make_plan(hau_giang)
    target = add(
        plan,
        "recognition.named_units",
        {"tier": "ntm", "level": "commune", "units": [a.pk, b.pk, c.pk]},
    )
    kind = base.get(target.type_code)
    figure = kind.compute(target, dt.date(2022, 12, 31))
    assert (figure.value, figure.goal, figure.achieved) == (2, 3, False)
    assert {r.label.split(" (")[0]: r.ok for r in figure.rows} == {
        "Xã Phú Hữu": False, "Xã Tân Phú": True, "Xã Hiệp Hưng": True
    }  # fmt: skip
    assert all(r.url for r in figure.rows)
    assert kind.status(target, dt.date(2022, 12, 31)).code == base.AT_RISK  # the deadline day
    assert kind.status(target, dt.date(2023, 1, 1)).code == base.NOT_ACHIEVED
    assert kind.compute(target, dt.date(2022, 7, 1)).value == 1
    # Judged after the year: still the 2022 decisions.
    assert kind.compute(target, dt.date(2024, 1, 1)).value == 2


def test_named_units_must_belong_to_the_plans_unit(hau_giang, can_tho):
    plan = make_plan(hau_giang)
    other = Unit.objects.subtree(can_tho).filter(level=Level.COMMUNE).first()
    with pytest.raises(ValidationError) as error:
        add(
            plan,
            "recognition.named_units",
            {"tier": "ntm", "level": "commune", "units": [other.pk]},
        )
    assert "units" in error.value.message_dict


def test_titled_count_reads_the_end_of_the_year_and_skips_revoked_titles(hau_giang):
    xa = list(Unit.objects.subtree(hau_giang).filter(level=Level.COMMUNE, kind="xa")[:4])
    for unit in xa[:3]:
        grant(unit, "ntm", dt.date(2021, 5, 1))
    grant(xa[3], "ntm", dt.date(2023, 2, 1))
    revoked = Title.objects.get(unit=xa[0])
    revoked.status, revoked.ended_on = TitleStatus.REVOKED, dt.date(2022, 9, 1)
    revoked.save()
    plan = make_plan(hau_giang)
    target = add(
        plan, "recognition.titled_count", {"tier": "ntm", "level": "commune", "goal_count": 3}
    )
    kind = base.get(target.type_code)
    figure = kind.compute(target, dt.date(2022, 12, 31))
    total = Unit.objects.subtree(hau_giang).filter(level=Level.COMMUNE, kind="xa").count()
    assert (figure.value, figure.goal, figure.baseline) == (2, 3, 3)
    assert f"2/{total} xã" in figure.shown
    assert kind.compute(target, dt.date(2022, 6, 1)).value == 3
    assert kind.compute(target, dt.date(2025, 1, 1)).value == 2  # never past 2022
    share = add(
        plan, "recognition.titled_count", {"tier": "ntm", "level": "commune", "goal_share": "50"}
    )
    assert (
        base.get(share.type_code).compute(share, dt.date(2022, 12, 31)).goal
        == Decimal(total) * 50 / 100
    )


def test_unit_title_shows_the_decision_or_the_conditions(hau_giang):
    town = Unit.objects.subtree(hau_giang).get(level=Level.DISTRICT, name="Thị xã Long Mỹ")
    plan = make_plan(hau_giang, 2023)
    target = add(plan, "recognition.unit_title", {"unit": town.pk, "tier": "hoan_thanh"})
    kind = base.get(target.type_code)
    before = kind.compute(target, dt.date(2023, 12, 31))
    assert before.achieved is False and "chưa công nhận" in before.shown
    assert before.rows  # the QĐ 320 conditions, computed from the communes' titles
    grant(town, "hoan_thanh", dt.date(2023, 12, 20), "9/QĐ-TTg")
    after = kind.compute(target, dt.date(2023, 12, 31))
    assert after.achieved and "9/QĐ-TTg" in after.shown
    assert kind.status(target, dt.date(2023, 12, 31)).code == base.ACHIEVED
    assert kind.compute(target, dt.date(2023, 12, 1)).achieved is False


def test_titles_kept_counts_revocations_and_the_years_review(hau_giang):
    xa = list(Unit.objects.subtree(hau_giang).filter(level=Level.COMMUNE, kind="xa")[:3])
    for unit in xa:
        grant(unit, "ntm", dt.date(2020, 5, 1))
    plan = make_plan(hau_giang, 2022)
    target = add(plan, "recognition.titles_kept", {"tiers": "ntm, nang_cao"})
    assert target.params["tiers"] == "ntm,nang_cao"
    kind = base.get(target.type_code)
    mid = kind.compute(target, dt.date(2022, 6, 30))
    assert (mid.value, mid.goal, mid.achieved) == (3, 3, None)
    assert kind.status(target, dt.date(2022, 6, 30)).code == base.ON_TRACK
    lost = Title.objects.get(unit=xa[1])
    lost.status, lost.ended_on = TitleStatus.REVOKED, dt.date(2022, 10, 1)
    lost.save()
    end = kind.compute(target, dt.date(2022, 12, 31))
    assert (end.value, end.goal, end.achieved) == (2, 3, False)
    assert [r.ok for r in end.rows][:1] == [False] and "thu hồi" in end.rows[0].detail
    assert kind.status(target, dt.date(2023, 1, 1)).code == base.NOT_ACHIEVED


def test_titles_kept_refuses_an_unknown_tier(hau_giang):
    with pytest.raises(ValidationError) as error:
        add(make_plan(hau_giang), "recognition.titles_kept", {"tiers": "ntm,vip"})
    assert "tiers" in error.value.message_dict
