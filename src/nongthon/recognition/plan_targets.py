"""Plan target types computed from the titles (registered in RecognitionConfig.ready()):
named units recognised in a year, the number (share) of titled units, one district's or the
province's title, titles kept. Every figure reads recognition/queries.py; yearly figures are read
at the date, never past the target's year (a 2022 target judged in 2024 reads 31/12/2022).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.places.models import Level, Unit
from nongthon.plans.targets.base import (
    CHOICE,
    DECIMAL,
    INT,
    TEXT,
    UNIT,
    UNITS,
    Figure,
    Param,
    Row,
    TargetType,
)
from nongthon.plans.targets.common import (
    number,
    percent,
    target_year,
    unit_label,
    urls_by_pk,
)
from nongthon.recognition import queries
from nongthon.recognition.models import Title

TIERS = (
    ("ntm", gettext_lazy("Nông thôn mới")),
    ("nang_cao", gettext_lazy("Nông thôn mới nâng cao")),
    ("kieu_mau", gettext_lazy("Nông thôn mới kiểu mẫu")),
    ("hoan_thanh", gettext_lazy("Hoàn thành nhiệm vụ xây dựng nông thôn mới")),
)
LEVELS = (("commune", gettext_lazy("Cấp xã")), ("district", gettext_lazy("Cấp huyện")))
YEAR = Param("year", gettext_lazy("Năm"), INT, required=False)


def _read_on(target, on: dt.date) -> dt.date:
    """The date a yearly figure reads: `on`, never past the end of the target's year."""
    return min(on, queries.year_end(target_year(target)))


def _tier_label(tier: str) -> str:
    return str(dict(TIERS).get(tier, tier))


def _decision_text(title: Title) -> str:
    return _("QĐ %(n)s ngày %(d)s") % {
        "n": title.decision.number,
        "d": title.decision.date.strftime("%d/%m/%Y"),
    }


def _title_row(title: Title, ok: bool | None = True) -> Row:
    return Row(
        unit_label(title.unit),
        _decision_text(title),
        ok,
        reverse("recognition:title", args=[title.pk]),
    )


def _held_rows(titles) -> tuple[list[Row], bool]:
    """The rows of titles held (a province's hundreds: plain values, one `reverse`), and
    whether any is illustrative."""
    url = urls_by_pk("recognition:title")
    rows, illustrative = [], False
    values = titles.values_list(
        "pk",
        "unit__name",
        "unit__district__name",
        "decision__number",
        "decision__date",
        "illustrative",
    )
    for pk, name, district, number_, date, example in values:
        label = f"{name} ({district})" if district else name
        text = _("QĐ %(n)s ngày %(d)s") % {"n": number_, "d": date.strftime("%d/%m/%Y")}
        rows.append(Row(label, text, True, url(pk)))
        illustrative = illustrative or example
    return rows, illustrative


def _unit_word(level: str) -> str:
    return _("xã") if level == Level.COMMUNE else _("đơn vị cấp huyện")


def _illustrative(titles) -> bool:
    return any(t.illustrative for t in titles)


class NamedUnitsRecognised(TargetType):
    """Named units recognised for a tier within the year. Figure: how many of `units` hold a
    recognition decision of `tier` dated in `year` and on or before the date; rows: each unit
    with its decision (number, date) or "chưa công nhận". Achieved when all are."""

    code = "recognition.named_units"
    family = "recognition"
    label = gettext_lazy("Công nhận các đơn vị được nêu tên")
    description = gettext_lazy(
        "Ví dụ: Công nhận thêm 03 xã đạt chuẩn NTM: Phú Hữu, Phú Tân, Vị Bình"
    )
    params = (
        Param("tier", gettext_lazy("Mức đạt chuẩn"), CHOICE, choices=TIERS),
        Param("level", gettext_lazy("Cấp"), CHOICE, choices=LEVELS),
        Param("units", gettext_lazy("Các đơn vị được nêu tên"), UNITS),
        YEAR,
    )

    def clean(self, params, plan):
        cleaned = super().clean(params, plan)
        found = Unit.objects.subtree(plan.unit).filter(
            pk__in=cleaned["units"], level=cleaned["level"]
        )
        if found.count() != len(set(cleaned["units"])):
            raise ValidationError(
                {"units": _("Các đơn vị được nêu tên phải thuộc đơn vị ban hành kế hoạch.")}
            )
        return cleaned

    def compute(self, target, on: dt.date) -> Figure:
        params = target.params
        year = target_year(target)
        tier = params["tier"]
        units = list(
            Unit.objects.filter(pk__in=params["units"]).select_related("district").order_by("code")
        )
        granted = queries.titles_granted_to([u.pk for u in units], year, tier, on)
        rows = []
        for unit in units:
            title = granted.get(unit.pk)
            if title is not None:
                rows.append(_title_row(title))
            else:
                url = reverse("recognition:titles", args=[unit.pk])
                rows.append(Row(unit_label(unit), _("chưa công nhận"), False, url))
        done = len(granted)
        return Figure(
            shown=_("%(d)s/%(n)s %(w)s được công nhận %(t)s năm %(y)s")
            % {
                "d": done,
                "n": len(units),
                "w": _unit_word(params["level"]),
                "t": _tier_label(tier),
                "y": year,
            },
            value=Decimal(done),
            goal=Decimal(len(units)),
            achieved=bool(units) and done == len(units),
            rows=rows,
            rows_title=_("Các đơn vị được nêu tên"),
            illustrative=_illustrative(granted.values()),
        )


class TitledCount(TargetType):
    """Units under the plan's unit holding the title of `tier` at the date (recognised on or
    before it, not revoked): a count ("nâng tổng số ... lên 12 xã") or a share ("ít nhất 50%").
    Rows: the titled units with their decisions."""

    code = "recognition.titled_count"
    family = "recognition"
    label = gettext_lazy("Tổng số (tỷ lệ) đơn vị đạt chuẩn")
    description = gettext_lazy(
        "Ví dụ: nâng tổng số xã đạt chuẩn NTM nâng cao lên 12 xã; 38/51 xã (74,5%)"
    )
    params = (
        Param("tier", gettext_lazy("Mức đạt chuẩn"), CHOICE, choices=TIERS),
        Param("level", gettext_lazy("Cấp"), CHOICE, choices=LEVELS),
        Param("goal_count", gettext_lazy("Số đơn vị chỉ tiêu"), INT, required=False),
        Param("goal_share", gettext_lazy("Tỷ lệ chỉ tiêu (%)"), DECIMAL, required=False),
        YEAR,
    )

    def compute(self, target, on: dt.date) -> Figure:
        params = target.params
        tier, level = params["tier"], params["level"]
        root = target.plan.unit
        day = _read_on(target, on)
        rows, illustrative = _held_rows(queries.titled_units(root, day, tier, level))
        total = queries.units_counted(root, level).count()
        start = target.plan.start - dt.timedelta(days=1)
        baseline = queries.titled_units(root, start, tier, level).count()
        if params.get("goal_count") is not None:
            goal = Decimal(params["goal_count"])
        elif params.get("goal_share") is not None:
            goal = Decimal(params["goal_share"]) * total / 100
        else:
            goal = Decimal(total)
        held = len(rows)
        return Figure(
            shown=_("%(h)s/%(n)s %(w)s đạt chuẩn %(t)s (%(s)s%%) ngày %(d)s")
            % {
                "h": held,
                "n": total,
                "w": _unit_word(level),
                "t": _tier_label(tier),
                "s": number(percent(held, total)),
                "d": day.strftime("%d/%m/%Y"),
            },
            value=Decimal(held),
            goal=goal,
            baseline=Decimal(baseline),
            achieved=total > 0 and held >= goal,
            rows=rows,
            rows_title=_("Các đơn vị đang giữ danh hiệu"),
            illustrative=illustrative,
        )


class UnitTitle(TargetType):
    """One district or province reaching a title ("huyện Trà Cú đạt chuẩn NTM", "Thị xã Long Mỹ
    hoàn thành nhiệm vụ xây dựng NTM"). Figure: the decision, or "chưa công nhận" (with the
    QĐ 320 / 321 conditions computed from the units below, as the list)."""

    code = "recognition.unit_title"
    family = "recognition"
    label = gettext_lazy("Huyện, tỉnh đạt chuẩn / hoàn thành nhiệm vụ")
    description = gettext_lazy("Ví dụ: Thị xã Long Mỹ hoàn thành nhiệm vụ xây dựng nông thôn mới")
    params = (
        Param("unit", gettext_lazy("Đơn vị"), UNIT, level="district"),
        Param("tier", gettext_lazy("Mức đạt chuẩn"), CHOICE, choices=TIERS),
        YEAR,
    )

    def compute(self, target, on: dt.date) -> Figure:
        unit = Unit.objects.get(pk=target.params["unit"])
        tier = target.params["tier"]
        day = _read_on(target, on)
        title = queries.unit_title(unit, tier, day)
        if title is not None:
            return Figure(
                shown=_("%(u)s: %(t)s, %(q)s")
                % {"u": unit.name, "t": _tier_label(tier), "q": _decision_text(title)},
                value=Decimal(1),
                goal=Decimal(1),
                achieved=True,
                rows=[_title_row(title)],
                rows_title=_("Quyết định công nhận"),
                illustrative=title.illustrative,
            )
        report = queries.conditions_report(unit, day)
        rows = []
        if report is not None:
            url = reverse("recognition:conditions", args=[unit.pk])
            rows = [Row(c.text, c.detail, c.met, url) for c in report.conditions]
        return Figure(
            shown=_("%(u)s: chưa công nhận %(t)s (ngày %(d)s)")
            % {"u": unit.name, "t": _tier_label(tier), "d": day.strftime("%d/%m/%Y")},
            value=Decimal(0),
            goal=Decimal(1),
            achieved=False,
            rows=rows,
            rows_title=_("Điều kiện tính từ danh hiệu của các đơn vị trực thuộc"),
        )


class TitlesKept(TargetType):
    """Titles held at the plan's start still held at the date (none revoked): "Duy trì và nâng
    chất các đơn vị xã đạt chuẩn ...". Rows: revoked titles and failed maintenance checks (the
    year's review); a title flagged "đề xuất thu hồi" is not kept either."""

    code = "recognition.titles_kept"
    family = "recognition"
    label = gettext_lazy("Duy trì các danh hiệu đã đạt")
    description = gettext_lazy("Ví dụ: Duy trì và nâng chất các xã đạt chuẩn NTM, NTM nâng cao")
    params = (Param("tiers", gettext_lazy("Các mức (cách nhau dấu phẩy)"), TEXT), YEAR)

    def clean(self, params, plan):
        cleaned = super().clean(params, plan)
        tiers = [t.strip() for t in cleaned["tiers"].split(",") if t.strip()]
        unknown = [t for t in tiers if t not in dict(TIERS)]
        if not tiers or unknown:
            raise ValidationError(
                {
                    "tiers": _("Các mức: %(ok)s (không có: %(bad)s).")
                    % {"ok": ", ".join(dict(TIERS)), "bad": ", ".join(unknown) or "—"}
                }
            )
        cleaned["tiers"] = ",".join(tiers)
        return cleaned

    def compute(self, target, on: dt.date) -> Figure:
        tiers = [t.strip() for t in target.params["tiers"].split(",") if t.strip()]
        root = target.plan.unit
        year = target_year(target)
        day = _read_on(target, on)
        start = target.plan.start
        base = queries.titles_held(root, start).filter(tier__in=tiers).count()
        lost = queries.titles_lost(root, tiers, start, day)
        rows = [
            Row(
                unit_label(t.unit),
                _("%(t)s: thu hồi ngày %(d)s")
                % {"t": t.get_tier_display(), "d": f"{t.ended_on:%d/%m/%Y}"},
                False,
                reverse("recognition:title", args=[t.pk]),
            )
            for t in lost
        ]
        flagged = 0
        final = day >= queries.year_end(year)
        if final:
            # The year's maintenance review exists once the year's evaluations are in.
            lost_ids = {t.pk for t in lost}
            for review in queries.maintenance_review(root, year):
                if review.title.tier not in tiers or review.title.pk in lost_ids:
                    continue
                flagged += review.status == queries.REVOKE
                rows.append(
                    Row(
                        unit_label(review.title.unit),
                        f"{review.title.get_tier_display()}: {review.label}. {review.reason}",
                        None if review.status == queries.REVIEW else False,
                        reverse("recognition:title", args=[review.title.pk]),
                    )
                )
        kept = base - len(lost) - flagged
        return Figure(
            shown=_("%(k)s/%(b)s danh hiệu được duy trì; %(l)s bị thu hồi, %(f)s đề xuất thu hồi")
            % {"k": kept, "b": base, "l": len(lost), "f": flagged},
            value=Decimal(kept),
            goal=Decimal(base),
            # Before the year's end nothing is final: progress (kept/held) drives the status.
            achieved=(kept == base) if final and base else None,
            rows=rows,
            rows_title=_("Danh hiệu bị thu hồi, không duy trì hoặc cần rà soát"),
            note=_("Danh hiệu đang giữ ngày %(d)s, mức: %(t)s.")
            % {"d": start.strftime("%d/%m/%Y"), "t": ", ".join(_tier_label(t) for t in tiers)},
        )


TYPES = (NamedUnitsRecognised, TitledCount, UnitTitle, TitlesKept)
