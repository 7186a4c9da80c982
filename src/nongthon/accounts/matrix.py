"""Who may do what where: the permission matrix, one table for the tests and the docs.

Each row reads: a user holding `role` (at the unit level given by HELD_AT, inside the example
province Hậu Giang, pre-2025 list) asks about a commune `target`; the five booleans are what
the functions of nongthon.accounts.permissions answer. tests/test_permissions.py checks every
row against those functions, so the table cannot drift from the code.

The example: province roles are held at Hậu Giang, the district role at Vị Thủy, commune roles
at Vị Bình. "Own commune" is Vị Bình, "same district" Vị Đông, "other district" Long Trị (Thị
xã Long Mỹ), "other province" a commune of TP Cần Thơ in the 2025 list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from nongthon.accounts import permissions
from nongthon.accounts.models import Role
from nongthon.places.models import Level

ANONYMOUS = "anonymous"


class Target(models.TextChoices):
    OWN_COMMUNE = "own_commune", _("Xã của mình (Vị Bình)")
    SAME_DISTRICT = "same_district", _("Xã khác cùng huyện (Vị Đông)")
    OTHER_DISTRICT = "other_district", _("Xã thuộc huyện khác (Long Trị)")
    OTHER_PROVINCE = "other_province", _("Xã của tỉnh khác, danh mục 2025 (Cần Thơ)")


# The level of the unit where each role is held in the example.
HELD_AT: dict[str, str | None] = {
    Role.PROVINCE_COORDINATOR: Level.PROVINCE,
    Role.DISTRICT_OFFICER: Level.DISTRICT,
    Role.COMMUNE_OFFICER: Level.COMMUNE,
    Role.DEPARTMENT_OFFICER: Level.PROVINCE,
    Role.OCOP_COUNCIL: Level.PROVINCE,
    Role.OCOP_PRODUCER: Level.COMMUNE,
    Role.VIEWER: Level.PROVINCE,
    Role.SYSTEM_ADMIN: Level.PROVINCE,
    ANONYMOUS: None,
}

# The permission functions, in the order of the booleans of each row.
CHECKS: tuple[str, ...] = (
    "can_view_unit_data",
    "can_edit_hamlets",
    "can_manage_agencies",
    "can_manage_users_at",
    "can_view_history",
    "can_edit_values",
    "can_edit_unit_facts",
)
CHECK_LABELS = {
    "can_view_unit_data": _("Xem dữ liệu của xã"),
    "can_edit_hamlets": _("Sửa thôn, ấp"),
    "can_manage_agencies": _("Quản lý cơ quan"),
    "can_manage_users_at": _("Cấp vai trò cho người dùng"),
    "can_view_history": _("Xem lịch sử thay đổi"),
    "can_edit_values": _("Nhập số liệu chỉ tiêu"),
    "can_edit_unit_facts": _("Ghi đặc điểm xã (ĐBKK, nhóm xã)"),
}

Y, N = True, False
_OWN, _SAME, _OTHER, _FAR = (
    Target.OWN_COMMUNE,
    Target.SAME_DISTRICT,
    Target.OTHER_DISTRICT,
    Target.OTHER_PROVINCE,
)

# role, target, view data, edit hamlets, manage agencies, manage users, view history,
# enter values, record unit facts
MATRIX: list[tuple[str, str, bool, bool, bool, bool, bool, bool, bool]] = [
    (Role.PROVINCE_COORDINATOR, _OWN, Y, Y, Y, Y, Y, Y, Y),
    (Role.PROVINCE_COORDINATOR, _SAME, Y, Y, Y, Y, Y, Y, Y),
    (Role.PROVINCE_COORDINATOR, _OTHER, Y, Y, Y, Y, Y, Y, Y),
    (Role.PROVINCE_COORDINATOR, _FAR, N, N, N, N, N, N, N),
    (Role.DISTRICT_OFFICER, _OWN, Y, Y, N, N, Y, Y, Y),
    (Role.DISTRICT_OFFICER, _SAME, Y, Y, N, N, Y, Y, Y),
    (Role.DISTRICT_OFFICER, _OTHER, N, N, N, N, N, N, N),
    (Role.DISTRICT_OFFICER, _FAR, N, N, N, N, N, N, N),
    (Role.COMMUNE_OFFICER, _OWN, Y, Y, N, N, N, Y, N),
    (Role.COMMUNE_OFFICER, _SAME, N, N, N, N, N, N, N),
    (Role.COMMUNE_OFFICER, _OTHER, N, N, N, N, N, N, N),
    (Role.COMMUNE_OFFICER, _FAR, N, N, N, N, N, N, N),
    (Role.DEPARTMENT_OFFICER, _OWN, Y, N, N, N, N, N, N),
    (Role.DEPARTMENT_OFFICER, _SAME, Y, N, N, N, N, N, N),
    (Role.DEPARTMENT_OFFICER, _OTHER, Y, N, N, N, N, N, N),
    (Role.DEPARTMENT_OFFICER, _FAR, N, N, N, N, N, N, N),
    (Role.OCOP_COUNCIL, _OWN, Y, N, N, N, N, N, N),
    (Role.OCOP_COUNCIL, _SAME, Y, N, N, N, N, N, N),
    (Role.OCOP_COUNCIL, _OTHER, Y, N, N, N, N, N, N),
    (Role.OCOP_COUNCIL, _FAR, N, N, N, N, N, N, N),
    (Role.OCOP_PRODUCER, _OWN, Y, N, N, N, N, N, N),
    (Role.OCOP_PRODUCER, _SAME, N, N, N, N, N, N, N),
    (Role.OCOP_PRODUCER, _OTHER, N, N, N, N, N, N, N),
    (Role.OCOP_PRODUCER, _FAR, N, N, N, N, N, N, N),
    (Role.VIEWER, _OWN, Y, N, N, N, N, N, N),
    (Role.VIEWER, _SAME, Y, N, N, N, N, N, N),
    (Role.VIEWER, _OTHER, Y, N, N, N, N, N, N),
    (Role.VIEWER, _FAR, N, N, N, N, N, N, N),
    (Role.SYSTEM_ADMIN, _OWN, Y, Y, Y, Y, Y, Y, Y),
    (Role.SYSTEM_ADMIN, _SAME, Y, Y, Y, Y, Y, Y, Y),
    (Role.SYSTEM_ADMIN, _OTHER, Y, Y, Y, Y, Y, Y, Y),
    (Role.SYSTEM_ADMIN, _FAR, Y, Y, Y, Y, Y, Y, Y),
    (ANONYMOUS, _OWN, N, N, N, N, N, N, N),
    (ANONYMOUS, _SAME, N, N, N, N, N, N, N),
    (ANONYMOUS, _OTHER, N, N, N, N, N, N, N),
    (ANONYMOUS, _FAR, N, N, N, N, N, N, N),
]


def check(name: str):
    """The permission function a column stands for."""
    return getattr(permissions, name)


def expected(role: str, target: str) -> dict[str, bool]:
    for row in MATRIX:
        if row[0] == role and row[1] == target:
            return dict(zip(CHECKS, row[2:], strict=True))
    raise KeyError((role, target))


def role_label(role: str) -> str:
    return str(_("Chưa đăng nhập")) if role == ANONYMOUS else str(Role(role).label)


def held_at_label(role: str) -> str:
    level = HELD_AT[role]
    return str(Level(level).label) if level else "—"


@dataclass
class MatrixRow:
    role: str
    role_label: str
    held_at: str
    target: str
    target_label: str
    allowed: dict[str, bool]


def headers() -> list[str]:
    return [
        str(_("Vai trò")),
        str(_("Giữ tại")),
        str(_("Đối với")),
        *(str(CHECK_LABELS[c]) for c in CHECKS),
    ]


def rows() -> list[MatrixRow]:
    """The matrix as rows a page or a document shows, in the table's order."""
    return [
        MatrixRow(
            role=role,
            role_label=role_label(role),
            held_at=held_at_label(role),
            target=target,
            target_label=str(Target(target).label),
            allowed=dict(zip(CHECKS, values, strict=True)),
        )
        for role, target, *values in MATRIX
    ]


def as_markdown() -> str:
    """A Markdown table for the docs: ✓ allowed, — refused."""
    lines = ["| " + " | ".join(headers()) + " |", "|" + " --- |" * len(headers())]
    for row in rows():
        marks = ["✓" if row.allowed[c] else "—" for c in CHECKS]
        lines.append(
            "| " + " | ".join([row.role_label, row.held_at, row.target_label, *marks]) + " |"
        )
    return "\n".join(lines)


# --- Plans, targets, fund lines, tasks and statuses (app plans) ------------------------------
#
# The second table asks, for each role and each of the four communes above, about that
# commune's plan (a commune issues plans too; a district's or the province's plans follow the
# same rules at their own unit), the plan's task led by Sở Y tế of the commune's province (the
# department officer's agency, in the Hậu Giang example), and the commune's yearly statuses.
# Several actions share one permission function; each column names the function it asks, so
# tests/test_permissions_plans.py checks every cell against the code.

PLAN_UNIT, PLAN_TASK = "unit", "task"


@dataclass(frozen=True)
class PlanCheck:
    key: str
    function: str  # a function of nongthon.accounts.permissions
    subject: str  # what it is asked about: the commune (PLAN_UNIT) or the plan's task (PLAN_TASK)
    label: str


PLAN_CHECKS: tuple[PlanCheck, ...] = (
    PlanCheck("view", "can_view_plans", PLAN_UNIT, _("Xem kế hoạch, nhiệm vụ")),
    PlanCheck("plan", "can_manage_plans", PLAN_UNIT, _("Tạo, sửa kế hoạch")),
    PlanCheck("targets", "can_manage_plans", PLAN_UNIT, _("Thêm, sửa chỉ tiêu")),
    PlanCheck("funds", "can_manage_plans", PLAN_UNIT, _("Nguồn vốn dự kiến")),
    PlanCheck("tasks", "can_manage_plans", PLAN_UNIT, _("Thêm, sửa nhiệm vụ")),
    PlanCheck("import", "can_manage_plans", PLAN_UNIT, _("Nhập phụ lục nhiệm vụ")),
    PlanCheck(
        "report", "can_report_task", PLAN_TASK, _("Báo cáo tiến độ (nhiệm vụ Sở Y tế chủ trì)")
    ),
    PlanCheck("cancel", "can_cancel_task", PLAN_TASK, _("Hủy, mở lại nhiệm vụ")),
    PlanCheck("statuses", "can_record_statuses", PLAN_UNIT, _("Ghi danh hiệu thôn, hộ, xã")),
)

# role, target, then one boolean per PLAN_CHECKS column, in order.
PLAN_MATRIX: list[tuple] = [
    (Role.PROVINCE_COORDINATOR, _OWN, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    (Role.PROVINCE_COORDINATOR, _SAME, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    (Role.PROVINCE_COORDINATOR, _OTHER, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    (Role.PROVINCE_COORDINATOR, _FAR, N, N, N, N, N, N, N, N, N),
    (Role.DISTRICT_OFFICER, _OWN, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    (Role.DISTRICT_OFFICER, _SAME, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    (Role.DISTRICT_OFFICER, _OTHER, N, N, N, N, N, N, N, N, N),
    (Role.DISTRICT_OFFICER, _FAR, N, N, N, N, N, N, N, N, N),
    # A commune's plans are entered by its district; the commune records its statuses.
    (Role.COMMUNE_OFFICER, _OWN, Y, N, N, N, N, N, N, N, Y),
    (Role.COMMUNE_OFFICER, _SAME, N, N, N, N, N, N, N, N, N),
    (Role.COMMUNE_OFFICER, _OTHER, N, N, N, N, N, N, N, N, N),
    (Role.COMMUNE_OFFICER, _FAR, N, N, N, N, N, N, N, N, N),
    # A department reports on the tasks its agency leads, in its province; it does not cancel.
    (Role.DEPARTMENT_OFFICER, _OWN, Y, N, N, N, N, N, Y, N, N),
    (Role.DEPARTMENT_OFFICER, _SAME, Y, N, N, N, N, N, Y, N, N),
    (Role.DEPARTMENT_OFFICER, _OTHER, Y, N, N, N, N, N, Y, N, N),
    (Role.DEPARTMENT_OFFICER, _FAR, N, N, N, N, N, N, N, N, N),
    (Role.OCOP_COUNCIL, _OWN, Y, N, N, N, N, N, N, N, N),
    (Role.OCOP_COUNCIL, _SAME, Y, N, N, N, N, N, N, N, N),
    (Role.OCOP_COUNCIL, _OTHER, Y, N, N, N, N, N, N, N, N),
    (Role.OCOP_COUNCIL, _FAR, N, N, N, N, N, N, N, N, N),
    (Role.OCOP_PRODUCER, _OWN, Y, N, N, N, N, N, N, N, N),
    (Role.OCOP_PRODUCER, _SAME, N, N, N, N, N, N, N, N, N),
    (Role.OCOP_PRODUCER, _OTHER, N, N, N, N, N, N, N, N, N),
    (Role.OCOP_PRODUCER, _FAR, N, N, N, N, N, N, N, N, N),
    (Role.VIEWER, _OWN, Y, N, N, N, N, N, N, N, N),
    (Role.VIEWER, _SAME, Y, N, N, N, N, N, N, N, N),
    (Role.VIEWER, _OTHER, Y, N, N, N, N, N, N, N, N),
    (Role.VIEWER, _FAR, N, N, N, N, N, N, N, N, N),
    (Role.SYSTEM_ADMIN, _OWN, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    (Role.SYSTEM_ADMIN, _SAME, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    (Role.SYSTEM_ADMIN, _OTHER, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    (Role.SYSTEM_ADMIN, _FAR, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    (ANONYMOUS, _OWN, N, N, N, N, N, N, N, N, N),
    (ANONYMOUS, _SAME, N, N, N, N, N, N, N, N, N),
    (ANONYMOUS, _OTHER, N, N, N, N, N, N, N, N, N),
    (ANONYMOUS, _FAR, N, N, N, N, N, N, N, N, N),
]


def plan_expected(role: str, target: str) -> dict[str, bool]:
    for row in PLAN_MATRIX:
        if row[0] == role and row[1] == target:
            return dict(zip([c.key for c in PLAN_CHECKS], row[2:], strict=True))
    raise KeyError((role, target))


def plan_headers() -> list[str]:
    return [
        str(_("Vai trò")),
        str(_("Giữ tại")),
        str(_("Đối với")),
        *(str(c.label) for c in PLAN_CHECKS),
    ]


def plan_rows() -> list[MatrixRow]:
    """The plans table as rows, in its order; `allowed` is keyed by the column's key."""
    keys = [c.key for c in PLAN_CHECKS]
    return [
        MatrixRow(
            role=role,
            role_label=role_label(role),
            held_at=held_at_label(role),
            target=target,
            target_label=str(Target(target).label),
            allowed=dict(zip(keys, values, strict=True)),
        )
        for role, target, *values in PLAN_MATRIX
    ]


def plan_as_markdown() -> str:
    """The plans table for the docs, with the function each column asks under its label."""
    functions = ["", "", "", *(f"`{c.function}`" for c in PLAN_CHECKS)]
    lines = [
        "| " + " | ".join(plan_headers()) + " |",
        "|" + " --- |" * len(functions),
        "| " + " | ".join(functions) + " |",
    ]
    for row in plan_rows():
        marks = ["✓" if row.allowed[c.key] else "—" for c in PLAN_CHECKS]
        lines.append(
            "| " + " | ".join([row.role_label, row.held_at, row.target_label, *marks]) + " |"
        )
    return "\n".join(lines)
