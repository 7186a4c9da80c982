"""A report as pages and documents show it: sections with each figure's value, the texts.

An accepted report is read from its snapshot only (the form, the figures and the texts as they
were when accepted); any other report from its stored figures (read when opened, refreshed on
request, read again when sent) with the form as it is now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from nongthon.catalogue.engine import plain
from nongthon.funding.amounts import MoneyUnit, in_unit
from nongthon.plans.documents import vn_number
from nongthon.reporting import figures as figure_values
from nongthon.reporting.definitions import FigureDef, FormDef, SectionDef, TextDef
from nongthon.reporting.models import Submission

MONEY_UNIT = MoneyUnit.TRIEU  # reports show money in triệu đồng, as the seed plans write it


def money_in_unit(value: Decimal) -> Decimal:
    return in_unit(value, MONEY_UNIT)


def unit_label(figure: FigureDef) -> str:
    return str(MoneyUnit(MONEY_UNIT).label) if figure.is_money else figure.unit


def shown(figure: FigureDef, value, vietnamese: bool = False) -> str:
    """The value the way a reader expects it: localized on pages, always Vietnamese in the
    documents (`vietnamese`); money in triệu đồng; "—" when there is no data."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ""
    number = money_in_unit(value) if figure.is_money else plain(Decimal(value))
    if vietnamese:
        return vn_number(number)
    return number_format(number, use_l10n=True, force_grouping=True)


@dataclass
class FigureRow:
    figure: FigureDef
    value: Decimal | dict | None

    @property
    def shown(self) -> str:
        return shown(self.figure, self.value)

    @property
    def unit(self) -> str:
        return unit_label(self.figure)

    @property
    def is_typed(self) -> bool:
        return self.figure.kind == "typed"

    @property
    def is_table(self) -> bool:
        return self.figure.kind == "table"


@dataclass
class SectionView:
    section: SectionDef
    rows: list[FigureRow]


@dataclass
class ReportView:
    form: FormDef
    period_label: str
    as_of: dt.date
    submitter: str
    sections: list[SectionView]
    texts: list[tuple[TextDef, str]]
    criteria_set: str
    illustrative: bool
    frozen: bool
    raw_typed: dict

    def typed_text(self, code: str) -> str:
        value = self.raw_typed.get(code)
        return "" if value is None else str(value)


def report_view(submission: Submission) -> ReportView:
    """The report as shown: from its snapshot once accepted, else from its stored figures."""
    snapshot = submission.snapshot if submission.is_frozen else None
    if snapshot:
        form = FormDef.from_dict(snapshot["form"])
        stored, typed, texts = snapshot["figures"], snapshot["typed"], snapshot["texts"]
        period_label = snapshot["period"]["label"]
        as_of = dt.date.fromisoformat(snapshot["period"]["as_of"])
        submitter = snapshot["submitter"]["agency"] or snapshot["submitter"]["unit_name"]
    else:
        period = submission.period
        form = period.form
        stored, typed, texts = submission.figures, submission.typed, submission.texts
        period_label, as_of = period.label, period.as_of
        submitter = submission.submitter_name
    values = figure_values.all_values(stored, typed)
    sections = [
        SectionView(
            section,
            [FigureRow(f, figure_values.value_of(f, values)) for f in section.figures],
        )
        for section in form.sections
    ]
    return ReportView(
        form=form,
        period_label=period_label,
        as_of=as_of,
        submitter=submitter,
        sections=sections,
        texts=[(t, (texts or {}).get(t.code, "")) for t in form.texts],
        criteria_set=(stored or {}).get("criteria_set", ""),
        illustrative=bool((stored or {}).get("illustrative")) or submission.illustrative,
        frozen=bool(snapshot),
        raw_typed=typed or {},
    )


def no_data_note() -> str:
    return _("— : chưa có dữ liệu (không có bộ tiêu chí hoặc kết quả đánh giá của năm).")
