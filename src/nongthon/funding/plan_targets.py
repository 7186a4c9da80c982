"""The plans module's funding target: a plan's expected funds by source against what was
allocated (or disbursed) for the plan's unit and year, read from the funding lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.funding import queries
from nongthon.funding.amounts import FACTORS, MoneyUnit, format_amount
from nongthon.plans.models import FundLine
from nongthon.plans.targets.base import (
    CHOICE,
    INT,
    TEXT,
    Figure,
    Param,
    Row,
    TargetType,
    register,
)
from nongthon.plans.targets.common import figure_year, number, percent, target_year

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


class FundsBySource(TargetType):
    """The plan's fund lines (FundLine, planned amounts) against allocations or disbursements
    by source for the plan's unit and year; `sources` limits to some plan source codes. Rows: one
    per fund line: planned, allocated (or disbursed), share."""

    code = "funding.by_source"
    family = "funding"
    label = gettext_lazy("Nguồn vốn theo nguồn (kế hoạch, phân bổ, giải ngân)")
    description = gettext_lazy(
        "Ví dụ: Vốn Trung ương hỗ trợ 101,903 tỷ đồng; vốn ngân sách địa phương ..."
    )
    params = (
        Param(
            "sources",
            gettext_lazy("Nguồn (mã, cách nhau dấu phẩy; trống: tất cả)"),
            TEXT,
            required=False,
        ),
        Param(
            "measure",
            gettext_lazy("Đo theo"),
            CHOICE,
            required=False,
            choices=(
                ("allocated", gettext_lazy("Phân bổ")),
                ("disbursed", gettext_lazy("Giải ngân")),
            ),
        ),
        Param("year", gettext_lazy("Năm"), INT, required=False),
    )

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


register(FundsBySource())
