"""Illustrative titles, applications and a revocation review for Hậu Giang, consistent with the
seed plans (shared/seeds/001: plan 2022; 000: plan 2023) and with the demo evaluations of
demo/assessment_data.py.

What the seeds fix:
- start of 2022: 35 xã NTM (the 35 that assessment_data makes meet 19/19 from 2021) and 5 nâng
  cao (the 2022 plan: "4 more, bringing the total to 9");
- 2022: Tân Phú, Hiệp Hưng NTM; Long Trị A, Thuận Hưng nâng cao (Vị Tân and Nhơn Nghĩa A, also
  2022 targets, reappear in the 2023 plan, so they were not reached) → 37/51 NTM, 7 nâng cao;
- 2023: Phú Hữu, Phú Tân, Vị Bình NTM; Vị Tân, Nhơn Nghĩa A, Vị Thanh, Đông Phước A, Phương Phú
  nâng cao (total 12); Thạnh Xuân, Đại Thành, Hỏa Tiến kiểu mẫu.
Made up (illustrative, marked in the UI): which 5 xã held nâng cao before 2022 (the three later
kiểu mẫu xã must hold it, plus Tân Phú Thạnh and Vị Thủy), decision numbers and dates, the
nâng cao and kiểu mẫu values, the applications in progress and the survey results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from nongthon.assessment.evaluation import recompute
from nongthon.assessment.models import Evaluation, IndicatorValue
from nongthon.catalogue.models import CriteriaSet, Tier
from nongthon.catalogue.services import active_set
from nongthon.catalogue.specs import spec_for
from nongthon.demo.assessment_data import MET, YEARS, _value, hau_giang_xa
from nongthon.places.models import Edition, Level, Unit
from nongthon.recognition import services
from nongthon.recognition.models import Application, Decision, DecisionKind, Title
from nongthon.recognition.rules import procedure

LEGACY_NANG_CAO = ("Thạnh Xuân", "Đại Thành", "Hỏa Tiến", "Tân Phú Thạnh", "Vị Thủy")
# Falls to 13/19 nâng cao criteria in 2023, income among them: listed "đề xuất thu hồi".
FLAGGED = "Tân Phú Thạnh"
GRANTED: dict[int, dict[str, tuple[str, ...]]] = {
    2022: {Tier.NTM: ("Tân Phú", "Hiệp Hưng"), Tier.NANG_CAO: ("Long Trị A", "Thuận Hưng")},
    2023: {
        Tier.NTM: ("Phú Hữu", "Phú Tân", "Vị Bình"),
        Tier.NANG_CAO: ("Vị Tân", "Nhơn Nghĩa A", "Vị Thanh", "Đông Phước A", "Phương Phú"),
        Tier.KIEU_MAU: ("Thạnh Xuân", "Đại Thành", "Hỏa Tiến"),
    },
}
# Nâng cao criteria met in 2021, 2022, 2023 (the set has 19; key ones fail first).
NANG_CAO_MET: dict[str, tuple[int, int, int]] = {
    **dict.fromkeys(LEGACY_NANG_CAO, (19, 19, 19)),
    FLAGGED: (19, 19, 13),
    "Long Trị A": (17, 19, 19),
    "Thuận Hưng": (17, 19, 19),
    **dict.fromkeys(("Vị Tân", "Nhơn Nghĩa A"), (16, 18, 19)),
    **dict.fromkeys(("Vị Thanh", "Đông Phước A", "Phương Phú"), (16, 17, 19)),
    **dict.fromkeys(("Vĩnh Thuận Đông", "Tân Tiến"), (15, 17, 18)),
}
NANG_CAO_FAILING = (10, 17, 11, 2, 6, 13, 5, 12)
KIEU_MAU_MET: dict[str, tuple[int, int, int]] = {
    "Thạnh Xuân": (3, 3, 4),
    "Đại Thành": (3, 3, 4),
    "Hỏa Tiến": (3, 3, 4),
}
KIEU_MAU_FAILING = (3,)
# One application in progress at each step (year 2023): commune, tier, step reached.
IN_PROGRESS: tuple[tuple[str, str, str], ...] = (
    ("Hòa An", Tier.NTM, "self_report"),
    ("Long Bình", Tier.NTM, "front_comments"),
    ("Lương Nghĩa", Tier.NTM, "public_posting"),
    ("Vĩnh Viễn A", Tier.NTM, "satisfaction"),
    ("Vị Đông", Tier.NTM, "district_check"),  # returned once, resubmitted
    ("Tân Tiến", Tier.NANG_CAO, "province_appraisal"),
    ("Vĩnh Thuận Đông", Tier.NANG_CAO, "council"),
    ("Tân Bình", Tier.NTM, "decision"),  # 18/19: the decision is refused, naming criterion 17
)
SIGNER = "Chủ tịch UBND tỉnh Hậu Giang (minh họa)"
ISSUER = "UBND tỉnh Hậu Giang"
NOTE = "Dữ liệu minh họa"


def _values(criteria_set: CriteriaSet, met: dict, failing_order: tuple, communes) -> int:
    spec = spec_for(criteria_set)
    total = len(spec.criteria)
    rows = []
    chosen = [c for c in communes if c.short_name in met]
    IndicatorValue.objects.filter(
        unit__in=chosen, family=criteria_set.family, year__in=YEARS
    ).delete()
    for commune in chosen:
        for year in YEARS:
            failing = set(failing_order[: total - met[commune.short_name][YEARS.index(year)]])
            for criterion in spec.criteria:
                for position, indicator in enumerate(criterion.indicators):
                    passing = not (criterion.number in failing and position == 0)
                    rows.append(
                        IndicatorValue(
                            unit=commune,
                            year=year,
                            family=criteria_set.family,
                            indicator_code=indicator.code,
                            illustrative=True,
                            **_value(indicator, passing, "DBSCL", year),
                        )
                    )
    bulk_create_with_history(rows, IndicatorValue, batch_size=2000)
    recompute(criteria_set, chosen, YEARS)
    return len(rows)


def _decision(province: Unit, kind: str, number: str, day: dt.date, summary: str) -> Decision:
    return Decision.objects.create(
        kind=kind,
        number=number,
        date=day,
        signer=SIGNER,
        issuer=ISSUER,
        summary=summary,
        province=province,
        illustrative=True,
    )


def _legacy_titles(province: Unit, by_name: dict[str, Unit], sets: dict[str, CriteriaSet]) -> int:
    """Titles granted before 2022 under the 2016-2020 sets (QĐ 1980/QĐ-TTg; nâng cao QĐ 691)."""
    legacy_ntm = sorted((u for name, u in by_name.items() if name not in MET), key=lambda u: u.code)
    decisions = {
        year: _decision(
            province,
            DecisionKind.RECOGNITION,
            f"{2400 + year - 2015}/QĐ-UBND",
            dt.date(year, 12, 15),
            f"Công nhận xã đạt chuẩn nông thôn mới năm {year}",
        )
        for year in range(2015, 2022)
    }
    count = 0
    for index, unit in enumerate(legacy_ntm):
        year = 2015 + index % 7
        review = Evaluation.objects.get(unit=unit, year=2021, criteria_set=sets[Tier.NTM])
        services.record_existing_title(
            None,
            unit,
            Tier.NTM,
            decisions[year],
            basis_note="Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2016-2020 "
            "(QĐ 1980/QĐ-TTg)",
            review=review,
            illustrative=True,
        )
        count += 1
    advanced = _decision(
        province,
        DecisionKind.RECOGNITION,
        "2510/QĐ-UBND",
        dt.date(2021, 12, 20),
        "Công nhận xã đạt chuẩn nông thôn mới nâng cao năm 2021",
    )
    for name in LEGACY_NANG_CAO:
        unit = by_name[name]
        review = Evaluation.objects.get(unit=unit, year=2021, criteria_set=sets[Tier.NANG_CAO])
        services.record_existing_title(
            None,
            unit,
            Tier.NANG_CAO,
            advanced,
            basis_note="Bộ tiêu chí xã nông thôn mới nâng cao giai đoạn 2018-2020 "
            "(quy định của tỉnh theo QĐ 691/QĐ-TTg)",
            review=review,
            illustrative=True,
        )
        count += 1
    return count


def _walk(application: Application, until: str, start: dt.date) -> Application:
    """Complete the steps before `until` with illustrative dates and condition data."""
    proc = procedure(application.procedure)
    day = start
    for config in proc.steps:
        if config.code == until:
            break
        day += dt.timedelta(days=config.within_days or 10)
        if config.code == "satisfaction":
            application = services.record_satisfaction(
                None,
                application,
                percent=Decimal("92.5"),
                meets=True,
                note="Kết quả lấy ý kiến của MTTQ xã (minh họa)",
                expected_version=None,
            )
        services.add_document(
            None,
            application,
            name=f"{config.name} ({NOTE.lower()})",
            number=f"{application.pk:02d}/{config.code}",
            date=day,
            step=config.code,
        )
        application = services.complete_step(
            None,
            application,
            expected_version=None,
            done_on=day,
            note=NOTE,
            posting_count=config.min_postings,
            posting_days=config.within_days,
        )
    if proc.index(until) > proc.index("satisfaction"):
        application = services.record_security(
            None,
            application,
            confirmed=True,
            basis="Văn bản xác nhận của Công an tỉnh (minh họa)",
            expected_version=None,
        )
        application = services.record_manual_debt(
            None,
            application,
            amount=Decimal(0),
            basis="Báo cáo nợ đọng XDCB của huyện (minh họa)",
            expected_version=None,
        )
    return application


def _granted(province: Unit, by_name: dict[str, Unit]) -> int:
    count = 0
    for year, tiers in GRANTED.items():
        decision = _decision(
            province,
            DecisionKind.RECOGNITION,
            f"{2600 + year - 2022}/QĐ-UBND",
            dt.date(year, 12, 20),
            f"Công nhận xã đạt chuẩn nông thôn mới, nâng cao, kiểu mẫu năm {year}",
        )
        for tier, names in tiers.items():
            for name in names:
                app = services.register(
                    None, by_name[name], tier, year, on=dt.date(year, 8, 15), illustrative=True
                )
                app = _walk(app, "decision", dt.date(year, 8, 15))
                services.decide(
                    None,
                    app,
                    services.DecisionData(decision.number, decision.date, SIGNER, ISSUER),
                    expected_version=None,
                    decision=decision,
                )
                count += 1
    return count


def _in_progress(by_name: dict[str, Unit]) -> int:
    for name, tier, step in IN_PROGRESS:
        app = services.register(
            None, by_name[name], tier, 2023, on=dt.date(2023, 9, 1), illustrative=True
        )
        if name == "Vị Đông":
            app = _walk(app, "district_check", dt.date(2023, 9, 1))
            app = services.return_application(
                None,
                app,
                to_step="public_posting",
                reason="Biên bản công khai chỉ ghi 4 lần trên đài truyền thanh (minh họa)",
                expected_version=None,
                on=dt.date(2023, 10, 30),
            )
            start = dt.date(2023, 11, 1)
            app = services.resubmit(
                None, app, note="Đã công khai bổ sung (minh họa)", expected_version=None, on=start
            )
            for code in ("public_posting", "satisfaction"):
                config = procedure(app.procedure).step(code)
                start += dt.timedelta(days=config.within_days or 10)
                app = services.complete_step(
                    None,
                    app,
                    expected_version=None,
                    done_on=start,
                    note=NOTE,
                    posting_count=config.min_postings,
                    posting_days=config.within_days,
                )
        else:
            _walk(app, step, dt.date(2023, 9, 1))
    return len(IN_PROGRESS)


def _merger(say: Callable[[str], None]) -> None:
    """Record one illustrative merger decision in TP Cần Thơ (2025) where every old xã that
    formed the new one held NTM; the others stay "must apply again"."""
    from nongthon.recognition.merger import merged_units

    can_tho = Unit.objects.get(edition=Edition.Y2025, level=Level.PROVINCE, code="92")
    for unit, rows in merged_units(can_tho):
        row = next((r for r in rows if r.tier == Tier.NTM and r.all_recognised), None)
        if row is not None and len(row.parts) > 1:
            services.record_merger_decision(
                None,
                unit,
                Tier.NTM,
                services.DecisionData(
                    "1850/QĐ-UBND",
                    dt.date(2025, 9, 15),
                    "Chủ tịch UBND TP Cần Thơ (minh họa)",
                    "UBND thành phố Cần Thơ",
                    f"Công nhận {unit.name} đạt chuẩn nông thôn mới sau sắp xếp",
                ),
                illustrative=True,
            )
            say(f"Quyết định kế thừa danh hiệu (minh họa): {unit.name}")
            return


def build_recognition(say: Callable[[str], None]) -> None:
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    if Title.objects.filter(unit__province=province).exists():
        say("Danh hiệu đạt chuẩn: đã có, bỏ qua")
        return
    communes = hau_giang_xa()
    by_name = {u.short_name: u for u in communes}
    sets = {
        Tier.NTM: active_set("qd318-xa-ntm"),
        Tier.NANG_CAO: active_set("qd318-xa-nang-cao"),
        Tier.KIEU_MAU: active_set("qd319-xa-kieu-mau"),
    }
    _values(sets[Tier.NANG_CAO], NANG_CAO_MET, NANG_CAO_FAILING, communes)
    _values(sets[Tier.KIEU_MAU], KIEU_MAU_MET, KIEU_MAU_FAILING, communes)
    legacy = _legacy_titles(province, by_name, sets)
    granted = _granted(province, by_name)
    progress = _in_progress(by_name)
    say(
        f"Danh hiệu (minh họa): {legacy} trước 2022, {granted} công nhận 2022-2023; "
        f"{progress} hồ sơ đang xét"
    )
    _merger(say)
