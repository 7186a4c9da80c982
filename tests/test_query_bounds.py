"""No page issues more queries when a province has more communes with data: each main page is
requested with 2 communes of data, then with 20, and must issue the same number of queries
(and stay under a fixed bound)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nongthon.assessment.evaluation import recompute
from nongthon.assessment.models import IndicatorValue
from nongthon.catalogue.services import active_set, load_national_sets
from nongthon.catalogue.specs import spec_for
from nongthon.funding.models import Work
from nongthon.ocop.models import Certificate, Producer, Product
from nongthon.places.models import Level, Unit, UnitKind
from nongthon.plans import services as plan_services
from nongthon.recognition.models import Decision, DecisionKind, Title
from tests.conftest import client_for

YEAR = 2023
FAMILY = "qd318-xa-ntm"
BOUND = 40  # no page here needs more, whatever the number of communes


def xa(province: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(province=province, level=Level.COMMUNE, kind=UnitKind.XA).order_by(
            "code"
        )
    )


def give_data(province: Unit, communes: list[Unit], offset: int) -> None:
    """Values, an evaluation, a title, a certified OCOP product and a work for each commune."""
    criteria_set = active_set(FAMILY)
    spec = spec_for(criteria_set)
    rows = []
    for i, commune in enumerate(communes):
        for criterion in spec.criteria:
            for indicator in criterion.indicators:
                passing = not (criterion.number == 17 and i % 2)
                rows.append(
                    IndicatorValue(
                        unit=commune,
                        year=YEAR,
                        family=FAMILY,
                        indicator_code=indicator.code,
                        value_number=Decimal(90) if indicator.kind == "percent" else None,
                        hand_verdict=passing,
                        hand_reason="thử",
                    )
                )
    IndicatorValue.objects.bulk_create(rows)
    recompute(criteria_set, communes, [YEAR])
    decision = Decision.objects.create(
        kind=DecisionKind.RECOGNITION,
        number=f"{offset}/QĐ-UBND",
        date=dt.date(YEAR, 6, 1),
        signer="Thử",
        issuer="UBND tỉnh",
        province=province,
    )
    for i, commune in enumerate(communes):
        Title.objects.create(unit=commune, tier="ntm", year=YEAR, decision=decision)
        name = f"HTX thử {offset + i}"
        producer = Producer.objects.create(name=name, kind="htx", commune=commune)
        product = Product.objects.create(
            producer=producer,
            name=f"Bưởi thử {offset + i}",
            commune=commune,
            rule="qd148-2023",
            sheet_number=1,
            stage="certified",
            search_text=f"buoi thu {offset + i}",
        )
        Certificate.objects.create(
            product=product,
            decision_no=f"{offset + i}/QĐ",
            decision_date=dt.date(YEAR, 7, 1),
            level="province",
            star=3,
            rule="qd148-2023",
            valid_until=dt.date(YEAR + 3, 7, 1),
        )
        Work.objects.create(
            commune=commune,
            name=f"Công trình thử {offset + i}",
            family=FAMILY,
            criterion_number=17,
            investment_total=Decimal(10**9),
            start_date=dt.date(YEAR, 3, 1),
        )


def pages(province: Unit, plan_pk: int) -> dict[str, str]:
    return {
        "matrix": f"/assessment/results/matrix/{province.pk}/{YEAR}/{FAMILY}/",
        "figure list": f"/assessment/results/list/{province.pk}/{YEAR}/{FAMILY}/?figure=all",
        "plan": f"/plans/{plan_pk}/?on=31/12/{YEAR}",
        "ocop catalogue": "/ocop/san-pham/",
        "titles": f"/recognition/unit/{province.pk}/",
        "funding works": f"/funding/{province.pk}/works/",
        "distance": f"/funding/{province.pk}/{YEAR}/distance/",
        "unit": f"/units/{province.pk}/",
    }


def count_queries(client, url: str) -> int:
    cache.clear()  # the cold path: a cached page (the matrix body) would hide its queries
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.fixture
def plan(hau_giang):
    plan = plan_services.create_plan(
        None, hau_giang, body="Ban Chỉ đạo", year_from=YEAR, year_to=YEAR, title="Kế hoạch thử"
    )
    for type_code, params in (
        ("criteria.all_met", {"family": FAMILY, "goal_share": "80"}),
        ("criteria.average", {"family": FAMILY, "goal": "18.5"}),
        ("criteria.minimum", {"family": FAMILY, "minimum": 15}),
        ("recognition.titled_count", {"tier": "ntm", "level": "commune", "goal_count": 10}),
        ("ocop.star_count", {"goal_count": 5, "star_min": 3, "star_max": 4, "level": "province"}),
    ):
        plan_services.add_target(
            None, plan, group="NTM", sentence="Chỉ tiêu thử.", type_code=type_code, params=params
        )
    return plan


def test_main_pages_issue_as_many_queries_for_20_communes_as_for_2(hau_giang, system_admin, plan):
    load_national_sets()
    client = client_for(system_admin)
    communes = xa(hau_giang)
    give_data(hau_giang, communes[:2], 0)
    urls = pages(hau_giang, plan.pk)
    for url in urls.values():
        client.get(url)  # warm the per-process caches (sets, rules, sheets)
    few = {name: count_queries(client, url) for name, url in urls.items()}
    give_data(hau_giang, communes[2:20], 100)
    many = {name: count_queries(client, url) for name, url in urls.items()}
    assert many == few
    assert max(many.values()) <= BOUND, many
