"""Background jobs of the assessment app: recomputing stored evaluations (nongthon.ops.jobs)."""

from __future__ import annotations

import time

from nongthon.assessment.evaluation import governed_units, recompute_set
from nongthon.catalogue.models import CriteriaSet, SetStatus
from nongthon.ops.jobs import job
from nongthon.places.models import Level, Unit


@job()
def recompute_evaluations(
    set_code: str | None = None, province: str | None = None, years: list[int] | None = None
) -> dict:
    """`nongthon evaluate`: every active set (or one), for all units (or one province's), for
    the set's years (or the given ones). Returns one line per set and the total."""
    started = time.perf_counter()
    sets = CriteriaSet.objects.filter(status=SetStatus.ACTIVE).order_by("code")
    if set_code:
        sets = sets.filter(code=set_code)
    provinces = None
    if province:
        provinces = Unit.objects.filter(level=Level.PROVINCE, code=province.zfill(2))
    lines = []
    for criteria_set in sets:
        units = governed_units(criteria_set)
        if provinces is not None:
            units = units.filter(province__in=provinces)
        stored = recompute_set(criteria_set, years, units)
        lines.append({"code": criteria_set.code, "version": criteria_set.version, "stored": stored})
    return {
        "sets": lines,
        "total": sum(line["stored"] for line in lines),
        "seconds": round(time.perf_counter() - started, 1),
    }


@job()
def recompute_criteria_set(set_id: int) -> int:
    """After a new version of a set (or its first load): every unit it governs that has
    values. A version superseded before the job ran is skipped: its successor's job recomputes."""
    criteria_set = CriteriaSet.objects.filter(pk=set_id, status=SetStatus.ACTIVE).first()
    if criteria_set is None:
        return 0
    return recompute_set(criteria_set)
