"""A yearly plan for every province. Each plan holds the usual targets of the seed plans, with
goals a little above the province's figures of the year before, and its planned funds by
source; figures are computed on read like any plan's. Each target's parameters go through its
type's own check (`clean`), as the plans services do; rows are bulk-created without history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from nongthon.assessment import queries as aq
from nongthon.demo.national.assessment import Period
from nongthon.demo.national.funding import PER_COMMUNE, SPLIT
from nongthon.places.models import Unit
from nongthon.plans import targets as target_types
from nongthon.plans.models import FundLine, MoneyUnit, Plan, Target, TargetKind

MARK = "(kế hoạch minh họa, dữ liệu toàn quốc)"
G_NTM = "Về xây dựng nông thôn mới"
G_OCOP = "Về Chương trình mỗi xã một sản phẩm (OCOP)"
G_FUNDS = "Dự kiến nguồn lực"
FUND_SOURCES = ("central", "local", "integrated", "credit", "enterprise", "people")


def has_plans(province: Unit) -> bool:
    return Plan.objects.filter(unit=province, title__endswith=MARK).exists()


def build_plans(province: Unit, period: Period, years: tuple[int, ...], communes: int) -> int:
    family = period.set_code
    plans = Plan.objects.bulk_create(
        Plan(
            unit=province,
            issuer_parent=f"UBND {province.name.upper()}",
            body="Ban Chỉ đạo các chương trình mục tiêu quốc gia",
            number=f"{10 + year % 100}/KH-BCĐ",
            issued_on=dt.date(year, 1, 15),
            place=province.short_name,
            year_from=year,
            year_to=year,
            title=f"Kế hoạch xây dựng nông thôn mới và OCOP năm {year} {MARK}",
            illustrative=True,
        )
        for year in years
    )
    rows: list[Target] = []
    lines: list[FundLine] = []
    for plan in plans:
        year = plan.year_from
        before = aq.summary_figures(province, year - 1, family)
        share = before.all_met_percent if before and before.total else None
        goal_share = min(Decimal(100), (share or Decimal(60)) + 5)
        average = (before.average if before and before.average else Decimal(17)) + Decimal("0.3")
        criteria_count = before.criteria_count if before else 19
        average = min(average, criteria_count)
        targets = [
            (G_NTM, f"Tỷ lệ xã đạt chuẩn nông thôn mới đạt {goal_share}%.", "criteria.all_met",
             {"family": family, "goal_share": str(goal_share)}),
            (G_NTM, f"Bình quân đạt {average} tiêu chí/xã.", "criteria.average",
             {"family": family, "goal": str(average)}),
            (G_NTM, "Không còn xã dưới 15 tiêu chí.", "criteria.minimum",
             {"family": family, "minimum": min(15, criteria_count)}),
            (G_NTM, f"Lũy kế {goal_share}% số xã được công nhận đạt chuẩn nông thôn mới.",
             "recognition.titled_count",
             {"tier": "ntm", "level": "commune", "goal_share": str(goal_share)}),
            (G_OCOP, "Công nhận thêm sản phẩm OCOP đạt 3 - 4 sao cấp tỉnh.", "ocop.star_count",
             {"goal_count": max(5, communes // 8), "star_min": 3, "star_max": 4,
              "level": "province"}),
            (G_FUNDS, "Tổng nhu cầu vốn thực hiện Chương trình (minh họa).", "funding.by_source",
             {}),
        ]  # fmt: skip
        for order, (group, sentence, type_code, params) in enumerate(targets, start=1):
            rows.append(
                Target(
                    plan=plan,
                    order=order,
                    group=group,
                    sentence=sentence,
                    kind=TargetKind.FIRM,
                    type_code=type_code,
                    params=target_types.get(type_code).clean(params, plan),
                )
            )
        total = PER_COMMUNE * communes / 10**6  # triệu đồng
        for order, source in enumerate(FUND_SOURCES, start=1):
            lines.append(
                FundLine(
                    plan=plan,
                    order=order,
                    source=source,
                    amount=(total * SPLIT[source]).quantize(Decimal(1)),
                    money_unit=MoneyUnit.MILLION,
                )
            )
    Target.objects.bulk_create(rows)
    FundLine.objects.bulk_create(lines)
    return len(plans)
