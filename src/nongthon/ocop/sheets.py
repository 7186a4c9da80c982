"""Score sheets as data: parse and check a sheet file (YAML) into a tree Phần → mục → tiêu chí.

A scored item (a "leaf") is either a criterion with options (the member ticks one; each option
has fixed points and may carry a star minimum, ★3/★4/★5) or, where the reference gives only the
structure, a section or part with a maximum (the member enters points 0..max).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nongthon.ocop.rules import rule_version
from nongthon.web import yaml_input

SHEETS_DIR = Path(__file__).resolve().parent / "data" / "sheets"
STATUSES = ("full", "partial", "structure")
STARS = (3, 4, 5)
MAX_POINTS = 100  # a whole sheet is scored out of 100


@dataclass(frozen=True)
class Option:
    points: Decimal
    label: str
    min_star: int | None = None


@dataclass(frozen=True)
class Leaf:
    code: str
    name: str
    part: str
    max: Decimal
    options: tuple[Option, ...] = ()
    # Minimum points per star (from marked options or `min_points`).
    gates: dict[int, Decimal] = field(default_factory=dict)
    note: str = ""

    @property
    def by_choice(self) -> bool:
        return bool(self.options)


@dataclass(frozen=True)
class Sheet:
    rule: str
    number: int
    name: str
    industry: str
    group: str
    subgroup: str
    source: str
    status: str
    note: str
    parts: dict[str, Decimal]
    part_names: dict[str, str]
    leaves: tuple[Leaf, ...]
    disqualifiers: tuple[str, ...]
    raw: dict

    @property
    def key(self) -> str:
        return f"{self.rule}/{self.number:02d}"

    def leaf(self, code: str) -> Leaf | None:
        return next((leaf for leaf in self.leaves if leaf.code == code), None)


def _num(value, where: str) -> Decimal:
    if isinstance(value, bool):
        value = "?"  # YAML's yes/no are not points
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(
            _("%(where)s: «%(value)s» không phải là số.") % {"where": where, "value": value}
        ) from None
    if number < 0:
        raise ValidationError(_("%(where)s: điểm không được âm.") % {"where": where})
    if number > MAX_POINTS:
        raise ValidationError(_("%(where)s: điểm quá lớn.") % {"where": where})
    return number


def _mappings(value, where: str, errors: list[str]) -> list[dict]:
    """The items of a list that must hold mappings; anything else is reported once."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        errors.append(_("%s: phải là danh sách các mục (mã, tên, điểm).") % where)
        return []
    return value


def _star(value, where: str, errors: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip() in {str(s) for s in STARS}:
        value = int(value)  # a sheet stored as JSON has its min_points keys as text
    if isinstance(value, int) and not isinstance(value, bool) and value in STARS:
        return value
    errors.append(_("%s: dấu sao tối thiểu phải là 3, 4 hoặc 5.") % where)
    return None


def _leaf(item: dict, part: str, errors: list[str]) -> Leaf | None:
    code = str(item.get("code", "")).strip()
    where = _("Tiêu chí %s") % (code or "?")
    if not code or not item.get("name"):
        errors.append(_("%s: thiếu mã hoặc tên.") % where)
        return None
    found_errors = len(errors)
    options_data = _mappings(item.get("options"), where, errors)
    gates_data = item.get("min_points") or {}
    if not isinstance(gates_data, dict):
        errors.append(_("%s: mức tối thiểu theo hạng sao không hợp lệ.") % where)
        gates_data = {}
    try:
        top = _num(item.get("max"), where)
        options = tuple(
            Option(
                points=_num(o.get("points"), where),
                label=str(o.get("label", "")),
                min_star=_star(o.get("min_star"), where, errors),
            )
            for o in options_data
        )
        gates = {}
        for star, points in gates_data.items():
            star = _star(star, where, errors)
            if star is not None:
                gates[star] = _num(points, where)
    except ValidationError as exc:
        errors.extend(exc.messages)
        return None
    if len(errors) > found_errors:
        return None
    for option in options:
        if option.points > top:
            errors.append(
                _("%(where)s: mức «%(label)s» có %(points)s điểm, vượt tối đa %(max)s.")
                % {"where": where, "label": option.label, "points": option.points, "max": top}
            )
        if option.min_star is not None:
            if option.min_star in gates:
                errors.append(_("%s: có hai mức tối thiểu cho cùng một hạng sao.") % where)
            else:
                gates[option.min_star] = option.points
    if options and max(o.points for o in options) != top:
        errors.append(_("%s: mức cao nhất phải bằng điểm tối đa.") % where)
    for star, points in gates.items():
        if star not in STARS or points > top:
            errors.append(_("%s: mức tối thiểu theo hạng sao không hợp lệ.") % where)
    return Leaf(code, str(item["name"]), part, top, options, gates, str(item.get("note", "")))


def _max_of(node: dict, where: str, errors: list[str]) -> Decimal:
    try:
        return _num(node.get("max", 0), where)
    except ValidationError as exc:
        errors.extend(exc.messages)
        return Decimal(0)


def parse_sheet(data: dict) -> Sheet:
    """Check a sheet's content; every problem is listed in one ValidationError."""
    if not isinstance(data, dict):
        raise ValidationError(_("Tệp phiếu không đúng cấu trúc (cần một bảng YAML)."))
    errors: list[str] = []
    try:
        rule = rule_version(str(data.get("rule")))
    except KeyError:
        raise ValidationError(
            _("Phiên bản quy định «%s» không có trong danh mục.") % data.get("rule")
        ) from None
    status = data.get("status", "structure")
    if not isinstance(status, str) or status not in STATUSES:
        errors.append(_("Trạng thái phiếu phải là full, partial hoặc structure."))
    leaves: list[Leaf] = []
    parts: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    seen: set[str] = set()
    for part in _mappings(data.get("parts"), _("Các phần của phiếu"), errors):
        code = str(part.get("code"))
        where = _("Phần %s") % code
        top = _max_of(part, where, errors)
        parts[code], names[code] = top, str(part.get("name", code))
        if rule.parts.get(code) != top:
            errors.append(
                _("Phần %(part)s: tối đa %(got)s điểm, quy định %(rule)s là %(want)s.")
                % {"part": code, "got": top, "rule": rule.name, "want": rule.parts.get(code)}
            )
        sections = _mappings(part.get("sections"), where, errors)
        if not sections:
            found = [_leaf({**part, "name": names[code]}, code, errors)]
        else:
            found = []
            for section in sections:
                section_where = _("Mục %s") % section.get("code")
                criteria = _mappings(section.get("criteria"), section_where, errors)
                if criteria:
                    sub = [_leaf(c, code, errors) for c in criteria]
                    total = sum((leaf.max for leaf in sub if leaf), Decimal(0))
                    section_max = _max_of(section, section_where, errors)
                    if total != section_max:
                        errors.append(
                            _("Mục %(code)s: tổng điểm các tiêu chí %(total)s ≠ %(max)s.")
                            % {
                                "code": section.get("code"),
                                "total": total,
                                "max": section_max,
                            }
                        )
                    found += sub
                else:
                    found.append(_leaf(section, code, errors))
        if sections:
            total = sum(
                (_max_of(s, _("Mục %s") % s.get("code"), errors) for s in sections), Decimal(0)
            )
            if total != top:
                errors.append(
                    _("Phần %(part)s: tổng điểm các mục %(total)s ≠ %(max)s.")
                    % {"part": code, "total": total, "max": top}
                )
        for leaf in found:
            if leaf is None:
                continue
            if leaf.code in seen:
                errors.append(_("Mã tiêu chí %s bị trùng.") % leaf.code)
            seen.add(leaf.code)
            leaves.append(leaf)
    if set(parts) != set(rule.parts):
        errors.append(_("Phiếu phải có đủ các phần %s.") % ", ".join(rule.parts))
    number = data.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 999:
        errors.append(_("Số phiếu phải là số nguyên."))
        number = 0
    disqualifiers = data.get("disqualifiers") or []
    if not isinstance(disqualifiers, list):
        errors.append(_("Các điểm loại trừ phải là một danh sách."))
        disqualifiers = []
    if errors:
        raise ValidationError(errors)
    return Sheet(
        rule=rule.code,
        number=number,
        name=str(data.get("name", "")),
        industry=str(data.get("industry", "")),
        group=str(data.get("group", "")),
        subgroup=str(data.get("subgroup", "")),
        source=str(data.get("source", "")),
        status=status,
        note=str(data.get("note", "")),
        parts=parts,
        part_names=names,
        leaves=tuple(leaves),
        disqualifiers=tuple(str(d) for d in disqualifiers),
        raw=data,
    )


def parse_text(text: str) -> Sheet:
    try:
        data = yaml_input.load(text)
    except yaml.YAMLError as exc:
        raise ValidationError(_("Tệp phiếu không đọc được (YAML lỗi): %s") % exc) from None
    return parse_sheet(data)


def shipped_files() -> list[Path]:
    return sorted(SHEETS_DIR.glob("*/*.yaml"))
