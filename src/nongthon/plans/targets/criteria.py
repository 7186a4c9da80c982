"""Targets computed from the stored evaluations (assessment): criteria per commune on average,
the minimum every commune reaches, and communes meeting all criteria of a set (count or share,
optionally named communes, optionally among those at N criteria or more)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.assessment import queries as aq
from nongthon.assessment.models import Evaluation
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
from nongthon.plans.targets.common import figure_year, number, percent, target_year, unit_label

FAMILY_PARAM = Param(
    "family", gettext_lazy("Bộ tiêu chí (họ)"), FAMILY, help=gettext_lazy("Ví dụ: qd318-xa-ntm")
)
YEAR_PARAM = Param(
    "year", gettext_lazy("Năm"), INT, required=False, help=gettext_lazy("Trống: năm hạn chỉ tiêu")
)


def _evaluations(target, year: int):
    scope = target.plan.unit
    criteria_set = aq.commune_set(scope, target.params["family"], year)
    if criteria_set is None:
        return None, Evaluation.objects.none()
    # The figures need counts and names, not the detailed JSON of each evaluation.
    evaluations = aq.commune_evaluations(scope, criteria_set, year).defer("result")
    return criteria_set, evaluations.select_related("unit", "unit__district")


def _scorecard_url(unit: Unit, year: int, family: str) -> str:
    return reverse("assessment:results_scorecard", args=[unit.pk, year, family])


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

    def _average(self, target, year: int) -> tuple[Decimal | None, list]:
        _set, evaluations = _evaluations(target, year)
        rows = list(evaluations.order_by("unit__code"))
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
                Row(
                    unit_label(e.unit),
                    f"{e.met_count}/{e.total}",
                    e.all_met,
                    _scorecard_url(e.unit, year, family),
                )
                for e in rows
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
        _set, evaluations = _evaluations(target, year)
        rows = list(evaluations.order_by("met_count", "unit__code"))
        if not rows:
            return _no_results(year)
        minimum = int(target.params["minimum"])
        reached = sum(1 for e in rows if e.met_count >= minimum)
        lowest = min(e.met_count for e in rows)
        family = target.params["family"]
        return Figure(
            shown=_("%(r)s/%(t)s xã đạt từ %(m)s tiêu chí trở lên; thấp nhất %(l)s (năm %(y)s)")
            % {"r": reached, "t": len(rows), "m": minimum, "l": lowest, "y": year},
            value=Decimal(reached),
            goal=Decimal(len(rows)),
            achieved=reached == len(rows),
            rows=[
                Row(
                    unit_label(e.unit),
                    f"{e.met_count}/{e.total}",
                    e.met_count >= minimum,
                    _scorecard_url(e.unit, year, family),
                )
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
        _set, evaluations = _evaluations(target, year)
        by_unit = {e.unit_id: e for e in evaluations}
        if not by_unit:
            return _no_results(year)
        named = params.get("units") or []
        if named:
            units = list(
                Unit.objects.filter(pk__in=named).select_related("district").order_by("code")
            )
        else:
            units = [e.unit for e in sorted(by_unit.values(), key=lambda e: e.unit.code)]
        at_least = params.get("among_at_least")
        if at_least:
            _prev_set, previous = _evaluations(target, year - 1)
            eligible = {e.unit_id for e in previous if e.met_count >= int(at_least)}
            units = [u for u in units if u.pk in eligible]
        met = [u for u in units if by_unit.get(u.pk) and by_unit[u.pk].all_met]
        total = len(units)
        if params.get("goal_count") is not None:
            goal = Decimal(params["goal_count"])
        elif params.get("goal_share") is not None:
            goal = Decimal(params["goal_share"]) * total / 100
        else:
            goal = Decimal(total)
        share = percent(len(met), total)
        rows = []
        for u in units:
            e = by_unit.get(u.pk)
            detail = f"{e.met_count}/{e.total}" if e else _("chưa có kết quả")
            url = _scorecard_url(u, year, family) if e else ""
            rows.append(Row(unit_label(u), detail, bool(e and e.all_met), url))
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
