"""The national demo generator, on one province of each list (Hậu Giang pre-2025, TP Cần Thơ
2025): what it makes, that the same seed makes the same data, and that its stored evaluations
are exactly what a recompute would store."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction

from nongthon.assessment.evaluation import recompute_set
from nongthon.assessment.models import CriterionResult, Evaluation, IndicatorValue, UnitProfile
from nongthon.catalogue.services import active_set, load_national_sets
from nongthon.demo.national import build_national
from nongthon.funding.models import FundingLine, Work
from nongthon.ocop.models import Certificate, Product
from nongthon.places.models import Edition, Level, Unit
from nongthon.plans.models import Plan
from nongthon.plans.queries import plan_targets
from nongthon.recognition.models import Title

PROVINCES = ["93", "92"]


def build(seed: int = 7, provinces=PROVINCES):
    return build_national(lambda _msg: None, seed=seed, provinces=provinces, progress=False)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One build for the module, rolled back at its end (each test runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_national_sets()
        counts = build()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def sets(built, db):
    return active_set("qd318-xa-ntm"), active_set("qd51-2025-xa-ntm")


def communes(edition: str, code: str) -> list[Unit]:
    province = Unit.objects.get(edition=edition, level=Level.PROVINCE, code=code)
    return list(Unit.objects.filter(province=province, level=Level.COMMUNE))


def test_every_commune_gets_every_indicator_for_five_years(sets, built):
    qd318, qd51 = sets
    counts = built
    old, new = communes(Edition.PRE_2025, "93"), communes(Edition.Y2025, "92")
    indicators_318 = sum(len(c.indicators) for c in _spec(qd318).criteria)
    indicators_51 = sum(len(c.indicators) for c in _spec(qd51).criteria)
    assert IndicatorValue.objects.filter(family=qd318.family).count() == (
        len(old) * 5 * indicators_318
    )
    assert IndicatorValue.objects.filter(family=qd51.family).count() == len(new) * 5 * indicators_51
    assert counts.values == len(old) * 5 * indicators_318 + len(new) * 5 * indicators_51
    assert not IndicatorValue.objects.filter(illustrative=False).exists()
    assert Evaluation.objects.filter(criteria_set=qd318).count() == len(old) * 5
    assert Evaluation.objects.filter(criteria_set=qd51).count() == len(new) * 5
    assert CriterionResult.objects.count() == len(old) * 5 * 19 + len(new) * 5 * 10
    # 2026-2030: every commune has its group (QĐ 51/2025), the groups the thresholds will need.
    assert UnitProfile.objects.filter(year=2026, commune_group__isnull=False).count() == len(new)


def test_titles_products_funding_and_plans_for_each_province(sets):
    old = communes(Edition.PRE_2025, "93")
    assert Title.objects.filter(tier="ntm", unit__in=old).count() > len(old) // 2
    assert Title.objects.filter(tier="nang_cao").exists()
    assert not Title.objects.filter(illustrative=False).exists()
    # ~2 products per commune (20,000 over the 10,035 communes), most certified at 3 stars.
    products = Product.objects.filter(commune__in=old).count()
    assert products == round(20_000 * len(old) / 10_035)
    stars = Counter(Certificate.objects.filter(superseded_by__isnull=True).values_list("star"))
    assert stars.most_common(1)[0][0] == (3,)
    assert FundingLine.objects.filter(unit__code="93", year=2023, kind="planned").exists()
    assert Work.objects.filter(commune__in=old).exists()
    assert Plan.objects.filter(unit__code="93", unit__edition=Edition.PRE_2025).count() == 4
    assert Plan.objects.filter(unit__code="92", unit__edition=Edition.Y2025).count() == 1


def test_plan_targets_compute_from_the_generated_data(sets):
    plan = Plan.objects.get(unit__code="93", unit__edition=Edition.PRE_2025, year_from=2024)
    lines = [line for g in plan_targets(plan, dt.date(2024, 12, 31)) for line in g.firm]
    assert len(lines) == 6
    assert all(line.figure.available for line in lines), [line.figure.shown for line in lines]


def test_the_share_at_standard_grows_year_by_year(sets):
    qd318, _ = sets
    shares = []
    for year in range(2021, 2026):
        rows = Evaluation.objects.filter(criteria_set=qd318, year=year)
        shares.append(rows.filter(all_met=True).count() / rows.count())
    assert shares == sorted(shares)
    assert 0.5 < shares[-1] < 1.0


def test_a_second_run_skips_the_provinces_already_built(sets):
    again = build()
    assert (again.skipped, again.values) == (again.provinces, 0)
    assert again.provinces >= len(PROVINCES)


def test_stored_evaluations_are_what_a_recompute_stores(sets):
    qd318, qd51 = sets
    before = dict(Evaluation.objects.values_list("pk", "computed_at"))
    assert recompute_set(qd318) + recompute_set(qd51) == len(before)
    # Same digests: nothing was rewritten.
    assert dict(Evaluation.objects.values_list("pk", "computed_at")) == before
    recompute_set(qd318, force=True)
    assert (
        Evaluation.objects.filter(criteria_set=qd318)
        .exclude(computed_at__in=before.values())
        .count()
        == Evaluation.objects.filter(criteria_set=qd318).count()
    )


def _spec(criteria_set):
    from nongthon.catalogue.specs import spec_for

    return spec_for(criteria_set)
