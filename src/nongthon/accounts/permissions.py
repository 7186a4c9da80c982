"""The one place that answers "may this user see / edit / manage X". Views and services ask here.

A membership at a unit covers that unit and everything under it (a district covers its
communes; a province covers all). Memberships do not reach across editions: a membership at
Hậu Giang (pre-2025) does not cover TP Cần Thơ (2025).
"""

from __future__ import annotations

from django.db.models import Q

from nongthon.accounts.models import Membership, Role, User
from nongthon.places.models import Agency, Hamlet, Level, Unit

EDITOR_ROLES = {Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}
COORDINATOR_ROLES = {Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER}
USER_MANAGER_ROLES = {Role.PROVINCE_COORDINATOR}
AGENCY_MANAGER_ROLES = {Role.PROVINCE_COORDINATOR}


def _memberships(user: User) -> list[Membership]:
    """Memberships, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_nongthon_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("unit", "agency"))
        user._nongthon_memberships = cached
    return cached


def forget_memberships(user: User) -> None:
    """Drop the cached memberships after they changed (grant, revoke) within one request."""
    user.__dict__.pop("_nongthon_memberships", None)


def is_system_admin(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return holds_admin_role(user)


def holds_admin_role(user: User) -> bool:
    """Admin by rank, active or not: a deactivated admin is still no coordinator's to manage."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role == Role.SYSTEM_ADMIN for m in _memberships(user))


def covers(member_unit: Unit, unit: Unit) -> bool:
    """Does a membership held at `member_unit` reach `unit`?"""
    return member_unit.pk in (unit.pk, unit.province_id, unit.district_id)


def _has_role_over(user: User, unit: Unit, roles: set[str] | None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_system_admin(user):
        return True
    return any(
        (roles is None or m.role in roles) and covers(m.unit, unit) for m in _memberships(user)
    )


def scope_filter(user: User, prefix: str = "", roles: set[str] | None = None) -> Q:
    """A Q over units (through `prefix`, e.g. "commune__") that the user's memberships reach."""
    if is_system_admin(user):
        return Q()
    # "id", not "pk": the same Q must also filter historical records, whose pk is history_id.
    q = Q(**{f"{prefix}id__in": []})
    for m in _memberships(user):
        if roles is not None and m.role not in roles:
            continue
        u = m.unit
        q |= Q(**{f"{prefix}id": u.pk})
        if u.level == Level.PROVINCE:
            q |= Q(**{f"{prefix}province": u.pk})
        elif u.level == Level.DISTRICT:
            q |= Q(**{f"{prefix}district": u.pk})
    return q


def units_in_scope(user: User, roles: set[str] | None = None):
    return Unit.objects.filter(scope_filter(user, roles=roles))


def can_view_unit_data(user: User, unit: Unit) -> bool:
    """Hamlets, agencies' members, and later the unit's own figures: any role over the unit."""
    return _has_role_over(user, unit, None)


def can_edit_hamlets(user: User, commune: Unit) -> bool:
    return commune.level == Level.COMMUNE and _has_role_over(user, commune, EDITOR_ROLES)


def can_view_hamlet(user: User, hamlet: Hamlet) -> bool:
    return can_view_unit_data(user, hamlet.commune)


def can_import_hamlets(user: User, unit: Unit) -> bool:
    return _has_role_over(user, unit, EDITOR_ROLES)


def can_manage_agencies(user: User, unit: Unit) -> bool:
    return _has_role_over(user, unit, AGENCY_MANAGER_ROLES)


def can_edit_agency(user: User, agency: Agency) -> bool:
    return can_manage_agencies(user, agency.unit)


def can_manage_users_at(user: User, unit: Unit) -> bool:
    """May the user grant or remove memberships at `unit`?"""
    return _has_role_over(user, unit, USER_MANAGER_ROLES)


def can_manage_users(user: User) -> bool:
    return is_system_admin(user) or any(m.role in USER_MANAGER_ROLES for m in _memberships(user))


def can_grant_role(user: User, role: str) -> bool:
    return role != Role.SYSTEM_ADMIN or is_system_admin(user)


def grantable_roles(user: User) -> list[Role]:
    if not can_manage_users(user):
        return []
    return [role for role in Role if can_grant_role(user, role)]


def grantable_units(user: User):
    """Units at which the user may grant roles: their user-management subtree."""
    if not can_manage_users(user):
        return Unit.objects.none()
    return units_in_scope(user, roles=USER_MANAGER_ROLES)


def can_manage_user(manager: User, target: User) -> bool:
    """A coordinator manages a user only when every membership of that user is in their scope."""
    if is_system_admin(manager):
        return True
    # holds_admin_role, not is_system_admin: a deactivated admin must not become reachable.
    if not can_manage_users(manager) or holds_admin_role(target):
        return False
    memberships = list(target.memberships.select_related("unit"))
    return bool(memberships) and all(can_manage_users_at(manager, m.unit) for m in memberships)


def can_revoke_membership(manager: User, membership: Membership) -> bool:
    if membership.role == Role.SYSTEM_ADMIN and not is_system_admin(manager):
        return False
    return can_manage_users_at(manager, membership.unit) and can_manage_user(
        manager, membership.user
    )


def can_edit_profile(actor: User, target: User) -> bool:
    """Anyone edits their own name and contacts; a coordinator edits those of users they manage."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.pk == target.pk or can_manage_user(actor, target)


def managed_users(manager: User):
    """Users all of whose memberships lie in the manager's scope; admins manage everyone."""
    if is_system_admin(manager):
        return User.objects.all()
    if not can_manage_users(manager):
        return User.objects.none()
    scope = scope_filter(manager, prefix="unit__", roles=USER_MANAGER_ROLES)
    inside = Membership.objects.filter(scope).values("user_id")
    outside = Membership.objects.exclude(scope).values("user_id")
    admins = Membership.objects.filter(role=Role.SYSTEM_ADMIN).values("user_id")
    return (
        User.objects.filter(pk__in=inside)
        .exclude(pk__in=outside)
        .exclude(pk__in=admins)
        .exclude(is_superuser=True)
    )


def can_view_history(user: User, unit: Unit) -> bool:
    return _has_role_over(user, unit, COORDINATOR_ROLES)


def can_view_any_history(user: User) -> bool:
    return is_system_admin(user) or any(m.role in COORDINATOR_ROLES for m in _memberships(user))


# --- Criteria and values -------------------------------------------------------------------

VALUE_EDITOR_ROLES = {Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}
CATALOGUE_MANAGER_ROLES = {Role.PROVINCE_COORDINATOR}


def can_edit_values(user: User, unit: Unit) -> bool:
    """Indicator values and evidence of a unit: its commune officer, its district, its province."""
    return _has_role_over(user, unit, VALUE_EDITOR_ROLES)


def can_view_values(user: User, unit: Unit) -> bool:
    return _has_role_over(user, unit, None)


def can_manage_catalogue(user: User, province: Unit | None) -> bool:
    """National sets: system admins only; a province's refinements: its coordinators."""
    if province is None:
        return is_system_admin(user)
    return _has_role_over(user, province, CATALOGUE_MANAGER_ROLES)


def confirming_agencies(user: User) -> list[Agency]:
    """The agencies on whose behalf the user confirms criteria (department officers)."""
    return [
        m.agency
        for m in _memberships(user)
        if m.role == Role.DEPARTMENT_OFFICER and m.agency is not None
    ]


def can_confirm(user: User, unit: Unit, responsible: Agency | None) -> bool:
    """Only an officer of the agency responsible for the criterion, within that agency's
    province, confirms or returns it; system admins may too."""
    if is_system_admin(user):
        return True
    if responsible is None or not user.is_authenticated or not user.is_active:
        return False
    return any(a.pk == responsible.pk and covers(a.unit, unit) for a in confirming_agencies(user))


def can_edit_unit_facts(user: User, unit: Unit) -> bool:
    """A unit's designations for a year (ĐBKK, khu vực, commune group) are official decisions:
    the district or the province records them."""
    return _has_role_over(user, unit, COORDINATOR_ROLES)


# --- Plans, targets, directives and tasks (app plans) ------------------------------------------

PLAN_MANAGER_ROLES = {Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER}
STATUS_EDITOR_ROLES = {Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}


def can_view_plans(user: User, unit: Unit) -> bool:
    """A unit's plans, directives and tasks: anyone holding a role over that unit."""
    return _has_role_over(user, unit, None)


def can_manage_plans(user: User, unit: Unit) -> bool:
    """Entering and editing a unit's plans, targets, fund lines, directives and tasks: the
    province's coordination office for the province, the district office for the district."""
    return _has_role_over(user, unit, PLAN_MANAGER_ROLES)


def task_agencies(user: User) -> list[Agency]:
    """Agencies on whose behalf the user reports on tasks (memberships with an agency)."""
    return [m.agency for m in _memberships(user) if m.agency is not None]


def can_report_task(user: User, task) -> bool:
    """Progress notes and completion: the office that manages the plan, or an officer of the
    task's lead agency (coordinating agencies report through the lead)."""
    if can_manage_plans(user, task.unit):
        return True
    if task.lead_id is None or not user.is_authenticated or not user.is_active:
        return False
    return any(a.pk == task.lead_id for a in task_agencies(user))


def can_view_agency_tasks(user: User, agency: Agency) -> bool:
    """An agency's task list and scorecard: its own officers, and anyone who may view the plans
    of the agency's unit."""
    return can_view_plans(user, agency.unit) or any(a.pk == agency.pk for a in task_agencies(user))


def can_record_statuses(user: User, commune: Unit) -> bool:
    """Hamlet, household and commune statuses (ấp văn hóa...): the commune and those above it."""
    return commune.level == Level.COMMUNE and _has_role_over(user, commune, STATUS_EDITOR_ROLES)


# --- OCOP (app nongthon.ocop) ---------------------------------------------------------------

OCOP_MANAGER_ROLES = {Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}
OCOP_DECISION_ROLES = {Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER}
# A producer's account sees its own producer only, not its neighbours' data.
OCOP_VIEWER_ROLES = {role for role in Role if role != Role.OCOP_PRODUCER}


def can_view_ocop(user: User, commune: Unit) -> bool:
    """Private OCOP data of a commune's producers (scores, contacts): any role over it except
    a producer account."""
    return _has_role_over(user, commune, OCOP_VIEWER_ROLES)


def is_producer_user(user: User, producer) -> bool:
    """The producer's own account: an OCOP_PRODUCER linked to this very producer."""
    if not user.is_authenticated or not user.is_active:
        return False
    return any(m.role == Role.OCOP_PRODUCER for m in _memberships(user)) and (
        producer.users.filter(pk=user.pk).exists()
    )


def can_edit_producer(user: User, producer) -> bool:
    """Officers over the producer's commune, or the producer's own account."""
    return _has_role_over(user, producer.commune, OCOP_MANAGER_ROLES) or is_producer_user(
        user, producer
    )


def can_create_producer(user: User, commune: Unit) -> bool:
    return _has_role_over(user, commune, OCOP_MANAGER_ROLES)


def can_edit_product(user: User, product) -> bool:
    """A producer user edits only its own producer's products; officers those of their area."""
    return _has_role_over(user, product.commune, OCOP_MANAGER_ROLES) or is_producer_user(
        user, product.producer
    )


def can_view_product(user: User, product) -> bool:
    return can_view_ocop(user, product.commune) or is_producer_user(user, product.producer)


def can_manage_sheets(user: User) -> bool:
    """Score sheets are national law: system admins complete or correct them."""
    return is_system_admin(user)


def can_manage_councils(user: User, unit: Unit) -> bool:
    """Councils and rounds of a unit: the province (or, in the district era, the district)."""
    return _has_role_over(user, unit, OCOP_DECISION_ROLES)


def is_council_member(user: User, council) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return council.memberships.filter(user=user).exists()


def can_score(user: User, evaluation) -> bool:
    """Only the council's members score, each their own sheet, while the result is open."""
    return evaluation.finalized_at is None and is_council_member(user, evaluation.round.council)


def can_view_evaluation(user: User, evaluation) -> bool:
    """Council members, officers over the product's commune, and the producer itself."""
    return (
        is_council_member(user, evaluation.round.council)
        or can_view_ocop(user, evaluation.product.commune)
        or is_producer_user(user, evaluation.product.producer)
    )


def can_decide_certificate(user: User, product) -> bool:
    """Issue, revoke, finalise results: the coordination office (province, or district)."""
    return _has_role_over(user, product.commune, OCOP_DECISION_ROLES)


# --- Recognition (app: recognition) --------------------------------------------------------

RECOGNITION_DECIDER_ROLES = {Role.PROVINCE_COORDINATOR}


def can_view_recognition(user: User, unit: Unit) -> bool:
    """Titles, applications and reviews of a unit: any role over it."""
    return _has_role_over(user, unit, None)


def can_register_application(user: User, unit: Unit) -> bool:
    """A commune (or its district, its province) registers it for a tier and year."""
    return _has_role_over(user, unit, EDITOR_ROLES)


def can_act_on_step(user: User, unit: Unit, actor_roles: tuple[str, ...]) -> bool:
    """The step's configured actors over the unit complete it (the procedure data names them)."""
    return _has_role_over(user, unit, set(actor_roles))


def can_return_application(user: User, unit: Unit) -> bool:
    """The checking levels (district, province) return an application with reasons."""
    return _has_role_over(user, unit, COORDINATOR_ROLES)


def can_record_recognition_conditions(user: User, unit: Unit) -> bool:
    """Security confirmation and a hand-recorded debt figure: district or province."""
    return _has_role_over(user, unit, COORDINATOR_ROLES)


def can_decide_recognition(user: User, unit: Unit) -> bool:
    """Recognition, revocation and merger decisions are the province's."""
    return _has_role_over(user, unit, RECOGNITION_DECIDER_ROLES)


# --- Funding and works (app: funding) -------------------------------------------------------

FUNDING_EDITOR_ROLES = {Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}


def can_view_funding(user: User, unit: Unit) -> bool:
    """Funding lines, works, debt and the distance to standard of a unit and its subtree."""
    return _has_role_over(user, unit, None)


def can_edit_funding(user: User, unit: Unit) -> bool:
    """Funding lines of a unit (and its subtree): its coordinators and officers, like values."""
    return _has_role_over(user, unit, FUNDING_EDITOR_ROLES)


def can_edit_works(user: User, commune: Unit) -> bool:
    """Works, their disbursements and debts: the commune's officer, its district, its province."""
    return commune.level == Level.COMMUNE and _has_role_over(user, commune, FUNDING_EDITOR_ROLES)


# --- Plans: cancelling tasks (app plans) ---------------------------------------------------


def can_cancel_task(user: User, task) -> bool:
    """Cancel a task (with a reason) or reopen it: the office that manages the task's plan or
    directive; the lead agency reports on a task, it does not drop it."""
    return can_manage_plans(user, task.unit)


# --- Audit log and account security (apps: audit, accounts) ---------------------------------

AUDIT_ROLES = {Role.PROVINCE_COORDINATOR}
# Roles whose accounts must use two-factor authentication when NONGTHON_REQUIRE_2FA is on.
TWO_FACTOR_ROLES = {Role.PROVINCE_COORDINATOR, Role.SYSTEM_ADMIN}


def can_view_audit_log(user: User) -> bool:
    """The project-wide audit log: system admins (everything), province coordinators (their
    province's data)."""
    return is_system_admin(user) or (
        user.is_authenticated
        and user.is_active
        and any(m.role in AUDIT_ROLES for m in _memberships(user))
    )


def audit_provinces(user: User) -> list[int] | None:
    """The provinces whose log the user reads; None means every record (system admins),
    including data of no unit (accounts, score sheets)."""
    if is_system_admin(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return []
    return sorted({m.unit_id for m in _memberships(user) if m.role in AUDIT_ROLES})


def must_use_two_factor(user: User) -> bool:
    """Province coordinators and system admins (superusers too) sign in with a second factor."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role in TWO_FACTOR_ROLES for m in _memberships(user))


def can_unlock_login(manager: User, target: User) -> bool:
    """Lift a lockout after failed logins, or reset a lost second factor: whoever manages the
    account (its coordinator, a system admin), never oneself."""
    return manager.pk != target.pk and can_manage_user(manager, target)


# --- operations (nongthon.ops) ----------------------------------------------------------------


def can_view_failed_jobs(user: User) -> bool:
    """Failed background jobs show arguments and tracebacks of the whole system: admins only."""
    return is_system_admin(user)


def can_rerun_jobs(user: User) -> bool:
    return is_system_admin(user)


# --- Periodic reporting (app: reporting) --------------------------------------------------------

# Producer and council accounts see their products and sheets, not the units' reports.
REPORT_READER_ROLES = {role for role in Role if role not in (Role.OCOP_PRODUCER, Role.OCOP_COUNCIL)}
SCHEDULE_MANAGER_ROLES = {Role.PROVINCE_COORDINATOR}


def can_view_reports(user: User, unit: Unit) -> bool:
    """A unit's reports (and its departments' for a province): anyone holding a role over the
    unit except producer and council accounts; viewers read."""
    return _has_role_over(user, unit, REPORT_READER_ROLES)


def can_submit_report(user: User, unit: Unit, agency: Agency | None = None) -> bool:
    """A commune's report: its commune officers; a district's: its district officers; a
    department's: that department's officers. Not the levels above: they review."""
    if not user.is_authenticated or not user.is_active:
        return False
    if agency is not None:
        return is_system_admin(user) or any(
            m.role == Role.DEPARTMENT_OFFICER and m.agency_id == agency.pk
            for m in _memberships(user)
        )
    role = {Level.COMMUNE: Role.COMMUNE_OFFICER, Level.DISTRICT: Role.DISTRICT_OFFICER}.get(
        unit.level
    )
    if role is None:
        return False
    return is_system_admin(user) or any(
        m.role == role and m.unit_id == unit.pk for m in _memberships(user)
    )


def can_review_report(
    user: User, unit: Unit, agency: Agency | None = None, recipient: str = "level_above"
) -> bool:
    """Return or accept a report: the level above the submitting unit over its subtree (the
    district or the province for a commune; the province for a district or a department); for
    a report addressed to an agency of the province, that agency's officers too."""
    if not user.is_authenticated or not user.is_active:
        return False
    if recipient not in ("", "level_above"):
        province = unit if unit.level == Level.PROVINCE else unit.province
        if province is not None and any(
            m.role == Role.DEPARTMENT_OFFICER
            and m.agency is not None
            and m.agency.code == recipient
            and m.agency.unit_id == province.pk
            for m in _memberships(user)
        ):
            return True
    if agency is not None:
        return _has_role_over(user, agency.unit, {Role.PROVINCE_COORDINATOR})
    parent = unit.parent
    if parent is None:
        return False
    return _has_role_over(user, parent, COORDINATOR_ROLES)


def can_manage_report_schedule(user: User, province: Unit) -> bool:
    """Edit the province's reporting schedule and open ad-hoc reports: its coordinators."""
    return province.level == Level.PROVINCE and _has_role_over(
        user, province, SCHEDULE_MANAGER_ROLES
    )


# --- Dashboard and map (app: web) ------------------------------------------------------------


def can_view_dashboard(user: User, unit: Unit) -> bool:
    """A unit's dashboard and map (figures of the unit and its subtree): any role over it."""
    return _has_role_over(user, unit, None)


def can_view_national_dashboard(user: User) -> bool:
    """The country's figures, province by province: system admins (the office that runs the
    system for every province), not a province's own officers."""
    return is_system_admin(user)


def dashboard_units(user: User) -> list[Unit]:
    """The units whose dashboards the user opens from the switcher: the units of their
    memberships, widest first (province, district, commune), each once."""
    order = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
    units: dict[int, Unit] = {}
    for m in _memberships(user):
        units.setdefault(m.unit.pk, m.unit)
    return sorted(units.values(), key=lambda u: (order.index(u.level), u.edition, u.code))


def can_manage_boundaries(user: User) -> bool:
    """Commune boundary files (GeoJSON) for the map are loaded by system admins: the licence
    of such a file is a national matter."""
    return is_system_admin(user)
