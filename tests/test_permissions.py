"""The permission matrix (nongthon.accounts.matrix.MATRIX) against the permissions module, and
the finer rules of who manages whom."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from nongthon.accounts import matrix, permissions, services
from nongthon.accounts.models import Role
from nongthon.places.models import Agency, Edition, Level, Unit
from tests.conftest import make_user


@pytest.fixture
def can_tho_commune(can_tho) -> Unit:
    return Unit.objects.subtree(can_tho).communes().order_by("code").first()


@pytest.fixture
def so_y_te(hau_giang) -> Agency:
    return Agency.objects.create(unit=hau_giang, code="so-y-te", name="Sở Y tế", kind="department")


@pytest.fixture
def holder(hau_giang, vi_thuy, vi_binh, so_y_te):
    """A user holding `role` where the matrix says (province, district or commune)."""

    def make(role: str):
        if role == matrix.ANONYMOUS:
            return AnonymousUser()
        unit = {Level.PROVINCE: hau_giang, Level.DISTRICT: vi_thuy, Level.COMMUNE: vi_binh}[
            matrix.HELD_AT[role]
        ]
        agency = so_y_te if role == Role.DEPARTMENT_OFFICER else None
        return make_user(f"u-{role}", unit, role, agency)

    return make


@pytest.fixture
def targets(vi_binh, vi_dong, long_tri, can_tho_commune) -> dict[str, Unit]:
    return {
        matrix.Target.OWN_COMMUNE: vi_binh,
        matrix.Target.SAME_DISTRICT: vi_dong,
        matrix.Target.OTHER_DISTRICT: long_tri,
        matrix.Target.OTHER_PROVINCE: can_tho_commune,
    }


@pytest.mark.parametrize(
    ("role", "target", "expected"),
    [(row[0], row[1], row[2:]) for row in matrix.MATRIX],
    ids=[f"{row[0]}-{row[1]}" for row in matrix.MATRIX],
)
def test_the_permissions_module_answers_as_the_matrix_says(holder, targets, role, target, expected):
    user = holder(role)
    unit = targets[target]
    answers = tuple(matrix.check(name)(user, unit) for name in matrix.CHECKS)
    assert answers == tuple(expected), dict(zip(matrix.CHECKS, answers, strict=True))


def test_the_matrix_covers_every_role_and_every_target_once():
    pairs = [(row[0], row[1]) for row in matrix.MATRIX]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {(r, t) for r in [*Role.values, matrix.ANONYMOUS] for t in matrix.Target}
    assert all(len(row) == 2 + len(matrix.CHECKS) for row in matrix.MATRIX)


def test_the_matrix_renders_as_rows_and_markdown_for_the_docs():
    rows = matrix.rows()
    assert len(rows) == len(matrix.MATRIX)
    first = rows[0]
    assert first.role_label == "Điều phối cấp tỉnh"
    assert first.held_at == "Cấp tỉnh"
    assert first.target_label.startswith("Xã của mình")
    assert first.allowed == dict.fromkeys(matrix.CHECKS, True)
    table = matrix.as_markdown()
    assert table.splitlines()[0].startswith("| Vai trò | Giữ tại | Đối với | Xem dữ liệu của xã")
    assert "| Chưa đăng nhập | — |" in table
    assert len(table.splitlines()) == len(matrix.MATRIX) + 2


def test_an_inactive_coordinator_has_no_rights(province_coordinator, vi_binh):
    province_coordinator.is_active = False
    assert not permissions.can_view_unit_data(province_coordinator, vi_binh)
    assert not permissions.can_manage_users_at(province_coordinator, vi_binh)


def test_a_coordinator_manages_users_entirely_inside_the_province(
    province_coordinator, commune_officer, district_officer
):
    assert permissions.can_manage_user(province_coordinator, commune_officer)
    assert set(permissions.managed_users(province_coordinator)) >= {
        commune_officer,
        district_officer,
    }


def test_a_coordinator_does_not_manage_a_user_who_also_works_elsewhere(
    province_coordinator, commune_officer, can_tho_commune
):
    services.grant_membership(None, commune_officer, can_tho_commune, Role.COMMUNE_OFFICER)
    assert not permissions.can_manage_user(province_coordinator, commune_officer)
    assert commune_officer not in permissions.managed_users(province_coordinator)


def test_a_user_without_any_role_is_managed_by_the_admin_only(province_coordinator, system_admin):
    loose = make_user("loose")
    assert not permissions.can_manage_user(province_coordinator, loose)
    assert loose not in permissions.managed_users(province_coordinator)
    assert permissions.can_manage_user(system_admin, loose)


def test_no_coordinator_manages_a_system_admin_even_a_deactivated_one(
    province_coordinator, system_admin
):
    system_admin.is_active = False
    system_admin.save()
    assert not permissions.can_manage_user(province_coordinator, system_admin)
    assert system_admin not in permissions.managed_users(province_coordinator)


def test_only_a_system_admin_grants_the_system_admin_role(province_coordinator, system_admin):
    assert Role.SYSTEM_ADMIN not in permissions.grantable_roles(province_coordinator)
    assert Role.SYSTEM_ADMIN in permissions.grantable_roles(system_admin)
    assert not permissions.can_grant_role(province_coordinator, Role.SYSTEM_ADMIN)


def test_grantable_units_are_the_coordinators_subtree_only(
    province_coordinator, commune_officer, hau_giang, can_tho_commune
):
    units = permissions.grantable_units(province_coordinator)
    assert units.count() == 1 + 8 + 75
    assert not units.filter(edition=Edition.Y2025).exists()
    assert not permissions.grantable_units(commune_officer).exists()


def test_the_permissions_page_in_the_docs_is_the_matrix_the_tests_check():
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "render_permissions_doc.py"
    spec = importlib.util.spec_from_file_location("render_permissions_doc", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.DOC.read_text(encoding="utf-8") == module.render()
