"""Read replica: with NONGTHON_REPLICA_DATABASE_URL set, dashboards and reports read the
program's data from the replica, while sessions, users and every write use the primary. Tested
with two databases (copies of the test database: two SQLite files, or two PostgreSQL databases
in the PostgreSQL run) that differ in one commune's name."""

from __future__ import annotations

import json

import pytest

from nongthon.accounts.models import User
from nongthon.ops import replica
from nongthon.places.models import Unit
from tests.ops_support import copy_test_database, drop_database, environment, script

pytestmark = pytest.mark.django_db


def test_the_router_sends_only_marked_reads_of_program_data_to_the_replica():
    router = replica.ReplicaRouter()
    assert router.db_for_read(Unit) == "default"
    with replica.replica_reads():
        assert router.db_for_read(Unit) == "replica"
        assert router.db_for_read(User) == "default"  # who you are: always the primary
        assert router.db_for_write(Unit) == "default"
    assert router.db_for_read(Unit) == "default"
    assert router.allow_migrate("replica", "places") is False
    assert router.allow_migrate("default", "places") is True


def test_the_dashboards_listed_exist():
    from django.urls import reverse

    for name in replica.REPLICA_VIEWS:
        namespace, url_name = name.split(":")
        pattern_names = {p.name for p in _patterns(namespace)}
        assert url_name in pattern_names, name
    assert reverse("recognition:titles", args=[1])


def _patterns(namespace: str):
    from django.urls import get_resolver

    found = []
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == namespace:
            stack = list(pattern.url_patterns)
            while stack:
                item = stack.pop()
                if hasattr(item, "url_patterns"):
                    stack.extend(item.url_patterns)
                else:
                    found.append(item)
    return found


@pytest.fixture(scope="module")
def two_databases(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("replica")
    with django_db_blocker.unblock():
        primary = copy_test_database(folder, "primary")
        copy = copy_test_database(folder, "replica")
    yield primary, copy, folder
    with django_db_blocker.unblock():
        drop_database(primary)
        drop_database(copy)


def test_a_dashboard_reads_the_replica_and_a_plain_page_the_primary(two_databases):
    primary, copy, folder = two_databases
    env = environment(
        primary,
        folder / "data",
        NONGTHON_REPLICA_DATABASE_URL=copy,
        NONGTHON_ALLOWED_HOSTS="testserver",
    )
    out = folder / "replica.json"
    script(env, "replica", str(out))
    seen = json.loads(out.read_text())
    assert seen["dashboard_status"] == 200 and seen["plain_status"] == 200
    assert seen["dashboard_from_replica"] is True  # recognition:titles is a dashboard
    assert seen["plain_from_replica"] is False  # the unit page is not
    assert seen["primary_name"] == "Xã Vị Bình"
    # The user was written to the primary only, yet logged in on both pages: sessions and
    # accounts never come from the replica.
    assert seen["user_on_replica"] is False
