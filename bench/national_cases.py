"""Benchmarks on the national data set: recomputations, and reads through the app side by side
with the raw SQL that returns the same figures (the floor).

To add a page, append a `ReadCase` to `READS`: its name, its p95 target (None: only the
app/SQL ratio is judged), the URL (from the `Context`), and the queries of its floor.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.test import Client

from bench.harness import Result, measure
from nongthon.accounts import services as account_services
from nongthon.accounts.models import Role, User
from nongthon.assessment.evaluation import recompute_set
from nongthon.catalogue.models import CriteriaSet, SetStatus
from nongthon.places.models import Edition, Level, Unit
from nongthon.plans.models import Plan

FAMILY = "qd318-xa-ntm"
FAMILY_2026 = "qd51-2025-xa-ntm"
YEAR = 2025
BIG_PROVINCE = "38"  # Thanh Hóa: the most communes of the pre-2025 list
LOAD_PROVINCE = "93"  # Hậu Giang: the demo's province, a typical size
READ_RUNS = 15
RATIO_TARGET = 2.0

Queries = list[tuple[str, list]]


@dataclass
class Context:
    province: Unit
    commune: Unit
    plan: Plan
    criteria_set: CriteriaSet
    client: Client
    user: User


@dataclass
class ReadCase:
    name: str
    target_p95_s: float | None
    url: Callable[[Context], str]
    floor: Callable[[Context], Queries]
    public: bool = False  # anonymous request
    cached: bool = False  # served from a cache when warm: timed cold as well


def context() -> Context:
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code=BIG_PROVINCE)
    commune = Unit.objects.filter(province=province, level=Level.COMMUNE).order_by("code").first()
    plan = Plan.objects.filter(unit=province, year_from=YEAR).order_by("pk").first()
    criteria_set = CriteriaSet.objects.get(code=FAMILY, status=SetStatus.ACTIVE)
    user = User.objects.filter(username="bench-reader").first()
    if user is None:
        user = account_services.create_user(
            None, username="bench-reader", password="Bench@2025-reader", check_password=False
        )
        user.is_staff = user.is_superuser = True
        user.save()
        account_services.grant_membership(None, user, province, Role.SYSTEM_ADMIN)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return Context(province, commune, plan, criteria_set, client, user)


# --- The floors: the raw SQL returning what each page shows -----------------------------------


def _scorecard_floor(c: Context) -> Queries:
    key = [c.commune.pk, YEAR, FAMILY]
    return [
        (
            "SELECT e.id, e.met_count, e.total, e.all_met, e.effective_region, e.result "
            "FROM assessment_evaluation e JOIN catalogue_criteriaset s ON s.id = e.criteria_set_id "
            "WHERE e.unit_id = %s AND e.year = %s AND s.family = %s",
            key,
        ),
        (
            "SELECT indicator_code, value_number, value_bool, value_text, hand_verdict, "
            "hand_reason, illustrative FROM assessment_indicatorvalue "
            "WHERE unit_id = %s AND year = %s AND family = %s",
            key,
        ),
        (
            "SELECT i.code, i.name, i.unit_of_measure FROM catalogue_indicator i "
            "JOIN catalogue_criterion c ON c.id = i.criterion_id WHERE c.criteria_set_id = %s",
            [c.criteria_set.pk],
        ),
        (
            "SELECT criterion_number, status, agency_id FROM assessment_confirmation "
            "WHERE unit_id = %s AND year = %s AND family = %s",
            key,
        ),
    ]


def _matrix_floor(c: Context) -> Queries:
    key = [c.province.pk, YEAR, c.criteria_set.pk]
    return [
        (
            "SELECT u.id, u.code, u.name, d.name, e.id, e.met_count, e.total, e.all_met "
            "FROM assessment_evaluation e JOIN places_unit u ON u.id = e.unit_id "
            "LEFT JOIN places_unit d ON d.id = u.district_id "
            "WHERE u.province_id = %s AND e.year = %s AND e.criteria_set_id = %s "
            "ORDER BY d.code, u.code",
            key,
        ),
        (
            "SELECT cr.evaluation_id, cr.criterion_number, cr.status, cr.reason "
            "FROM assessment_criterionresult cr "
            "JOIN assessment_evaluation e ON e.id = cr.evaluation_id "
            "JOIN places_unit u ON u.id = e.unit_id "
            "WHERE u.province_id = %s AND e.year = %s AND e.criteria_set_id = %s",
            key,
        ),
    ]


OCOP_WORD = "buoi"  # «bưởi», folded as the catalogue folds it


def _ocop_floor(c: Context) -> Queries:
    certified = (
        "EXISTS (SELECT 1 FROM ocop_certificate c WHERE c.product_id = p.id "
        "AND c.superseded_by_id IS NULL)"
    )
    like = [f"%{OCOP_WORD}%"]
    return [
        (
            f"SELECT COUNT(*) FROM ocop_product p WHERE {certified} AND p.search_text LIKE %s",
            like,
        ),
        (
            "SELECT p.id, p.name, p.public_id, pr.name, u.name, d.name, c.star, c.decision_date, "
            "c.valid_until, c.revoked_on FROM ocop_product p "
            "JOIN ocop_producer pr ON pr.id = p.producer_id "
            "JOIN places_unit u ON u.id = p.commune_id "
            "LEFT JOIN places_unit d ON d.id = u.district_id "
            "JOIN ocop_certificate c ON c.product_id = p.id AND c.superseded_by_id IS NULL "
            "WHERE p.search_text LIKE %s ORDER BY p.name, p.id LIMIT 24",
            like,
        ),
        (f'SELECT DISTINCT p."group" FROM ocop_product p WHERE {certified}', []),
        (
            "SELECT DISTINCT d.id, d.code, d.name FROM ocop_product p "
            "JOIN places_unit u ON u.id = p.commune_id JOIN places_unit d ON d.id = u.district_id "
            f"WHERE {certified}",
            [],
        ),
    ]


def _plan_floor(c: Context) -> Queries:
    end = dt.date(YEAR, 12, 31)
    province = c.province.pk
    return [
        ("SELECT * FROM plans_plan WHERE id = %s", [c.plan.pk]),
        ('SELECT * FROM plans_target WHERE plan_id = %s ORDER BY "order"', [c.plan.pk]),
        ("SELECT * FROM plans_fundline WHERE plan_id = %s", [c.plan.pk]),
        (
            "SELECT COUNT(*), SUM(CASE WHEN e.all_met THEN 1 ELSE 0 END), SUM(e.met_count), "
            "MIN(e.met_count) FROM assessment_evaluation e JOIN places_unit u ON u.id = e.unit_id "
            "WHERE u.province_id = %s AND e.year = %s AND e.criteria_set_id = %s",
            [province, YEAR, c.criteria_set.pk],
        ),
        (
            "SELECT COUNT(*) FROM recognition_title t JOIN places_unit u ON u.id = t.unit_id "
            "JOIN recognition_decision d ON d.id = t.decision_id WHERE u.province_id = %s "
            "AND t.tier = 'ntm' AND d.date <= %s AND (t.ended_on IS NULL OR t.ended_on > %s)",
            [province, end, end],
        ),
        (
            "SELECT COUNT(*) FROM ocop_certificate c JOIN ocop_product p ON p.id = c.product_id "
            "JOIN places_unit u ON u.id = p.commune_id WHERE u.province_id = %s "
            "AND c.decision_date BETWEEN %s AND %s AND c.star BETWEEN 3 AND 4 "
            "AND c.level = 'province'",
            [province, dt.date(YEAR, 1, 1), end],
        ),
        (
            "SELECT l.source_id, l.kind, SUM(l.amount) FROM funding_fundingline l "
            "JOIN places_unit u ON u.id = l.unit_id WHERE (u.id = %s OR u.province_id = %s) "
            "AND l.year = %s AND (l.on_date IS NULL OR l.on_date <= %s) "
            "GROUP BY l.source_id, l.kind",
            [province, province, YEAR, end],
        ),
    ]


DASHBOARD_DAY = dt.date(YEAR, 6, 30)  # the pre-2025 provinces' last day


def _national_floor(c: Context) -> Queries:
    day = DASHBOARD_DAY
    return [
        (
            "SELECT id, code, name FROM places_unit WHERE level = 'province' "
            "AND (valid_from IS NULL OR valid_from <= %s) AND (valid_to IS NULL OR valid_to >= %s) "
            "ORDER BY code",
            [day, day],
        ),
        (
            "SELECT province_id, COUNT(*) FROM places_unit WHERE level = 'commune' AND kind = 'xa' "
            "GROUP BY province_id",
            [],
        ),
        (
            "SELECT u.province_id, t.tier, COUNT(*) FROM recognition_title t "
            "JOIN places_unit u ON u.id = t.unit_id JOIN recognition_decision d "
            "ON d.id = t.decision_id WHERE u.level = 'commune' AND d.date <= %s "
            "AND (t.ended_on IS NULL OR t.ended_on > %s) GROUP BY u.province_id, t.tier",
            [day, day],
        ),
        (
            "SELECT u.province_id, e.year, e.criteria_set_id, COUNT(*), "
            "SUM(CASE WHEN e.all_met THEN 1 ELSE 0 END), SUM(e.met_count) "
            "FROM assessment_evaluation e JOIN places_unit u ON u.id = e.unit_id "
            "JOIN catalogue_criteriaset s ON s.id = e.criteria_set_id "
            "WHERE u.level = 'commune' AND s.level = 'commune' AND s.tier = 'ntm' "
            "AND e.year <= %s GROUP BY u.province_id, e.year, e.criteria_set_id",
            [day.year],
        ),
        (
            "SELECT u.province_id, c.star, COUNT(*) FROM ocop_certificate c "
            "JOIN ocop_product p ON p.id = c.product_id JOIN places_unit u ON u.id = p.commune_id "
            "LEFT JOIN ocop_certificate n ON n.id = c.superseded_by_id "
            "WHERE c.decision_date <= %s AND c.valid_until >= %s "
            "AND (c.revoked_on IS NULL OR c.revoked_on > %s) "
            "AND (n.id IS NULL OR n.decision_date > %s) GROUP BY u.province_id, c.star",
            [day, day, day, day],
        ),
        (
            "SELECT COALESCE(u.province_id, u.id), l.year, l.kind, SUM(l.amount) "
            "FROM funding_fundingline l JOIN places_unit u ON u.id = l.unit_id "
            "WHERE l.year <= %s GROUP BY COALESCE(u.province_id, u.id), l.year, l.kind",
            [day.year],
        ),
    ]


def _province_dashboard_floor(c: Context) -> Queries:
    """The main aggregates of the province's panels (titles, criteria by year, OCOP by star,
    funding by source and kind)."""
    day, province = DASHBOARD_DAY, c.province.pk
    return [
        (
            "SELECT t.tier, COUNT(*) FROM recognition_title t "
            "JOIN places_unit u ON u.id = t.unit_id JOIN recognition_decision d "
            "ON d.id = t.decision_id WHERE u.province_id = %s AND u.level = 'commune' "
            "AND d.date <= %s AND (t.ended_on IS NULL OR t.ended_on > %s) GROUP BY t.tier",
            [province, day, day],
        ),
        (
            "SELECT e.year, e.criteria_set_id, COUNT(*), SUM(CASE WHEN e.all_met THEN 1 ELSE 0 "
            "END), SUM(e.met_count) FROM assessment_evaluation e "
            "WHERE e.unit_id IN (SELECT id FROM places_unit WHERE province_id = %s "
            "AND level = 'commune') AND e.year <= %s GROUP BY e.year, e.criteria_set_id",
            [province, day.year],
        ),
        (
            "SELECT cr.criterion_number, COUNT(*) FROM assessment_criterionresult cr "
            "JOIN assessment_evaluation e ON e.id = cr.evaluation_id "
            "JOIN places_unit u ON u.id = e.unit_id WHERE u.province_id = %s AND e.year = %s "
            "AND e.criteria_set_id = %s AND cr.status = 'not_met' GROUP BY cr.criterion_number",
            [province, day.year, c.criteria_set.pk],
        ),
        (
            "SELECT c.star, COUNT(*) FROM ocop_certificate c "
            "JOIN ocop_product p ON p.id = c.product_id JOIN places_unit u ON u.id = p.commune_id "
            "WHERE u.province_id = %s AND c.decision_date <= %s AND c.valid_until >= %s "
            "AND (c.revoked_on IS NULL OR c.revoked_on > %s) GROUP BY c.star",
            [province, day, day, day],
        ),
        (
            "SELECT l.source_id, l.kind, SUM(l.amount) FROM funding_fundingline l "
            "JOIN places_unit u ON u.id = l.unit_id WHERE (u.id = %s OR u.province_id = %s) "
            "AND l.year = %s AND (l.on_date IS NULL OR l.on_date <= %s) "
            "GROUP BY l.source_id, l.kind",
            [province, province, day.year, day],
        ),
    ]


READS: list[ReadCase] = [
    ReadCase(
        "national dashboard (63 tỉnh)",
        0.3,
        lambda c: f"/tong-quan/ca-nuoc/?on={DASHBOARD_DAY.isoformat()}",
        _national_floor,
    ),
    ReadCase(
        "province dashboard (Thanh Hóa)",
        0.1,
        lambda c: f"/tong-quan/{c.province.pk}/?on={DASHBOARD_DAY.isoformat()}",
        _province_dashboard_floor,
        cached=True,
    ),
    ReadCase(
        "commune scorecard",
        None,
        lambda c: f"/assessment/results/unit/{c.commune.pk}/{YEAR}/{FAMILY}/",
        _scorecard_floor,
    ),
    ReadCase(
        "province matrix (Thanh Hóa, 559 xã)",
        None,
        lambda c: f"/assessment/results/matrix/{c.province.pk}/{YEAR}/{FAMILY}/",
        _matrix_floor,
        cached=True,
    ),
    ReadCase(
        "OCOP public search «bưởi»", None, lambda c: "/ocop/san-pham/?q=bưởi", _ocop_floor, True
    ),
    ReadCase(
        "plan target progress (Thanh Hóa 2025)",
        None,
        lambda c: f"/plans/{c.plan.pk}/?on=31/12/{YEAR}",
        _plan_floor,
    ),
]


def _run_floor(queries: Queries) -> None:
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            cursor.fetchall()


def bench_reads(db: str) -> list[Result]:
    """Pages through the test client, side by side with the raw SQL of the same figures."""
    c = context()
    anonymous = Client(HTTP_HOST="localhost")
    results = []
    for case in READS:
        client = anonymous if case.public else c.client
        url = case.url(c)

        def page(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        page()  # warm: caches, compiled templates
        median, p95 = measure(page, runs=READ_RUNS)
        floor = case.floor(c)
        _run_floor(floor)
        sql_median, _ = measure(lambda floor=floor: _run_floor(floor), runs=READ_RUNS)
        timings = [("", median, p95)]
        if case.cached:

            def cold(page=page) -> None:
                cache.clear()  # the first view after a change
                page()

            timings.append((", cold (cache emptied)", *measure(cold, runs=READ_RUNS)))
        for suffix, med, high in timings:
            results.append(
                Result(
                    f"page: {case.name}{suffix}",
                    db,
                    READ_RUNS,
                    med,
                    high,
                    case.target_p95_s,
                    url,
                    sql_median_s=sql_median,
                    ratio_target=RATIO_TARGET,
                )
            )
    return results


# --- Recomputations ---------------------------------------------------------------------------


def _national_sets() -> list[CriteriaSet]:
    return list(
        CriteriaSet.objects.filter(
            code__in=[FAMILY, FAMILY_2026], status=SetStatus.ACTIVE, province__isnull=True
        )
    )


def bench_recompute(db: str) -> list[Result]:
    """Recompute every evaluation of the country; one province after a threshold change."""
    sets = _national_sets()
    count = 0

    def everything(force: bool = False) -> None:
        nonlocal count
        count = sum(recompute_set(s, force=force) for s in sets)

    everything()  # warm
    median, p95 = measure(everything, runs=3)
    forced_median, forced_p95 = measure(lambda: everything(force=True), runs=2)
    note = f"{count:,} evaluations".replace(",", ".")
    results = [
        Result("evaluate: whole country, nothing changed", db, 3, median, p95, 10.0, note),
        Result(
            "evaluate: whole country, every row rewritten",
            db,
            2,
            forced_median,
            forced_p95,
            10.0,
            note + " (force)",
        ),
    ]
    return results + _threshold_change(db)


def _threshold_change(db: str) -> list[Result]:
    """A province refines the national set, then tightens a threshold: a new version, and its
    communes re-evaluated (the time of `set_threshold` itself, as the page calls it)."""
    from nongthon.catalogue import refinement

    c = context()
    national = CriteriaSet.objects.get(code=FAMILY, status=SetStatus.ACTIVE, province__isnull=True)
    own = CriteriaSet.objects.filter(
        province=c.province, family=FAMILY, status=SetStatus.ACTIVE
    ).first()
    refined = None
    if own is None:
        started = time.perf_counter()
        own = refinement.refine(
            c.user,
            national_set=national,
            province=c.province,
            basis_number="BENCH/QĐ-UBND",
            basis_date=dt.date(2024, 1, 1),
        ).criteria_set
        refined = time.perf_counter() - started
    values = iter([Decimal(85), Decimal(90)] * 10)
    region = c.province.region.code if c.province.region_id else ""
    stored = 0

    def tighten() -> None:
        nonlocal own, stored
        outcome = refinement.set_threshold(
            c.user,
            province_set=own,
            indicator_code="3.1",
            comparator=">=",
            value=next(values),
            region=region,
            basis="Đo hiệu năng (minh họa)",
        )
        own, stored = outcome.criteria_set, outcome.recomputed

    median, p95 = measure(tighten, runs=3)
    results = []
    if refined is not None:
        results.append(
            Result("evaluate: refine the national set (Thanh Hóa)", db, 1, refined, refined, None)
        )
    return results + [
        Result(
            "evaluate: one province after a threshold change",
            db,
            3,
            median,
            p95,
            None,
            f"{stored:,} evaluations, new set version".replace(",", "."),
        ),
    ]
