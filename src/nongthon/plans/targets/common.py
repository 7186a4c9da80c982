"""Helpers the shipped types share: the year a figure reads at a date, names of units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import formats

from nongthon.places.models import Unit


def figure_year(target_year: int, on: dt.date) -> int:
    """Yearly data (evaluations, statuses) read at a date: that date's year, never past the
    target's year (a 2022 target judged in 2024 reads the 2022 results)."""
    return min(on.year, target_year)


def target_year(target) -> int:
    return int(target.params.get("year") or target.deadline.year)


def number(value: Decimal | int | None, places: int = 1) -> str:
    """1234.5 → "1.234,5" in the active language's format."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return formats.localize(value, use_l10n=True)
    quantum = Decimal(1).scaleb(-places)
    shown = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if shown == shown.to_integral():
        shown = shown.quantize(Decimal(1))
    return formats.localize(shown, use_l10n=True)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def unit_label(unit: Unit) -> str:
    district = unit.district.name if unit.district_id else ""
    return f"{unit.name} ({district})" if district else unit.name


def urls_by_pk(viewname: str, *after) -> Callable[[int], str]:
    """pk -> reverse(viewname, args=[pk, *after]): one `reverse` for the hundreds of rows of a
    province's figure (a marker pk is swapped for each)."""
    marker = 987654321
    head, tail = reverse(viewname, args=[marker, *after]).split(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"
