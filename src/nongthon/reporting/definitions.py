"""Report forms and schedule rules as data (reporting/data/*.yaml): loaded, checked, typed.

A rule is also what a province stores (its edited copy of the default schedule), so `Rule`
reads from and writes to plain dicts, and every check names the rule and the field in Vietnamese.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATA = Path(__file__).resolve().parent / "data"

COMMUNE, DISTRICT, DEPARTMENT = "commune", "district", "department"
SUBMITTERS = (COMMUNE, DISTRICT, DEPARTMENT)
SUBMITTER_LABELS = {
    COMMUNE: gettext_lazy("Cấp xã"),
    DISTRICT: gettext_lazy("Cấp huyện"),
    DEPARTMENT: gettext_lazy("Sở, ngành"),
}
MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY, ADHOC = (
    "monthly",
    "quarterly",
    "half_yearly",
    "yearly",
    "adhoc",
)
FREQUENCIES = (MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)
FREQUENCY_LABELS = {
    MONTHLY: gettext_lazy("Hằng tháng"),
    QUARTERLY: gettext_lazy("Hằng quý"),
    HALF_YEARLY: gettext_lazy("6 tháng"),
    YEARLY: gettext_lazy("Hằng năm"),
    ADHOC: gettext_lazy("Đột xuất"),
}
LEVEL_ABOVE = "level_above"


# --- Forms ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureDef:
    code: str
    label: str
    unit: str = ""
    compute: str = ""
    typed: str = ""
    ratio: tuple[str, str] | None = None
    table: str = ""
    scale: int = 1
    places: int = 1

    @property
    def kind(self) -> str:
        for kind in ("compute", "typed", "ratio", "table"):
            if getattr(self, kind):
                return kind
        return ""

    @property
    def is_money(self) -> bool:
        return self.unit == "đồng"

    @property
    def summable(self) -> bool:
        return self.kind in ("compute", "typed")


@dataclass(frozen=True)
class SectionDef:
    code: str
    title: str
    source: str
    figures: tuple[FigureDef, ...]


@dataclass(frozen=True)
class TextDef:
    code: str
    label: str


@dataclass(frozen=True)
class FormDef:
    code: str
    name: str
    legal_basis: str
    source: str
    verified: bool
    sections: tuple[SectionDef, ...]
    texts: tuple[TextDef, ...]

    @property
    def figures(self) -> list[FigureDef]:
        return [f for s in self.sections for f in s.figures]

    def figure(self, code: str) -> FigureDef:
        for f in self.figures:
            if f.code == code:
                return f
        raise KeyError(code)

    @property
    def typed_figures(self) -> list[FigureDef]:
        return [f for f in self.figures if f.kind == "typed"]

    def as_dict(self) -> dict:
        """Plain data for the snapshot of an accepted report (the form as it then was)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FormDef:
        """The form kept in a snapshot, as it was when the report was accepted."""
        sections = tuple(
            SectionDef(
                s["code"],
                s["title"],
                s.get("source", ""),
                tuple(
                    FigureDef(**{**f, "ratio": tuple(f["ratio"]) if f.get("ratio") else None})
                    for f in s["figures"]
                ),
            )
            for s in data["sections"]
        )
        return cls(
            code=data["code"],
            name=data["name"],
            legal_basis=data["legal_basis"],
            source=data["source"],
            verified=data["verified"],
            sections=sections,
            texts=tuple(TextDef(**t) for t in data["texts"]),
        )


class DefinitionError(ValueError):
    pass


FIGURE_KEYS = {"code", "label", "unit", "compute", "typed", "ratio", "table", "scale", "places"}


def _figure(raw: dict, where: str) -> FigureDef:
    unknown = set(raw) - FIGURE_KEYS
    if unknown:
        # A comma in an unquoted flow-mapping label splits it into stray keys: refuse.
        raise DefinitionError(f"{where}: unknown keys {sorted(unknown)}")
    kinds = [k for k in ("compute", "typed", "ratio", "table") if raw.get(k)]
    if len(kinds) != 1:
        raise DefinitionError(f"{where}: a figure needs exactly one of compute/typed/ratio/table")
    ratio = tuple(raw["ratio"]) if raw.get("ratio") else None
    if ratio is not None and len(ratio) != 2:
        raise DefinitionError(f"{where}: ratio takes two figure codes")
    if raw.get("typed") and raw["typed"] not in ("integer", "decimal"):
        raise DefinitionError(f"{where}: typed is integer or decimal")
    return FigureDef(
        code=raw["code"],
        label=raw["label"],
        unit=raw.get("unit", ""),
        compute=raw.get("compute", ""),
        typed=raw.get("typed", ""),
        ratio=ratio,
        table=raw.get("table", ""),
        scale=int(raw.get("scale", 1)),
        places=int(raw.get("places", 1)),
    )


def _form(raw: dict) -> FormDef:
    code = raw["code"]
    sections = []
    for s in raw.get("sections", []):
        figures = tuple(_figure(f, f"{code}/{s['code']}/{f.get('code')}") for f in s["figures"])
        sections.append(SectionDef(s["code"], s["title"], s.get("source", ""), figures))
    form = FormDef(
        code=code,
        name=raw["name"],
        legal_basis=raw["legal_basis"],
        source=raw["source"],
        verified=bool(raw["verified"]),
        sections=tuple(sections),
        texts=tuple(TextDef(t["code"], t["label"]) for t in raw.get("texts", [])),
    )
    for t in raw.get("texts", []):
        if set(t) != {"code", "label"}:
            raise DefinitionError(f"{code}/{t.get('code')}: a text has a code and a label only")
    codes = [f.code for f in form.figures]
    if len(codes) != len(set(codes)):
        raise DefinitionError(f"{code}: figure codes repeat")
    for f in form.figures:
        if f.ratio and not set(f.ratio) <= set(codes):
            raise DefinitionError(f"{code}/{f.code}: ratio names an unknown figure")
    return form


@cache
def forms() -> dict[str, FormDef]:
    raw = yaml.safe_load((DATA / "forms.yaml").read_text(encoding="utf-8"))
    loaded = [_form(f) for f in raw["forms"]]
    return {f.code: f for f in loaded}


def form(code: str) -> FormDef:
    try:
        return forms()[code]
    except KeyError as error:
        raise DefinitionError(f"unknown form {code}") from error


# --- Schedule rules --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    form: str
    submitters: str
    frequency: str
    deadline_day: int
    months_after: int = 0
    unit_kinds: tuple[str, ...] = ()
    halves: tuple[int, ...] = (1,)
    skip_months: tuple[int, ...] = ()
    recipient: str = LEVEL_ABOVE
    active: bool = True
    source: str = ""
    verified: bool = False

    @classmethod
    def from_dict(cls, raw: dict) -> Rule:
        """A rule from the YAML or a province's stored copy; ValidationError naming the field."""
        code = str(raw.get("code", "")).strip()
        label = code or "?"
        deadline = raw.get("deadline") or {}
        day = deadline.get("day", raw.get("deadline_day"))
        months_after = deadline.get("months_after", raw.get("months_after", 0))
        errors: dict[str, str] = {}
        if not code:
            errors["code"] = _("Quy định báo cáo thiếu mã.")
        if raw.get("form") not in forms():
            errors["form"] = _("Quy định «%(rule)s»: không có biểu mẫu «%(form)s».") % {
                "rule": label,
                "form": raw.get("form"),
            }
        if raw.get("submitters") not in SUBMITTERS:
            errors["submitters"] = _("Quy định «%(rule)s»: đơn vị báo cáo không hợp lệ.") % {
                "rule": label
            }
        if raw.get("frequency") not in FREQUENCIES:
            errors["frequency"] = _("Quy định «%(rule)s»: kỳ báo cáo không hợp lệ.") % {
                "rule": label
            }
        try:
            day = int(day)
            if not 1 <= day <= 31:
                raise ValueError
        except (TypeError, ValueError):
            errors["deadline_day"] = _("Quy định «%(rule)s»: ngày hạn phải từ 1 đến 31.") % {
                "rule": label
            }
            day = 1
        try:
            months_after = int(months_after)
            if not 0 <= months_after <= 3:
                raise ValueError
        except (TypeError, ValueError):
            errors["months_after"] = _("Quy định «%(rule)s»: số tháng sau kỳ phải từ 0 đến 3.") % {
                "rule": label
            }
            months_after = 0
        halves = tuple(int(h) for h in raw.get("halves", (1,)))
        if not halves or not set(halves) <= {1, 2}:
            errors["halves"] = _("Quy định «%(rule)s»: nửa năm phải là 1 hoặc 2.") % {"rule": label}
        skip = tuple(int(m) for m in raw.get("skip_months", ()))
        if not set(skip) <= set(range(1, 13)):
            errors["skip_months"] = _("Quy định «%(rule)s»: tháng bỏ qua phải từ 1 đến 12.") % {
                "rule": label
            }
        if errors:
            raise ValidationError(errors)
        return cls(
            code=code,
            name=str(raw.get("name") or code),
            form=raw["form"],
            submitters=raw["submitters"],
            frequency=raw["frequency"],
            deadline_day=day,
            months_after=months_after,
            unit_kinds=tuple(raw.get("unit_kinds", ())),
            halves=tuple(sorted(set(halves))),
            skip_months=tuple(sorted(set(skip))),
            recipient=str(raw.get("recipient") or LEVEL_ABOVE),
            active=bool(raw.get("active", True)),
            source=str(raw.get("source", "")).strip(),
            verified=bool(raw.get("verified", False)),
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("unit_kinds", "halves", "skip_months"):
            data[key] = list(data[key])
        return data

    @property
    def form_def(self) -> FormDef:
        return form(self.form)

    @property
    def frequency_label(self) -> str:
        return str(FREQUENCY_LABELS[self.frequency])

    @property
    def submitters_label(self) -> str:
        return str(SUBMITTER_LABELS[self.submitters])


@dataclass(frozen=True)
class DefaultSchedule:
    rules: tuple[Rule, ...]
    adhoc_forms: tuple[str, ...]
    adhoc_source: str
    extra: dict = field(default_factory=dict)


@cache
def default_schedule() -> DefaultSchedule:
    raw = yaml.safe_load((DATA / "schedule.yaml").read_text(encoding="utf-8"))
    rules = tuple(Rule.from_dict(r) for r in raw["rules"])
    codes = [r.code for r in rules]
    if len(codes) != len(set(codes)):
        raise DefinitionError("rule codes repeat in schedule.yaml")
    adhoc = raw.get("adhoc", {})
    for code in adhoc.get("forms", []):
        form(code)
    return DefaultSchedule(rules, tuple(adhoc.get("forms", [])), adhoc.get("source", ""))
