"""The public OCOP catalogue over ~20,000 certified products: a full anonymous request for a
word search, a star filter and a district + star filter, each on the first page.

Producers, products and certificates are synthetic (bulk-created in Hậu Giang's communes, names
made from a word list) for timing only. The 0.5 s target is ours, not the issue's.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid

from django.test import Client

from bench.harness import Result, analyze, measure
from nongthon.ocop.models import Certificate, Producer, Product
from nongthon.places.models import Edition, Level, Unit
from nongthon.places.official_lists import load_units
from nongthon.places.text import fold

PRODUCTS = 20_000
RUNS = 5
TARGET_S = 0.5
WORDS = ["Bưởi", "Khóm", "Mãng cầu", "Gạo", "Mật ong", "Khô cá", "Rượu", "Trà", "Tinh dầu", "Mắm"]
PLACES = ["Vị Thủy", "Long Mỹ", "Phụng Hiệp", "Ngã Bảy", "Châu Thành", "Vị Thanh"]


def _seed() -> Unit:
    province = Unit.objects.filter(
        edition=Edition.PRE_2025, level=Level.PROVINCE, code="93"
    ).first()
    if province is None:
        load_units(["93"])
        province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    communes = list(Unit.objects.filter(province=province, level=Level.COMMUNE))
    rng = random.Random(20_000)
    producers = Producer.objects.bulk_create(
        Producer(name=f"HTX {i}", kind="htx", commune=communes[i % len(communes)])
        for i in range(PRODUCTS // 4)
    )
    products = []
    for i in range(PRODUCTS):
        producer = producers[i % len(producers)]
        name = f"{rng.choice(WORDS)} {rng.choice(PLACES)} {i}"
        products.append(
            Product(
                producer=producer,
                name=name,
                commune=producer.commune,
                rule="qd26-2026",
                sheet_number=1,
                industry="I. Thực phẩm",
                group="Thực phẩm tươi sống",
                subgroup="Rau, củ, quả, hạt tươi",
                stage="certified",
                public_id=uuid.uuid4(),
                search_text=fold(f"{name} | {producer.name}"),
            )
        )
    products = Product.objects.bulk_create(products, batch_size=2000)
    day = dt.date(2025, 1, 1)
    Certificate.objects.bulk_create(
        (
            Certificate(
                product=p,
                decision_no=f"{i}/QĐ",
                decision_date=day,
                level="province",
                star=3 + i % 3,
                rule="qd26-2026",
                valid_until=dt.date(2028, 1, 1),
            )
            for i, p in enumerate(products)
        ),
        batch_size=2000,
    )
    return province


def bench_ocop_catalogue(db: str) -> list[Result]:
    """Public OCOP catalogue: search and filters over 20,000 certified products."""
    province = _seed()
    analyze()
    district = Unit.objects.filter(province=province, level=Level.DISTRICT).order_by("code")[0]
    client = Client(HTTP_HOST="localhost")
    cases = [
        ("text «bưởi long mỹ»", {"q": "bưởi long mỹ"}),
        ("star 4", {"star": "4"}),
        ("district + star 5", {"district": str(district.pk), "star": "5"}),
    ]
    results = []
    for label, query in cases:

        def run(query=query):
            response = client.get("/ocop/san-pham/", query)
            assert response.status_code == 200, response.status_code
            return response

        found = re.search(r'data-testid="count">([\d.,]+)', run().content.decode())
        count = found.group(1) if found else "?"
        median, p95 = measure(run, runs=RUNS)
        results.append(
            Result(
                f"ocop catalogue: {label}",
                db,
                RUNS,
                median,
                p95,
                TARGET_S,
                f"{PRODUCTS:,} products, {count} found",
            )
        )
    return results
