"""Who may see and change funding and works, role by role (the permission module's funding
section). Province roles at Hậu Giang, the district at Vị Thủy, commune roles at Vị Bình."""

import pytest

from nongthon.accounts import permissions
from nongthon.accounts.models import Role
from tests.conftest import get_unit, make_user

# role, held at, target: (view funding, edit funding, edit works)
Y, N = True, False
CASES = [
    (Role.PROVINCE_COORDINATOR, "93", "31468", (Y, Y, Y)),
    (Role.PROVINCE_COORDINATOR, "93", "93", (Y, Y, N)),  # works belong to communes
    (Role.DISTRICT_OFFICER, "935", "31462", (Y, Y, Y)),
    (Role.DISTRICT_OFFICER, "935", "31477", (N, N, N)),  # another district
    (Role.DISTRICT_OFFICER, "935", "93", (N, N, N)),  # the province's own figures
    (Role.COMMUNE_OFFICER, "31468", "31468", (Y, Y, Y)),
    (Role.COMMUNE_OFFICER, "31468", "31462", (N, N, N)),
    (Role.VIEWER, "93", "31468", (Y, N, N)),
    (Role.OCOP_PRODUCER, "31468", "31468", (Y, N, N)),
    (Role.OCOP_COUNCIL, "93", "31477", (Y, N, N)),
    (Role.SYSTEM_ADMIN, "93", "31477", (Y, Y, Y)),
]


@pytest.mark.parametrize(("role", "held", "target", "expected"), CASES)
def test_funding_permissions(db, role, held, target, expected):
    user = make_user("u", get_unit(held), role)
    unit = get_unit(target)
    got = (
        permissions.can_view_funding(user, unit),
        permissions.can_edit_funding(user, unit),
        permissions.can_edit_works(user, unit),
    )
    assert got == expected


def test_another_provinces_coordinator_sees_nothing_of_hau_giang(db, can_tho):
    user = make_user("ct", can_tho, Role.PROVINCE_COORDINATOR)
    vi_binh = get_unit("31468")
    assert not permissions.can_view_funding(user, vi_binh)
    assert not permissions.can_edit_works(user, vi_binh)


def test_anonymous_sees_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can_view_funding(AnonymousUser(), get_unit("31468"))


def test_a_department_reads_but_does_not_write(department_officer, vi_binh):
    assert permissions.can_view_funding(department_officer, vi_binh)
    assert not permissions.can_edit_funding(department_officer, vi_binh)
    assert not permissions.can_edit_works(department_officer, vi_binh)
