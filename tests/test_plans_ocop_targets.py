"""The OCOP target types of plans: per district, star count, upgrades, re-recognition, dossiers,
key products, products per commune. Certificates are stored directly (the council flow is
tested in test_ocop_*)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nongthon.ocop import services as ocop_services
from nongthon.ocop.models import Certificate, CouncilLevel
from nongthon.places.models import Level, Unit
from nongthon.plans import services
from nongthon.plans.targets import base
from nongthon.plans.targets.base import PendingType
from tests.ocop_support import council_with, producer_at, product_of, scored
from tests.plans_support import make_plan

pytestmark = pytest.mark.django_db


def cert(product, star: int, day: dt.date, level="province", months=36, **extra) -> Certificate:
    year, month = divmod(day.month - 1 + months, 12)
    return Certificate.objects.create(
        product=product,
        decision_no=f"{product.pk}{star}/QĐ-UBND",
        decision_date=day,
        level=level,
        star=star,
        rule="qd1048-2019",
        valid_until=dt.date(day.year + year, month + 1, min(day.day, 28)),
        **extra,
    )


def xa_of(district_code: str, n: int = 1) -> list[Unit]:
    return list(Unit.objects.filter(district__code=district_code, kind="xa").order_by("code")[:n])


def products(district_code: str, *names: str):
    commune = xa_of(district_code)[0]
    made = []
    for i, name in enumerate(names):
        producer = producer_at(
            commune, name=f"HTX {name} {i}", tax_code=f"63{district_code}{i:05d}"
        )
        made.append(product_of(producer, name=name))
    return made


def add(plan, type_code: str, params: dict):
    return services.add_target(
        None, plan, group="OCOP", sentence=type_code, type_code=type_code, params=params
    )


def figure(target, on: dt.date):
    return base.get(target.type_code).compute(target, on)


def test_the_real_types_replace_the_pending_declarations():
    for code in (
        "ocop.rated_per_district",
        "ocop.star_count",
        "ocop.upgraded_share",
        "ocop.recertified",
        "ocop.dossiers",
        "ocop.key_products",
        "ocop.products_per_commune",
    ):
        kind = base.get(code)
        assert not isinstance(kind, PendingType)
        assert kind.__module__ == "nongthon.ocop.plan_targets"


def test_star_count_counts_products_certified_in_the_year_at_the_level(hau_giang):
    a, b, c, d = products("935", "Bưởi", "Mật ong", "Khô cá", "Gạo")
    cert(a, 4, dt.date(2023, 3, 1))
    cert(b, 4, dt.date(2023, 11, 1))
    cert(c, 3, dt.date(2023, 3, 1))  # outside the star range
    cert(d, 4, dt.date(2022, 12, 1))  # the year before
    target = add(
        make_plan(hau_giang, 2023),
        "ocop.star_count",
        {"goal_count": 2, "star_min": 4, "star_max": 4, "level": "province"},
    )
    end = figure(target, dt.date(2023, 12, 31))
    assert (end.value, end.goal, end.achieved) == (2, 2, True)
    assert all(r.url.startswith("/ocop/products/") for r in end.rows)
    assert figure(target, dt.date(2023, 6, 30)).value == 1
    assert figure(target, dt.date(2026, 1, 1)).value == 2
    assert base.get(target.type_code).status(target, dt.date(2023, 12, 31)).code == base.ACHIEVED


def test_rated_per_district_lists_every_district_with_its_products(hau_giang):
    for product in products("935", "Bưởi", "Mật ong"):
        cert(product, 3, dt.date(2022, 5, 1))
    cert(products("936", "Gạo")[0], 4, dt.date(2022, 5, 1))
    target = add(
        make_plan(hau_giang),
        "ocop.rated_per_district",
        {"min_count": 2, "star_min": 3, "star_max": 4, "level": "province"},
    )
    end = figure(target, dt.date(2022, 12, 31))
    districts = Unit.objects.filter(level=Level.DISTRICT, province=hau_giang).count()
    assert (end.value, end.goal, end.achieved) == (1, districts, False)
    heads = {r.label: r.ok for r in end.rows if not r.label.startswith("— ")}
    assert heads["Huyện Vị Thủy"] is True and heads["Huyện Long Mỹ"] is False
    assert len(heads) == districts


def test_upgraded_share_against_the_products_holding_three_stars_on_1_january(hau_giang):
    a, b, c, d = products("935", "Bưởi", "Mật ong", "Khô cá", "Gạo")
    for product in (a, b, c, d):
        cert(product, 3, dt.date(2021, 6, 1))
    cert(a, 4, dt.date(2023, 8, 1))
    plan = make_plan(hau_giang, 2023)
    share = add(
        plan,
        "ocop.upgraded_share",
        {"from_stars": 3, "to_stars": 4, "goal_share": "25", "level": "province"},
    )
    end = figure(share, dt.date(2023, 12, 31))
    assert (end.value, end.goal, end.achieved) == (1, Decimal(1), True)
    assert "1/4" in end.shown and "25" in end.shown
    # Without a share: every eligible product (rated 4 stars in the year) must be upgraded.
    eligible = add(
        plan, "ocop.upgraded_share", {"from_stars": 3, "to_stars": 4, "level": "province"}
    )
    assert figure(eligible, dt.date(2023, 12, 31)).achieved is True  # only a was eligible


def test_recertified_needs_a_new_certificate_for_each_expiring_one(hau_giang):
    a, b, c = products("935", "Bưởi", "Mật ong", "Khô cá")
    old_a = cert(a, 3, dt.date(2020, 10, 1))  # valid until 10/2023
    cert(b, 3, dt.date(2020, 11, 1))  # valid until 11/2023, not renewed
    cert(c, 3, dt.date(2020, 9, 1), revoked_on=dt.date(2021, 1, 1))  # revoked: not due
    renewal = cert(a, 3, dt.date(2023, 9, 15))
    old_a.superseded_by = renewal
    old_a.save()
    target = add(make_plan(hau_giang, 2023), "ocop.recertified", {"validity_months": 36})
    end = figure(target, dt.date(2023, 12, 31))
    assert (end.value, end.goal, end.achieved) == (1, 2, False)
    assert [r.ok for r in end.rows] == [True, False]
    assert figure(target, dt.date(2023, 9, 1)).value == 0


def test_dossiers_national_and_per_district(hau_giang):
    council, users = council_with(hau_giang)
    a, b = products("935", "Bưởi", "Mật ong")
    first = scored(a, council, users, 100, dt.date(2026, 7, 1))
    scored(b, council, users, 80, dt.date(2026, 7, 2))
    ocop_services.send_to_central(None, evaluation=first, day=dt.date(2026, 10, 1))
    plan = make_plan(hau_giang, 2026)
    national = add(plan, "ocop.dossiers", {"level": "national", "goal_count": 2})
    end = figure(national, dt.date(2026, 12, 31))
    assert (end.value, end.goal, end.achieved) == (1, 2, False)
    assert figure(national, dt.date(2026, 9, 1)).value == 0
    per_district = add(plan, "ocop.dossiers", {"level": "province", "per_district": True})
    shown = figure(per_district, dt.date(2026, 12, 31))
    assert shown.value == 1 and shown.achieved is False
    assert council.level == CouncilLevel.PROVINCE


def test_key_products_by_name_with_the_stars_reached(hau_giang):
    long_my = Unit.objects.get(level=Level.DISTRICT, code="936")
    buoi, _other = products("936", "Bưởi da xanh sấy dẻo", "Gạo")
    cert(buoi, 3, dt.date(2020, 6, 1))
    plan = make_plan(long_my, 2020, title="OCOP Long Mỹ 2020", body="UBND huyện Long Mỹ")
    target = add(plan, "ocop.key_products", {"products": "bưởi da xanh, Mãng cầu xiêm"})
    end = figure(target, dt.date(2020, 12, 31))
    assert (end.value, end.goal, end.achieved) == (1, 2, False)
    assert any("3 sao" in r.detail for r in end.rows)
    assert [r.label for r in end.rows if r.ok is False] == ["Mãng cầu xiêm"]


def test_products_per_commune_in_the_year(hau_giang):
    long_my = Unit.objects.get(level=Level.DISTRICT, code="936")
    a, b, c = products("936", "Bưởi", "Gạo", "Mật ong")
    for product in (a, b, c):
        cert(product, 3, dt.date(2020, 6, 1))
    plan = make_plan(long_my, 2020, title="OCOP Long Mỹ 2020", body="UBND huyện Long Mỹ")
    target = add(plan, "ocop.products_per_commune", {"min_count": 1, "max_count": 2})
    end = figure(target, dt.date(2020, 12, 31))
    communes = Unit.objects.subtree(long_my).filter(level=Level.COMMUNE).count()
    assert (end.value, end.goal) == (0, communes)  # one commune with 3, the rest with none
    assert any("3 sản phẩm" in r.detail and r.ok is False for r in end.rows)
