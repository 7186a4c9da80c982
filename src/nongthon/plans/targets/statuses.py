"""Shares of hamlets, households or communes holding a status ("100% ấp văn hóa", "98% hộ gia
đình văn hóa", "100% đơn vị cấp xã kiện toàn bộ máy OCOP"), from the yearly status records of
this app (HamletStatus, HouseholdStatus, CommuneStatus). A record counts at a date once it was
recognised (or, for households, once its figures were dated) on or before that date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.places.models import Hamlet, Unit
from nongthon.plans.targets.base import (
    DECIMAL,
    INT,
    STATUS_KIND,
    Figure,
    Param,
    Row,
    TargetType,
    register,
)
from nongthon.plans.targets.common import figure_year, number, percent, target_year, unit_label

PARAMS = (
    Param("status", gettext_lazy("Danh hiệu"), STATUS_KIND),
    Param("goal_share", gettext_lazy("Tỷ lệ chỉ tiêu (%)"), DECIMAL),
    Param("year", gettext_lazy("Năm"), INT, required=False),
)


def _counts_on(on: dt.date) -> Q:
    return Q(recognised_on__isnull=True) | Q(recognised_on__lte=on)


def _figure(
    achieved: int, total: int, goal_share: Decimal, noun: str, year: int, rows, title, illustrative
) -> Figure:
    share = percent(achieved, total)
    if not total:
        return Figure(shown=_("Chưa có số liệu năm %(y)s") % {"y": year}, available=False)
    return Figure(
        shown=_("%(a)s/%(t)s %(n)s (%(s)s%%), năm %(y)s")
        % {"a": number(achieved), "t": number(total), "n": noun, "s": number(share), "y": year},
        value=share,
        goal=goal_share,
        achieved=share is not None and share >= goal_share,
        rows=rows,
        rows_title=title,
        illustrative=illustrative,
    )


class HamletShare(TargetType):
    code = "statuses.hamlet_share"
    family = "statuses"
    label = gettext_lazy("Tỷ lệ thôn, ấp đạt danh hiệu")
    description = gettext_lazy("Ví dụ: 100% ấp văn hóa")
    params = PARAMS

    def compute(self, target, on):
        from nongthon.plans.models import HamletStatus

        year = figure_year(target_year(target), on)
        scope = target.plan.unit
        hamlets = list(
            Hamlet.objects.active()
            .filter(Q(commune__province=scope) | Q(commune__district=scope) | Q(commune=scope))
            .select_related("commune")
            .order_by("commune__code", "name")
        )
        records = {
            r.hamlet_id: r
            for r in HamletStatus.objects.filter(
                hamlet__in=hamlets, kind__code=target.params["status"], year=year
            )
        }
        rows, achieved, illustrative = [], 0, False
        for h in hamlets:
            r = records.get(h.pk)
            ok = bool(r and r.achieved and (r.recognised_on is None or r.recognised_on <= on))
            achieved += ok
            illustrative |= bool(r and r.illustrative)
            detail = r.source if r else _("chưa có số liệu")
            rows.append(Row(f"{h.name} – {h.commune.name}", detail, ok))
        return _figure(
            achieved,
            len(hamlets),
            Decimal(target.params["goal_share"]),
            _("thôn, ấp"),
            year,
            rows,
            _("Các thôn, ấp"),
            illustrative,
        )


class HouseholdShare(TargetType):
    code = "statuses.household_share"
    family = "statuses"
    label = gettext_lazy("Tỷ lệ hộ gia đình đạt danh hiệu")
    description = gettext_lazy("Ví dụ: 98% hộ gia đình văn hóa")
    params = PARAMS

    def compute(self, target, on):
        from nongthon.plans.models import HouseholdStatus

        year = figure_year(target_year(target), on)
        scope = target.plan.unit
        records = list(
            HouseholdStatus.objects.filter(
                Q(commune__province=scope) | Q(commune__district=scope) | Q(commune=scope),
                kind__code=target.params["status"],
                year=year,
                as_of__lte=on,
            )
            .select_related("commune", "commune__district")
            .order_by("commune__code")
        )
        achieved = sum(r.achieved for r in records)
        total = sum(r.households for r in records)
        rows = [
            Row(
                unit_label(r.commune),
                f"{number(r.achieved)}/{number(r.households)} – {r.source}",
                None,
            )
            for r in records
        ]
        return _figure(
            achieved,
            total,
            Decimal(target.params["goal_share"]),
            _("hộ"),
            year,
            rows,
            _("Số hộ theo xã"),
            any(r.illustrative for r in records),
        )


class CommuneShare(TargetType):
    code = "statuses.commune_share"
    family = "statuses"
    label = gettext_lazy("Tỷ lệ đơn vị cấp xã đạt danh hiệu")
    description = gettext_lazy("Ví dụ: 100% đơn vị cấp xã kiện toàn bộ máy tổ chức OCOP cấp xã")
    params = PARAMS

    def compute(self, target, on):
        from nongthon.plans.models import CommuneStatus

        year = figure_year(target_year(target), on)
        scope = target.plan.unit
        communes = list(
            Unit.objects.subtree(scope)
            .communes()
            .valid_on(target.plan.start)
            .select_related("district")
            .order_by("code")
        )
        records = {
            r.commune_id: r
            for r in CommuneStatus.objects.filter(
                commune__in=communes, kind__code=target.params["status"], year=year
            )
        }
        rows, achieved = [], 0
        for c in communes:
            r = records.get(c.pk)
            ok = bool(r and r.achieved and (r.recognised_on is None or r.recognised_on <= on))
            achieved += ok
            rows.append(Row(unit_label(c), r.source if r else _("chưa có số liệu"), ok))
        return _figure(
            achieved,
            len(communes),
            Decimal(target.params["goal_share"]),
            _("xã, thị trấn"),
            year,
            rows,
            _("Các đơn vị cấp xã"),
            any(r.illustrative for r in records.values()),
        )


register(HamletShare())
register(HouseholdShare())
register(CommuneShare())
