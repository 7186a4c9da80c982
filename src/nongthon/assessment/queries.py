"""Read side of evaluations: the unit scorecard, the communes × criteria matrix, totals per
criterion, the summary figures of the seed plans, and the list of communes behind each figure.

Everything here reads stored evaluations (Evaluation, CriterionResult); nothing runs the engine.
Counts are SQL aggregates so a province (or 10,000 communes) stays a couple of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongthon.assessment.models import (
    Confirmation,
    CriterionResult,
    Evaluation,
    Evidence,
    IndicatorValue,
)
from nongthon.assessment.services import display_value, governing_set
from nongthon.catalogue.models import (
    CriteriaSet,
    Criterion,
    CriterionResponsibility,
    Indicator,
    SetStatus,
    Tier,
)
from nongthon.places.models import Agency, Level, Region, Unit

MET, NOT_MET, MISSING = "met", "not_met", "missing"

# The seed plans' yardsticks: NQ 25/2021/QH15 wants no commune below 15 criteria, and the plans
# count the communes at 14 criteria or more.
BELOW = 15
AT_LEAST = 14

VERDICT_LABELS = {
    MET: gettext_lazy("Đạt"),
    NOT_MET: gettext_lazy("Chưa đạt"),
    MISSING: gettext_lazy("Thiếu dữ liệu"),
}
VERDICT_CLASSES = {MET: "success", NOT_MET: "danger", MISSING: "warning"}
VERDICT_SYMBOLS = {MET: "✓", NOT_MET: "✗", MISSING: "?"}


@dataclass(frozen=True)
class Verdict:
    status: str

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS.get(self.status, self.status))

    @property
    def css(self) -> str:
        """Bootstrap colour name: success / danger / warning."""
        return VERDICT_CLASSES.get(self.status, "secondary")

    @property
    def symbol(self) -> str:
        return VERDICT_SYMBOLS.get(self.status, "·")


# --- Which set, which communes ----------------------------------------------------------------


def province_id_of(unit: Unit) -> int | None:
    return unit.pk if unit.level == Level.PROVINCE else unit.province_id


def commune_set(scope: Unit, family: str, year: int) -> CriteriaSet | None:
    """The commune set of `family` that governs the communes under `scope` in `year`: the
    province's refinement when there is one, else the national set."""
    return (
        _commune_sets(scope, year)
        .filter(family=family)
        .order_by(F("province_id").asc(nulls_last=True))
        .first()
    )


def _commune_sets(scope: Unit, year: int) -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.filter(
        status=SetStatus.ACTIVE,
        level=Level.COMMUNE,
        period_from__lte=year,
        period_to__gte=year,
    ).filter(Q(province__isnull=True) | Q(province_id=province_id_of(scope)))


def commune_families(scope: Unit, year: int) -> list[CriteriaSet]:
    """One governing set per family (NTM, nâng cao, kiểu mẫu...) for the communes of `scope`."""
    chosen: dict[str, CriteriaSet] = {}
    for s in _commune_sets(scope, year).order_by(F("province_id").asc(nulls_last=True)):
        chosen.setdefault(s.family, s)
    return sorted(chosen.values(), key=lambda s: (s.tier != "ntm", s.tier, s.family))


def below(scope: Unit, prefix: str = "unit__", level: str | None = None) -> Q:
    """Units under `scope` (itself for a commune), through `prefix`; only of `level` if given.
    As `unit IN (SELECT id ...)`: a join on the unit lets SQLite scan a whole year's rows of the
    country through the (family, year) index; the list of ids uses the (unit, year, ...) one."""
    if scope.level == Level.COMMUNE:
        return Q(**{f"{prefix}id": scope.pk}) & (
            Q() if level in (None, Level.COMMUNE) else Q(pk__in=[])
        )
    units = Unit.objects.filter(
        **({"province": scope} if scope.level == Level.PROVINCE else {"district": scope})
    )
    if level:
        units = units.filter(level=level)
    return Q(**{f"{prefix}in": units.values("pk")})


def commune_evaluations(scope: Unit, criteria_set: CriteriaSet, year: int) -> QuerySet[Evaluation]:
    """The denominator of every figure: communes under `scope` evaluated by the set that year."""
    return Evaluation.objects.filter(
        below(scope, level=Level.COMMUNE), criteria_set=criteria_set, year=year
    )


def evaluated_years(scope: Unit, family: str) -> list[int]:
    # The family's set ids as a list: a join on the sets makes SQLite scan every evaluation.
    sets = list(CriteriaSet.objects.filter(family=family).values_list("pk", flat=True))
    return list(
        Evaluation.objects.filter(below(scope, level=Level.COMMUNE), criteria_set_id__in=sets)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def has_illustrative_values(scope: Unit, year: int, family: str) -> bool:
    """Demo values under `scope`: every page that shows them says so."""
    return IndicatorValue.objects.filter(
        below(scope), year=year, family=family, illustrative=True
    ).exists()


def criteria_of(criteria_set: CriteriaSet) -> list[Criterion]:
    return list(Criterion.objects.filter(criteria_set=criteria_set).order_by("number"))


# --- Summary figures ---------------------------------------------------------------------------


@dataclass
class Summary:
    """The figures of the seed plans for the communes under `scope`, one year, one set."""

    scope: Unit
    year: int
    criteria_set: CriteriaSet
    criteria_count: int
    total: int
    all_met: int
    met_sum: int
    below_15: int
    at_least_14: int
    below_threshold: int = BELOW
    at_least_threshold: int = AT_LEAST

    @property
    def family(self) -> str:
        return self.criteria_set.family

    @property
    def all_met_percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.all_met * 100) / self.total).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def average(self) -> Decimal | None:
        """Criteria met per commune, to one decimal as the plans print it (18,2)."""
        if not self.total:
            return None
        return (Decimal(self.met_sum) / self.total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summary_figures(
    scope: Unit, year: int, family: str, criteria_set: CriteriaSet | None = None
) -> Summary | None:
    """One aggregate query over the stored evaluations; None when no set governs that year."""
    criteria_set = criteria_set or commune_set(scope, family, year)
    if criteria_set is None:
        return None
    figures = commune_evaluations(scope, criteria_set, year).aggregate(
        total=Count("pk"),
        all_met=Count("pk", filter=Q(all_met=True)),
        met_sum=Sum("met_count"),
        below_15=Count("pk", filter=Q(met_count__lt=BELOW)),
        at_least_14=Count("pk", filter=Q(met_count__gte=AT_LEAST)),
    )
    return Summary(
        scope=scope,
        year=year,
        criteria_set=criteria_set,
        criteria_count=Criterion.objects.filter(criteria_set=criteria_set).count(),
        total=figures["total"],
        all_met=figures["all_met"],
        met_sum=figures["met_sum"] or 0,
        below_15=figures["below_15"],
        at_least_14=figures["at_least_14"],
    )


@dataclass
class CriterionTotal:
    number: int
    name: str
    met: int = 0
    not_met: int = 0
    missing: int = 0


def criterion_totals(scope: Unit, criteria_set: CriteriaSet, year: int) -> list[CriterionTotal]:
    """Per criterion, how many communes meet it, fail it, lack data: one grouped query."""
    totals = {c.number: CriterionTotal(c.number, c.name) for c in criteria_of(criteria_set)}
    rows = (
        CriterionResult.objects.filter(
            evaluation__in=commune_evaluations(scope, criteria_set, year)
        )
        .values("criterion_number")
        .annotate(
            met=Count("pk", filter=Q(status=MET)),
            not_met=Count("pk", filter=Q(status=NOT_MET)),
            missing=Count("pk", filter=Q(status=MISSING)),
        )
    )
    for row in rows:
        total = totals.setdefault(
            row["criterion_number"], CriterionTotal(row["criterion_number"], "")
        )
        total.met, total.not_met, total.missing = row["met"], row["not_met"], row["missing"]
    return [totals[n] for n in sorted(totals)]


# --- The list behind a figure ------------------------------------------------------------------

FIGURES = ("all", "all_met", "below_15", "at_least_14", "criterion_not_met", "criterion_missing")
CRITERION_FIGURES = {"criterion_not_met": NOT_MET, "criterion_missing": MISSING}


class UnknownFigure(ValueError):
    pass


@dataclass
class ListRow:
    unit: Unit
    met_count: int
    total: int
    reason: str = ""


def figure_title(figure: str, criterion: int | None = None) -> str:
    titles = {
        "all": _("Các xã có kết quả đánh giá"),
        "all_met": _("Các xã đạt tất cả tiêu chí"),
        "below_15": _("Các xã đạt dưới %(n)s tiêu chí") % {"n": BELOW},
        "at_least_14": _("Các xã đạt từ %(n)s tiêu chí trở lên") % {"n": AT_LEAST},
        "criterion_not_met": _("Các xã chưa đạt tiêu chí %(n)s") % {"n": criterion},
        "criterion_missing": _("Các xã thiếu dữ liệu tiêu chí %(n)s") % {"n": criterion},
    }
    return titles[figure]


def figure_rows(
    scope: Unit, criteria_set: CriteriaSet, year: int, figure: str, criterion: int | None = None
) -> list[ListRow]:
    """The communes behind one figure, in the order of the official list."""
    if figure not in FIGURES or (figure in CRITERION_FIGURES and criterion is None):
        raise UnknownFigure(figure)
    # Without the detailed JSON (kilobytes per commune): lists and the matrix do not show it.
    evaluations = (
        commune_evaluations(scope, criteria_set, year)
        .select_related("unit", "unit__district")
        .defer("result")
    )
    if figure in CRITERION_FIGURES:
        results = (
            CriterionResult.objects.filter(
                evaluation__in=evaluations,
                criterion_number=criterion,
                status=CRITERION_FIGURES[figure],
            )
            .select_related("evaluation__unit__district")
            .defer("evaluation__result")
            .order_by("evaluation__unit__code")
        )
        return [
            ListRow(r.evaluation.unit, r.evaluation.met_count, r.evaluation.total, r.reason)
            for r in results
        ]
    where = {
        "all": Q(),
        "all_met": Q(all_met=True),
        "below_15": Q(met_count__lt=BELOW),
        "at_least_14": Q(met_count__gte=AT_LEAST),
    }[figure]
    return [
        ListRow(e.unit, e.met_count, e.total)
        for e in evaluations.filter(where).order_by("unit__code")
    ]


# --- The matrix --------------------------------------------------------------------------------

SORTS = {
    "": ("unit__district__code", "unit__code"),
    "met_desc": ("-met_count", "unit__code"),
    "met_asc": ("met_count", "unit__code"),
}


@dataclass
class MatrixCell:
    number: int
    verdict: Verdict
    reason: str


@dataclass
class MatrixRow:
    evaluation: Evaluation
    cells: list[MatrixCell]

    @property
    def unit(self) -> Unit:
        return self.evaluation.unit


def matrix_rows(
    scope: Unit, criteria_set: CriteriaSet, year: int, sort: str = ""
) -> list[MatrixRow]:
    """Communes × criteria: two queries (evaluations, then their criterion results)."""
    evaluations = list(
        commune_evaluations(scope, criteria_set, year)
        .select_related("unit", "unit__district")
        .defer("result")
        .order_by(*SORTS.get(sort, SORTS[""]))
    )
    by_evaluation: dict[int, dict[int, MatrixCell]] = {e.pk: {} for e in evaluations}
    for evaluation_id, number, status, reason in CriterionResult.objects.filter(
        evaluation__in=commune_evaluations(scope, criteria_set, year)
    ).values_list("evaluation_id", "criterion_number", "status", "reason"):
        by_evaluation[evaluation_id][number] = MatrixCell(number, Verdict(status), reason)
    numbers = [c.number for c in criteria_of(criteria_set)]
    return [
        MatrixRow(
            e,
            [by_evaluation[e.pk].get(n) or MatrixCell(n, Verdict(MISSING), "") for n in numbers],
        )
        for e in evaluations
    ]


# --- Confirmation as read by pages -------------------------------------------------------------


def responsible_agency(unit: Unit, family: str, criterion_number: int) -> Agency | None:
    """The agency of the unit's province that answers for the criterion (set by decision)."""
    row = (
        CriterionResponsibility.objects.filter(
            province_id=province_id_of(unit), family=family, criterion_number=criterion_number
        )
        .select_related("agency")
        .first()
    )
    return row.agency if row else None


def responsible_agencies(unit: Unit, family: str) -> dict[int, Agency]:
    return {
        r.criterion_number: r.agency
        for r in CriterionResponsibility.objects.filter(
            province_id=province_id_of(unit), family=family
        ).select_related("agency")
    }


@dataclass
class ConfirmationState:
    """What the commune sees: who answers for the criterion and what they said."""

    responsible: Agency | None
    record: Confirmation | None

    @property
    def status(self) -> str:
        return self.record.status if self.record else Confirmation.Status.PENDING

    @property
    def version(self) -> int:
        return self.record.version if self.record else 0

    @property
    def css(self) -> str:
        return {"confirmed": "success", "returned": "danger"}.get(self.status, "secondary")


def confirmation_states(
    unit: Unit, year: int, family: str, numbers: list[int]
) -> dict[int, ConfirmationState]:
    records = {
        c.criterion_number: c
        for c in Confirmation.objects.filter(
            unit=unit, year=year, family=family, criterion_number__in=numbers
        ).select_related("agency", "decided_by")
    }
    agencies = responsible_agencies(unit, family)
    return {n: ConfirmationState(agencies.get(n), records.get(n)) for n in numbers}


# --- The scorecard -----------------------------------------------------------------------------


def unit_evaluation(unit: Unit, year: int, family: str) -> tuple[Evaluation | None, bool]:
    """The stored evaluation by the governing set, and True; failing that (a new version not
    yet evaluated), the latest stored one of the family, and False."""
    current = governing_set(unit, family, year)
    evaluations = Evaluation.objects.filter(
        unit=unit, year=year, criteria_set__family=family
    ).select_related("criteria_set")
    if current is not None:
        found = evaluations.filter(criteria_set=current).first()
        if found is not None:
            return found, True
    return evaluations.order_by("-criteria_set__version", "-computed_at").first(), False


@dataclass
class IndicatorLine:
    code: str
    name: str
    verdict: Verdict
    reason: str
    by_hand: bool
    value: str = "—"
    has_value: bool = False
    evidence_count: int = 0
    illustrative: bool = False


@dataclass
class CriterionLine:
    number: int
    name: str
    verdict: Verdict
    reason: str
    is_key: bool
    confirmation: ConfirmationState
    indicators: list[IndicatorLine] = field(default_factory=list)


@dataclass
class Scorecard:
    unit: Unit
    year: int
    family: str
    evaluation: Evaluation
    is_governing: bool
    lines: list[CriterionLine]
    region_name: str
    illustrative: bool

    @property
    def criteria_set(self) -> CriteriaSet:
        return self.evaluation.criteria_set


def scorecard(unit: Unit, year: int, family: str) -> Scorecard | None:
    """Every criterion of the stored evaluation with its reasons, values, evidence counts and
    the responsible agency's word; None when the unit has no evaluation for that year."""
    evaluation, is_governing = unit_evaluation(unit, year, family)
    if evaluation is None:
        return None
    values = {
        v.indicator_code: v
        for v in IndicatorValue.objects.filter(unit=unit, year=year, family=family)
    }
    evidence = dict(
        Evidence.objects.filter(
            value__unit=unit, value__year=year, value__family=family, removed_at__isnull=True
        )
        .values("value__indicator_code")
        .annotate(n=Count("pk"))
        .values_list("value__indicator_code", "n")
    )
    indicators = {
        code: (name, unit)
        for code, name, unit in Indicator.objects.filter(
            criterion__criteria_set_id=evaluation.criteria_set_id
        ).values_list("code", "name", "unit_of_measure")
    }
    criteria = evaluation.result.get("criteria", [])
    states = confirmation_states(unit, year, family, [c["number"] for c in criteria])
    lines = []
    for c in criteria:
        line = CriterionLine(
            number=c["number"],
            name=c["name"],
            verdict=Verdict(c["status"]),
            reason=c["reason"],
            is_key=c.get("is_key", False),
            confirmation=states[c["number"]],
        )
        for i in c.get("indicators", []):
            row = values.get(i["code"])
            name, unit_of_measure = indicators.get(i["code"], ("", ""))
            line.indicators.append(
                IndicatorLine(
                    code=i["code"],
                    name=name,
                    verdict=Verdict(i["status"]),
                    reason=i["reason"],
                    by_hand=i.get("by_hand", False),
                    value=_shown(row, unit_of_measure),
                    has_value=row is not None,
                    evidence_count=evidence.get(i["code"], 0),
                    illustrative=bool(row and row.illustrative),
                )
            )
        lines.append(line)
    region_name = ""
    if evaluation.effective_region:
        region_name = (
            Region.objects.filter(code=evaluation.effective_region)
            .values_list("name", flat=True)
            .first()
            or evaluation.effective_region
        )
    return Scorecard(
        unit=unit,
        year=year,
        family=family,
        evaluation=evaluation,
        is_governing=is_governing,
        lines=lines,
        region_name=region_name,
        illustrative=any(v.illustrative for v in values.values()),
    )


def _shown(row: IndicatorValue | None, unit_of_measure: str) -> str:
    """The stored value as entered, with its unit the Vietnamese way ("68%", "46,3 triệu")."""
    if row is None:
        return "—"
    shown = display_value(row)
    if row.value_number is None or not unit_of_measure:
        return shown
    return f"{shown}{unit_of_measure}" if unit_of_measure == "%" else f"{shown} {unit_of_measure}"


def unit_families(unit: Unit) -> list[tuple[int, str, str]]:
    """(year, family, tier label) of the unit's own stored evaluations, newest first."""
    rows = (
        Evaluation.objects.filter(unit=unit)
        .values_list("year", "criteria_set__family", "criteria_set__tier")
        .distinct()
        .order_by("-year", "criteria_set__family")
    )
    return _labelled(rows)


def subtree_families(scope: Unit) -> list[tuple[int, str, str]]:
    """(year, family, tier label) with evaluations of communes under `scope`, newest first."""
    rows = (
        Evaluation.objects.filter(below(scope, level=Level.COMMUNE))
        .values_list("year", "criteria_set__family", "criteria_set__tier")
        .distinct()
        .order_by("-year", "criteria_set__family")
    )
    return _labelled(rows)


def _labelled(rows) -> list[tuple[int, str, str]]:
    seen: dict[tuple[int, str], str] = {}
    for year, family, tier in rows:
        seen.setdefault((year, family), str(Tier(tier).label) if tier in Tier.values else tier)
    return [(year, family, label) for (year, family), label in seen.items()]
