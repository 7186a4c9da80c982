"""Criteria sets as versioned law: the national sets and the refinements of the caller's
provinces (system admins: all), each version with its criteria, indicators and thresholds."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from ninja import Router, Schema

from nongthon.accounts import permissions
from nongthon.api.common import (
    Code,
    Limit,
    Offset,
    Page,
    PathId,
    Year,
    decimal_text,
    doc,
    page,
    user_of,
)
from nongthon.api.errors import ERRORS, not_found
from nongthon.catalogue import queries as catalogue_queries
from nongthon.catalogue.models import CriteriaSet, SetLevel, SetStatus, Tier

router = Router(tags=["criteria"])


class SetOut(Schema):
    id: int
    code: str
    version: int
    family: str
    name: str
    level: str
    tier: str
    period_from: int
    period_to: int
    status: str
    basis_number: str
    basis_date: dt.date | None
    basis_article: str
    province_id: int | None
    refines_id: int | None


class ThresholdOut(Schema):
    comparator: str
    value: str | None
    categories: list[str]
    region: str
    group: int | None
    year: int | None
    source: str
    status: str


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str
    unit: str
    categories: list[str]
    note: str
    thresholds: list[ThresholdOut]


class CriterionOut(Schema):
    number: int
    name: str
    group: str
    is_key: bool
    min_met: int | None
    note: str
    indicators: list[IndicatorOut]


class SetDetailOut(SetOut):
    criteria: list[CriterionOut]


def set_out(s: CriteriaSet) -> dict:
    return {
        "id": s.pk,
        "code": s.code,
        "version": s.version,
        "family": s.family,
        "name": s.name,
        "level": s.level,
        "tier": s.tier,
        "period_from": s.period_from,
        "period_to": s.period_to,
        "status": s.status,
        "basis_number": s.basis_number,
        "basis_date": s.basis_date,
        "basis_article": s.basis_article,
        "province_id": s.province_id,
        "refines_id": s.refines_id,
    }


def visible_sets(user):
    sets = CriteriaSet.objects.all()
    if not permissions.is_system_admin(user):
        provinces = [p.pk for p in catalogue_queries.user_provinces(user)]
        sets = sets.filter(Q(province__isnull=True) | Q(province__in=provinces))
    return sets


@router.get(
    "/criteria-sets",
    response={200: Page[SetOut], **ERRORS},
    **doc(
        "Bộ tiêu chí (mọi phiên bản): bộ quốc gia và bộ cụ thể hóa của tỉnh bạn; lọc theo cấp, "
        "mức, họ, năm áp dụng, trạng thái.",
        "Criteria sets (every version): national ones and your provinces' refinements; filter "
        "by level, tier, family, year in force, status.",
    ),
)
def list_sets(
    request,
    limit: Limit = 100,
    offset: Offset = 0,
    level: SetLevel | None = None,
    tier: Tier | None = None,
    family: Code | None = None,
    year: Year = None,
    status: SetStatus | None = None,
):
    sets = visible_sets(user_of(request))
    if level:
        sets = sets.filter(level=level)
    if tier:
        sets = sets.filter(tier=tier)
    if family:
        sets = sets.filter(family=family)
    if year is not None:
        sets = sets.filter(period_from__lte=year, period_to__gte=year)
    if status:
        sets = sets.filter(status=status)
    return page(sets.order_by("code", "version", "pk"), limit, offset, set_out)


@router.get(
    "/criteria-sets/{int:set_id}",
    response={200: SetDetailOut, **ERRORS},
    **doc(
        "Một phiên bản bộ tiêu chí với các tiêu chí, chỉ tiêu và ngưỡng (kèm nguồn).",
        "One criteria set version with its criteria, indicators and thresholds (with sources).",
    ),
)
def get_set(request, set_id: PathId):
    criteria_set = visible_sets(user_of(request)).filter(pk=set_id).first()
    if criteria_set is None:
        raise not_found()
    data = catalogue_queries.dump_set(criteria_set)
    out = set_out(criteria_set)
    out["criteria"] = [
        {
            "number": c.number,
            "name": c.name,
            "group": c.group,
            "is_key": c.is_key,
            "min_met": c.min_met,
            "note": c.note,
            "indicators": [
                {
                    "code": i.code,
                    "name": i.name,
                    "kind": i.kind,
                    "unit": i.unit,
                    "categories": list(i.categories),
                    "note": i.note,
                    "thresholds": [
                        {
                            "comparator": t.comparator,
                            "value": decimal_text(t.value),
                            "categories": list(t.categories),
                            "region": t.region,
                            "group": t.group,
                            "year": t.year,
                            "source": t.source,
                            "status": t.status,
                        }
                        for t in i.thresholds
                    ],
                }
                for i in c.indicators
            ],
        }
        for c in data.criteria
    ]
    return out
