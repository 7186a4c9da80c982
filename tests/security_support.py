"""The world the security tests act on: Hậu Giang with one object of each kind (a hamlet, a
plan with a target and a task, an application and a title, a work with a debt, an OCOP
product certified, a council round, reports), the users of each role that act on it, and a
Cần Thơ (2025) coordinator who reaches none of it."""

from __future__ import annotations

import datetime as dt

import pytest

from nongthon.accounts.models import Role
from tests.conftest import make_user

# --- The world -----------------------------------------------------------


@pytest.fixture
def world(
    hau_giang,
    vi_thuy,
    vi_binh,
    can_tho,
    tiny_set,
    province_coordinator,
    district_officer,
    commune_officer,
    system_admin,
):
    from nongthon.catalogue import refinement
    from nongthon.funding import services as funding
    from nongthon.ocop import services as ocop
    from nongthon.ocop.models import ScoreSheet
    from nongthon.places import hamlets
    from nongthon.places.agencies import create_default_agencies
    from nongthon.places.models import Agency
    from nongthon.plans import services as plans
    from nongthon.recognition import services as recognition
    from nongthon.reporting import services as reporting
    from tests.ocop_support import council_with, producer_at, product_of, scored
    from tests.plans_support import make_plan
    from tests.recognition_support import decision_data, load_qd318
    from tests.reporting_support import open_2023
    from tests.reporting_support import period as reporting_period
    from tests.reporting_support import send as send_report

    load_qd318()
    create_default_agencies(hau_giang)
    agency = Agency.objects.filter(unit=hau_giang).first()
    hamlet = hamlets.create_hamlet(None, commune=vi_binh, name="Ấp 1", kind="ap")
    retired = hamlets.create_hamlet(None, commune=vi_binh, name="Ấp 2", kind="ap")
    hamlets.retire_hamlet(
        None, hamlet=retired, expected_version=1, on=dt.date(2023, 1, 2), reason="Sáp nhập"
    )
    hg_set = refinement.refine(
        province_coordinator, national_set=tiny_set, province=hau_giang,
        basis_number="1/QĐ-UBND", basis_date=dt.date(2022, 1, 1),
    ).criteria_set  # fmt: skip
    plan = make_plan(hau_giang, 2023)
    target = plans.add_target(
        None, plan, type_code="free", params={}, sentence="Xúc tiến thương mại"
    )
    task = plans.add_task(
        None, plan, content="Việc", lead_text="Các sở", deadline_text="31/12/2023"
    )
    application = recognition.register(None, vi_binh, "ntm", 2023)
    title = recognition.record_past_title(
        None, vi_dong_or(vi_thuy), "ntm", decision_data(), basis_note="Sổ cũ"
    )
    work = funding.create_work(
        None, vi_binh, name="Đường ấp 7", family="qd318-xa-ntm", criterion_number=2,
        investment_total="2.400 triệu đồng",
    )  # fmt: skip
    funding.record_debt(None, work, "100", 2022, "trieu", "")
    producer = producer_at(vi_binh)
    product = product_of(producer, rule="qd148-2023")
    council, members = council_with(hau_giang)
    evaluation = scored(product, council, members, 80, dt.date(2024, 3, 1))
    certificate = ocop.issue_certificate(
        None, evaluation=evaluation, decision_no="1/QĐ", decision_date=dt.date(2024, 4, 1)
    )
    round_ = ocop.create_round(
        None, council=council, name="Đợt 2", evaluated_on=dt.date(2024, 6, 1),
        deadline=dt.date(2024, 7, 1),
    )  # fmt: skip
    someone = make_user("nguoi-khac", vi_binh, Role.COMMUNE_OFFICER)
    march = reporting_period(open_2023(hau_giang), "xa-thang", 3)
    draft = reporting.open_submission(None, march, vi_binh)
    other_xa = vi_thuy.children.filter(kind="xa").exclude(pk=vi_binh.pk).order_by("code").first()
    sent = send_report(march, other_xa, dt.date(2023, 3, 9))
    world = {
        "hau_giang": hau_giang, "vi_thuy": vi_thuy, "vi_binh": vi_binh, "can_tho": can_tho,
        "tiny_set": tiny_set, "hg_set": hg_set, "agency": agency, "hamlet": hamlet,
        "retired": retired, "plan": plan, "target": target, "task": task,
        "application": application, "title": title, "work": work, "producer": producer,
        "product": product, "council": council, "evaluation": evaluation,
        "certificate": certificate, "round": round_, "sheet": ScoreSheet.objects.first(),
        "someone": someone, "draft": draft, "sent": sent,
    }  # fmt: skip
    world["ids"] = sorted({str(v.pk) for v in world.values() if hasattr(v, "pk")})
    world["users"] = {
        "province": province_coordinator, "district": district_officer,
        "commune": commune_officer, "admin": system_admin,
        "cantho": make_user("tp-ct", can_tho, Role.PROVINCE_COORDINATOR),
        "member": members[0],
    }  # fmt: skip
    return world


def vi_dong_or(district):
    """A commune of the district other than Vị Bình (which has the application)."""
    from nongthon.places.models import Unit

    return Unit.objects.filter(district=district).exclude(code="31468").order_by("code").first()
