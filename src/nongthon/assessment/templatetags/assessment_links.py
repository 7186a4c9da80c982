"""The unit page's "Đánh giá tiêu chí" links: years and set families of the data-entry page.

A tag, so the include on the unit page computes nothing itself (two small queries here)."""

from __future__ import annotations

from django import template

from nongthon.assessment import entry_queries
from nongthon.places.models import Unit

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_links(context, unit: Unit) -> list[entry_queries.YearChoice]:
    """Years (newest first) with their families; empty when the user may not see the values."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None:
        return []
    return entry_queries.unit_links(user, unit)
