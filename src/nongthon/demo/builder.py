"""The demo database: the whole country's units (both lists), Hậu Giang's agencies and hamlets,
and one user per role. Later modules add their own demo data through `STEPS`.

Hamlet names here are made up for the demo ("Ấp 1", "Khu vực 2"): no official hamlet list exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction

from nongthon.accounts import services as account_services
from nongthon.accounts.models import Role, User
from nongthon.places.models import Agency, Edition, Hamlet, HamletKind, Level, Unit, UnitKind
from nongthon.places.official_lists import load_units

DEMO_PASSWORD = "nongthon-demo"  # noqa: S105  (printed on purpose: demo only)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    edition: str
    unit_code: str
    level: str
    agency_code: str | None = None


DEMO_USERS = [
    DemoUser(
        "tinh.haugiang",
        "Văn phòng Điều phối NTM tỉnh Hậu Giang",
        Role.PROVINCE_COORDINATOR,
        Edition.PRE_2025,
        "93",
        Level.PROVINCE,
    ),
    DemoUser(
        "huyen.vithuy",
        "Phòng NN&PTNT huyện Vị Thủy",
        Role.DISTRICT_OFFICER,
        Edition.PRE_2025,
        "935",
        Level.DISTRICT,
    ),
    DemoUser(
        "xa.vibinh",
        "UBND xã Vị Bình",
        Role.COMMUNE_OFFICER,
        Edition.PRE_2025,
        "31468",
        Level.COMMUNE,
    ),
    DemoUser(
        "so.yte",
        "Sở Y tế tỉnh Hậu Giang",
        Role.DEPARTMENT_OFFICER,
        Edition.PRE_2025,
        "93",
        Level.PROVINCE,
        "so-y-te",
    ),
    DemoUser(
        "ocop.hoidong",
        "Thành viên Hội đồng OCOP tỉnh Hậu Giang",
        Role.OCOP_COUNCIL,
        Edition.PRE_2025,
        "93",
        Level.PROVINCE,
    ),
    DemoUser(
        "ocop.chuthe",
        "Chủ thể OCOP xã Vị Bình",
        Role.OCOP_PRODUCER,
        Edition.PRE_2025,
        "31468",
        Level.COMMUNE,
    ),
    DemoUser(
        "xem.haugiang",
        "Người xem tỉnh Hậu Giang",
        Role.VIEWER,
        Edition.PRE_2025,
        "93",
        Level.PROVINCE,
    ),
    DemoUser(
        "tp.cantho",
        "Văn phòng Điều phối NTM TP Cần Thơ",
        Role.PROVINCE_COORDINATOR,
        Edition.Y2025,
        "92",
        Level.PROVINCE,
    ),
    DemoUser(
        "quantri", "Quản trị hệ thống", Role.SYSTEM_ADMIN, Edition.PRE_2025, "93", Level.PROVINCE
    ),
]

HAMLETS_PER_COMMUNE = 4


@cache
def demo_password_hash() -> str:
    """One Argon2 hash for every demo account (same password): hashing is slow on purpose."""
    return make_password(DEMO_PASSWORD)


def build_units(say: Callable[[str], None]) -> None:
    say("Nạp danh mục đơn vị hành chính cả nước (trước và từ 01/07/2025)...")
    load_units(progress=say)


def build_agencies(say: Callable[[str], None]) -> None:
    from nongthon.places.agencies import create_default_agencies

    for edition, code in ((Edition.PRE_2025, "93"), (Edition.Y2025, "92")):
        province = Unit.objects.get(edition=edition, level=Level.PROVINCE, code=code)
        say(f"Cơ quan mặc định: {province.name}: {create_default_agencies(province)}")


def build_hamlets(say: Callable[[str], None]) -> None:
    """A few hamlets per commune of Hậu Giang (pre-2025) and TP Cần Thơ (2025)."""
    created = 0
    for edition, code in ((Edition.PRE_2025, "93"), (Edition.Y2025, "92")):
        province = Unit.objects.get(edition=edition, level=Level.PROVINCE, code=code)
        for commune in Unit.objects.subtree(province).communes():
            if commune.hamlets.exists():
                continue
            rural = commune.kind == UnitKind.XA
            kind = HamletKind.AP if rural else HamletKind.KHU_VUC
            word = "Ấp" if rural else "Khu vực"
            for n in range(1, HAMLETS_PER_COMMUNE + 1):
                Hamlet(commune=commune, name=f"{word} {n}", kind=kind).save()
                created += 1
    say(f"Thôn, ấp mẫu: {created} mới")


def build_users(say: Callable[[str], None]) -> None:
    for spec in DEMO_USERS:
        if User.objects.filter(username=spec.username).exists():
            continue
        unit = Unit.objects.get(edition=spec.edition, level=spec.level, code=spec.unit_code)
        agency = Agency.objects.get(unit=unit, code=spec.agency_code) if spec.agency_code else None
        user = account_services.create_user(
            None,
            username=spec.username,
            password=DEMO_PASSWORD,
            full_name=spec.full_name,
            check_password=False,
            password_hash=demo_password_hash(),
        )
        if spec.role == Role.SYSTEM_ADMIN:
            user.is_staff = user.is_superuser = True
            user.save()
        account_services.grant_membership(None, user, unit, spec.role, agency)
    say(f"Người dùng mẫu: {len(DEMO_USERS)}")


def build_criteria(say: Callable[[str], None]) -> None:
    """The shipped criteria sets, and illustrative values for Hậu Giang's 51 xã, 2021-2023."""
    from nongthon.catalogue.services import active_set, load_national_sets
    from nongthon.demo.assessment_data import build_responsibilities, build_values

    load_national_sets(progress=say)
    qd318 = active_set("qd318-xa-ntm")
    build_values(qd318, say)
    build_responsibilities(qd318, say)


def build_plans(say: Callable[[str], None]) -> None:
    """The three seed plans with every target, fund line and duty; an illustrative directive."""
    from nongthon.demo.plans_data import build

    build(say)


def build_ocop(say: Callable[[str], None]) -> None:
    """Illustrative OCOP producers, products, evaluations and certificates of Hậu Giang."""
    from nongthon.demo.ocop_data import build_ocop as build

    build(say)


def build_recognition(say: Callable[[str], None]) -> None:
    """Hậu Giang's titles 2015-2023 as the seed plans count them, applications, a review."""
    from nongthon.demo.recognition_data import build_recognition as build

    build(say)


def build_funding(say: Callable[[str], None]) -> None:
    """Hậu Giang's 2022 and 2023 funding as the seed plans write it; illustrative works."""
    from nongthon.catalogue.services import active_set
    from nongthon.demo.funding_data import build_funding as build

    build(active_set("qd318-xa-ntm").family, say)


def build_audit(say: Callable[[str], None]) -> None:
    """Index the history written in bulk by the steps above, for the audit log."""
    from nongthon.demo.audit_data import build_audit as build

    build(say)


def build_reporting(say: Callable[[str], None]) -> None:
    """Illustrative periodic reports of Hậu Giang's communes, districts and departments."""
    from nongthon.demo.reporting_data import build_reporting as build

    build(say)


# Each later module appends its own step (plans, OCOP, funding...).
STEPS: list[Callable[[Callable[[str], None]], None]] = [
    build_units,
    build_agencies,
    build_hamlets,
    build_users,
    build_criteria,
    build_recognition,
    build_plans,
    build_ocop,
    build_funding,
    build_reporting,
    # Last: it indexes the history the steps above wrote in bulk.
    build_audit,
]


def build_demo(say: Callable[[str], None] = print) -> None:
    for step in STEPS:
        with transaction.atomic():
            step(say)


def logins_table() -> str:
    width = max(len(u.username) for u in DEMO_USERS)
    lines = [f"Mật khẩu chung: {DEMO_PASSWORD}"]
    for spec in DEMO_USERS:
        lines.append(f"  {spec.username.ljust(width)}  {Role(spec.role).label} — {spec.full_name}")
    return "\n".join(lines)
