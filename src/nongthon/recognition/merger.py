"""Which old titles a merged unit may inherit (the 2025 reform, and earlier mergers).

The rule (CV 267/BNN-VPĐP, 09/01/2024; rules.yaml `merger`): when every old unit that formed the
new one was recognised at a tier, the province recognises the new unit at that tier; when they are
mixed, the new unit applies again under QĐ 18/2022. Nothing is copied automatically: the province
records the decision (services.record_merger_decision).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nongthon.catalogue.models import Tier
from nongthon.places.models import LEGACY_LAST_DAY, Succession, Unit
from nongthon.recognition.models import Title, TitleStatus


@dataclass
class InheritanceRow:
    tier: str
    parts: list[Unit]
    titles: list[Title] = field(default_factory=list)
    without: list[Unit] = field(default_factory=list)
    decided: Title | None = None

    @property
    def all_recognised(self) -> bool:
        return bool(self.parts) and not self.without

    @property
    def tier_label(self) -> str:
        return str(Tier(self.tier).label)


def last_day_before(unit: Unit) -> dt.date:
    """The old units' last day: the day before the new unit took effect."""
    return unit.valid_from - dt.timedelta(days=1) if unit.valid_from else LEGACY_LAST_DAY


def predecessors(unit: Unit) -> list[Unit]:
    return [
        s.predecessor
        for s in Succession.objects.filter(successor=unit)
        .select_related("predecessor")
        .order_by("predecessor__code")
    ]


def inheritance(unit: Unit) -> list[InheritanceRow]:
    """For each tier some old part held on its last day: who held it, who did not."""
    parts = predecessors(unit)
    if not parts:
        return []
    day = last_day_before(unit)
    held = [
        t
        for t in Title.objects.filter(unit__in=parts, decision__date__lte=day)
        .select_related("unit", "decision")
        .order_by("unit__code")
        if t.ended_on is None or t.ended_on > day or t.status == TitleStatus.MERGED
    ]
    decided = {
        t.tier: t for t in Title.objects.filter(unit=unit, inherited_from__isnull=False).distinct()
    }
    rows = []
    for tier in Tier.values:
        titles = [t for t in held if t.tier == tier]
        if not titles and tier not in decided:
            continue
        holders = {t.unit_id for t in titles}
        rows.append(
            InheritanceRow(
                tier=tier,
                parts=parts,
                titles=titles,
                without=[p for p in parts if p.pk not in holders],
                decided=decided.get(tier),
            )
        )
    return rows


def merged_units(province: Unit) -> list[tuple[Unit, list[InheritanceRow]]]:
    """Every unit of a (new) province formed from old units, with its inheritance rows."""
    successors = (
        Unit.objects.subtree(province)
        .filter(successions_in__isnull=False)
        .distinct()
        .order_by("code")
    )
    return [(u, inheritance(u)) for u in successors]
