"""Target types declared here and computed by a module merged later (funding).

Each is a PendingType: targets of these codes can be entered, listed and printed now, and their
figure says which module computes it. The module implements the type by subclassing
plans.targets.base.TargetType with the SAME `code` and `params` (it may add optional params),
implementing compute(target, on) -> Figure (and status() if the default rule does not fit), and
calling base.register(instance) in its AppConfig.ready(). The registry replaces the pending type;
stored targets keep their code and params. What each figure means is in the docstrings below
and in docs/architecture.md ("Plans, targets and tasks"). The recognition and OCOP types that
were declared here now live in recognition/plan_targets.py and ocop/plan_targets.py.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from nongthon.plans.targets.base import CHOICE, INT, TEXT, Param, PendingType, register

YEAR = Param("year", gettext_lazy("Năm"), INT, required=False)


class FundsBySource(PendingType):
    """The plan's fund lines (FundLine, planned amounts) against allocations and disbursements
    by source for the plan's unit and years; `sources` limits to some FundSource codes. Rows:
    one per source: planned, allocated, disbursed, share."""

    code = "funding.by_source"
    family = "funding"
    module = "funding"
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
        YEAR,
    )


register(FundsBySource())
