"""The target framework: what a target type is, the figure it computes, the status rule, and
the registry. Nothing here knows any type; types register themselves (plans/targets/*.py, and
later recognition/ocop/funding from their own apps).

A type is an object with:
  code, family, label     — "criteria.average", "criteria", "Bình quân tiêu chí/xã"
  params                  — list[Param]: what the plan fixes (family, year, number, named units...)
  clean(params, plan)     — validated, normalised params (raise ValidationError naming the field)
  compute(target, on)     — Figure at a date: the number, how it reads, the rows behind it
  status(target, on)      — default: the rule in data/progress.yaml over compute(); override when
                            the type knows better
A `pending` type declares a code and its params for a module not merged yet: targets of that code
can be entered and printed; their figure says the module is missing. Registering the real type
with the same code replaces the pending one, with no change to stored targets.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from nongthon.plans.models import Plan, Target

ACHIEVED = "dat"
ON_TRACK = "dung_tien_do"
AT_RISK = "co_nguy_co"
NOT_ACHIEVED = "chua_dat"
NO_DATA = "chua_co_du_lieu"

STATUS_LABELS = {
    ACHIEVED: gettext_lazy("Đạt"),
    ON_TRACK: gettext_lazy("Đúng tiến độ"),
    AT_RISK: gettext_lazy("Có nguy cơ"),
    NOT_ACHIEVED: gettext_lazy("Chưa đạt"),
    NO_DATA: gettext_lazy("Chưa có dữ liệu"),
}
STATUS_CSS = {
    ACHIEVED: "success",
    ON_TRACK: "primary",
    AT_RISK: "warning",
    NOT_ACHIEVED: "danger",
    NO_DATA: "secondary",
}

# Parameter kinds the entry form knows how to ask for.
INT, DECIMAL, TEXT, CHOICE, UNITS, UNIT, FAMILY, STATUS_KIND, BOOL = (
    "int",
    "decimal",
    "text",
    "choice",
    "units",
    "unit",
    "family",
    "status_kind",
    "bool",
)


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    kind: str
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    # For UNITS / UNIT: which level the plan's units may be picked from.
    level: str = "commune"


@dataclass
class Row:
    """One line of the list behind a figure."""

    label: str
    detail: str = ""
    ok: bool | None = None
    url: str = ""


@dataclass
class Figure:
    shown: str
    value: Decimal | None = None
    goal: Decimal | None = None
    baseline: Decimal | None = None
    achieved: bool | None = None
    rows: list[Row] = field(default_factory=list)
    rows_title: str = ""
    note: str = ""
    illustrative: bool = False
    available: bool = True

    @property
    def progress(self) -> Decimal | None:
        """Share of the way from the baseline (0 when none) to the goal, 0..1."""
        if self.value is None or self.goal is None:
            return None
        start = self.baseline or Decimal(0)
        if self.goal == start:
            return Decimal(1) if self.value >= self.goal else Decimal(0)
        share = (self.value - start) / (self.goal - start)
        return max(Decimal(0), min(Decimal(1), share))


@dataclass
class Judgement:
    code: str
    reason: str = ""

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.code])

    @property
    def css(self) -> str:
        return STATUS_CSS[self.code]


@cache
def progress_rule() -> dict[str, Any]:
    with open(Path(__file__).resolve().parent.parent / "data" / "progress.yaml") as f:
        return yaml.safe_load(f)


def judge(figure: Figure, start: dt.date, deadline: dt.date, on: dt.date) -> Judgement:
    """The status rule of data/progress.yaml over a computed figure."""
    if not figure.available:
        return Judgement(NO_DATA, figure.note)
    if figure.achieved:
        return Judgement(ACHIEVED)
    # The deadline day still belongs to the target: overdue from the day after.
    if on > deadline:
        return Judgement(NOT_ACHIEVED, _("Đã quá hạn %(d)s") % {"d": deadline.strftime("%d/%m/%Y")})
    if figure.achieved is None and figure.value is None:
        return Judgement(NO_DATA, figure.note)
    if on == deadline:
        return Judgement(
            AT_RISK, _("Hạn hoàn thành hôm nay (%(d)s)") % {"d": deadline.strftime("%d/%m/%Y")}
        )
    rule = progress_rule()
    progress = figure.progress
    if progress is None:
        days_left = (deadline - on).days
        if days_left <= rule["at_risk_days"]:
            return Judgement(AT_RISK, _("Còn %(n)s ngày đến hạn") % {"n": days_left})
        return Judgement(ON_TRACK)
    span = max((deadline - start).days, 1)
    elapsed = Decimal(max(0, (on - start).days)) / span
    if progress >= elapsed - Decimal(str(rule["at_risk_margin"])):
        return Judgement(ON_TRACK)
    return Judgement(
        AT_RISK,
        _("Tiến độ %(p)s%% so với %(t)s%% thời gian")
        % {"p": round(progress * 100), "t": round(elapsed * 100)},
    )


class TargetType(ABC):
    """Base for target types; subclasses set the attributes and implement compute() (a type
    without it cannot be instantiated, so it can never be registered)."""

    code: str = ""
    family: str = ""
    label: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    pending: bool = False
    module: str = ""  # for pending types: the app that will compute them

    def clean(self, params: dict[str, Any], plan: Plan) -> dict[str, Any]:
        """Keep the declared params only, check the required ones; types add their checks."""
        cleaned: dict[str, Any] = {}
        errors = {}
        for p in self.params:
            value = params.get(p.name)
            if value in (None, "", []):
                if p.required:
                    errors[p.name] = _("%(f)s: bắt buộc.") % {"f": p.label}
                continue
            try:
                cleaned[p.name] = _coerce(p, value)
            except (ValueError, TypeError):
                errors[p.name] = _("%(f)s: giá trị không hợp lệ «%(v)s».") % {
                    "f": p.label,
                    "v": value,
                }
        if errors:
            raise ValidationError(errors)
        return cleaned

    @abstractmethod
    def compute(self, target: Target, on: dt.date) -> Figure:
        """The figure of `target` read at `on`."""

    def status(self, target: Target, on: dt.date, figure: Figure | None = None) -> Judgement:
        figure = figure if figure is not None else self.compute(target, on)
        return judge(figure, target.plan.start, target.deadline, on)

    def describe_params(self, params: dict[str, Any]) -> str:
        """The params as a person reads them (for lists and the Excel export): unit names,
        choice labels, Vietnamese numbers."""
        from nongthon.places.models import Unit

        parts = []
        for p in self.params:
            if p.name not in params:
                continue
            value = params[p.name]
            if p.kind in (UNITS, UNIT):
                ids = value if isinstance(value, list) else [value]
                names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
                value = ", ".join(names.get(i, str(i)) for i in ids)
            elif p.kind == CHOICE:
                value = str(dict(p.choices).get(value, value))
            elif p.kind == BOOL:
                value = _("có") if value else _("không")
            elif p.kind == DECIMAL:
                value = str(value).replace(".", ",")
            parts.append(f"{p.label}: {value}")
        return "; ".join(parts)


def _coerce(param: Param, value: Any) -> Any:
    if param.kind == INT:
        return int(value)
    if param.kind == DECIMAL:
        return str(Decimal(str(value).replace(",", ".")))
    if param.kind == BOOL:
        return bool(value) and value not in ("0", "false", "False")
    if param.kind == UNITS:
        return [int(v) for v in value]
    if param.kind == UNIT:
        return int(value)
    if param.kind == CHOICE:
        allowed = {c for c, _label in param.choices}
        if str(value) not in allowed:
            raise ValueError(value)
        return str(value)
    return str(value)


class PendingType(TargetType):
    """A declared type whose module is not merged yet: enterable, printed, not computed."""

    pending = True

    def compute(self, target: Target, on: dt.date) -> Figure:
        note = _("Chỉ tiêu này được tính khi có mô-đun %(m)s.") % {"m": self.module}
        return Figure(shown=_("Chưa tính được"), available=False, note=note)


_REGISTRY: dict[str, TargetType] = {}


def register(target_type: TargetType) -> TargetType:
    """Add a type; a real type replaces a pending one of the same code, nothing else may."""
    existing = _REGISTRY.get(target_type.code)
    if (
        existing is not None
        and not existing.pending
        and not target_type.pending
        and type(existing) is not type(target_type)
    ):
        raise ValueError(f"target type {target_type.code} registered twice")
    if existing is not None and target_type.pending and not existing.pending:
        return existing  # the real one is already there
    _REGISTRY[target_type.code] = target_type
    return target_type


def get(code: str) -> TargetType:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise ValidationError(
            {"type_code": _("Kiểu chỉ tiêu không có: %(c)s.") % {"c": code}}
        ) from None


def all_types() -> list[TargetType]:
    return sorted(_REGISTRY.values(), key=lambda t: (t.pending, t.family, t.code))
