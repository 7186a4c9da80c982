"""Schemathesis against the API's own OpenAPI document, through the WSGI app with a read-write
token of a province coordinator who has data to read: no server error (5xx), no response that
breaks the documented schema, no undocumented status code or content type. Bounded (examples
per operation, no deadline) so one database run stays well under a minute."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from nongthon.accounts import services as account_services
from nongthon.accounts.models import Role, User
from nongthon.api.models import Scope
from nongthon.api.v1 import api
from nongthon.assessment import services as value_services
from nongthon.assessment.services import ValueEntry
from nongthon.plans import services as plan_services
from tests.api_support import token_for

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
EXAMPLES = 5


@pytest.fixture
def coordinator(db, hau_giang) -> User:
    """A province coordinator without a password (hashing one costs a second per operation)."""
    user = User.objects.create(username="tinh-api", full_name="Điều phối tỉnh")
    account_services.grant_membership(None, user, hau_giang, Role.PROVINCE_COORDINATOR)
    return user


@pytest.fixture
def seeded(db, tiny_set, coordinator, vi_binh, hau_giang):
    """Something to read behind the ids schemathesis may guess: values, an evaluation, a plan
    with a target and a task."""
    province_coordinator = coordinator
    value_services.save_values(
        province_coordinator,
        unit=vi_binh,
        year=2023,
        family="test-xa-ntm",
        entries=[ValueEntry("3.1", "85"), ValueEntry("3.2", True)],
    )
    plan = plan_services.create_plan(
        province_coordinator, hau_giang, title="Kế hoạch thử", body="UBND tỉnh",
        year_from=2023, year_to=2023, issued_on=dt.date(2023, 1, 5),
    )  # fmt: skip
    plan_services.add_target(
        province_coordinator, plan, sentence="Thêm 3 xã đạt chuẩn", type_code="free"
    )
    plan_services.add_task(
        province_coordinator, plan, content="Rà soát tiêu chí", lead_text="UBND các huyện",
        deadline_text="Quý II/2023",
    )  # fmt: skip
    return plan


@pytest.fixture
def keep_connection():
    """Calls go straight to the WSGI app, not through Django's test client, so do what the
    client does: keep the test's connection open across requests (Django closes a connection
    whose autocommit differs from its settings at the end of each request: on PostgreSQL that
    would close the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(coordinator) -> dict:
    return {"Authorization": f"Bearer {token_for(coordinator, Scope.WRITE)}"}


# Loaded at import from the API object itself (no request, no database), called through WSGI.
# The coverage phase would try every boundary of every parameter (minutes); the fuzzing phase,
# positive and negative, bounded by max_examples, keeps the run short.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_within_its_schema(
    case, seeded, bearer, keep_connection
):
    case.call_and_validate(headers=bearer, checks=CHECKS)
