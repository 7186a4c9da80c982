"""The three seed plans entered completely (shared/seeds/000, 001, 004): header, text parts
(demo/data/seed_plans.yaml), every target sentence as a typed target, every fund line, every duty
as a task; and an illustrative directive (Thông báo kết luận) with dated tasks for Hậu Giang's
departments, some done, some late.

What is real: everything read from the seeds (sentences, names, amounts, duties). What is made
up and marked illustrative: the directive, its tasks and progress, and the communes' OCOP-body
statuses of Long Mỹ 2020. Target sentences about titles, OCOP products and funds are entered with
the recognition, OCOP and funding modules' type codes, computed by those modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import yaml

from nongthon.places.agencies import create_default_agencies
from nongthon.places.models import Agency, Edition, Level, Unit
from nongthon.plans import services
from nongthon.plans.models import Directive, DirectiveKind, Plan, TargetKind, Task

DATA = Path(__file__).parent / "data" / "seed_plans.yaml"
NTM, NANG_CAO, KIEU_MAU = "qd318-xa-ntm", "qd318-xa-nang-cao", "qd319-xa-kieu-mau"
FIRM, STRETCH = TargetKind.FIRM, TargetKind.STRETCH
G_NTM = "Về xây dựng nông thôn mới"
G_OCOP = "Về Chương trình mỗi xã một sản phẩm (OCOP)"
G_FUNDS = "Dự kiến nguồn lực"


def _province() -> Unit:
    return Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")


class Lookup:
    def __init__(self, province: Unit) -> None:
        self.province = province

    def xa(self, *names: str) -> list[int]:
        communes = Unit.objects.subtree(self.province).communes()
        return [communes.get(name=f"Xã {name}").pk for name in names]

    def district(self, name: str) -> Unit:
        return Unit.objects.subtree(self.province).get(level=Level.DISTRICT, name=name)

    def agency(self, code: str, unit: Unit | None = None) -> Agency:
        return Agency.objects.get(unit=unit or self.province, code=code)


def _target(
    plan: Plan, group: str, sentence: str, type_code: str, params: dict, kind=FIRM, note: str = ""
) -> None:
    services.add_target(
        None,
        plan,
        group=group,
        sentence=sentence,
        type_code=type_code,
        params=params,
        kind=kind,
        note=note,
    )


def _task(
    plan_or_directive,
    section: str,
    content: str,
    lead: Agency | None = None,
    lead_text: str = "",
    coordinators=(),
    coordinators_text: str = "",
    deadline: str = "",
    illustrative: bool = False,
) -> Task:
    return services.add_task(
        None,
        plan_or_directive,
        section=section,
        content=content,
        lead=lead,
        lead_text=lead_text,
        coordinators=coordinators,
        coordinators_text=coordinators_text,
        deadline_text=deadline,
        illustrative=illustrative,
    )


def _plan(unit: Unit, key: str, **fields) -> Plan | None:
    if Plan.objects.filter(unit=unit, title=fields["title"]).exists():
        return None
    text = yaml.safe_load(DATA.read_text())[key]
    text.pop("resources_after", None)
    return services.create_plan(None, unit, **(text | fields))


def plan_2022(look: Lookup) -> Plan | None:
    hg = look.province
    plan = _plan(
        hg,
        "hg2022",
        issuer_parent="UBND tỉnh Hậu Giang",
        body="Ban Chỉ đạo các chương trình mục tiêu quốc gia giai đoạn 2021-2025 tỉnh Hậu Giang",
        number="",
        place="Hậu Giang",
        year_from=2022,
        year_to=2022,
        title=(
            "Thực hiện Chương trình mục tiêu quốc gia về xây dựng nông thôn mới và Chương trình"
            " Mỗi xã một sản phẩm (OCOP) tỉnh Hậu Giang năm 2022"
        ),
        recipients="VPĐP nông thôn mới TW;\nTT: TU, HĐND, UBND tỉnh;\nUBMTTQVN và các Đoàn thể"
        " tỉnh;\nSở, ban ngành tỉnh;\nVăn phòng Điều phối nông thôn mới tỉnh;\nUBND huyện, thị"
        " xã, thành phố;\nLưu: VT.",
        signing_authority="TM. BAN CHỈ ĐẠO\nKT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN",
        signer_title="PHÓ CHỦ TỊCH UBND TỈNH",
        signer_name="Trương Cảnh Tuyên",
    )
    if plan is None:
        return None
    t = _target
    t(
        plan,
        G_NTM,
        "Duy trì và nâng chất các đơn vị xã đạt chuẩn nông thôn mới, nông thôn mới"
        " nâng cao; các huyện đã đạt chuẩn nông thôn mới, thị xã, thành phố hoàn thành nhiệm vụ xây"
        " dựng nông thôn mới.",
        "recognition.titles_kept",
        {"tiers": "ntm,nang_cao,hoan_thanh"},
    )
    t(
        plan,
        G_NTM,
        "Công nhận thêm 03 xã đạt chuẩn nông thôn mới: Phú Hữu (huyện Châu Thành),"
        " Tân Phú (thị xã Long Mỹ), Hiệp Hưng (huyện Phụng Hiệp).",
        "recognition.named_units",
        {"tier": "ntm", "level": "commune", "units": look.xa("Phú Hữu", "Tân Phú", "Hiệp Hưng")},
    )
    t(
        plan,
        G_NTM,
        "Đồng thời, tập trung chỉ đạo bổ sung thêm 02 xã: Phú Tân (huyện Châu Thành),"
        " Vị Bình (huyện Vị Thủy) cố gắng hoàn thành 19/19 tiêu chí nông thôn mới trong năm 2022.",
        "criteria.all_met",
        {"family": NTM, "units": look.xa("Phú Tân", "Vị Bình")},
        STRETCH,
    )
    t(
        plan,
        G_NTM,
        "Lũy kế đến cuối năm 2022, toàn tỉnh có 38/51 xã đạt chuẩn nông thôn mới (chiếm 74,5%).",
        "recognition.titled_count",
        {"tier": "ntm", "level": "commune", "goal_count": 38},
        note="Tính theo số xã được công nhận đạt chuẩn (quyết định công nhận), không theo số xã"
        " đạt đủ 19 tiêu chí: kế hoạch đếm xã đạt chuẩn.",
    )
    t(
        plan,
        G_NTM,
        "Đối với các xã đạt từ 14 tiêu chí trở lên giao cho các địa phương có sự quan"
        " tâm, chỉ đạo phấn đấu hoàn thành.",
        "criteria.all_met",
        {"family": NTM, "among_at_least": 14},
        STRETCH,
    )
    t(
        plan,
        G_NTM,
        "Công nhận thêm 04 xã đạt chuẩn nông thôn mới nâng cao: Long Trị A (thị xã"
        " Long Mỹ), Thuận Hưng (huyện Long Mỹ), xã Vị Tân (thành phố Vị Thanh), Nhơn Nghĩa A"
        " (huyện Châu Thành A).",
        "recognition.named_units",
        {
            "tier": "nang_cao",
            "level": "commune",
            "units": look.xa("Long Trị A", "Thuận Hưng", "Vị Tân", "Nhơn Nghĩa A"),
        },
    )
    t(
        plan,
        G_NTM,
        "… nâng tổng số xã đạt chuẩn nông thôn mới nâng cao lên 09 xã.",
        "recognition.titled_count",
        {"tier": "nang_cao", "level": "commune", "goal_count": 9},
    )
    t(
        plan,
        G_NTM,
        "Chỉ đạo bổ sung thêm 03 xã: Đông Phước A (huyện Châu Thành), Vị Thanh"
        " (huyện Vị Thủy), Phương Phú (huyện Phụng Hiệp), cố gắng hoàn thành nông thôn mới nâng"
        " cao trong năm 2022.",
        "criteria.all_met",
        {"family": NANG_CAO, "units": look.xa("Đông Phước A", "Vị Thanh", "Phương Phú")},
        STRETCH,
    )
    t(
        plan,
        G_NTM,
        "Công nhận 01 xã đạt chuẩn nông thôn mới kiểu mẫu: Thạnh Xuân (huyện Châu Thành A).",
        "recognition.named_units",
        {"tier": "kieu_mau", "level": "commune", "units": look.xa("Thạnh Xuân")},
    )
    t(
        plan,
        G_NTM,
        "Chỉ đạo bổ sung xã Đại Thành (thành phố Ngã Bảy) cố gắng hoàn thành nông"
        " thôn mới kiểu mẫu trong năm 2022.",
        "criteria.all_met",
        {"family": KIEU_MAU, "units": look.xa("Đại Thành")},
        STRETCH,
    )
    t(
        plan,
        G_NTM,
        "Bình quân số tiêu chí nông thôn mới đạt chuẩn/xã: 18,2 tiêu chí/xã.",
        "criteria.average",
        {"family": NTM, "goal": "18.2"},
    )
    t(
        plan,
        G_NTM,
        "Các xã đều đạt từ 14 tiêu chí nông thôn mới trở lên.",
        "criteria.minimum",
        {"family": NTM, "minimum": 14},
    )
    t(
        plan,
        G_OCOP,
        "Đối với sản phẩm huyện, thị xã, thành phố: mỗi đơn vị cấp huyện công nhận"
        " ít nhất 5 - 7 sản phẩm đạt 3 - 4 sao sản phẩm OCOP cấp huyện,",
        "ocop.rated_per_district",
        {"min_count": 5, "max_count": 7, "star_min": 3, "star_max": 4, "level": "province"},
        note="Theo QĐ 1048/QĐ-TTg (áp dụng năm 2022) hội đồng cấp huyện đánh giá, tỉnh công nhận"
        ' 3 - 4 sao (ocop/data/rules.yaml): "sản phẩm cấp huyện" là sản phẩm của từng huyện'
        " được tỉnh công nhận.",
    )
    t(
        plan,
        G_OCOP,
        "… hoàn thiện hồ sơ đăng ký đánh giá, phân hạng sản phẩm OCOP cấp tỉnh.",
        "ocop.dossiers",
        {"level": "province", "per_district": True},
    )
    t(
        plan,
        G_OCOP,
        "Đối với sản phẩm cấp tỉnh: Công nhận ít nhất 40 sản phẩm đạt 3 - 4 sao sản"
        " phẩm OCOP cấp tỉnh.",
        "ocop.star_count",
        {"goal_count": 40, "star_min": 3, "star_max": 4, "level": "province"},
    )
    t(
        plan,
        G_OCOP,
        "Thăng hạng cho sản phẩm OCOP đạt 3 sao cấp tỉnh đủ điều kiện lên 4 sao.",
        "ocop.upgraded_share",
        {"from_stars": 3, "to_stars": 4, "level": "province"},
    )
    t(
        plan,
        G_OCOP,
        "Hoàn thiện hồ sơ cho 5 sản phẩm OCOP đăng ký tham gia đánh giá, phân hạng"
        " sản phẩm cấp quốc gia.",
        "ocop.dossiers",
        {"level": "national", "goal_count": 5},
    )
    t(
        plan,
        G_FUNDS,
        "Tổng hợp đề xuất nhu cầu vốn của các địa phương để hoàn thành các mục"
        " tiêu, nhiệm vụ của Chương trình 2022 là 6.259.605 triệu đồng.",
        "funding.by_source",
        {},
    )
    million = "million"
    for source, label, amount in (
        ("central", "Vốn Trung ương hỗ trợ cho Chương trình", "170914"),
        ("local", "Vốn Ngân sách địa phương (Tỉnh, huyện)", "217040"),
        ("integrated", "Vốn lồng ghép", "149039"),
        ("credit", "Vốn tín dụng", "5589382"),
        ("enterprise", "Vốn doanh nghiệp", "16918"),
        ("people", "Vốn huy động dân đóng góp", "116312"),
    ):
        services.add_fund_line(
            None, plan, source=source, label=label, amount=Decimal(amount), money_unit=million
        )
    plan.resources_intro += (
        "\n(Sau các nguồn:) 2. Nhu cầu vốn công trình cần đầu tư trên địa bàn các xã phấn đấu"
        " đạt chuẩn nông thôn mới, nông thôn mới nâng cao, nông thôn mới kiểu mẫu năm 2022"
        " (Đính kèm phụ lục 2)."
    )
    plan.save()
    _duties_2022(plan, look)
    return plan


def _duties_2022(plan: Plan, look: Lookup) -> None:
    vpdp = look.agency("vpdp-ntm")
    s1 = "1. Văn phòng Điều phối nông thôn mới tỉnh"
    _task(
        plan,
        s1,
        "Chịu trách nhiệm theo dõi, kiểm tra, đôn đốc việc tổ chức thực hiện cho Ban"
        " Chỉ đạo tỉnh; định kỳ quý, sáu tháng, cả năm tổng hợp báo cáo kết quả thực hiện với"
        " Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh, Thường trực Tỉnh ủy, Hội đồng"
        " nhân dân tỉnh, Ủy ban nhân dân tỉnh và Ban Chỉ đạo Trung ương các Chương trình mục"
        " tiêu quốc gia.",
        vpdp,
        deadline="định kỳ quý, sáu tháng, cả năm",
    )
    _task(
        plan,
        s1,
        "Phối hợp với các đơn vị có liên quan, tham mưu cho UBND tỉnh kiện toàn bộ"
        " máy Chỉ đạo cấp tỉnh, hướng dẫn các địa phương kiện toàn bộ máy Chỉ đạo, giúp việc"
        " (cấp huyện, xã) theo quy định hiện hành.",
        vpdp,
    )
    _task(
        plan,
        s1,
        "Kiểm tra, hướng dẫn các huyện, thị xã, thành phố phát triển sản phẩm, tổ"
        " chức đánh giá phân hạng sản phẩm OCOP cấp huyện, hoàn thiện hồ sơ đăng ký đánh giá,"
        " phân hạng sản phẩm OCOP cấp tỉnh.",
        vpdp,
    )
    _task(
        plan,
        s1,
        "Tham mưu Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh kiểm tra hồ sơ"
        " sản phẩm OCOP cấp huyện và tổ chức đánh giá, phân hạng sản phẩm OCOP cấp tỉnh. Tham"
        " mưu UBND tỉnh tổ chức công bố sản phẩm đạt 3 - 4 sao sản phẩm OCOP cấp tỉnh.",
        vpdp,
    )
    _task(
        plan,
        "2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh",
        "Phối hợp với các đơn vị liên quan triển khai thực hiện cuộc vận động"
        " “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”. Vận động đoàn viên,"
        " hội viên hưởng ứng tham gia tích cực xây dựng nông thôn mới.",
        look.agency("mttq"),
        coordinators_text="các tổ chức chính trị - xã hội tỉnh",
    )
    s3, group = "3. Các sở, ban, ngành", "Các sở, ban, ngành tỉnh"
    _task(
        plan,
        s3,
        "Thực hiện tốt chức năng, nhiệm vụ theo thẩm quyền được giao; phối hợp với"
        " Văn phòng Điều phối nông thôn mới tỉnh trong tổ chức thực hiện kế hoạch; xây dựng kế"
        " hoạch, giải pháp cụ thể để thực hiện các tiêu chí, các sản phẩm thuộc ngành, lĩnh vực"
        " quản lý, phụ trách đến cấp huyện, xã. Chủ động hướng dẫn, đôn đốc, kiểm tra theo dõi,"
        " quản lý việc thực hiện tiêu chí, đánh giá, xếp hạng sản phẩm thuộc ngành quản lý đến"
        " cấp huyện, xã. Định kỳ hàng tháng, quý, sáu tháng, năm báo cáo kết quả thực hiện và"
        " đề xuất kịp thời những khó khăn, vướng mắc với Ban Chỉ đạo tỉnh (gửi Văn phòng điều"
        " phối nông thôn mới tỉnh để tổng hợp).",
        lead_text=group,
        coordinators=[vpdp],
        deadline="Định kỳ hàng tháng, quý, sáu tháng, năm",
    )
    _task(
        plan,
        s3,
        "Sở Kế hoạch và Đầu tư chủ trì phối hợp với Sở Tài chính, Văn phòng Điều phối"
        " nông thôn mới tỉnh tham mưu xây dựng kế hoạch vốn, phân bổ và giám sát tình hình thực"
        " hiện vốn ngân sách và các nguồn vốn huy động khác thực hiện xây dựng nông thôn mới và"
        " Chương trình mỗi xã một sản phẩm trên địa bàn tỉnh, kiểm soát không để phát sinh nợ"
        " đọng xây dựng cơ bản trong xây dựng nông thôn mới.",
        look.agency("so-khdt"),
        coordinators=[look.agency("so-tai-chinh"), vpdp],
    )
    _task(
        plan,
        s3,
        "Sở Nội vụ chủ trì hướng dẫn các đơn vị kiện toàn Văn phòng Điều phối nông"
        " thôn mới các cấp theo quy định hiện hành; phối hợp với Văn phòng Điều phối nông thôn"
        " mới tỉnh tham mưu UBND tỉnh xây dựng kế hoạch thực hiện phong trào thi đua “Đảng bộ,"
        " chính quyền và Nhân dân tỉnh Hậu Giang chung sức xây dựng nông thôn mới giai đoạn"
        " 2021-2025”.",
        look.agency("so-noi-vu"),
        coordinators=[vpdp],
    )
    _task(plan, s3, "Nghiêm túc thực hiện chế độ thông tin báo cáo theo quy định.", lead_text=group)
    s4, districts = "4. UBND huyện, thị xã, thành phố", "UBND huyện, thị xã, thành phố"
    _task(
        plan,
        s4,
        "Căn cứ vào chức năng, nhiệm vụ xây dựng kế hoạch, giải pháp cụ thể để chủ"
        " động triển khai thực hiện; tăng cường kiểm tra, đôn đốc, hướng dẫn các xã triển khai"
        " thực hiện kế hoạch được giao; định kỳ hàng tháng, quý, sáu tháng, năm báo cáo kết quả"
        " thực hiện và đề xuất kịp thời các biện pháp chỉ đạo với Ban Chỉ đạo tỉnh (gửi Văn"
        " phòng điều phối nông thôn mới tỉnh để tổng hợp).",
        lead_text=districts,
        deadline="Định kỳ hàng tháng, quý, sáu tháng, năm",
    )
    _task(
        plan,
        s4,
        "Chỉ đạo lồng ghép có hiệu quả các Chương trình, dự án. Ưu tiên bố trí nguồn"
        " lực, chỉ đạo quyết liệt đối với các xã theo lộ trình về đích năm 2022.",
        lead_text=districts,
    )


def plan_2023(look: Lookup) -> Plan | None:
    hg = look.province
    plan = _plan(
        hg,
        "hg2023",
        issuer_parent="UBND tỉnh Hậu Giang",
        body="Ban Chỉ đạo các chương trình mục tiêu quốc gia giai đoạn 2021-2025 tỉnh Hậu Giang",
        number="",
        place="Hậu Giang",
        year_from=2023,
        year_to=2023,
        title=(
            "Thực hiện Chương trình mục tiêu quốc gia về xây dựng nông thôn mới và Chương trình"
            " Mỗi xã một sản phẩm (OCOP) tỉnh Hậu Giang năm 2023"
        ),
        recipients="VPĐP nông thôn mới TW (để b/c);\nTT: TU, HĐND, UBND tỉnh;\nUBMTTQVN và các"
        " đoàn thể tỉnh;\nSở, ban, ngành tỉnh;\nVăn phòng Điều phối các chương trình MTQG"
        " tỉnh;\nUBND huyện, thị xã, thành phố;\nLưu: VT, NCTH.",
        signing_authority="TM. BAN CHỈ ĐẠO\nKT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN",
        signer_title="PHÓ CHỦ TỊCH UBND TỈNH",
        signer_name="Trương Cảnh Tuyên",
    )
    if plan is None:
        return None
    t = _target
    t(
        plan,
        G_NTM,
        "Thị xã Long Mỹ hoàn thành nhiệm vụ xây dựng nông thôn mới trong năm 2023.",
        "recognition.unit_title",
        {"unit": look.district("Thị xã Long Mỹ").pk, "tier": "hoan_thanh"},
    )
    t(
        plan,
        G_NTM,
        "Duy trì và nâng chất các đơn vị xã đạt chuẩn nông thôn mới, nông thôn mới"
        " nâng cao; các huyện đã đạt chuẩn nông thôn mới, thị xã, thành phố hoàn thành nhiệm vụ xây"
        " dựng nông thôn mới.",
        "recognition.titles_kept",
        {"tiers": "ntm,nang_cao,hoan_thanh"},
    )
    t(
        plan,
        G_NTM,
        "Công nhận thêm 03 xã đạt chuẩn nông thôn mới: Phú Hữu, Phú Tân (huyện Châu"
        " Thành), Vị Bình (huyện Vị Thủy);",
        "recognition.named_units",
        {"tier": "ntm", "level": "commune", "units": look.xa("Phú Hữu", "Phú Tân", "Vị Bình")},
    )
    t(
        plan,
        G_NTM,
        "đồng thời, tập trung chỉ đạo bổ sung thêm 03 xã: Tân Bình (huyện Phụng"
        " Hiệp), Vĩnh Viễn A (huyện Long Mỹ), Vị Đông (huyện Vị Thủy) cố gắng hoàn thành 19/19 tiêu"
        " chí nông thôn mới trong năm 2023.",
        "criteria.all_met",
        {"family": NTM, "units": look.xa("Tân Bình", "Vĩnh Viễn A", "Vị Đông")},
        STRETCH,
    )
    t(
        plan,
        G_NTM,
        "Đối với các xã đạt từ 14 tiêu chí trở lên giao cho các địa phương có sự quan"
        " tâm, chỉ đạo phấn đấu hoàn thành.",
        "criteria.all_met",
        {"family": NTM, "among_at_least": 14},
        STRETCH,
    )
    t(
        plan,
        G_NTM,
        "Công nhận thêm 05 xã đạt chuẩn nông thôn mới nâng cao …: xã Vị Tân (thành"
        " phố Vị Thanh), Nhơn Nghĩa A (huyện Châu Thành A), Vị Thanh (huyện Vị Thủy), Đông Phước A"
        " (huyện Châu Thành), Phương Phú (huyện Phụng Hiệp).",
        "recognition.named_units",
        {
            "tier": "nang_cao",
            "level": "commune",
            "units": look.xa("Vị Tân", "Nhơn Nghĩa A", "Vị Thanh", "Đông Phước A", "Phương Phú"),
        },
    )
    t(
        plan,
        G_NTM,
        "… nâng tổng số xã đạt chuẩn nông thôn mới nâng cao lên 12 xã.",
        "recognition.titled_count",
        {"tier": "nang_cao", "level": "commune", "goal_count": 12},
    )
    t(
        plan,
        G_NTM,
        "Đồng thời tập trung chỉ đạo bổ sung thêm 02 xã: Vĩnh Thuận Đông (huyện Long"
        " Mỹ), Tân Tiến (thành phố Vị Thanh) cố gắng hoàn thành 19/19 tiêu chí nông thôn mới nâng"
        " cao trong năm 2023.",
        "criteria.all_met",
        {"family": NANG_CAO, "units": look.xa("Vĩnh Thuận Đông", "Tân Tiến")},
        STRETCH,
    )
    t(
        plan,
        G_NTM,
        "Công nhận 03 xã đạt chuẩn nông thôn mới kiểu mẫu: Thạnh Xuân (huyện Châu"
        " Thành A), Đại Thành (thành phố Ngã Bảy), Hỏa Tiến (thành phố Vị Thanh).",
        "recognition.named_units",
        {
            "tier": "kieu_mau",
            "level": "commune",
            "units": look.xa("Thạnh Xuân", "Đại Thành", "Hỏa Tiến"),
        },
    )
    t(
        plan,
        G_OCOP,
        "Đối với sản phẩm huyện, thị xã, thành phố: Mỗi đơn vị cấp huyện tổ chức"
        " đánh giá, phân hạng ít nhất 5 sản phẩm đạt 3 - 4 sao sản phẩm OCOP cấp huyện.",
        "ocop.rated_per_district",
        {"min_count": 5, "star_min": 3, "star_max": 4, "level": "district"},
    )
    t(
        plan,
        G_OCOP,
        "Trong đó, có ít nhất 01 sản phẩm đạt 4 sao sản phẩm OCOP cấp tỉnh.",
        "ocop.rated_per_district",
        {"min_count": 1, "star_min": 4, "star_max": 4, "level": "province"},
    )
    t(
        plan,
        G_OCOP,
        "Đối với sản phẩm cấp tỉnh: Công nhận ít nhất 8 sản phẩm đạt 4 sao sản phẩm OCOP cấp tỉnh.",
        "ocop.star_count",
        {"goal_count": 8, "star_min": 4, "star_max": 4, "level": "province"},
    )
    t(
        plan,
        G_OCOP,
        "Thăng hạng ít nhất 25% sản phẩm OCOP từ 3 sao lên 4 sao sản phẩm OCOP cấp tỉnh.",
        "ocop.upgraded_share",
        {"from_stars": 3, "to_stars": 4, "goal_share": "25", "level": "province"},
    )
    t(
        plan,
        G_OCOP,
        "Tái công nhận đối với sản phẩm OCOP hết thời gian chứng nhận (36 tháng) trên"
        " địa bàn tỉnh.",
        "ocop.recertified",
        {"validity_months": 36},
    )
    t(
        plan,
        G_OCOP,
        "Hoàn thiện hồ sơ cho 3 sản phẩm OCOP đăng ký tham gia đánh giá, phân hạng"
        " sản phẩm cấp quốc gia.",
        "ocop.dossiers",
        {"level": "national", "goal_count": 3},
    )
    t(
        plan,
        G_FUNDS,
        "Dự kiến tổng để thực hiện chương trình 2023 là 14.348,283 tỷ đồng.",
        "funding.by_source",
        {},
    )
    for source, label, amount in (
        ("central", "Vốn Trung ương hỗ trợ cho Chương trình", "101.903"),
        ("local", "Vốn Ngân sách địa phương", "559.912"),
        ("integrated", "Vốn lồng ghép", "228.438"),
        ("credit", "Vốn tín dụng", "13237"),
        ("enterprise_people", "Vốn huy động doanh nghiệp và dân đóng góp", "221.03"),
    ):
        services.add_fund_line(
            None, plan, source=source, label=label, amount=Decimal(amount), money_unit="billion"
        )
    _duties_2023(plan, look)
    return plan


def _duties_2023(plan: Plan, look: Lookup) -> None:
    vpdp = look.agency("vpdp-ntm")
    s1 = "1. Văn phòng Điều phối các chương trình mục tiêu quốc gia tỉnh"
    _task(
        plan,
        s1,
        "Chịu trách nhiệm theo dõi, kiểm tra, đôn đốc việc tổ chức thực hiện cho Ban"
        " Chỉ đạo tỉnh; định kỳ, quý, 06 tháng, 01 năm tổng hợp báo cáo kết quả thực hiện với"
        " Ban Chỉ đạo tỉnh, Thường trực Tỉnh ủy, HĐND tỉnh, UBND tỉnh và Ban Chỉ đạo Trung ương"
        " các chương trình mục tiêu quốc gia giai đoạn 2021 - 2025.",
        vpdp,
        deadline="định kỳ, quý, 06 tháng, 01 năm",
    )
    _task(
        plan,
        s1,
        "Phối hợp với các đơn vị có liên quan, tham mưu cho UBND thực hiện hiệu quả"
        " 06 chuyên đề thành phần thuộc chương trình mục tiêu quốc gia xây dựng nông thôn mới"
        " giai đoạn 2021 - 2025.",
        vpdp,
    )
    _task(
        plan,
        s1,
        "Kiểm tra, hướng dẫn các huyện, thị xã, thành phố phát triển sản phẩm, tổ"
        " chức đánh giá phân hạng sản phẩm OCOP cấp huyện, hoàn thiện hồ sơ đăng ký đánh giá,"
        " phân hạng sản phẩm OCOP cấp tỉnh.",
        vpdp,
    )
    _task(
        plan,
        s1,
        "Tham mưu Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh kiểm tra hồ sơ"
        " sản phẩm OCOP cấp huyện và tổ chức đánh giá, phân hạng sản phẩm OCOP cấp tỉnh; tham"
        " mưu UBND tỉnh tổ chức công bố sản phẩm đạt 3 - 4 sao sản phẩm OCOP cấp tỉnh.",
        vpdp,
    )
    _task(
        plan,
        "2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các đoàn thể chính trị - xã hội tỉnh",
        "Phối hợp với các đơn vị liên quan triển khai thực hiện cuộc vận động"
        " “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”. Vận động đoàn viên, hội"
        " viên hưởng ứng tham gia tích cực xây dựng nông thôn mới.",
        look.agency("mttq"),
        coordinators_text="các đoàn thể chính trị - xã hội tỉnh",
    )
    s3, group = "3. Các sở, ban, ngành tỉnh liên quan", "Các sở, ban, ngành tỉnh liên quan"
    _task(
        plan,
        s3,
        "Thực hiện tốt chức năng, nhiệm vụ theo thẩm quyền được giao; phối hợp với"
        " Văn phòng Điều phối các chương trình mục tiêu quốc gia tỉnh trong tổ chức thực hiện kế"
        " hoạch; xây dựng kế hoạch, giải pháp cụ thể để thực hiện các tiêu chí, các sản phẩm"
        " thuộc ngành, lĩnh vực quản lý, phụ trách đến cấp huyện, xã. Chủ động hướng dẫn, đôn"
        " đốc, kiểm tra theo dõi, quản lý việc thực hiện tiêu chí, đánh giá, xếp hạng sản phẩm"
        " thuộc ngành quản lý đến cấp huyện, xã. Định kỳ hàng tháng, quý, 06 tháng, 01 năm báo"
        " cáo kết quả thực hiện và đề xuất kịp thời những khó khăn, vướng mắc với Ban Chỉ đạo"
        " tỉnh (gửi Văn phòng điều phối các chương trình mục tiêu quốc gia tỉnh để tổng hợp).",
        lead_text=group,
        coordinators=[vpdp],
        deadline="Định kỳ hàng tháng, quý, 06 tháng, 01 năm",
    )
    _task(
        plan,
        s3,
        "Sở Kế hoạch và Đầu tư chủ trì phối hợp với Sở Tài chính, Văn phòng Điều phối"
        " các chương trình mục tiêu quốc gia tỉnh tham mưu xây dựng kế hoạch vốn, phân bổ và"
        " giám sát tình hình thực hiện vốn ngân sách và các nguồn vốn huy động khác thực hiện"
        " xây dựng nông thôn mới và Chương trình mỗi xã một sản phẩm trên địa bàn tỉnh, kiểm"
        " soát không để phát sinh nợ đọng xây dựng cơ bản trong xây dựng nông thôn mới.",
        look.agency("so-khdt"),
        coordinators=[look.agency("so-tai-chinh"), vpdp],
    )
    _task(
        plan,
        s3,
        "Sở Nội vụ phối hợp hướng dẫn các đơn vị kiện toàn Văn phòng Điều phối nông"
        " thôn mới cấp huyện theo quy định hiện hành; tiếp tục đẩy mạnh thực hiện phong trào thi"
        " đua “Đảng bộ, chính quyền và Nhân dân tỉnh Hậu Giang chung sức xây dựng nông thôn mới"
        " giai đoạn 2021 - 2025”.",
        look.agency("so-noi-vu"),
    )
    _task(plan, s3, "Nghiêm túc thực hiện chế độ thông tin báo cáo theo quy định.", lead_text=group)
    s4, districts = "4. UBND huyện, thị xã, thành phố", "UBND huyện, thị xã, thành phố"
    _task(
        plan,
        s4,
        "Căn cứ vào chức năng, nhiệm vụ xây dựng kế hoạch, giải pháp cụ thể để chủ"
        " động triển khai thực hiện; tăng cường kiểm tra, đôn đốc, hướng dẫn các xã triển khai"
        " thực hiện kế hoạch được giao; định kỳ hàng tháng, quý, 06 tháng, 01 năm báo cáo kết"
        " quả thực hiện và đề xuất kịp thời các biện pháp chỉ đạo với Ban Chỉ đạo tỉnh (gửi Văn"
        " phòng Điều phối các chương trình mục tiêu quốc gia tỉnh để tổng hợp).",
        lead_text=districts,
        deadline="Định kỳ hàng tháng, quý, 06 tháng, 01 năm",
    )
    _task(
        plan,
        s4,
        "Chỉ đạo lồng ghép có hiệu quả các Chương trình, dự án; ưu tiên bố trí nguồn"
        " lực, chỉ đạo quyết liệt đối với các xã theo lộ trình về đích năm 2023.",
        lead_text=districts,
    )
    _task(
        plan,
        s4,
        "Đẩy nhanh tiến độ đánh giá, phân loại, xếp hạng sản phẩm OCOP cấp huyện đạt"
        " chỉ tiêu đề ra, đến ngày 01/11/2023, Tỉnh sẽ kết thúc đánh giá, phân hạng sản phẩm"
        " OCOP năm.",
        lead_text=districts,
        deadline="đến ngày 01/11/2023",
    )


def plan_long_my_2020(look: Lookup) -> Plan | None:
    district = look.district("Huyện Long Mỹ")
    plan = _plan(
        district,
        "lm2020",
        body="Ủy ban nhân dân huyện Long Mỹ",
        number="",
        place="Long Mỹ",
        year_from=2020,
        year_to=2020,
        title="Triển khai thực hiện Chương trình Mỗi xã một sản phẩm (Chương trình OCOP) huyện"
        " Long Mỹ năm 2020",
        recipients="TT: Huyện ủy, HĐND, UBND huyện;\nPhòng, ban, ngành, đoàn thể huyện;\nUBND"
        " các xã, thị trấn;\nLưu: VT.",
        signing_authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        solutions_heading="Một số giải pháp trọng tâm",
        resources_heading="Kinh phí thực hiện",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="",
    )
    if plan is None:
        return None
    group = "Mục tiêu cụ thể"
    t = _target
    t(
        plan,
        group,
        "Tập trung chỉ đạo phát triển và hoàn thiện sản phẩm: Bưởi da xanh, Mãng cầu"
        " xiêm (theo danh sách sản phẩm chủ lực được phê duyệt trong đề án tỉnh).",
        "ocop.key_products",
        {"products": "Bưởi da xanh, Mãng cầu xiêm"},
    )
    t(
        plan,
        group,
        "Đồng thời, mỗi đơn vị cấp xã lựa chọn 1-2 sản phẩm đặc trưng thế mạnh của địa"
        " phương để tập trung chỉ đạo phát triển theo hướng phù hợp, ưu tiên phát triển theo chuỗi"
        " giá trị.",
        "ocop.products_per_commune",
        {"min_count": 1, "max_count": 2},
    )
    t(
        plan,
        group,
        "Phát triển các tổ chức kinh tế: Củng cố, kiện toàn các hợp tác xã có sản"
        " phẩm tham gia Chương trình OCOP.",
        "free",
        {},
        note="Chỉ tiêu tự đánh giá: không mô-đun nào ghi việc củng cố, kiện toàn hợp tác xã.",
    )
    t(
        plan,
        group,
        "Đào tạo tập huấn cho 100% cán bộ quản lý Chương trình, lãnh đạo các doanh"
        " nghiệp, hợp tác xã, hộ có đăng ký kinh doanh tham gia Chương trình OCOP.",
        "free",
        {},
        note="Chỉ tiêu tự đánh giá: hệ thống không ghi danh sách người được tập huấn.",
    )
    t(
        plan,
        group,
        "100% đơn vị cấp xã kiện toàn Bộ máy tổ chức OCOP cấp xã và hình thành bộ máy"
        " tham mưu giúp việc chuyên trách OCOP.",
        "statuses.commune_share",
        {"status": "bo-may-ocop-xa", "goal_share": "100"},
    )
    t(
        plan,
        group,
        "Tham gia các Chương trình xúc tiến thương mại và quảng bá thương hiệu sản phẩm OCOP.",
        "free",
        {},
        note="Chỉ tiêu tự đánh giá: hệ thống không ghi các chương trình xúc tiến thương mại.",
    )
    _duties_long_my(plan, look, district)
    # Illustrative: every commune but one set up its OCOP body in 2020.
    communes = list(Unit.objects.subtree(district).communes().order_by("code"))
    for n, commune in enumerate(communes):
        services.record_commune_status(
            None,
            commune,
            "bo-may-ocop-xa",
            2020,
            achieved=n != len(communes) - 1,
            recognised_on=dt.date(2020, 3 + n % 6, 15),
            source="Dữ liệu minh họa",
            illustrative=True,
        )
    return plan


def _duties_long_my(plan: Plan, look: Lookup, district: Unit) -> None:
    def a(code: str) -> Agency:
        return look.agency(code, district)

    nn = a("phong-nnptnt")
    s = "1. Phòng Nông nghiệp & PTNT huyện"
    _task(
        plan,
        s,
        "Chủ trì phối hợp với các cơ quan chuyên môn của huyện tổ chức thực hiện"
        " Chương trình OCOP trên địa bàn.",
        nn,
    )
    _task(
        plan,
        s,
        "Hỗ trợ, hướng dẫn UBND các xã, thị trấn triển khai Kế hoạch thực hiện Chương"
        " trình OCOP ở địa phương; thường xuyên tổ chức kiểm tra, đôn đốc việc tổ chức thực hiện"
        " cho UBND huyện; định kỳ quý, sáu tháng, cả năm tổng hợp báo cáo kết quả thực hiện cho"
        " Thường trực UBND huyện, HĐND huyện và Ban Chỉ đạo các Chương trình mục tiêu quốc gia"
        " tỉnh Hậu Giang giai đoạn 2016-2020.",
        nn,
        deadline="định kỳ quý, sáu tháng, cả năm",
    )
    _task(
        plan,
        s,
        "Phối hợp với các đơn vị có liên quan, tham mưu cho UBND huyện kiện toàn bộ máy"
        " Ban Chỉ đạo huyện, hướng dẫn các địa phương kiện toàn bộ máy Ban Chỉ đạo theo quy"
        " định.",
        nn,
    )
    _task(
        plan,
        s,
        "Lồng ghép các hoạt động của Đề án vào thực hiện Đề án tái cơ cấu ngành nông"
        " nghiệp, các hoạt động khuyến nông; hướng dẫn phát triển kinh tế hộ, kinh tế trang"
        " trại, hợp tác xã nông nghiệp tham gia Chương trình.",
        nn,
    )
    _task(
        plan,
        s,
        "Phối hợp với Phòng Kinh tế và Hạ tầng tổ chức Hội chợ Chương trình OCOP huyện"
        " Long Mỹ; tổ chức tham gia các Hội chợ OCOP trong và ngoài tỉnh để quảng bá, xúc tiến"
        " thương mại sản phẩm OCOP.",
        nn,
        coordinators=[a("phong-ktht")],
    )
    kt = a("phong-ktht")
    s = "2. Phòng Kinh tế và Hạ tầng huyện"
    _task(
        plan,
        s,
        "Chủ trì, phối hợp với các ban, ngành, UBND cấp xã tham gia Hội chợ Chương"
        " trình OCOP tỉnh Hậu Giang thường niên; thực hiện hiệu quả các hoạt động khuyến công,"
        " xúc tiến thương mại các sản phẩm Chương trình OCOP của huyện; hỗ trợ các tổ chức kinh"
        " tế, hộ gia đình đăng ký ý tưởng sản phẩm để sản xuất, kinh doanh;",
        kt,
        coordinators_text="các ban, ngành, UBND cấp xã",
        deadline="Hằng năm",
    )
    _task(
        plan,
        s,
        "Chủ trì, phối hợp với UBND cấp xã để lựa chọn, hỗ trợ các điểm giới thiệu, bán"
        " sản phẩm OCOP.",
        kt,
        coordinators_text="UBND cấp xã",
    )
    _task(
        plan,
        s,
        "Hướng dẫn, hỗ trợ các tổ chức kinh tế phát triển, đăng ký, xác lập quyền sở"
        " hữu trí tuệ; đăng ký mã số, mã vạch; hướng dẫn ghi nhãn hiệu hàng hóa; hỗ trợ các tổ"
        " chức kinh tế, hộ gia đình thiết kế sản phẩm; đẩy mạnh ứng dụng khoa học và công nghệ"
        " trong phát triển sản xuất sản phẩm tham gia Chương trình OCOP.",
        kt,
    )
    _task(
        plan,
        s,
        "Tổng hợp, đề xuất nhiệm vụ khoa học và công nghệ hàng năm liên quan đến phát"
        " triển sản phẩm OCOP.",
        kt,
        deadline="Hàng năm",
    )
    _task(
        plan,
        "3. Phòng Tài nguyên và Môi trường huyện",
        "Chủ trì, phối hợp với UBND cấp xã"
        " hướng dẫn các cơ sở sản xuất, kinh doanh dịch vụ thực hiện các thủ tục môi trường."
        " Đồng thời, chủ trì thực hiện hoặc tham gia phối hợp kiểm tra, giám sát việc thực hiện"
        " các quy định của pháp luật về lĩnh vực môi trường.",
        a("phong-tnmt"),
        coordinators_text="UBND cấp xã",
    )
    _task(
        plan,
        "4. Phòng Y tế huyện",
        "Chủ trì, phối hợp với UBND các địa phương và các cơ quan"
        " có liên quan hướng dẫn hỗ trợ các đơn vị sản xuất hoàn thiện hồ sơ và làm thủ tục công"
        " bố hợp chuẩn, hợp quy sản phẩm an toàn vệ sinh thực phẩm, đảm bảo các quy định hiện"
        " hành trước khi đưa sản phẩm lưu thông trên thị trường.",
        a("phong-y-te"),
        coordinators_text="UBND các địa phương và các cơ quan có liên quan",
    )
    _task(
        plan,
        "5. Phòng Lao động thương binh và Xã hội huyện",
        "Chủ trì xây dựng kế hoạch mở"
        " lớp đào tạo, tập huấn nghiệp vụ cho đội ngũ cán bộ quản lý của các tổ chức kinh tế và"
        " đào tạo nghề cho lao động nông thôn tham gia sản xuất các sản phẩm OCOP, kinh phí từ"
        " chương trình đào tạo nghề cho lao động nông thôn.",
        a("phong-ldtbxh"),
    )
    tc = a("phong-tckh")
    s = "6. Phòng Tài chính - Kế hoạch huyện"
    _task(
        plan,
        s,
        "Phối hợp cùng với các đơn vị có liên quan thực hiện theo chức năng, nhiệm vụ"
        " của Chương trình OCOP đúng quy định.",
        tc,
    )
    _task(
        plan,
        s,
        "Hướng dẫn, quản lý, sử dụng, thanh quyết toán, kinh phí hỗ trợ từ ngân sách"
        " nhà nước để thực hiện chương trình OCOP.",
        tc,
    )
    _task(
        plan,
        "7. Phòng Văn hóa và Thông tin huyện",
        "Chủ trì, phối hợp với các ban, ngành, đơn"
        " vị liên quan và UBND cấp xã đẩy mạnh công tác thông tin, tuyên truyền về mục đích, ý"
        " nghĩa của Đề án “Chương trình quốc gia OCOP” cho cán bộ, nhân dân trong huyện biết và"
        " hưởng ứng thực hiện.",
        a("phong-vhtt"),
        coordinators_text="các ban, ngành, đơn vị liên quan và UBND cấp xã",
    )
    _task(
        plan,
        "8. Đài Truyền thanh huyện",
        "Chủ trì, phối hợp với các đơn vị liên quan xây dựng"
        " chuyên mục, chuyên đề về Chương trình OCOP của huyện và tăng thời lượng tuyên truyền"
        " về Chương trình OCOP huyện Long Mỹ; chuyên mục mỗi xã, một sản phẩm; thường xuyên đăng"
        " tải các tin, bài, nêu gương tập thể, cá nhân điển hình trong thực hiện Chương trình"
        " OCOP.",
        a("dai-truyen-thanh"),
        deadline="Thường xuyên",
    )
    _task(
        plan,
        "9. Các ban, ngành liên quan",
        "Trên cơ sở chức năng nhiệm vụ của ngành thực hiện"
        " lồng ghép các hoạt động để phục vụ Chương trình OCOP; hỗ trợ sản xuất sản phẩm truyền"
        " thống, đặc sản của địa phương góp phần nâng cao thu nhập cho các tổ chức kinh tế và"
        " người dân trên địa bàn toàn huyện.",
        lead_text="Các ban, ngành liên quan",
    )
    _task(
        plan,
        "10. Các tổ chức chính trị - xã hội",
        "Tổ chức các hoạt động tuyên truyền, vận"
        " động đoàn viên, hội viên, thành viên tích cực tham gia Chương trình OCOP, chủ động"
        " tham gia vào các chuỗi giá trị hình thành trong quá trình thực hiện Chương trình"
        " OCOP.",
        lead_text="Các tổ chức chính trị - xã hội",
    )
    s, xa = "11. Ủy ban nhân dân các xã, thị trấn", "Ủy ban nhân dân các xã, thị trấn"
    _task(
        plan,
        s,
        "Căn cứ vào Kế hoạch triển khai thực hiện Chương trình Mỗi xã một sản phẩm"
        " (OCOP) huyện Long Mỹ năm 2020, từng địa phương căn cứ vào điều kiện, thế mạnh sản"
        " phẩm để xây dựng Kế hoạch triển khai thực hiện Chương trình OCOP theo hướng có trọng"
        " tâm, trọng điểm. Trong đó, ưu tiên phát triển các nhóm sản phẩm chủ lực, có lợi thế và"
        " định kỳ hàng năm tổ chức đánh giá, xếp loại sản phẩm cấp xã để chọn sản phẩm dự thi"
        " đánh giá và xếp hạng sản phẩm huyện, cấp tỉnh.",
        lead_text=xa,
        deadline="định kỳ hàng năm",
    )
    _task(
        plan,
        s,
        "Huy động các nguồn lực thực hiện Chương trình OCOP trên địa bàn; tăng cường"
        " tuyên truyền, vận động, khuyến khích các thành phần kinh tế, hộ gia đình tham gia"
        " Chương trình OCOP; tăng cường công tác kiểm tra, giám sát địa bàn để xử lý kịp thời"
        " những vấn đề phát sinh trong quá trình thực hiện và hỗ trợ các tổ chức kinh tế, cơ sở,"
        " hộ gia đình sản xuất sản phẩm OCOP; tích cực thực hiện công tác xúc tiến thương mại"
        " các sản phẩm OCOP.",
        lead_text=xa,
    )
    _task(
        plan,
        s,
        "Bố trí, nguồn kinh phí địa phương và lồng ghép kinh phí từ ngân sách Trung"
        " ương phân bổ cho địa phương trong Chương trình mục tiêu quốc gia xây dựng nông thôn"
        " mới và các chương trình, dự án khác để hỗ trợ triển khai Chương trình OCOP; đồng thời,"
        " tăng cường huy động các nguồn lực xã hội hóa để đa dạng hóa kinh phí triển khai"
        " Chương trình OCOP trên địa bàn.",
        lead_text=xa,
    )
    _task(
        plan,
        s,
        "Thường xuyên tổ chức kiểm tra, giám sát, đánh giá, kết quả triển khai Chương"
        " trình OCOP trên địa bàn; thực hiện nghiêm túc chế độ thông tin, báo cáo định kỳ, đột"
        " xuất về phòng Nông nghiệp & PTNT huyện.",
        lead_text=xa,
        deadline="Thường xuyên",
    )


def directive_2023(look: Lookup) -> Directive | None:
    """Illustrative: a conclusion notice after the mid-year review, tasks for departments."""
    hg = look.province
    title = "Kết luận của Trưởng Ban Chỉ đạo tại cuộc họp sơ kết 6 tháng đầu năm 2023 (minh họa)"
    if Directive.objects.filter(unit=hg, title=title).exists():
        return None
    directive = services.create_directive(
        None,
        hg,
        kind=DirectiveKind.CONCLUSION,
        body="Ban Chỉ đạo các chương trình mục tiêu quốc gia giai đoạn 2021-2025 tỉnh Hậu Giang",
        number="",
        issued_on=dt.date(2023, 7, 20),
        title=title,
        summary="Văn bản minh họa để trình diễn theo dõi nhiệm vụ; không phải văn bản thật.",
        illustrative=True,
    )
    rows = [
        # (agency, content, deadline, done_on or None, note)
        (
            "so-nnptnt",
            "Thẩm định hồ sơ đề nghị công nhận xã đạt chuẩn nông thôn mới của xã Vị Bình.",
            "31/08/2023",
            dt.date(2023, 8, 25),
        ),
        (
            "so-tai-chinh",
            "Tham mưu phân bổ vốn sự nghiệp Chương trình năm 2023 cho các huyện.",
            "15/09/2023",
            dt.date(2023, 10, 2),
        ),
        ("so-xay-dung", "Hướng dẫn các xã hoàn thiện tiêu chí nhà ở dân cư.", "Quý III/2023", None),
        (
            "so-cong-thuong",
            "Hoàn thiện hồ sơ 3 sản phẩm OCOP đề nghị đánh giá cấp quốc gia.",
            "01/11/2023",
            None,
        ),
        (
            "vpdp-ntm",
            "Tổng hợp báo cáo kết quả thực hiện 9 tháng năm 2023.",
            "tháng 10/2023",
            dt.date(2023, 10, 12),
        ),
        (
            "so-y-te",
            "Báo cáo tỷ lệ người dân tham gia bảo hiểm y tế tại các xã phấn đấu đạt chuẩn.",
            "Hàng tháng trước ngày 20",
            None,
        ),
        (
            "so-noi-vu",
            "Tham mưu kiện toàn thành viên Ban Chỉ đạo.",
            "Khi có thay đổi thành viên",
            None,
        ),
        (
            "so-tttt",
            "Tuyên truyền các mô hình xây dựng nông thôn mới tiêu biểu.",
            "Thường xuyên",
            None,
        ),
        (
            "so-gddt",
            "Khảo sát cơ sở vật chất trường học tại các xã phấn đấu đạt chuẩn năm 2023.",
            "30/09/2023",
            None,
        ),
    ]
    # One task dropped by a later decision: it leaves the overdue lists, counted apart.
    cancelled = {
        "so-gddt": (
            dt.date(2023, 9, 5),
            "Đã giao tại Kế hoạch năm 2023 của Sở Giáo dục và Đào tạo; không theo dõi trùng"
            " (minh họa).",
        )
    }
    for code, content, deadline, done_on in rows:
        task = _task(
            directive, "", content, look.agency(code), deadline=deadline, illustrative=True
        )
        if done_on:
            services.add_progress_note(
                None, task, text="Đã hoàn thành (minh họa).", written_on=done_on, completes=True
            )
        if code in cancelled:
            day, reason = cancelled[code]
            services.cancel_task(None, task, task.version, reason=reason, on=day)
        if code == "so-y-te":
            for due, written in (
                (dt.date(2023, 7, 20), dt.date(2023, 7, 18)),
                (dt.date(2023, 8, 20), dt.date(2023, 8, 24)),
            ):
                services.add_progress_note(
                    None,
                    task,
                    text="Đã gửi báo cáo tháng (minh họa).",
                    written_on=written,
                    completes=True,
                    occurrence_due=due,
                )
    return directive


def build(say: Callable[[str], None]) -> None:
    province = _province()
    create_default_agencies(province)
    services.load_status_kinds()
    look = Lookup(province)
    made = [p for p in (plan_2022(look), plan_2023(look), plan_long_my_2020(look)) if p]
    directive = directive_2023(look)
    say(
        f"Kế hoạch mẫu (seeds 000, 001, 004): {len(made)} mới"
        f"{'; thông báo kết luận minh họa' if directive else ''}"
    )
