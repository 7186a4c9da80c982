"""Helpers for the OCOP tests: a producer with a product, a council, a scored evaluation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from nongthon.accounts.models import Role
from nongthon.ocop import services
from nongthon.ocop.models import CouncilLevel, ProducerKind
from nongthon.places.models import Unit
from tests.conftest import make_user

SECRET_PHONE = "0909 123 456"
SECRET_EMAIL = "rieng@htx.example"


def producer_at(commune: Unit, name: str = "HTX Bưởi Vị Bình", **extra):
    fields = {
        "name": name,
        "kind": ProducerKind.HTX,
        "tax_code": "6300123456",
        "address": "Ấp 1",
        "representative": "Nguyễn Văn A",
        "phone": SECRET_PHONE,
        "email": SECRET_EMAIL,
        "contacts_public": False,
        "legal_status": "Đang hoạt động",
        **extra,
    }
    return services.save_producer(None, commune=commune, **fields)


def product_of(producer, name: str = "Bưởi da xanh", rule="qd26-2026", number=1, commune=None):
    return services.save_product(
        None,
        producer=producer,
        name=name,
        commune=commune or producer.commune,
        rule=rule,
        sheet_number=number,
        description="Bưởi da xanh trồng tại xã.",
        stage="production",
    )


def council_with(unit: Unit, members: int = 2, level: str = CouncilLevel.PROVINCE, prefix="hd"):
    users = [make_user(f"{prefix}{i}", unit, Role.OCOP_COUNCIL) for i in range(members)]
    council = services.create_council(
        None, name=f"Hội đồng OCOP {unit.name}", level=level, unit=unit, members=users
    )
    return council, users


def structure_points(sheet, total: Decimal) -> dict[str, Decimal]:
    points, left = {}, Decimal(total)
    for leaf in sheet.leaves:
        take = min(leaf.max, left)
        points[leaf.code] = take
        left -= take
    return points


def scored(
    product,
    council,
    users,
    total: Decimal | int,
    day: dt.date,
    kind: str = "first",
    sheet_number: int | None = None,
):
    """Put `product` on a round of `council` on `day`, each member scoring `total`, finalised."""
    round_ = services.create_round(
        None,
        council=council,
        name=f"Đợt {day:%d/%m/%Y}",
        evaluated_on=day,
        deadline=day + dt.timedelta(days=30),
    )
    evaluation = services.add_to_round(
        None, round=round_, product=product, kind=kind, sheet_number=sheet_number
    )
    sheet = services.evaluation_sheet(evaluation)
    for user in users:
        points = (
            {leaf.code: leaf.max for leaf in sheet.leaves}
            if total == 100 and sheet.status != "structure"
            else structure_points(sheet, Decimal(total))
        )
        services.MemberScore.objects.create(
            evaluation=evaluation,
            member=user,
            points={k: str(v) for k, v in points.items()},
            total=sum(points.values()),
            submitted=True,
        )
    return services.finalize(None, evaluation=evaluation)
