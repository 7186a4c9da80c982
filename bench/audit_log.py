"""The audit log over a million entries: full requests for the first page (system admin, a
province coordinator), a commune's changes, one user's, and a page deep in the log (keyset).

Entries are synthetic (bulk-created, spread over five years, in Hậu Giang's units, pointing at
history ids that do not exist: their rows show no diff); the newest 200 are real hamlet changes,
so the first pages render before → after. The 0.5 s target is ours, not the issue's.
"""

from __future__ import annotations

import datetime as dt
import os
import random

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from bench.harness import Result, analyze, measure
from nongthon.accounts import services as account_services
from nongthon.accounts.models import Role, User
from nongthon.audit.models import Entry
from nongthon.places.models import Edition, Hamlet, HamletKind, Level, Unit
from nongthon.places.official_lists import load_units

ROWS = int(os.environ.get("NONGTHON_BENCH_AUDIT_ROWS", "1000000"))
RUNS = 5
TARGET_S = 0.5


def _user(name: str, unit: Unit | None, role: str | None) -> User:
    user = account_services.create_user(
        None, username=name, password="x", full_name=name, check_password=False
    )
    if unit is not None:
        account_services.grant_membership(None, user, unit, role)
    return user


def _seed() -> tuple[User, User, Unit, User]:
    province = Unit.objects.filter(
        edition=Edition.PRE_2025, level=Level.PROVINCE, code="93"
    ).first()
    if province is None:
        load_units(["93"])
        province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    communes = list(Unit.objects.filter(province=province, level=Level.COMMUNE))
    admin = _user("bench-admin", None, None)
    admin.is_superuser = True
    admin.save()
    coordinator = _user("bench-tinh", province, Role.PROVINCE_COORDINATOR)
    writers = [_user(f"bench-xa-{i}", communes[i], Role.COMMUNE_OFFICER) for i in range(20)]
    hamlet_type = ContentType.objects.get_for_model(Hamlet)
    rng = random.Random(1)
    start = timezone.now() - dt.timedelta(days=5 * 365)
    step = dt.timedelta(days=5 * 365) / ROWS
    batch = []
    for i in range(ROWS):
        commune = communes[rng.randrange(len(communes))]
        batch.append(
            Entry(
                at=start + i * step,
                action="~",
                model=hamlet_type,
                object_id=str(i),
                history_id=10_000_000 + i,
                user=writers[rng.randrange(len(writers))],
                unit=commune,
                province=province,
                district_id=commune.district_id,
            )
        )
        if len(batch) == 20_000:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)
    for i in range(100):
        hamlet = Hamlet(commune=communes[0], name=f"Ấp đo {i}", kind=HamletKind.AP)
        hamlet._history_user = writers[0]
        hamlet.save()
        hamlet.name = f"Ấp đo {i} mới"
        hamlet._history_user = writers[0]
        hamlet.save()
    return admin, coordinator, communes[1], writers[1]


def bench_audit_log(db: str) -> list[Result]:
    """Audit log: first pages, a commune, a user and a deep page over a million entries."""
    admin, coordinator, commune, writer = _seed()
    analyze()
    as_admin, as_coordinator = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    as_admin.force_login(admin)
    as_coordinator.force_login(coordinator)
    middle = Entry.objects.order_by("-at", "-id")[ROWS // 2]
    cursor = f"{int(middle.at.timestamp() * 1_000_000)}.{middle.pk}"
    cases = [
        ("audit log: first page, system admin", as_admin, {}),
        ("audit log: first page, province coordinator", as_coordinator, {}),
        ("audit log: one commune's changes", as_coordinator, {"unit": commune.pk}),
        ("audit log: one user's changes", as_admin, {"user": writer.username}),
        ("audit log: a page halfway down (keyset)", as_admin, {"after": cursor}),
    ]
    results = []
    for name, client, params in cases:

        def request(client=client, params=params):
            response = client.get("/audit/", params)
            assert response.status_code == 200, response.status_code

        request()  # warm caches
        median, p95 = measure(request, RUNS)
        results.append(Result(name, db, RUNS, median, p95, TARGET_S, f"{ROWS:,} entries"))
    return results
