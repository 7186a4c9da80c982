"""Who may do what in recognition, role by role, for the own commune, a commune of the same
district and one of another district (accounts.permissions, recognition section)."""

from __future__ import annotations

import pytest

from nongthon.accounts import permissions
from nongthon.accounts.models import Role
from nongthon.recognition.rules import procedure
from tests.conftest import make_user

COMMUNE_STEP = procedure("qd18-2022-xa").step("self_report").actor_roles
DISTRICT_STEP = procedure("qd18-2022-xa").step("district_check").actor_roles
PROVINCE_STEP = procedure("qd18-2022-xa").step("province_appraisal").actor_roles

CHECKS = {
    "view": lambda u, t: permissions.can_view_recognition(u, t),
    "register": lambda u, t: permissions.can_register_application(u, t),
    "commune_step": lambda u, t: permissions.can_act_on_step(u, t, COMMUNE_STEP),
    "district_step": lambda u, t: permissions.can_act_on_step(u, t, DISTRICT_STEP),
    "province_step": lambda u, t: permissions.can_act_on_step(u, t, PROVINCE_STEP),
    "return": lambda u, t: permissions.can_return_application(u, t),
    "conditions": lambda u, t: permissions.can_record_recognition_conditions(u, t),
    "decide": lambda u, t: permissions.can_decide_recognition(u, t),
}
Y, N = True, False
# role: (own commune, same district, other district) for each check, in CHECKS order.
EXPECTED = {
    Role.PROVINCE_COORDINATOR: [(Y, Y, Y), (Y, Y, Y), (N, N, N), (Y, Y, Y), (Y, Y, Y),
                                (Y, Y, Y), (Y, Y, Y), (Y, Y, Y)],
    Role.DISTRICT_OFFICER: [(Y, Y, N), (Y, Y, N), (N, N, N), (Y, Y, N), (N, N, N),
                            (Y, Y, N), (Y, Y, N), (N, N, N)],
    Role.COMMUNE_OFFICER: [(Y, N, N), (Y, N, N), (Y, N, N), (N, N, N), (N, N, N),
                           (N, N, N), (N, N, N), (N, N, N)],
    Role.VIEWER: [(Y, Y, Y)] + [(N, N, N)] * 7,
    Role.DEPARTMENT_OFFICER: [(Y, Y, Y)] + [(N, N, N)] * 7,
}  # fmt: skip


@pytest.fixture
def holder(hau_giang, vi_thuy, vi_binh, so_nnptnt):
    def make(role):
        unit = {
            Role.PROVINCE_COORDINATOR: hau_giang,
            Role.DISTRICT_OFFICER: vi_thuy,
            Role.COMMUNE_OFFICER: vi_binh,
            Role.VIEWER: hau_giang,
            Role.DEPARTMENT_OFFICER: hau_giang,
        }[role]
        agency = so_nnptnt if role == Role.DEPARTMENT_OFFICER else None
        return make_user(f"r-{role}", unit, role, agency)

    return make


@pytest.mark.parametrize("role", list(EXPECTED))
def test_recognition_permissions_by_role(role, holder, vi_binh, vi_dong, long_tri):
    user = holder(role)
    answers = [
        tuple(check(user, target) for target in (vi_binh, vi_dong, long_tri))
        for check in CHECKS.values()
    ]
    assert dict(zip(CHECKS, answers, strict=True)) == dict(zip(CHECKS, EXPECTED[role], strict=True))


def test_a_2025_province_coordinator_does_not_reach_pre_2025_units(can_tho, vi_binh):
    user = make_user("ct", can_tho, Role.PROVINCE_COORDINATOR)
    assert not permissions.can_view_recognition(user, vi_binh)
    assert not permissions.can_decide_recognition(user, vi_binh)
