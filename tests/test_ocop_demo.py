"""The OCOP demo data gives the 2022 and 2023 targets of the province's plans real figures."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.demo.ocop_data import build_ocop
from nongthon.ocop import queries
from nongthon.ocop.models import Certificate, Product

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def demo(hau_giang):
    build_ocop(lambda _msg: None)
    return hau_giang


def test_demo_gives_the_plan_targets_real_figures(demo):
    """One build (it takes seconds), every figure the seeds' OCOP targets need."""
    _long_my_key_products()
    _targets_2022(demo)
    _targets_2023(demo)
    _expiring_soon_and_one_revoked(demo)


def _long_my_key_products():
    names = set(
        Product.objects.filter(commune__district__code="936").values_list("name", flat=True)
    )
    assert {"Bưởi da xanh", "Mãng cầu xiêm"} <= names
    assert not Product.objects.filter(illustrative=False).exists()


def _targets_2022(demo):
    # Seed 001: ≥ 40 products 3–4 stars at province level; 5 dossiers to the national level.
    assert 0 < queries.recognised_in_year(demo, 2022, stars=(3, 4), level="province") < 40
    assert 0 < queries.sent_to_central(demo, 2022) < 5
    per_district = queries.per_district_in_year(demo, 2022, stars=(3, 4))
    assert len(per_district) == 8
    assert any(n >= 5 for n in per_district.values()) and any(n < 5 for n in per_district.values())


def _targets_2023(demo):
    # Seed 000: ≥ 8 products 4 stars at province level; ≥ 25 % upgraded 3 → 4; 3 dossiers.
    assert queries.recognised_in_year(demo, 2023, stars=(4,), level="province") >= 8
    assert queries.sent_to_central(demo, 2023) == 3
    upgraded, base, share = queries.upgraded_share(demo, 2023)
    assert upgraded > 0 and base > upgraded and share is not None
    district = queries.per_district_in_year(demo, 2023, stars=(3, 4), level="district")
    assert sum(district.values()) > 0


def _expiring_soon_and_one_revoked(demo):
    assert queries.expiring_within(demo, months=6, day=TODAY).exists()
    assert Certificate.objects.filter(revoked_on__isnull=False).count() == 1
    assert queries.count_by_star(demo, day=TODAY)
    assert queries.count_by_group(demo, day=TODAY)
    assert queries.count_by_district(demo, day=TODAY)
    assert set(queries.count_by_year(demo)) >= {2020, 2021, 2022, 2023, 2024}
    assert queries.products_in_star_range(demo, 3, 4, day=TODAY) > 0
