"""Store the engine's verdicts per unit, year and set version, recomputed when inputs change.

Pages read stored evaluations; they never run the engine. A value change recomputes its unit
and year; a new set version recomputes the units that set governs. Everything is batched so a
province (or the country) is a handful of queries, not one per commune.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from nongthon.assessment.models import CriterionResult, Evaluation, IndicatorValue, UnitProfile
from nongthon.catalogue.engine import SetResult, UnitFacts, ValueIn, evaluate
from nongthon.catalogue.models import CriteriaSet, SetStatus
from nongthon.catalogue.specs import spec_for
from nongthon.places.models import Level, Region, Unit


def applicable_sets(unit: Unit, year: int) -> list[CriteriaSet]:
    """Active sets of the unit's level for the year: national ones and its province's own."""
    province_id = unit.pk if unit.level == Level.PROVINCE else unit.province_id
    return list(
        CriteriaSet.objects.filter(
            status=SetStatus.ACTIVE, level=unit.level, period_from__lte=year, period_to__gte=year
        )
        .filter(Q(province__isnull=True) | Q(province_id=province_id))
        .order_by("family", "province_id")
    )


def value_in(v: IndicatorValue) -> ValueIn:
    if v.value_bool is not None:
        value: Decimal | bool | str | None = v.value_bool
    elif v.value_number is not None:
        value = v.value_number
    else:
        value = v.value_text or None
    return ValueIn(value=value, hand_verdict=v.hand_verdict, hand_reason=v.hand_reason)


def result_json(result: SetResult) -> dict:
    return {
        "effective_region": result.effective_region,
        "region_reason": result.region_reason,
        "criteria": [
            {
                "number": c.number,
                "name": c.name,
                "status": str(c.status),
                "reason": c.reason,
                "is_key": c.is_key,
                "indicators": [
                    {
                        "code": i.code,
                        "status": str(i.status),
                        "reason": i.reason,
                        "by_hand": i.by_hand,
                        "threshold": (
                            {
                                k: str(v) if v is not None else None
                                for k, v in asdict(i.threshold).items()
                            }
                            if i.threshold
                            else None
                        ),
                    }
                    for i in c.indicators
                ],
            }
            for c in result.criteria
        ],
    }


def _region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


def recompute(
    criteria_set: CriteriaSet,
    units: Iterable[Unit],
    years: Iterable[int],
    only_with_values: bool = False,
) -> int:
    """Evaluate `criteria_set` for every (unit, year) (with `only_with_values`, only the pairs
    that have values); returns how many evaluations were stored."""
    units = list(units)
    years = [y for y in years if criteria_set.covers_year(y)]
    if not units or not years:
        return 0
    spec = spec_for(criteria_set)
    unit_ids = [u.pk for u in units]
    values: dict[tuple[int, int], dict[str, ValueIn]] = defaultdict(dict)
    for v in IndicatorValue.objects.filter(
        unit_id__in=unit_ids, year__in=years, family=criteria_set.family
    ).iterator(chunk_size=5000):
        values[(v.unit_id, v.year)][v.indicator_code] = value_in(v)
    profiles = {
        (p.unit_id, p.year): p
        for p in UnitProfile.objects.filter(unit_id__in=unit_ids, year__in=years)
    }
    regions = _province_regions(units)
    names = _region_names()
    rows: list[Evaluation] = []
    results: list[tuple[tuple[int, int], SetResult]] = []
    for unit in units:
        for year in years:
            if only_with_values and (unit.pk, year) not in values:
                continue
            profile = profiles.get((unit.pk, year))
            facts = UnitFacts(
                year=year,
                region=regions.get(unit.pk),
                group=profile.commune_group if profile else None,
                flags=frozenset(profile.flags) if profile else frozenset(),
                region_names=names,
            )
            result = evaluate(spec, facts, values.get((unit.pk, year), {}))
            results.append(((unit.pk, year), result))
            rows.append(
                Evaluation(
                    unit_id=unit.pk,
                    year=year,
                    criteria_set=criteria_set,
                    met_count=result.met_count,
                    total=result.total,
                    missing_count=sum(c.status == "missing" for c in result.criteria),
                    all_met=result.all_met,
                    effective_region=result.effective_region or "",
                    region_reason=result.region_reason,
                    result=result_json(result),
                )
            )
    with transaction.atomic():
        Evaluation.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["unit", "year", "criteria_set"],
            update_fields=[
                "met_count",
                "total",
                "missing_count",
                "all_met",
                "effective_region",
                "region_reason",
                "result",
                "computed_at",
            ],
        )
        ids = dict(
            ((e.unit_id, e.year), e.pk)
            for e in Evaluation.objects.filter(
                criteria_set=criteria_set, unit_id__in=unit_ids, year__in=years
            ).only("pk", "unit_id", "year")
        )
        CriterionResult.objects.filter(evaluation_id__in=ids.values()).delete()
        CriterionResult.objects.bulk_create(
            (
                CriterionResult(
                    evaluation_id=ids[key],
                    criterion_number=c.number,
                    status=str(c.status),
                    reason=c.reason,
                    is_key=c.is_key,
                )
                for key, result in results
                for c in result.criteria
            ),
            batch_size=2000,
        )
    return len(rows)


def _province_regions(units: list[Unit]) -> dict[int, str | None]:
    province_ids = {u.pk if u.level == Level.PROVINCE else u.province_id for u in units}
    region_of = dict(Unit.objects.filter(pk__in=province_ids).values_list("pk", "region__code"))
    return {
        u.pk: region_of.get(u.pk if u.level == Level.PROVINCE else u.province_id) for u in units
    }


def recompute_unit(unit: Unit, year: int) -> list[Evaluation]:
    """After a value of `unit` changed: every set that applies to it in `year`."""
    for criteria_set in applicable_sets(unit, year):
        recompute(criteria_set, [unit], [year])
    return list(Evaluation.objects.filter(unit=unit, year=year).select_related("criteria_set"))


def recompute_units(units: list[Unit], year: int) -> int:
    """After a batch of values changed (an import): every applicable set, one batch per set."""
    by_set: dict[int, tuple[CriteriaSet, list[Unit]]] = {}
    for unit in units:
        for criteria_set in applicable_sets(unit, year):
            by_set.setdefault(criteria_set.pk, (criteria_set, []))[1].append(unit)
    return sum(recompute(s, members, [year]) for s, members in by_set.values())


def governed_units(criteria_set: CriteriaSet):
    """The units a set is evaluated for: its province's (or, national, all) of its level."""
    units = Unit.objects.filter(level=criteria_set.level)
    if criteria_set.province_id:
        units = units.filter(province_id=criteria_set.province_id)
    return units


def recompute_set(criteria_set: CriteriaSet, years: Iterable[int] | None = None, units=None) -> int:
    """A new version (or the command): every unit it governs that has values, for its years."""
    years = list(years or range(criteria_set.period_from, criteria_set.period_to + 1))
    units = units if units is not None else governed_units(criteria_set)
    with_values = IndicatorValue.objects.filter(family=criteria_set.family, year__in=years).values(
        "unit_id"
    )
    return recompute(criteria_set, units.filter(pk__in=with_values), years, only_with_values=True)
