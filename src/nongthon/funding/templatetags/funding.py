"""{{ amount|money:unit }}: đồng shown in the unit the user picked, with the locale's separators."""

from decimal import Decimal

from django import template
from django.utils import formats

from nongthon.funding.amounts import MoneyUnit, in_unit

register = template.Library()


@register.filter
def money(dong: Decimal | None, unit: str = MoneyUnit.TRIEU) -> str:
    if dong is None:
        return "—"
    return formats.number_format(in_unit(dong, unit), use_l10n=True, force_grouping=True)


@register.filter
def money_label(unit: str) -> str:
    return str(MoneyUnit(unit).label) if unit in MoneyUnit.values else ""
