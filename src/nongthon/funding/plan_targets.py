"""The plans module's funding target: a plan's expected funds by source against what was
allocated (or disbursed) for the plan's unit and year, read from the funding lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from nongthon.funding import queries
from nongthon.funding.amounts import FACTORS, MoneyUnit, format_amount
from nongthon.plans.models import FundLine
from nongthon.plans.targets.base import Figure, Row, TargetType, register
from nongthon.plans.targets.common import figure_year, number, percent, target_year
from nongthon.plans.targets.pending import FundsBySource

# The plans module's source codes (as the seed plans list them) → this module's source codes.
# Lines a plan lists jointly ("doanh nghiệp và dân đóng góp", "xã hội hóa") map to the parent.
PLAN_SOURCE_TO_FUNDING = {
    "central": "central",
    "local": "local",
    "integrated": "integrated",
    "credit": "credit",
    "enterprise": "enterprise",
    "people": "people",
    "enterprise_people": "mobilised",
    "socialised": "mobilised",
    "other": "other",
}
PLAN_UNIT_TO_FUNDING = {"million": MoneyUnit.TRIEU, "billion": MoneyUnit.TY}


def planned_dong(line: FundLine) -> Decimal:
    """A plan's fund line as whole đồng (the plan types it in triệu or tỷ)."""
    unit = PLAN_UNIT_TO_FUNDING.get(line.money_unit, MoneyUnit.TRIEU)
    return (line.amount or Decimal(0)) * FACTORS[unit]


class FundsBySourceTarget(TargetType):
    __doc__ = FundsBySource.__doc__
    code = FundsBySource.code
    family = FundsBySource.family
    label = FundsBySource.label
    description = FundsBySource.description
    params = FundsBySource.params

    def compute(self, target, on: dt.date) -> Figure:
        plan = target.plan
        year = figure_year(target_year(target), on)
        wanted = {c.strip() for c in (target.params.get("sources") or "").split(",") if c.strip()}
        measure = target.params.get("measure") or "allocated"
        lines = [
            line
            for line in plan.fund_lines.all()
            if line.amount is not None and (not wanted or line.source in wanted)
        ]
        if not lines:
            return Figure(
                shown=_("Kế hoạch chưa ghi nguồn vốn dự kiến"),
                available=False,
                note=_("Hãy nhập các dòng nguồn vốn dự kiến của kế hoạch."),
            )
        by_code = {
            row.source.code: row.figures
            for row in queries.funds_by_source(plan.unit, year, on_date=on, detailed=True)
        }
        unit = MoneyUnit.TY if any(ln.money_unit == "billion" for ln in lines) else MoneyUnit.TRIEU
        goal = Decimal(0)
        reached = Decimal(0)
        rows = []
        seen: set[str] = set()
        for line in lines:
            planned = planned_dong(line)
            goal += planned
            code = PLAN_SOURCE_TO_FUNDING.get(line.source, "other")
            figures = by_code.get(code)
            got = getattr(figures, measure) if figures is not None and code not in seen else None
            seen.add(code)  # two plan lines on one source: count its money once
            if got is not None:
                reached += got
            share = percent(got, planned) if got is not None else None
            rows.append(
                Row(
                    line.shown_label,
                    _("dự kiến %(p)s; %(m)s %(g)s%(s)s")
                    % {
                        "p": format_amount(planned, unit),
                        "m": _("giải ngân") if measure == "disbursed" else _("phân bổ"),
                        "g": format_amount(got, unit) if got is not None else "—",
                        "s": f" ({number(share)}%)" if share is not None else "",
                    },
                    got is not None and got >= planned,
                    reverse("funding:overview", args=[plan.unit.pk, year]),
                )
            )
        shown = _("%(m)s %(g)s / dự kiến %(p)s (%(s)s%%, năm %(y)s)") % {
            "m": _("Đã giải ngân") if measure == "disbursed" else _("Đã phân bổ"),
            "g": format_amount(reached, unit),
            "p": format_amount(goal, unit),
            "s": number(percent(reached, goal)),
            "y": year,
        }
        return Figure(
            shown=shown,
            value=reached,
            goal=goal,
            achieved=reached >= goal,
            rows=rows,
            rows_title=_("Từng nguồn vốn của kế hoạch"),
            illustrative=queries.has_illustrative(plan.unit, year),
        )


register(FundsBySourceTarget())
