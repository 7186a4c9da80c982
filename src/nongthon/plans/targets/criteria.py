"""Targets computed from the stored evaluations (assessment): criteria per commune on average,
the minimum every commune reaches, and communes meeting all criteria of a set (count or share,
optionally named communes, optionally among those at N criteria or more)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.assessment import queries as aq
from nongthon.places.models import Level, Unit
from nongthon.plans.targets.base import (
    DECIMAL,
    FAMILY,
    INT,
    UNITS,
    Figure,
    Param,
    Row,
    TargetType,
    register,
)
from nongthon.plans.targets.common import (
    figure_year,
    number,
    percent,
    target_year,
    unit_label,
    urls_by_pk,
)

FAMILY_PARAM = Param(
    "family", gettext_lazy("Bộ tiêu chí (họ)"), FAMILY, help=gettext_lazy("Ví dụ: qd318-xa-ntm")
)
YEAR_PARAM = Param(
    "year", gettext_lazy("Năm"), INT, required=False, help=gettext_lazy("Trống: năm hạn chỉ tiêu")
)


@dataclass(frozen=True, slots=True)
class CommuneResult:
    """What a figure needs of one commune's evaluation: a province's plan reads hundreds of
    them per target, so plain rows rather than model instances."""

    unit_id: int
    code: str
    label: str  # "name (district)", as `unit_label` writes it
    met_count: int
    total: int
    all_met: bool


def _evaluations(target, year: int) -> list[CommuneResult]:
    """The communes under the plan's unit evaluated by the set governing them in `year`, by code."""
    scope = target.plan.unit
    criteria_set = aq.commune_set(scope, target.params["family"], year)
    if criteria_set is None:
        return []
    rows = (
        aq.commune_evaluations(scope, criteria_set, year)
        .order_by("unit__code")
        .values_list(
            "unit_id",
            "unit__code",
            "unit__name",
            "unit__district__name",
            "met_count",
            "total",
            "all_met",
        )
    )
    return [
        CommuneResult(pk, code, f"{name} ({district})" if district else name, met, total, ok)
        for pk, code, name, district, met, total, ok in rows
    ]


def _scorecard_urls(year: int, family: str) -> Callable[[int], str]:
    return urls_by_pk("assessment:results_scorecard", year, family)


def _no_results(year: int) -> Figure:
    return Figure(
        shown=_("Chưa có kết quả đánh giá năm %(y)s") % {"y": year},
        available=False,
        note=_("Chưa có kết quả đánh giá năm %(y)s") % {"y": year},
    )


class AverageCriteria(TargetType):
    code = "criteria.average"
    family = "criteria"
    label = gettext_lazy("Bình quân số tiêu chí đạt/xã")
    description = gettext_lazy("Ví dụ: Bình quân số tiêu chí nông thôn mới đạt chuẩn/xã: 18,2")
    params = (
        FAMILY_PARAM,
        YEAR_PARAM,
        Param("goal", gettext_lazy("Chỉ tiêu (tiêu chí/xã)"), DECIMAL),
    )

    def _average(self, target, year: int) -> tuple[Decimal | None, list[CommuneResult]]:
        rows = _evaluations(target, year)
        if not rows:
            return None, []
        total = sum(e.met_count for e in rows)
        return Decimal(total) / len(rows), rows

    def compute(self, target, on: dt.date) -> Figure:
        year = figure_year(target_year(target), on)
        value, rows = self._average(target, year)
        if value is None:
            return _no_results(year)
        baseline, _rows = self._average(target, year - 1)
        goal = Decimal(target.params["goal"])
        value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        family = target.params["family"]
        url = _scorecard_urls(year, family)
        return Figure(
            shown=_("%(v)s tiêu chí/xã (%(n)s xã, năm %(y)s)")
            % {"v": number(value), "n": len(rows), "y": year},
            value=value,
            goal=goal,
            baseline=baseline.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if baseline is not None
            else None,
            achieved=value >= goal,
            rows=[
                Row(e.label, f"{e.met_count}/{e.total}", e.all_met, url(e.unit_id)) for e in rows
            ],
            rows_title=_("Số tiêu chí đạt của từng xã"),
            illustrative=aq.has_illustrative_values(target.plan.unit, year, family),
        )


class MinimumCriteria(TargetType):
    code = "criteria.minimum"
    family = "criteria"
    label = gettext_lazy("Mọi xã đạt từ N tiêu chí trở lên")
    description = gettext_lazy("Ví dụ: Các xã đều đạt từ 14 tiêu chí nông thôn mới trở lên")
    params = (
        FAMILY_PARAM,
        YEAR_PARAM,
        Param("minimum", gettext_lazy("Số tiêu chí tối thiểu"), INT),
    )

    def compute(self, target, on: dt.date) -> Figure:
        year = figure_year(target_year(target), on)
        rows = sorted(_evaluations(target, year), key=lambda e: e.met_count)  # stable: by code
        if not rows:
            return _no_results(year)
        minimum = int(target.params["minimum"])
        reached = sum(1 for e in rows if e.met_count >= minimum)
        lowest = min(e.met_count for e in rows)
        family = target.params["family"]
        url = _scorecard_urls(year, family)
        return Figure(
            shown=_("%(r)s/%(t)s xã đạt từ %(m)s tiêu chí trở lên; thấp nhất %(l)s (năm %(y)s)")
            % {"r": reached, "t": len(rows), "m": minimum, "l": lowest, "y": year},
            value=Decimal(reached),
            goal=Decimal(len(rows)),
            achieved=reached == len(rows),
            rows=[
                Row(e.label, f"{e.met_count}/{e.total}", e.met_count >= minimum, url(e.unit_id))
                for e in rows
            ],
            rows_title=_("Các xã, ít tiêu chí nhất trước"),
            illustrative=aq.has_illustrative_values(target.plan.unit, year, family),
        )


class AllCriteriaMet(TargetType):
    code = "criteria.all_met"
    family = "criteria"
    label = gettext_lazy("Số (tỷ lệ) xã đạt tất cả tiêu chí của bộ")
    description = gettext_lazy(
        "Ví dụ: 38/51 xã đạt 19/19 tiêu chí (74,5%); Phú Tân, Vị Bình cố gắng hoàn thành 19/19"
        " tiêu chí; các xã đạt từ 14 tiêu chí trở lên phấn đấu hoàn thành"
    )
    params = (
        FAMILY_PARAM,
        YEAR_PARAM,
        Param("units", gettext_lazy("Các xã được nêu tên"), UNITS, required=False),
        Param("goal_count", gettext_lazy("Số xã chỉ tiêu"), INT, required=False),
        Param("goal_share", gettext_lazy("Tỷ lệ chỉ tiêu (%)"), DECIMAL, required=False),
        Param(
            "among_at_least",
            gettext_lazy("Chỉ tính các xã đã đạt từ N tiêu chí (năm trước)"),
            INT,
            required=False,
        ),
    )

    def clean(self, params, plan):
        cleaned = super().clean(params, plan)
        units = cleaned.get("units") or []
        if units:
            found = Unit.objects.subtree(plan.unit).filter(pk__in=units, level=Level.COMMUNE)
            if found.count() != len(set(units)):
                raise ValidationError(
                    {"units": _("Các xã được nêu tên phải thuộc đơn vị ban hành kế hoạch.")}
                )
        return cleaned

    def compute(self, target, on: dt.date) -> Figure:
        params = target.params
        year = figure_year(target_year(target), on)
        family = params["family"]
        evaluated = _evaluations(target, year)
        by_unit = {e.unit_id: e for e in evaluated}
        if not by_unit:
            return _no_results(year)
        named = params.get("units") or []
        if named:
            units = [
                (u.pk, unit_label(u))
                for u in Unit.objects.filter(pk__in=named)
                .select_related("district")
                .order_by("code")
            ]
        else:
            units = [(e.unit_id, e.label) for e in evaluated]
        at_least = params.get("among_at_least")
        if at_least:
            previous = _evaluations(target, year - 1)
            eligible = {e.unit_id for e in previous if e.met_count >= int(at_least)}
            units = [u for u in units if u[0] in eligible]
        met = [u for u in units if by_unit.get(u[0]) and by_unit[u[0]].all_met]
        total = len(units)
        if params.get("goal_count") is not None:
            goal = Decimal(params["goal_count"])
        elif params.get("goal_share") is not None:
            goal = Decimal(params["goal_share"]) * total / 100
        else:
            goal = Decimal(total)
        share = percent(len(met), total)
        url = _scorecard_urls(year, family)
        rows = []
        for pk, label in units:
            e = by_unit.get(pk)
            detail = f"{e.met_count}/{e.total}" if e else _("chưa có kết quả")
            rows.append(Row(label, detail, bool(e and e.all_met), url(pk) if e else ""))
        return Figure(
            shown=_("%(m)s/%(t)s xã đạt tất cả tiêu chí (%(s)s%%), năm %(y)s")
            % {"m": len(met), "t": total, "s": number(share), "y": year},
            value=Decimal(len(met)),
            goal=goal,
            achieved=total > 0 and len(met) >= goal,
            rows=rows,
            rows_title=_("Các xã tính trong chỉ tiêu"),
            illustrative=aq.has_illustrative_values(target.plan.unit, year, family),
        )


register(AverageCriteria())
register(MinimumCriteria())
register(AllCriteriaMet())
