"""The dashboard and the map's JSON of the largest pre-2025 province while the database holds
the whole country's communes (10,035) with three years of evaluations, the latest year's
criterion results and their NTM titles: the pages must read the province's rows through the
indexes, not the country's.

Evaluations, results, decisions and titles are synthetic (bulk-created) for timing only; the
1 s target is ours, not the issue's.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.harness import Result, analyze, measure
from nongthon.accounts.models import Role
from nongthon.accounts.services import create_user, grant_membership
from nongthon.assessment.models import CriterionResult, Evaluation
from nongthon.catalogue.services import load_set_file
from nongthon.places.models import Edition, Level, Unit
from nongthon.places.official_lists import load_units
from nongthon.recognition.models import Decision, DecisionKind, Title

RUNS = 5
TARGET_S = 1.0
YEARS = (2021, 2022, 2023)
SETS = Path(__file__).resolve().parent.parent / "src" / "nongthon" / "catalogue" / "data"


def _seed() -> tuple[Unit, int]:
    if not Unit.objects.filter(edition=Edition.PRE_2025, level=Level.COMMUNE).exists():
        load_units()
    criteria_set = load_set_file(SETS / "qd318-xa-ntm.yaml").criteria_set
    numbers = list(criteria_set.criteria.values_list("number", flat=True))
    communes = list(
        Unit.objects.filter(edition=Edition.PRE_2025, level=Level.COMMUNE).only("pk", "province")
    )
    rng = random.Random(10_035)
    met = {(u.pk, y): min(19, rng.randint(9, 19) + (y - 2021)) for u in communes for y in YEARS}
    evaluations = Evaluation.objects.bulk_create(
        (
            Evaluation(
                unit_id=u.pk,
                year=y,
                criteria_set=criteria_set,
                met_count=met[(u.pk, y)],
                total=len(numbers),
                all_met=met[(u.pk, y)] == len(numbers),
                result={},
            )
            for u in communes
            for y in YEARS
        ),
        batch_size=5000,
    )
    latest = [e for e in evaluations if e.year == YEARS[-1]]
    CriterionResult.objects.bulk_create(
        (
            CriterionResult(
                evaluation=e,
                criterion_number=n,
                status="met" if i < e.met_count else "not_met",
                reason="",
            )
            for e in latest
            for i, n in enumerate(numbers)
        ),
        batch_size=10000,
    )
    provinces = {u.province_id for u in communes}
    decisions = {
        p: Decision.objects.create(
            kind=DecisionKind.RECOGNITION,
            number=f"{p}/QĐ-UBND",
            date=dt.date(2022, 12, 20),
            signer="Chủ tịch",
            issuer="UBND tỉnh",
            province_id=p,
        )
        for p in provinces
    }
    Title.objects.bulk_create(
        (
            Title(unit_id=u.pk, tier="ntm", year=2022, decision=decisions[u.province_id])
            for u in communes
            if met[(u.pk, 2022)] == len(numbers)
        ),
        batch_size=5000,
    )
    largest = (
        Unit.objects.filter(edition=Edition.PRE_2025, level=Level.COMMUNE)
        .values("province")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]
    )
    return Unit.objects.get(pk=largest["province"]), len(communes)


def bench_dashboard(db: str) -> list[Result]:
    """Dashboard and map JSON of the largest province, 10,035 communes evaluated in the base."""
    province, communes = _seed()
    analyze()
    user = create_user(
        None, username="bench.tinh", password="x", full_name="Bench", check_password=False
    )
    grant_membership(None, user, province, Role.PROVINCE_COORDINATOR)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    in_province = Unit.objects.filter(province=province, level=Level.COMMUNE).count()
    results = []
    for label, url in (
        ("dashboard", f"/tong-quan/{province.pk}/?on=2023-12-31"),
        ("map JSON", f"/ban-do/{province.pk}/du-lieu.json"),
    ):

        def run(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        reset_queries()  # DEBUG keeps the seeding's queries; count the request's only
        with CaptureQueriesContext(connection) as queries:
            run()
        median, p95 = measure(run, runs=RUNS)
        results.append(
            Result(
                f"{label}: largest province",
                db,
                RUNS,
                median,
                p95,
                TARGET_S,
                f"{province.name}: {in_province} of {communes:,} communes, "
                f"{len(queries.captured_queries)} queries",
            )
        )
    return results
