"""Hậu Giang's funding for 2022 and 2023 as the seed plans write it, with illustrative
allocations, disbursements and works.

From the seeds (shared/seeds/001: plan 2022, IV.1; 000: plan 2023, IV), imported from their
written text: the planned lines by source and the stated totals. Everything else (allocations,
disbursements, works, the debt) is made up, stored with `illustrative=True`, and every page
that shows it says "Dữ liệu minh họa".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal

from nongthon.funding import services
from nongthon.funding.models import FundingLine, LineKind, StatedTotal, Work
from nongthon.places.models import Edition, Level, Unit

PLAN_2022_DOCUMENT = "Kế hoạch NTM và OCOP tỉnh Hậu Giang năm 2022 (11/07/2022), mục IV.1"
PLAN_2022_TEXT = """\
1. Tổng hợp đề xuất nhu cầu vốn của các địa phương để hoàn thành các mục tiêu, nhiệm vụ của Chương trình 2022 là 6.259.605 triệu đồng, cụ thể:
- Vốn Trung ương hỗ trợ cho Chương trình: 170.914 triệu đồng.
-  Vốn Ngân sách địa phương (Tỉnh, huyện): 217.040 triệu đồng.
-  Vốn lồng ghép: 149.039 triệu đồng.
-  Vốn tín dụng: 5.589.382 triệu đồng.
-  Vốn doanh nghiệp: 16.918 triệu đồng.
-  Vốn huy động dân đóng góp: 116.312 triệu đồng.
"""  # noqa: E501  (as the plan writes it)
PLAN_2023_DOCUMENT = "Kế hoạch NTM và OCOP tỉnh Hậu Giang năm 2023, mục IV"
PLAN_2023_TEXT = """\
Dự kiến tổng để thực hiện chương trình 2023 là 14.348,283 tỷ đồng, cụ thể:
- Vốn Trung ương hỗ trợ cho Chương trình: 101,903 tỷ đồng.
-  Vốn Ngân sách địa phương: 559,912 tỷ đồng.
-  Vốn lồng ghép: 228,438 tỷ đồng.
-  Vốn tín dụng: 13.237 tỷ đồng.
-  Vốn huy động doanh nghiệp và dân đóng góp: 221,03 tỷ đồng.
"""
MILLION = Decimal(1_000_000)
# Illustrative: the share of each planned budget line allocated to the districts, in two
# decisions, and the share of the allocation disbursed by each quarter's end.
ALLOCATED_SHARE = {"central": Decimal("0.95"), "local": Decimal("0.9")}
TRANCHES = ((dt.date(1, 1, 20), Decimal("0.7")), (dt.date(1, 6, 15), Decimal("0.3")))
DISBURSED_BY_QUARTER = (
    (dt.date(1, 3, 31), Decimal("0.15")),
    (dt.date(1, 6, 30), Decimal("0.25")),
    (dt.date(1, 9, 30), Decimal("0.25")),
    (dt.date(1, 12, 31), Decimal("0.2")),
)


def _million(amount: Decimal) -> Decimal:
    return ((amount / MILLION).quantize(Decimal(1), rounding=ROUND_DOWN)) * MILLION


def _commune(name: str) -> Unit:
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    return Unit.objects.subtree(province).communes().get(short_name=name)


def build_plan_lines(province: Unit) -> None:
    FundingLine.objects.filter(unit__province=province).delete()
    FundingLine.objects.filter(unit=province).delete()
    StatedTotal.objects.filter(unit=province).delete()
    services.import_plan_text(None, province, 2022, PLAN_2022_TEXT, document=PLAN_2022_DOCUMENT)
    services.import_plan_text(None, province, 2023, PLAN_2023_TEXT, document=PLAN_2023_DOCUMENT)


def build_allocations(province: Unit) -> int:
    """Central and local lines allocated to each district, then disbursed quarter by quarter."""
    districts = list(Unit.objects.filter(province=province, level=Level.DISTRICT).order_by("code"))
    count = 0
    for year in (2022, 2023):
        planned = {
            line.source.code: line.amount
            for line in FundingLine.objects.filter(
                unit=province, year=year, kind=LineKind.PLANNED
            ).select_related("source")
        }
        for code, share in ALLOCATED_SHARE.items():
            if code not in planned:
                continue
            per_district = _million(planned[code] * share / len(districts))
            for district in districts:
                for when, part in TRANCHES:
                    allocated = _million(per_district * part)
                    services.record_line(
                        None, district, year, code, LineKind.ALLOCATED, allocated,
                        on_date=when.replace(year=year), document="Quyết định giao vốn (minh họa)",
                        illustrative=True,
                    )  # fmt: skip
                    count += 1
                # 2023 is the year in progress in the demo: disbursed through September only.
                quarters = DISBURSED_BY_QUARTER if year == 2022 else DISBURSED_BY_QUARTER[:3]
                for when, part in quarters:
                    paid = _million(per_district * part)
                    services.record_line(
                        None, district, year, code, LineKind.DISBURSED, paid,
                        on_date=when.replace(year=year), illustrative=True,
                    )  # fmt: skip
                    count += 1
    return count


# (commune, work, criterion, indicator, investment in triệu đồng, start, planned end,
#  finished on, progress at the end of 2022 %, disbursed by the end of 2022 in triệu đồng)
WORKS = [
    ("Phú Hữu", "Nâng cấp trạm cấp nước tập trung ấp Phú Lợi", 17, "17.1", "4.500",
     dt.date(2022, 3, 1), dt.date(2023, 6, 30), dt.date(2023, 6, 20), 70, "3.000"),
    ("Phú Tân", "Hệ thống cấp nước sạch liên ấp Tân Long – Tân Thạnh", 17, "17.1", "6.200",
     dt.date(2022, 5, 10), dt.date(2023, 8, 31), dt.date(2023, 8, 15), 55, "3.100"),
    ("Vị Bình", "Trạm cấp nước ấp 7 và mạng ống phân phối", 17, "17.1", "3.800",
     dt.date(2022, 4, 1), dt.date(2023, 5, 31), dt.date(2023, 5, 25), 80, "2.900"),
    ("Tân Bình", "Mở rộng mạng cấp nước sạch ấp Tân Phú", 17, "17.1", "5.100",
     dt.date(2022, 9, 1), dt.date(2023, 12, 31), None, 30, "1.200"),
    ("Vĩnh Viễn A", "Trạm cấp nước tập trung ấp 4", 17, "17.1", "4.700",
     dt.date(2022, 10, 1), dt.date(2024, 3, 31), None, 20, "800"),
    ("Vị Đông", "Cấp nước sạch ấp 6", 17, "17.1", "3.900",
     dt.date(2022, 8, 15), dt.date(2023, 12, 31), None, 35, "1.100"),
    ("Hòa An", "Đường giao thông nông thôn ấp Hòa Đức", 2, "", "7.800",
     dt.date(2022, 11, 1), dt.date(2024, 6, 30), None, 10, "700"),
]  # fmt: skip
# The commune with outstanding capital-construction debt: a finished road (illustrative).
DEBT_COMMUNE = "Vị Đông"


def build_works(qd318_family: str) -> int:
    Work.objects.filter(commune__province__code="93", illustrative=True).delete()
    for name, title, number, code, investment, start, end, finished, progress, paid in WORKS:
        commune = _commune(name)
        total = Decimal(investment.replace(".", "")) * MILLION
        central, local = _million(total * Decimal("0.6")), _million(total * Decimal("0.3"))
        work = services.create_work(
            None, commune, name=title, family=qd318_family, criterion_number=number,
            indicator_code=code, investment_total=total, start_date=start, end_date=end,
            progress=Decimal(progress),
            sources={
                "central-investment": central,
                "local-province": local,
                "people-cash": total - central - local,
            },
            illustrative=True,
        )  # fmt: skip
        paid_2022 = Decimal(paid.replace(".", "")) * MILLION
        first = _million(paid_2022 * Decimal("0.4"))
        services.record_disbursement(
            None, work, dt.date(2022, 9, 30), first, source_code="central-investment"
        )
        services.record_disbursement(None, work, dt.date(2022, 12, 20), paid_2022 - first, source_code="central-investment")  # fmt: skip  # noqa: E501
        if finished:
            services.record_disbursement(None, work, finished, total - paid_2022, source_code="local-province")  # fmt: skip  # noqa: E501
            Work.objects.filter(pk=work.pk).update(finished_on=finished, progress=100)
    # A road finished in 2021 whose contractor is still owed: outstanding XDCB debt.
    road = services.create_work(
        None, _commune(DEBT_COMMUNE), name="Đường giao thông ấp 3 (đã hoàn thành 2021)",
        family=qd318_family, criterion_number=2, investment_total=Decimal(2_400) * MILLION,
        start_date=dt.date(2020, 6, 1), end_date=dt.date(2021, 10, 31), progress=Decimal(100),
        sources={"local-district": Decimal(2_400) * MILLION}, illustrative=True,
    )  # fmt: skip
    Work.objects.filter(pk=road.pk).update(finished_on=dt.date(2021, 10, 25))
    services.record_disbursement(None, road, dt.date(2021, 12, 15), Decimal(1_550) * MILLION)
    debt = services.record_debt(
        None, road, Decimal(850) * MILLION, 2021, note="Nợ nhà thầu (minh họa)"
    )
    services.record_repayment(None, debt, dt.date(2022, 7, 15), Decimal(300) * MILLION)
    return len(WORKS) + 1


# People's contributions mobilised in the targeted communes (illustrative): labour days and
# donated land valued in triệu đồng, per year.
MOBILISED = {"people-labour": 120, "people-land": 350, "people-cash": 80, "enterprise": 200}


def build_mobilised() -> int:
    count = 0
    for name in dict.fromkeys(w[0] for w in WORKS):
        commune = _commune(name)
        for year in (2022, 2023):
            for code, millions in MOBILISED.items():
                services.record_line(
                    None, commune, year, code, LineKind.MOBILISED, Decimal(millions) * MILLION,
                    on_date=dt.date(year, 6, 30), illustrative=True,
                )  # fmt: skip
                count += 1
    return count


def build_funding(qd318_family: str, say: Callable[[str], None]) -> None:
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    build_plan_lines(province)
    lines = build_allocations(province) + build_mobilised()
    works = build_works(qd318_family)
    say(
        f"Nguồn vốn Hậu Giang 2022-2023: kế hoạch theo văn bản, {lines} dòng giao, giải ngân, "
        f"huy động và {works} công trình (minh họa)"
    )
