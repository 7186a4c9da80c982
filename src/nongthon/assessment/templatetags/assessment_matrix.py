"""The cells of one matrix row, rendered in Python: a province of 500 communes has 10,000
cells, and the template loop took most of the page's time (each cell resolves a dozen
variables). Same markup as the template wrote."""

from __future__ import annotations

from html import escape  # Django's escape is this one, wrapped for lazy strings (slower)

from django import template
from django.utils.safestring import SafeString, mark_safe

from nongthon.assessment.queries import MatrixRow

register = template.Library()


@register.simple_tag
def matrix_cells(row: MatrixRow, card_url: str) -> SafeString:
    labels: dict[str, str] = {}  # one translation per verdict, not per cell
    url = escape(card_url)
    parts = []
    for cell in row.cells:
        verdict = cell.verdict
        label = labels.get(verdict.status)
        if label is None:
            label = labels[verdict.status] = escape(str(verdict.label))
        title = escape(cell.reason) if cell.reason else label
        parts.append(
            f'<td class="text-center table-{verdict.css}" data-status="{escape(verdict.status)}"'
            f' data-criterion="{cell.number}" title="{title}">'
            f'<a class="text-reset text-decoration-none" href="{url}#tc-{cell.number}">'
            f'<span aria-hidden="true">{verdict.symbol}</span>'
            f'<span class="visually-hidden">{label}</span></a></td>'
        )
    return mark_safe("".join(parts))  # noqa: S308  (every value above is escaped)
