"""The communes × criteria matrix of a province, rendered once per state of its evaluations.

A big province's matrix is thousands of cells: rendering them is most of the page's time, while
the evaluations behind it change only when values are saved or a set is re-evaluated. The
rendered body is kept in the cache under a fingerprint of what it shows, read back in one
aggregate query: the number, id sum and latest `computed_at` of the scope's evaluations (every
rewrite of an evaluation and its criterion results stamps `computed_at`), and the latest change
of any unit (a renamed commune or district). A stale body can therefore never be served, so a
per-process cache (each gunicorn worker its own) is as correct as a shared one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from nongthon.assessment import queries
from nongthon.catalogue.models import CriteriaSet
from nongthon.places.models import Unit

TIMEOUT = 24 * 3600  # unused bodies age out; correctness comes from the fingerprint


def fingerprint(scope: Unit, criteria_set: CriteriaSet, year: int) -> str:
    figures = queries.commune_evaluations(scope, criteria_set, year).aggregate(
        n=Count("pk"), ids=Sum("pk"), last=Max("computed_at")
    )
    units = Unit.history.aggregate(last=Max("history_date"))["last"]
    return f"{figures['n']}:{figures['ids']}:{figures['last']}:{units}"


def body(
    scope: Unit, criteria_set: CriteriaSet, year: int, variant: str, render: Callable[[], str]
) -> str:
    """The rendered body for `variant` (sort order, district filter), from the cache when the
    evaluations have not changed since it was rendered."""
    state = fingerprint(scope, criteria_set, year)
    parts = [scope.pk, criteria_set.pk, year, variant, get_language(), state]
    key = "matrix:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, str(html), TIMEOUT)
    return mark_safe(html)  # noqa: S308 - our own template's output
