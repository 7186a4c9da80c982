"""Shared fixtures: Hậu Giang (pre-2025) and TP Cần Thơ (2025) loaded once per session, and a
few named users, one per role, as Healthchecks' BaseTestCase does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from nongthon.accounts import services as account_services
from nongthon.accounts.models import Role, User
from nongthon.places.models import Edition, Level, Unit
from nongthon.places.official_lists import load_units

# The Chromium and page fixtures for every browser test file; the security tests' world.
pytest_plugins = ["tests.browser_support", "tests.security_support"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls in live-server
# tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Nongthon@2025"  # noqa: S105
# argon2 costs ~0.14 s a hash and the suite creates thousands of users: tests hash with MD5
# unless they ask for `argon2_hashing` (the tests of how passwords are stored).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (its database is rolled back; the cache is not)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in Vietnamese: a request in English leaves English active on the
    thread (LocaleMiddleware activates, nothing deactivates), which later messages would use."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture
def argon2_hashing(settings):
    """The production hashers (settings.py), for tests of how passwords are stored."""
    from nongthon import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_units(["93"])


def get_unit(code: str, edition: str = Edition.PRE_2025, level: str | None = None) -> Unit:
    query = Unit.objects.filter(edition=edition, code=code)
    if level:
        query = query.filter(level=level)
    return query.get()


@pytest.fixture
def hau_giang(db) -> Unit:
    return get_unit("93", level=Level.PROVINCE)


@pytest.fixture
def vi_thuy(db) -> Unit:
    return get_unit("935", level=Level.DISTRICT)


@pytest.fixture
def vi_binh(db) -> Unit:
    return get_unit("31468", level=Level.COMMUNE)


@pytest.fixture
def vi_dong(db) -> Unit:
    """Another commune of Vị Thủy district."""
    return get_unit("31462", level=Level.COMMUNE)


@pytest.fixture
def long_tri(db) -> Unit:
    """A commune of another district (Thị xã Long Mỹ)."""
    return get_unit("31477", level=Level.COMMUNE)


@pytest.fixture
def can_tho(db) -> Unit:
    return get_unit("92", edition=Edition.Y2025, level=Level.PROVINCE)


def make_user(username: str, unit: Unit | None = None, role: str | None = None, agency=None):
    user = account_services.create_user(
        None,
        username=username,
        password=PASSWORD,
        full_name=username.title(),
        check_password=False,
    )
    if unit is not None and role is not None:
        account_services.grant_membership(None, user, unit, role, agency)
    return user


@pytest.fixture
def province_coordinator(hau_giang) -> User:
    return make_user("tinh", hau_giang, Role.PROVINCE_COORDINATOR)


@pytest.fixture
def district_officer(vi_thuy) -> User:
    return make_user("huyen", vi_thuy, Role.DISTRICT_OFFICER)


@pytest.fixture
def commune_officer(vi_binh) -> User:
    return make_user("xa", vi_binh, Role.COMMUNE_OFFICER)


@pytest.fixture
def other_commune_officer(vi_dong) -> User:
    return make_user("xakhac", vi_dong, Role.COMMUNE_OFFICER)


@pytest.fixture
def viewer(hau_giang) -> User:
    return make_user("xem", hau_giang, Role.VIEWER)


@pytest.fixture
def system_admin(hau_giang) -> User:
    return make_user("quantri", hau_giang, Role.SYSTEM_ADMIN)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


TINY_SET = Path(__file__).resolve().parent / "data" / "tiny-set.yaml"


@pytest.fixture
def tiny_set(db):
    """A small commune set (criteria 3 and 10; 3.1 has regional thresholds, 10 is by hand)."""
    from nongthon.catalogue.services import load_set_file

    return load_set_file(TINY_SET).criteria_set


@pytest.fixture
def so_nnptnt(hau_giang):
    from nongthon.places.models import Agency, AgencyKind

    return Agency.objects.create(
        unit=hau_giang,
        code="so-nnptnt",
        name="Sở Nông nghiệp và Phát triển nông thôn",
        kind=AgencyKind.DEPARTMENT,
    )


@pytest.fixture
def department_officer(hau_giang, so_nnptnt) -> User:
    return make_user("sonn", hau_giang, Role.DEPARTMENT_OFFICER, so_nnptnt)
