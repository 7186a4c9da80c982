"""Recognition decisions and titles from each commune's trajectory: NTM in the year it reaches
the standard (before 2021: under the 2016-2020 set, so no evaluation behind it), nâng cao and
kiểu mẫu for a share of the early ones. One decision per province, tier and year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from nongthon.bulk_insert import insert_rows, reserve_ids
from nongthon.catalogue.models import CriteriaSet, SetStatus, Tier
from nongthon.demo.national import shape
from nongthon.demo.national.assessment import CommunePath, Period, rng_for
from nongthon.places.models import Unit
from nongthon.recognition.models import Decision, DecisionKind, Title, TitleStatus

LABEL = {Tier.NTM: "nông thôn mới", Tier.NANG_CAO: "nông thôn mới nâng cao"}
LABEL[Tier.KIEU_MAU] = "nông thôn mới kiểu mẫu"
EARLIER = "Công nhận theo bộ tiêu chí giai đoạn 2016-2020 (dữ liệu minh họa)"


def _set_id(code: str) -> int | None:
    found = CriteriaSet.objects.filter(code=code, status=SetStatus.ACTIVE).first()
    return found.pk if found else None


def build_titles(province: Unit, period: Period, communes: list[CommunePath], seed: int) -> int:
    held = set(
        Title.objects.filter(unit_id__in=[c.unit_id for c in communes]).values_list(
            "unit_id", "tier"
        )
    )
    sets = {Tier.NTM: _set_id(period.set_code)}
    if period.set_code == "qd318-xa-ntm":
        sets[Tier.NANG_CAO] = _set_id("qd318-xa-nang-cao")
        sets[Tier.KIEU_MAU] = _set_id("qd319-xa-kieu-mau")
    last = period.years[-1]
    wanted: list[tuple[int, str, int]] = []  # (unit, tier, year)
    for c in communes:
        reach = c.trajectory.reach
        if reach is None or reach > last:
            continue
        if not period.earlier:
            reach = max(reach, period.years[0])
        wanted.append((c.unit_id, Tier.NTM, reach))
        if Tier.NANG_CAO not in sets or reach > 2022:
            continue
        rng = rng_for(seed, "titles", c.code)
        if rng.random() >= shape.NANG_CAO_SHARE:
            continue
        nang_cao = max(reach + 2, 2021) + rng.randrange(0, 3)
        if nang_cao > last:
            continue
        wanted.append((c.unit_id, Tier.NANG_CAO, nang_cao))
        if nang_cao < last and rng.random() < shape.KIEU_MAU_SHARE:
            wanted.append((c.unit_id, Tier.KIEU_MAU, nang_cao + 1 + rng.randrange(last - nang_cao)))
    wanted = [w for w in wanted if (w[0], w[1]) not in held]
    by_decision: dict[tuple[str, int], list[int]] = defaultdict(list)
    for unit_id, tier, year in wanted:
        by_decision[(tier, year)].append(unit_id)
    keys = sorted(by_decision)
    ids = reserve_ids(Decision, len(keys))
    now = dt.datetime.now(dt.UTC)
    decisions, titles = [], []
    for pk, (tier, year) in zip(ids, keys, strict=True):
        units = by_decision[(tier, year)]
        decisions.append(
            (
                pk,
                DecisionKind.RECOGNITION,
                f"{pk % 9000 + 100}/QĐ-UBND",
                dt.date(year, 12, 20),
                "Chủ tịch UBND tỉnh (minh họa)",
                f"UBND {province.name}",
                f"Công nhận {len(units)} xã đạt chuẩn {LABEL[tier]} năm {year} (dữ liệu minh họa)",
                province.pk,
                True,
                now,
                1,
            )
        )
        in_period = year >= period.years[0]
        for unit_id in units:
            titles.append(
                (
                    unit_id,
                    tier,
                    year,
                    pk,
                    sets.get(tier) if in_period else None,
                    "" if in_period else EARLIER,
                    TitleStatus.ACTIVE,
                    "",
                    True,
                    1,
                )
            )
    insert_rows(
        Decision,
        (
            "id",
            "kind",
            "number",
            "date",
            "signer",
            "issuer",
            "summary",
            "province_id",
            "illustrative",
            "created_at",
            "version",
        ),
        decisions,
    )
    return insert_rows(
        Title,
        (
            "unit_id",
            "tier",
            "year",
            "decision_id",
            "criteria_set_id",
            "basis_note",
            "status",
            "end_reason",
            "illustrative",
            "version",
        ),
        titles,
    )
