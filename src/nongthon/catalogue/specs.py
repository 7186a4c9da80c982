"""Turn a stored set version into the engine's plain spec (cached: versions never change)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from nongthon.catalogue.engine import (
    Comparator,
    CriterionSpec,
    IndicatorSpec,
    Kind,
    RegionOverride,
    SetSpec,
    ThresholdSpec,
)
from nongthon.catalogue.models import CriteriaSet, Criterion, Indicator


def spec_for(criteria_set: CriteriaSet) -> SetSpec:
    # The hash is part of the key: a never-used version may be replaced in place.
    return _spec(criteria_set.pk, criteria_set.content_hash)


@lru_cache(maxsize=256)
def _spec(pk: int, content_hash: str) -> SetSpec:
    s = CriteriaSet.objects.get(pk=pk)
    indicators = Indicator.objects.filter(criterion__criteria_set=s).prefetch_related("thresholds")
    by_criterion: dict[int, list[IndicatorSpec]] = {}
    for i in indicators.order_by("order", "code"):
        by_criterion.setdefault(i.criterion_id, []).append(_indicator(i))
    criteria = tuple(
        CriterionSpec(
            number=c.number,
            name=c.name,
            indicators=tuple(by_criterion.get(c.pk, [])),
            min_met=c.min_met,
            is_key=c.is_key,
        )
        for c in Criterion.objects.filter(criteria_set=s).order_by("number")
    )
    overrides = tuple(
        RegionOverride(
            flags=frozenset(r["flags"]),
            region=r["region"],
            since=dt.date.fromisoformat(r["since"]),
            source=r.get("source", ""),
        )
        for r in s.region_overrides
    )
    return SetSpec(s.code, s.version, s.basis, criteria, overrides)


def _indicator(i: Indicator) -> IndicatorSpec:
    thresholds = tuple(
        ThresholdSpec(
            comparator=Comparator(t.comparator),
            value=(
                tuple(t.categories)
                if t.comparator == Comparator.IN
                else None
                if t.comparator == Comparator.YES
                else t.value
            ),
            region=t.region or None,
            group=t.commune_group,
            year=t.year,
            source=t.source,
        )
        for t in i.thresholds.all()
    )
    return IndicatorSpec(i.code, i.name, Kind(i.kind), i.unit_of_measure, thresholds)
