"""The free target: for a sentence no data in the system measures. Its figure is typed by hand
with evidence, and read at a date from the target's history (what was known on that day)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.plans.targets.base import Figure, Row, TargetType, register
from nongthon.plans.targets.common import number


class FreeTarget(TargetType):
    code = "free"
    family = "free"
    label = gettext_lazy("Chỉ tiêu tự đánh giá (nhập tay, có minh chứng)")
    description = gettext_lazy("Chỉ dùng khi không kiểu chỉ tiêu nào tính được từ dữ liệu.")
    params = ()

    def compute(self, target, on: dt.date) -> Figure:
        end_of_day = timezone.make_aware(dt.datetime.combine(on, dt.time.max))
        state = target
        if target.pk and target.manual_as_of and target.manual_as_of > on:
            record = (
                target.history.filter(history_date__lte=end_of_day)
                .order_by("-history_date")
                .first()
            )
            state = record if record is not None else None
        if state is None or (state.manual_done is None and state.manual_progress is None):
            return Figure(
                shown=_("Chưa cập nhật"),
                available=False,
                note=_("Chưa cập nhật kết quả tự đánh giá"),
            )
        progress = state.manual_progress
        shown = state.manual_figure or (
            _("%(p)s%%") % {"p": number(progress)} if progress is not None else "—"
        )
        rows = []
        if state.manual_evidence:
            rows.append(Row(_("Minh chứng"), state.manual_evidence))
        if state.manual_as_of:
            rows.append(Row(_("Cập nhật đến ngày"), state.manual_as_of.strftime("%d/%m/%Y")))
        return Figure(
            shown=shown,
            value=progress,
            goal=Decimal(100) if progress is not None else None,
            achieved=bool(state.manual_done),
            rows=rows,
            rows_title=_("Tự đánh giá"),
        )


register(FreeTarget())
