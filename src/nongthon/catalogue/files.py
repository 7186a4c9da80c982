"""Reading criteria-set files: YAML with line numbers, checked field by field.

A malformed file is refused whole with messages that name the file, the line and the field, in
Vietnamese. The schema is described in catalogue/data/README.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from nongthon.catalogue.engine import Comparator
from nongthon.catalogue.models import IndicatorKind, SetLevel, Threshold, Tier
from nongthon.web import yaml_input

# YAML 1.1 reads a bare yes as true: both mean "must be Đạt".
COMPARATORS = {
    ">=": ">=", "≥": ">=", ">": ">", "<=": "<=", "≤": "<=", "<": "<", "=": "=", "!=": "!=",
    "≠": "!=", "yes": "yes", "true": "yes", "đạt": "yes", "in": "in",
}  # fmt: skip
REGIONS = {"TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL"}
# The fields each level may carry: a misspelt one ("thresold") would otherwise be dropped silently.
FIELDS = {
    "set": {"code", "family", "name", "level", "tier", "period", "legal_basis", "refines",
            "province", "region_overrides", "notes", "criteria"},
    "legal_basis": {"number", "date", "article", "issuer", "note"},
    "region_override": {"flags", "region", "since", "source"},
    "criterion": {"number", "name", "group", "key", "min_met", "note", "indicators"},
    "indicator": {"code", "name", "kind", "unit", "categories", "note", "name_verified",
                  "thresholds"},
    "threshold": {"comparator", "value", "region", "group", "year", "source", "status"},
}  # fmt: skip


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]
    duplicate_keys: list[tuple[str, int]]


class _LineLoader(yaml_input.SafeLoader):
    """Safe, no aliases (nongthon.web.yaml_input), and every mapping knows its lines."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    data.update(loader.construct_mapping(node, deep=True))
    data.key_lines = {}
    data.duplicate_keys = []
    for k, _v in node.value:
        # PyYAML keeps the last of two equal keys silently: remember the repeat to refuse it.
        if str(k.value) in data.key_lines:
            data.duplicate_keys.append((str(k.value), k.start_mark.line + 1))
        data.key_lines.setdefault(str(k.value), k.start_mark.line + 1)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


@dataclass
class FileProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"tệp {self.file}, dòng {self.line}"
        if self.field:
            where += f", trường «{self.field}»"
        return f"{where}: {self.message}"


class CatalogueFileError(ValueError):
    def __init__(self, problems: list[FileProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class ThresholdData:
    comparator: str
    value: Decimal | None
    categories: list[str]
    region: str
    group: int | None
    year: int | None
    source: str
    status: str


@dataclass
class IndicatorData:
    code: str
    name: str
    kind: str
    unit: str
    categories: list[str]
    note: str
    name_verified: bool
    thresholds: list[ThresholdData] = field(default_factory=list)


@dataclass
class CriterionData:
    number: int
    name: str
    group: str
    is_key: bool
    min_met: int | None
    note: str
    indicators: list[IndicatorData] = field(default_factory=list)


@dataclass
class SetData:
    code: str
    family: str
    name: str
    level: str
    tier: str
    period_from: int
    period_to: int
    basis_number: str
    basis_date: dt.date | None
    basis_article: str
    basis_issuer: str
    basis_note: str
    refines: str
    province: str
    region_overrides: list[dict]
    notes: str
    criteria: list[CriterionData] = field(default_factory=list)

    def content_hash(self) -> str:
        payload = json.dumps(self._plain(), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()

    def _plain(self) -> Any:
        from dataclasses import asdict

        return asdict(self)


class _Reader:
    """Walks the parsed YAML, collecting every problem before refusing the file."""

    def __init__(self, filename: str):
        self.file = filename
        self.problems: list[FileProblem] = []

    def problem(self, node: Any, key: str, message: str) -> None:
        line = 0
        if isinstance(node, LineDict):
            line = node.key_lines.get(key, node.line)
        self.problems.append(FileProblem(self.file, line, key, message))

    def known_fields(self, node: LineDict, level: str) -> None:
        for key, line in getattr(node, "duplicate_keys", []):
            self.problems.append(FileProblem(self.file, line, key, "trường bị lặp"))
        allowed = FIELDS[level]
        for key in node:
            if str(key) not in allowed:
                self.problem(
                    node,
                    str(key),
                    f"trường không xác định (dùng: {', '.join(sorted(allowed))})",
                )

    def text(self, node: LineDict, key: str, required: bool = True, default: str = "") -> str:
        value = node.get(key)
        if value is None or value == "":
            if required:
                self.problem(node, key, "thiếu giá trị")
            return default
        if not isinstance(value, str | int | float):
            self.problem(node, key, "phải là chữ")
            return default
        return str(value).strip()

    def integer(
        self, node: LineDict, key: str, required: bool = True, low: int | None = None
    ) -> int | None:
        value = node.get(key)
        if value is None:
            if required:
                self.problem(node, key, "thiếu giá trị")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(node, key, f"«{value}» không phải số nguyên")
            return None
        if low is not None and value < low:
            self.problem(node, key, f"phải từ {low} trở lên")
            return None
        return value

    def choice(self, node: LineDict, key: str, allowed: set[str], required: bool = True) -> str:
        value = node.get(key)
        if value is None:
            if required:
                self.problem(node, key, "thiếu giá trị")
            return ""
        if str(value) not in allowed:
            self.problem(
                node, key, f"«{value}» không hợp lệ (dùng một trong: {', '.join(sorted(allowed))})"
            )
            return ""
        return str(value)

    def mapping_list(self, node: LineDict, key: str, required: bool = True) -> list[LineDict]:
        value = node.get(key)
        if value is None:
            if required:
                self.problem(node, key, "thiếu danh sách")
            return []
        if not isinstance(value, list) or not all(isinstance(v, LineDict) for v in value):
            self.problem(node, key, "phải là danh sách các mục")
            return []
        return value


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def parse_set_file(text: str, filename: str) -> SetData:
    """The set described by `text`, or CatalogueFileError listing every problem."""
    try:
        root = yaml_input.load(text, _LineLoader)
    except yaml.YAMLError as exc:
        # An unclosed [ or { is noticed lines later: the context mark is where it opened.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogueFileError(
            [
                FileProblem(
                    filename, line, _key_on_line(text, line), f"không đọc được YAML ({problem})"
                )
            ]
        ) from exc
    if not isinstance(root, LineDict):
        raise CatalogueFileError([FileProblem(filename, 1, "", "tệp phải là một bộ tiêu chí")])
    r = _Reader(filename)
    r.known_fields(root, "set")
    basis = root.get("legal_basis")
    has_basis = isinstance(basis, LineDict)
    if not has_basis:
        r.problem(root, "legal_basis", "thiếu căn cứ pháp lý (number, date, article)")
        basis = LineDict()
        basis.key_lines = {}
    r.known_fields(basis, "legal_basis")
    period = root.get("period")
    period_from = period_to = 0
    if (
        isinstance(period, list)
        and len(period) == 2
        and all(isinstance(p, int) and not isinstance(p, bool) for p in period)
        and period[0] <= period[1]
    ):
        period_from, period_to = period
    else:
        r.problem(root, "period", "phải là [năm bắt đầu, năm kết thúc]")
    basis_date = basis.get("date")
    if basis_date is not None and not isinstance(basis_date, dt.date):
        r.problem(basis, "date", f"«{basis_date}» không phải ngày (YYYY-MM-DD)")
        basis_date = None
    code = r.text(root, "code")
    data = SetData(
        code=code,
        family=r.text(root, "family", required=False, default=code),
        name=r.text(root, "name"),
        level=r.choice(root, "level", set(SetLevel.values)),
        tier=r.choice(root, "tier", set(Tier.values)),
        period_from=period_from,
        period_to=period_to,
        # Without legal_basis its number is already reported: say it once.
        basis_number=r.text(basis, "number", required=has_basis),
        basis_date=basis_date,
        basis_article=r.text(basis, "article", required=False),
        basis_issuer=r.text(basis, "issuer", required=False),
        basis_note=r.text(basis, "note", required=False),
        refines=r.text(root, "refines", required=False),
        province=r.text(root, "province", required=False),
        region_overrides=_region_overrides(r, root),
        notes=r.text(root, "notes", required=False),
    )
    numbers: set[int] = set()
    codes: set[str] = set()
    for c in r.mapping_list(root, "criteria"):
        criterion = _criterion(r, c, codes)
        if criterion.number in numbers:
            r.problem(c, "number", f"tiêu chí số {criterion.number} bị lặp")
        numbers.add(criterion.number)
        data.criteria.append(criterion)
    if r.problems:
        raise CatalogueFileError(r.problems)
    return data


def _key_on_line(text: str, line: int) -> str:
    """The field written on `line` ("    name: [x" -> "name"), to name it in a syntax error."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    match = re.match(r"\s*(?:-\s+)?([\w-]+)\s*:", lines[line - 1])
    return match.group(1) if match else ""


def _region_overrides(r: _Reader, root: LineDict) -> list[dict]:
    rules = []
    for rule in r.mapping_list(root, "region_overrides", required=False):
        r.known_fields(rule, "region_override")
        flags = rule.get("flags")
        if not isinstance(flags, list) or not flags:
            r.problem(rule, "flags", "phải là danh sách đặc điểm xã (vd. [dbkk])")
            flags = []
        since = rule.get("since")
        if not isinstance(since, dt.date):
            r.problem(rule, "since", "thiếu ngày áp dụng (YYYY-MM-DD)")
            since = None
        rules.append(
            {
                "flags": [str(f) for f in flags],
                "region": r.choice(rule, "region", REGIONS),
                "since": since.isoformat() if since else "",
                "source": r.text(rule, "source"),
            }
        )
    return rules


def _criterion(r: _Reader, c: LineDict, codes: set[str]) -> CriterionData:
    r.known_fields(c, "criterion")
    number = r.integer(c, "number", low=1) or 0
    indicators_nodes = r.mapping_list(c, "indicators")
    min_met = r.integer(c, "min_met", required=False, low=1)
    if min_met is not None and indicators_nodes and min_met > len(indicators_nodes):
        r.problem(c, "min_met", f"lớn hơn số chỉ tiêu ({len(indicators_nodes)})")
    criterion = CriterionData(
        number=number,
        name=r.text(c, "name"),
        group=r.text(c, "group", required=False),
        is_key=bool(c.get("key", False)),
        min_met=min_met,
        note=r.text(c, "note", required=False),
    )
    for i in indicators_nodes:
        indicator = _indicator(r, i)
        if indicator.code in codes:
            r.problem(i, "code", f"mã chỉ tiêu «{indicator.code}» bị lặp")
        codes.add(indicator.code)
        criterion.indicators.append(indicator)
    return criterion


def _indicator(r: _Reader, i: LineDict) -> IndicatorData:
    r.known_fields(i, "indicator")
    if isinstance(i.get("code"), float):
        # 17.10 unquoted is the number 17.1: a code must be written as text.
        r.problem(i, "code", f'viết mã trong ngoặc kép (vd. "17.10"), không viết số {i["code"]}')
    kind = r.choice(i, "kind", set(IndicatorKind.values))
    categories = i.get("categories") or []
    if not isinstance(categories, list):
        r.problem(i, "categories", "phải là danh sách giá trị")
        categories = []
    if kind == IndicatorKind.CATEGORY and not categories:
        r.problem(i, "categories", "chỉ tiêu phân loại cần danh sách giá trị")
    indicator = IndicatorData(
        code=r.text(i, "code"),
        name=r.text(i, "name"),
        kind=kind,
        unit=r.text(i, "unit", required=False),
        categories=[str(c) for c in categories],
        note=r.text(i, "note", required=False),
        name_verified=bool(i.get("name_verified", False)),
    )
    seen: set[tuple] = set()
    for t in r.mapping_list(i, "thresholds", required=False):
        threshold = _threshold(r, t, kind)
        key = (threshold.region, threshold.group, threshold.year)
        if key in seen:
            r.problem(t, "comparator", "hai ngưỡng cho cùng vùng, nhóm xã và năm")
        seen.add(key)
        indicator.thresholds.append(threshold)
    return indicator


def _threshold(r: _Reader, t: LineDict, kind: str) -> ThresholdData:
    r.known_fields(t, "threshold")
    raw = t.get("comparator")
    comparator = COMPARATORS.get(str(raw).strip().lower()) if raw is not None else None
    if comparator is None:
        r.problem(
            t,
            "comparator",
            f"«{raw}» không hợp lệ (dùng một trong ≥, >, ≤, <, =, ≠, yes, in)"
            if raw is not None
            else "thiếu phép so sánh",
        )
        comparator = ""
    value = None
    categories: list[str] = []
    if comparator in {c.value for c in Comparator} - {"yes", "in"}:
        value = _decimal(t.get("value"))
        if value is None:
            r.problem(t, "value", f"«{t.get('value')}» không phải số")
        if kind in (IndicatorKind.BOOLEAN, IndicatorKind.CATEGORY):
            r.problem(t, "comparator", "chỉ tiêu đạt/chưa đạt hoặc phân loại không so sánh số")
    elif comparator == "in":
        accepted = t.get("value") or []
        if not isinstance(accepted, list):
            r.problem(t, "value", "phải là danh sách giá trị chấp nhận")
            accepted = []
        categories = [str(v) for v in accepted]
        if not categories:
            r.problem(t, "value", "cần danh sách giá trị chấp nhận")
    region = t.get("region") or ""
    if region and (not isinstance(region, str) or region not in REGIONS):
        r.problem(t, "region", f"«{region}» không phải vùng (dùng: {', '.join(sorted(REGIONS))})")
    group = r.integer(t, "group", required=False, low=1)
    if group is not None and group > 3:
        r.problem(t, "group", "nhóm xã là 1, 2 hoặc 3")
    return ThresholdData(
        comparator=comparator,
        value=value,
        categories=categories,
        region=str(region),
        group=group,
        year=r.integer(t, "year", required=False, low=2000),
        source=r.text(t, "source"),
        status=r.choice(t, "status", set(Threshold.Status.values)),
    )
