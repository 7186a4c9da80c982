"""Store the engine's verdicts per unit, year and set version, recomputed when inputs change.

Pages read stored evaluations; they never run the engine. A value change recomputes its unit
and year; a new set version recomputes the units that set governs. Everything is batched so a
province (or the country) is a handful of queries, not one per commune.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from nongthon.assessment.models import CriterionResult, Evaluation, IndicatorValue, UnitProfile
from nongthon.bulk_insert import delete_where_in, insert_rows, reserve_ids, update_rows
from nongthon.catalogue.engine import CriterionResult as CriterionVerdict
from nongthon.catalogue.engine import (
    SetResult,
    SetSpec,
    Status,
    UnitFacts,
    ValueIn,
    effective_region,
    evaluate_criterion,
)
from nongthon.catalogue.models import CriteriaSet, SetStatus
from nongthon.catalogue.specs import spec_for
from nongthon.places import stamps
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
        "criteria": [criterion_json(c) for c in result.criteria],
    }


def criterion_json(c: CriterionVerdict) -> dict:
    return {
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
                    {k: str(v) if v is not None else None for k, v in asdict(i.threshold).items()}
                    if i.threshold
                    else None
                ),
            }
            for i in c.indicators
        ],
    }


def _region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


class BatchEvaluator:
    """Runs the engine for many (unit, year) pairs of one set version. A criterion's verdict
    depends only on its indicators' values, the year, the commune group and the region, and most
    communes share those: each distinct case is evaluated, serialised and hashed once, so a
    national recompute costs little more than reading the values."""

    CACHE_LIMIT = 200_000  # distinct cases kept (real data with many numbers: bounded)

    def __init__(self, spec: SetSpec, region_names: dict[str, str]) -> None:
        self.spec = spec
        self.region_names = region_names
        self.codes = [tuple(i.code for i in c.indicators) for c in spec.criteria]
        self.all_codes = tuple(code for codes in self.codes for code in codes)
        # Keys hold id()s of the value objects, which the cached entries keep alive, so an id
        # is never reused while its key is in the cache (and hashing an int is cheap).
        self._criteria: dict[tuple, tuple] = {}
        self._units: dict[tuple, tuple[Outcome, tuple]] = {}
        self._sets: dict[tuple, Outcome] = {}

    def facts(self, year: int, region: str | None, profile: UnitProfile | None) -> UnitFacts:
        return UnitFacts(
            year=year,
            region=region,
            group=profile.commune_group if profile else None,
            flags=frozenset(profile.flags) if profile else frozenset(),
            region_names=self.region_names,
        )

    def evaluate(
        self, facts: UnitFacts, values: dict[str, ValueIn], signature: str | None = None
    ) -> Outcome:
        """`signature`, when given, stands for `values` (the same text for the same values)."""
        if len(self._criteria) > self.CACHE_LIMIT or len(self._units) > self.CACHE_LIMIT:
            self._criteria.clear()
            self._units.clear()
            self._sets.clear()
        if signature is not None:
            inputs: tuple = ()
            unit_key = (facts.year, facts.group, facts.region, facts.flags, signature)
        else:
            inputs = tuple(map(values.get, self.all_codes))
            unit_key = (facts.year, facts.group, facts.region, facts.flags, *map(id, inputs))
        hit = self._units.get(unit_key)
        if hit is not None:
            return hit[0]
        region, region_reason = effective_region(self.spec, facts, dt.date(facts.year, 12, 31))
        parts = []
        for criterion, codes in zip(self.spec.criteria, self.codes, strict=True):
            mine = tuple(map(values.get, codes))
            key = (criterion.number, facts.year, facts.group, region, *map(id, mine))
            found = self._criteria.get(key)
            if found is None:
                verdict = evaluate_criterion(criterion, values, facts, region, self.spec.basis)
                text = json.dumps(criterion_json(verdict), ensure_ascii=False)
                digest = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
                found = self._criteria[key] = (verdict, text, digest, mine)
            parts.append(found)
        set_key = (region, region_reason, *(p[2] for p in parts))
        outcome = self._sets.get(set_key)
        if outcome is None:
            outcome = self._sets[set_key] = Outcome.of(region, region_reason, parts)
        self._units[unit_key] = (outcome, inputs)
        return outcome


@dataclass(frozen=True)
class Outcome:
    """One evaluation ready to store: the figures, the result as JSON text, and a digest that
    says whether the stored row already holds it."""

    met_count: int
    total: int
    missing_count: int
    effective_region: str
    region_reason: str
    result_text: str
    digest: str
    criteria: tuple[CriterionVerdict, ...]

    @property
    def all_met(self) -> bool:
        return self.met_count == self.total

    @classmethod
    def of(cls, region, region_reason: str, parts) -> Outcome:
        head = json.dumps(
            {"effective_region": region, "region_reason": region_reason}, ensure_ascii=False
        )
        text = head[:-1] + ', "criteria": [' + ", ".join(p[1] for p in parts) + "]}"
        digest = hashlib.blake2b(
            "|".join([region or "", region_reason, *(p[2] for p in parts)]).encode(),
            digest_size=16,
        ).hexdigest()
        verdicts = tuple(p[0] for p in parts)
        return cls(
            met_count=sum(v.status == Status.MET for v in verdicts),
            total=len(verdicts),
            missing_count=sum(v.status == Status.MISSING for v in verdicts),
            effective_region=region or "",
            region_reason=region_reason,
            result_text=text,
            digest=digest,
            criteria=verdicts,
        )


# Above this many units, read the whole set's rows and pick in Python: a 10,000-id IN list is
# slower than the scan, and SQLite caps the number of parameters.
IN_LIST_LIMIT = 2000


def read_values(
    family: str, unit_ids: list[int], years: list[int]
) -> dict[tuple[int, int], dict[str, ValueIn]]:
    """{(unit, year): {indicator code: ValueIn}}. Read with one raw query: the ORM's per-row
    converters cost more than the rest of a national recompute, and most rows repeat a few
    distinct inputs, so each distinct raw row is converted once and its ValueIn shared."""
    table = IndicatorValue._meta.db_table
    marks = ", ".join(["%s"] * len(years))
    sql = (
        "SELECT unit_id, year, indicator_code, value_number, value_bool, value_text, "
        f"hand_verdict, hand_reason FROM {table} WHERE family = %s AND year IN ({marks})"
    )
    params: list = [family, *years]
    if len(unit_ids) <= IN_LIST_LIMIT:
        sql += f" AND unit_id IN ({', '.join(['%s'] * len(unit_ids))})"
        params += unit_ids
    wanted = set(unit_ids)
    interned: dict[tuple, ValueIn] = {}
    values: dict[tuple[int, int], dict[str, ValueIn]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(20_000):
            for unit_id, year, code, *raw in rows:
                if unit_id not in wanted:
                    continue
                key = tuple(raw)
                value = interned.get(key)
                if value is None:
                    value = interned[key] = _value_in(*raw)
                values[(unit_id, year)][code] = value
    return values


_NUMBER = IndicatorValue._meta.get_field("value_number")
_PLACES = Decimal(1).scaleb(-_NUMBER.decimal_places)
_FROM_FLOAT = decimal.Context(prec=15).create_decimal_from_float  # as Django's SQLite converter


def _value_in(number, yes, text, verdict, reason) -> ValueIn:
    """What the ORM would give: SQLite returns floats and 0/1, PostgreSQL Decimals and bools."""
    if number is not None and not isinstance(number, Decimal):
        number = _FROM_FLOAT(float(number)).quantize(_PLACES, context=_NUMBER.context)
    elif number is not None:
        number = number.quantize(_PLACES, context=_NUMBER.context)
    yes = None if yes is None else bool(yes)
    verdict = None if verdict is None else bool(verdict)
    value = yes if yes is not None else number if number is not None else text or None
    return ValueIn(value=value, hand_verdict=verdict, hand_reason=reason)


# One text per (unit, year) holding all its values: the database builds it (in C), and units
# with the same values get the same text, parsed once. Separators: ASCII record/unit separators;
# a value containing one of them makes its (unit, year) fall back to the row reader.
_RS, _US = "\x1e", "\x1f"


def _signature_sql(vendor: str) -> tuple[str, str]:
    if vendor == "postgresql":
        sep, us = "chr(30)", "chr(31)"
        number, find = "COALESCE(value_number::text, '')", "strpos"
    else:
        sep, us = "char(30)", "char(31)"
        number, find = "COALESCE(CAST(value_number AS TEXT), '')", "instr"

    def flag(column: str) -> str:
        return f"CASE WHEN {column} IS NULL THEN '' WHEN {column} THEN '1' ELSE '0' END"

    item = (
        f"indicator_code || {us} || {number} || {us} || {flag('value_bool')} || {us} || "
        f"value_text || {us} || {flag('hand_verdict')} || {us} || hand_reason"
    )
    clash = " + ".join(
        f"{find}({column}, {mark})"
        for column in ("indicator_code", "value_text", "hand_reason")
        for mark in (sep, us)
    )
    if vendor == "postgresql":
        return f"string_agg({item}, {sep} ORDER BY indicator_code)", f"MAX({clash})"
    return f"group_concat({item}, {sep})", f"MAX({clash})"


def read_signatures(
    family: str, unit_ids: list[int], years: list[int]
) -> tuple[dict[tuple[int, int], str], set[int]]:
    """{(unit, year): values as one text}, and the units whose text could not be trusted."""
    aggregate, clash = _signature_sql(connection.vendor)
    marks = ", ".join(["%s"] * len(years))
    sql = (
        f"SELECT unit_id, year, {aggregate}, {clash} FROM {IndicatorValue._meta.db_table} "
        f"WHERE family = %s AND year IN ({marks})"
    )
    params: list = [family, *years]
    if len(unit_ids) <= IN_LIST_LIMIT:
        sql += f" AND unit_id IN ({', '.join(['%s'] * len(unit_ids))})"
        params += unit_ids
    sql += " GROUP BY unit_id, year"
    wanted = set(unit_ids)
    texts: dict[tuple[int, int], str] = {}
    doubtful: set[int] = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for unit_id, year, text, clashes in cursor.fetchall():
            if unit_id not in wanted:
                continue
            if clashes:
                doubtful.add(unit_id)
            else:
                texts[(unit_id, year)] = text
    return texts, doubtful


class SignatureParser:
    """Signature text → {code: ValueIn}, each distinct text and each distinct value once."""

    def __init__(self) -> None:
        self._values: dict[str, ValueIn] = {}
        self._texts: dict[str, dict[str, ValueIn]] = {}

    def __call__(self, text: str) -> dict[str, ValueIn]:
        found = self._texts.get(text)
        if found is None:
            found = self._texts[text] = {}
            for item in text.split(_RS):
                code, rest = item.split(_US, 1)
                value = self._values.get(rest)
                if value is None:
                    value = self._values[rest] = _value_of_text(*rest.split(_US))
                found[code] = value
        return found


def _value_of_text(number: str, yes: str, text: str, verdict: str, reason: str) -> ValueIn:
    """The ValueIn the ORM would give for the row (numbers as SQLite or PostgreSQL print them:
    15 significant digits, as Django's SQLite converter reads them)."""
    amount = Decimal(number).quantize(_PLACES, context=_NUMBER.context) if number else None
    flag = {"": None, "1": True, "0": False}
    yes_value, hand = flag[yes], flag[verdict]
    value = yes_value if yes_value is not None else amount if amount is not None else text or None
    return ValueIn(value=value, hand_verdict=hand, hand_reason=reason)


def _unit_rows(units) -> list[tuple[int, str, int | None]]:
    """(pk, level, province_id) of each unit, without building model instances for querysets."""
    if isinstance(units, QuerySet):
        return list(units.values_list("pk", "level", "province_id"))
    return [(u.pk, u.level, u.province_id) for u in units]


def recompute(
    criteria_set: CriteriaSet,
    units: Iterable[Unit],
    years: Iterable[int],
    only_with_values: bool = False,
    force: bool = False,
) -> int:
    """Evaluate `criteria_set` for every (unit, year) (with `only_with_values`, only the pairs
    that have values); returns how many evaluations are stored. Rows whose result did not change
    are left alone (`force` rewrites them all)."""
    rows = _unit_rows(units)
    years = [y for y in years if criteria_set.covers_year(y)]
    if not rows or not years:
        return 0
    unit_ids = [pk for pk, _level, _province in rows]
    texts, doubtful = read_signatures(criteria_set.family, unit_ids, years)
    values = read_values(criteria_set.family, sorted(doubtful), years) if doubtful else {}
    parse = SignatureParser()
    profiles = {
        (p.unit_id, p.year): p
        for p in UnitProfile.objects.filter(year__in=years).filter(
            **({"unit_id__in": unit_ids} if len(unit_ids) <= IN_LIST_LIMIT else {})
        )
    }
    regions = _province_regions(rows)
    evaluator = BatchEvaluator(spec_for(criteria_set), _region_names())
    outcomes: list[tuple[int, int, Outcome]] = []
    for pk, _level, _province in rows:
        for year in years:
            text = texts.get((pk, year))
            if only_with_values and text is None and (pk, year) not in values:
                continue
            facts = evaluator.facts(year, regions.get(pk), profiles.get((pk, year)))
            if text is not None:
                outcome = evaluator.evaluate(facts, parse(text), signature=text)
            else:
                outcome = evaluator.evaluate(facts, values.get((pk, year), {}))
            outcomes.append((pk, year, outcome))
    store_outcomes(criteria_set, outcomes, force=force)
    return len(outcomes)


EVALUATION_FIELDS = (
    "met_count",
    "total",
    "missing_count",
    "all_met",
    "effective_region",
    "region_reason",
    "result",
    "digest",
    "computed_at",
)


def _figures(o: Outcome, now) -> tuple:
    return (
        o.met_count,
        o.total,
        o.missing_count,
        o.all_met,
        o.effective_region,
        o.region_reason,
        o.result_text,
        o.digest,
        now,
    )


@transaction.atomic
def store_outcomes(
    criteria_set: CriteriaSet,
    outcomes: list[tuple[int, int, Outcome]],
    force: bool = False,
    fresh: bool = False,
) -> int:
    """Write evaluations and their criterion rows; returns how many rows were written. Only
    rows whose digest changed are rewritten unless `force`; `fresh` says none exist yet (the
    data generator), so nothing is read back."""
    if not outcomes:
        return 0
    now = timezone.now()
    existing: dict[tuple[int, int], tuple[int, str]] = {}
    if not fresh:
        unit_ids = sorted({u for u, _y, _o in outcomes})
        years = sorted({y for _u, y, _o in outcomes})
        wanted = set(unit_ids)
        marks = ", ".join(["%s"] * len(years))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, unit_id, year, digest FROM {Evaluation._meta.db_table} "
                f"WHERE criteria_set_id = %s AND year IN ({marks})",
                [criteria_set.pk, *years],
            )
            for pk, unit_id, year, digest in cursor.fetchall():
                if unit_id in wanted:
                    existing[(unit_id, year)] = (pk, digest)
    changed: list[tuple[int, Outcome]] = []
    touched: set[int] = set()
    updates, inserts = [], []
    new = [(u, y, o) for u, y, o in outcomes if (u, y) not in existing]
    new_ids = iter(reserve_ids(Evaluation, len(new)))
    for unit_id, year, outcome in outcomes:
        found = existing.get((unit_id, year))
        if found is None:
            pk = next(new_ids)
            inserts.append((pk, unit_id, year, criteria_set.pk, *_figures(outcome, now)))
        elif force or found[1] != outcome.digest:
            pk = found[0]
            updates.append((pk, *_figures(outcome, now)))
        else:
            continue
        changed.append((pk, outcome))
        touched.add(unit_id)
    if updates:
        update_rows(Evaluation, EVALUATION_FIELDS, updates)
        delete_where_in(CriterionResult, "evaluation_id", [row[0] for row in updates])
    if inserts:
        insert_rows(
            Evaluation, ("id", "unit_id", "year", "criteria_set_id", *EVALUATION_FIELDS), inserts
        )
    insert_rows(
        CriterionResult,
        ("evaluation_id", "criterion_number", "status", "reason", "is_key"),
        (
            (pk, c.number, str(c.status), c.reason, c.is_key)
            for pk, outcome in changed
            for c in outcome.criteria
        ),
    )
    # Bulk writes leave no audit entry: say which provinces' results changed.
    stamps.touch_units(touched)
    return len(changed)


def _province_regions(rows: list[tuple[int, str, int | None]]) -> dict[int, str | None]:
    def province(pk: int, level: str, province_id: int | None) -> int | None:
        return pk if level == Level.PROVINCE else province_id

    province_ids = {province(*row) for row in rows}
    region_of = dict(Unit.objects.filter(pk__in=province_ids).values_list("pk", "region__code"))
    return {row[0]: region_of.get(province(*row)) for row in rows}


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


def recompute_set(
    criteria_set: CriteriaSet, years: Iterable[int] | None = None, units=None, force: bool = False
) -> int:
    """A new version (or the command): every unit it governs that has values, for its years."""
    years = list(years or range(criteria_set.period_from, criteria_set.period_to + 1))
    units = units if units is not None else governed_units(criteria_set)
    # recompute skips the pairs without values: no need to ask the database which units have some
    units = units.only("pk", "level", "province_id")
    return recompute(criteria_set, units, years, only_with_values=True, force=force)
