"""The plans table of the permission matrix (nongthon.accounts.matrix.PLAN_MATRIX): every cell
against the permission function its column names, every role and commune once, and the pages
answering as the table says (200 allowed, 403 seen but refused, 404 not seen)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from nongthon.accounts import matrix
from nongthon.accounts.models import Role
from nongthon.places.models import Agency, Level, Unit
from nongthon.plans import services
from nongthon.plans.models import Plan, Task
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db
ROWS = [(row[0], row[1], row[2:]) for row in matrix.PLAN_MATRIX]
IDS = [f"{row[0]}-{row[1]}" for row in matrix.PLAN_MATRIX]


@pytest.fixture
def world(hau_giang, vi_thuy, vi_binh, vi_dong, long_tri, can_tho):
    far = Unit.objects.subtree(can_tho).communes().order_by("code").first()
    so_y_te = Agency.objects.create(
        unit=hau_giang, code="so-y-te", name="Sở Y tế", kind="department"
    )
    far_so_y_te = Agency.objects.create(
        unit=can_tho, code="so-y-te", name="Sở Y tế", kind="department"
    )
    communes = {
        matrix.Target.OWN_COMMUNE: vi_binh,
        matrix.Target.SAME_DISTRICT: vi_dong,
        matrix.Target.OTHER_DISTRICT: long_tri,
        matrix.Target.OTHER_PROVINCE: far,
    }
    plans, tasks = {}, {}
    for target, commune in communes.items():
        plan = services.create_plan(
            None,
            commune,
            body=f"UBND {commune.name}",
            title="Kế hoạch năm 2023",
            year_from=2023,
            year_to=2023,
        )
        lead = far_so_y_te if target == matrix.Target.OTHER_PROVINCE else so_y_te
        plans[target] = plan
        tasks[target] = services.add_task(
            None, plan, content="Báo cáo BHYT", lead=lead, deadline_text="31/12/2023"
        )
    places = {Level.PROVINCE: hau_giang, Level.DISTRICT: vi_thuy, Level.COMMUNE: vi_binh}

    def holder(role: str):
        if role == matrix.ANONYMOUS:
            return AnonymousUser()
        agency = so_y_te if role == Role.DEPARTMENT_OFFICER else None
        return make_user(f"u-{role}", places[matrix.HELD_AT[role]], role, agency)

    return {"communes": communes, "plans": plans, "tasks": tasks, "holder": holder}


@pytest.mark.parametrize(("role", "target", "expected"), ROWS, ids=IDS)
def test_the_permission_functions_answer_as_the_plans_table_says(world, role, target, expected):
    user = world["holder"](role)
    subjects = {
        matrix.PLAN_UNIT: world["communes"][target],
        matrix.PLAN_TASK: world["tasks"][target],
    }
    answers = tuple(matrix.check(c.function)(user, subjects[c.subject]) for c in matrix.PLAN_CHECKS)
    keys = [c.key for c in matrix.PLAN_CHECKS]
    assert answers == tuple(expected), dict(zip(keys, answers, strict=True))


def _code(allowed: bool, seen: bool) -> int:
    return 200 if allowed else 403 if seen else 404


@pytest.mark.parametrize(("role", "target", "expected"), ROWS, ids=IDS)
def test_the_plan_pages_answer_as_the_plans_table_says(world, role, target, expected):
    user = world["holder"](role)
    client = Client() if role == matrix.ANONYMOUS else client_for(user)
    cells = matrix.plan_expected(role, target)
    plan: Plan = world["plans"][target]
    task: Task = world["tasks"][target]
    commune: Unit = world["communes"][target]
    seen_plan = cells["view"]
    pages = {
        f"/plans/{plan.pk}/edit/": _code(cells["plan"], seen_plan),
        f"/plans/{plan.pk}/targets/new/": _code(cells["targets"], seen_plan),
        f"/plans/{plan.pk}/funds/new/": _code(cells["funds"], seen_plan),
        f"/plans/plan/{plan.pk}/tasks/new/": _code(cells["tasks"], seen_plan),
        f"/plans/plan/{plan.pk}/tasks/import/": _code(cells["import"], seen_plan),
        f"/plans/tasks/{task.pk}/cancel/": _code(cells["cancel"], seen_plan or cells["report"]),
        # 2025: the one year both the old communes and Cần Thơ's new ones existed.
        f"/plans/statuses/households/{commune.pk}/2025/new/": _code(cells["statuses"], seen_plan),
    }
    for url, code in pages.items():
        response = client.get(url)
        if role == matrix.ANONYMOUS:
            assert response.status_code == 302 and "/login/" in response.url, url
        else:
            assert response.status_code == code, url
    if cells["report"] and role != matrix.ANONYMOUS:
        page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
        assert 'data-testid="note-form"' in page


def test_the_plans_table_covers_every_role_and_commune_once():
    pairs = [(row[0], row[1]) for row in matrix.PLAN_MATRIX]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {(r, t) for r in [*Role.values, matrix.ANONYMOUS] for t in matrix.Target}
    assert all(len(row) == 2 + len(matrix.PLAN_CHECKS) for row in matrix.PLAN_MATRIX)
    assert len({c.key for c in matrix.PLAN_CHECKS}) == len(matrix.PLAN_CHECKS)
    from nongthon.accounts import permissions

    assert all(callable(getattr(permissions, c.function, None)) for c in matrix.PLAN_CHECKS)


def test_the_plans_table_renders_for_the_docs_with_the_function_of_each_column():
    table = matrix.plan_as_markdown().splitlines()
    assert table[0].startswith("| Vai trò | Giữ tại | Đối với | Xem kế hoạch, nhiệm vụ")
    assert "`can_report_task`" in table[2] and "`can_cancel_task`" in table[2]
    assert len(table) == len(matrix.PLAN_MATRIX) + 3
    commune_own = next(r for r in matrix.plan_rows() if r.role == Role.COMMUNE_OFFICER)
    assert commune_own.allowed["statuses"] and not commune_own.allowed["plan"]
