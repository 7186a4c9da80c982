"""A province makes a national criteria set its own: refine it (a full copy under the province's
decision), tighten or add thresholds, add indicators, or upload its own file; and it assigns the
agency that answers for each criterion.

Every change goes the way a set file goes: the current version is dumped to SetData, changed,
and stored through catalogue.services.store_set, so the content hash and the versioning rule are
the same (a version some evaluation used is never edited; a new version supersedes it). Each
change writes its legal basis into the change note. A province may only be stricter than the
national set: a change that would let a commune pass where the national set fails it is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.assessment.tasks import recompute_criteria_set
from nongthon.catalogue import queries
from nongthon.catalogue.files import (
    COMPARATORS,
    REGIONS,
    CatalogueFileError,
    FileProblem,
    IndicatorData,
    LineDict,
    SetData,
    ThresholdData,
    _LineLoader,
    parse_set_file,
)
from nongthon.catalogue.models import (
    CriteriaSet,
    Indicator,
    IndicatorKind,
    SetStatus,
    Threshold,
)
from nongthon.catalogue.services import store_set
from nongthon.ops.jobs import finished_ok
from nongthon.places.models import Level, Unit
from nongthon.web import yaml_input

NUMERIC = {">=", ">", "<=", "<", "=", "!="}
UP = {">=", ">"}
DOWN = {"<=", "<"}
CODE_MAX = CriteriaSet._meta.get_field("code").max_length
SOURCE_MAX = Threshold._meta.get_field("source").max_length
INDICATOR_CODE_MAX = Indicator._meta.get_field("code").max_length
INDICATOR_NAME_MAX = Indicator._meta.get_field("name").max_length
UNIT_MAX = Indicator._meta.get_field("unit_of_measure").max_length
# Change notes and threshold sources are part of the legal record: always written in
# Vietnamese, whatever language the page is in (as the engine's reasons are).
RECORD_LANGUAGE = "vi"


def _record():
    return translation.override(RECORD_LANGUAGE)


@dataclass
class ThresholdInput:
    """A threshold as a user typed it; checked against the indicator before it is stored."""

    comparator: str
    value: Decimal | None = None
    categories: list[str] = field(default_factory=list)
    region: str = ""
    group: int | None = None
    year: int | None = None


def _recompute(criteria_set: CriteriaSet) -> int:
    """Re-evaluate after a change, as a background job: the count when it ran at once
    (immediate backend), 0 when it was queued for the worker."""
    result = recompute_criteria_set.enqueue(criteria_set.pk)
    return result.return_value if finished_ok(result) else 0


@dataclass
class ChangeOutcome:
    criteria_set: CriteriaSet
    action: str  # created / new_version / replaced (unused version edited) / unchanged
    note: str
    recomputed: int = 0

    @property
    def made_new_version(self) -> bool:
        return self.action == "new_version"


# --- provinces may only be stricter ----------------------------------------------------------


@dataclass
class Loosening:
    message: str
    criterion_number: int | None = None
    indicator_code: str = ""


def at_least_as_strict(p: ThresholdData, n: ThresholdData) -> bool:
    """Does every value the provincial threshold `p` accepts also pass the national `n`?"""
    if n.comparator == "yes":
        return p.comparator == "yes"
    if n.comparator == "in":
        return p.comparator == "in" and set(p.categories) <= set(n.categories)
    if p.comparator not in NUMERIC or p.value is None or n.value is None:
        return False
    pv, nv = p.value, n.value
    if p.comparator == "=":
        return _accepts(n.comparator, pv, nv)
    if n.comparator == "=":
        return False  # a ray or "≠" accepts more than the one value
    if n.comparator == "!=":
        if p.comparator == "!=":
            return pv == nv
        return not _accepts(p.comparator, nv, pv)
    if p.comparator == "!=":
        return False
    if n.comparator in UP:
        if p.comparator not in UP:
            return False
        return pv > nv if (n.comparator == ">" and p.comparator == ">=") else pv >= nv
    if p.comparator not in DOWN:
        return False
    return pv < nv if (n.comparator == "<" and p.comparator == "<=") else pv <= nv


def _accepts(comparator: str, value: Decimal, threshold: Decimal) -> bool:
    return {
        ">=": value >= threshold,
        ">": value > threshold,
        "<=": value <= threshold,
        "<": value < threshold,
        "=": value == threshold,
        "!=": value != threshold,
    }[comparator]


def _select(
    thresholds: list[ThresholdData], region: str, group: int | None, year: int
) -> ThresholdData | None:
    """The row the engine would choose (the most specific that applies, the first on a tie)."""
    best, best_rank = None, -1
    for t in thresholds:
        if (t.region and t.region != region) or (t.group is not None and t.group != group):
            continue
        if t.year is not None and t.year != year:
            continue
        rank = bool(t.region) + (t.group is not None) + (t.year is not None)
        if rank > best_rank:
            best, best_rank = t, rank
    return best


def loosening_problems(province: SetData, national: SetData) -> list[Loosening]:
    """Every way `province` would be looser than `national`: a criterion, indicator or threshold
    dropped, more indicators allowed to fail, or a threshold below the national one."""
    names = queries.region_names()
    problems: list[Loosening] = []
    p_criteria = {c.number: c for c in province.criteria}
    p_indicators = {i.code: (c.number, i) for c in province.criteria for i in c.indicators}
    for nc in national.criteria:
        pc = p_criteria.get(nc.number)
        if pc is None:
            problems.append(
                Loosening(
                    _(
                        "Thiếu tiêu chí %(n)s. %(name)s của bộ tiêu chí quốc gia: tỉnh không "
                        "được bỏ tiêu chí."
                    )
                    % {"n": nc.number, "name": nc.name},
                    nc.number,
                )
            )
            continue
        slack_n = len(nc.indicators) - nc.min_met if nc.min_met else 0
        slack_p = len(pc.indicators) - pc.min_met if pc.min_met else 0
        if slack_p > slack_n:
            problems.append(
                Loosening(
                    _(
                        "Tiêu chí %(n)s: bộ của tỉnh cho phép %(p)s chỉ tiêu chưa đạt, nhiều hơn "
                        "bộ quốc gia (%(q)s)."
                    )
                    % {"n": nc.number, "p": slack_p, "q": slack_n},
                    nc.number,
                )
            )
        for ni in nc.indicators:
            found = p_indicators.get(ni.code)
            if found is None:
                message = _(
                    "Thiếu chỉ tiêu %(code)s (tiêu chí %(n)s) của bộ tiêu chí quốc gia: tỉnh "
                    "không được bỏ chỉ tiêu."
                ) % {"code": ni.code, "n": nc.number}
                problems.append(Loosening(message, nc.number))
                continue
            number, pi = found
            if number != nc.number:
                message = _(
                    "Chỉ tiêu %(code)s thuộc tiêu chí %(n)s trong bộ quốc gia, không được chuyển "
                    "sang tiêu chí %(m)s."
                ) % {"code": ni.code, "n": nc.number, "m": number}
                problems.append(Loosening(message, number, ni.code))
                continue
            if pi.kind != ni.kind:
                message = _("Chỉ tiêu %(code)s: loại «%(p)s» khác bộ quốc gia («%(n)s»).") % {
                    "code": ni.code,
                    "p": IndicatorKind(pi.kind).label,
                    "n": IndicatorKind(ni.kind).label,
                }
                problems.append(Loosening(message, number, ni.code))
                continue
            if pi.thresholds != ni.thresholds:
                problems += _threshold_loosening(pi, ni, national, names, number)
    return problems


def _threshold_loosening(
    pi: IndicatorData, ni: IndicatorData, national: SetData, names: dict, number: int
) -> list[Loosening]:
    """Compare the rows the engine would pick, for every region, commune group and year."""
    found: dict[tuple, Loosening] = {}
    for region in ["", *sorted(REGIONS)]:
        for group in (None, 1, 2, 3):
            for year in range(national.period_from, national.period_to + 1):
                n = _select(ni.thresholds, region, group, year)
                if n is None:
                    continue  # the province may set a threshold where the national has none
                p = _select(pi.thresholds, region, group, year)
                if p is not None and at_least_as_strict(p, n):
                    continue
                key = (id(p), id(n))
                if key not in found:
                    found[key] = Loosening(_looser_message(p, n, pi, ni, names), number, ni.code)
    return list(found.values())


def _looser_message(
    p: ThresholdData | None, n: ThresholdData, pi: IndicatorData, ni: IndicatorData, names: dict
) -> str:
    values = {
        "code": ni.code,
        "national": queries.threshold_text(n, ni.unit),
        "nscope": queries.scope_text(n.region, n.group, n.year, names),
        "source": n.source,
    }
    if p is None:
        return (
            _(
                "Chỉ tiêu %(code)s, %(nscope)s: bộ quốc gia quy định %(national)s (%(source)s) "
                "nhưng bộ của tỉnh không còn ngưỡng nào áp dụng. Tỉnh không được bỏ ngưỡng "
                "quốc gia."
            )
            % values
        )
    values["rule"] = queries.threshold_text(p, pi.unit)
    values["scope"] = queries.scope_text(p.region, p.group, p.year, names)
    return (
        _(
            "Chỉ tiêu %(code)s, %(scope)s: ngưỡng %(rule)s lỏng hơn ngưỡng quốc gia %(national)s "
            "(%(nscope)s; %(source)s). Tỉnh chỉ được quy định chặt hơn bộ tiêu chí quốc gia."
        )
        % values
    )


# --- checks shared by the edits ---------------------------------------------------------------


def _require_manager(actor: User, province: Unit | None) -> None:
    if not permissions.can_manage_catalogue(actor, province):
        raise PermissionDenied


def _stale_message(current: CriteriaSet) -> str:
    lines = [line for line in current.change_note.splitlines() if line.strip()]
    who = current.created_by.display_name if current.created_by else _("hệ thống")
    return _(
        "Bộ tiêu chí vừa được %(who)s thay đổi (phiên bản %(version)s: %(what)s). Thay đổi của "
        "bạn chưa được lưu; hãy xem lại trang rồi làm lại nếu vẫn cần."
    ) % {"who": who, "version": current.version, "what": lines[-1] if lines else "—"}


def _editable(actor: User, province_set: CriteriaSet, expected_hash: str | None) -> CriteriaSet:
    """The active version of a province's set, locked; refused if it moved on meanwhile."""
    _require_manager(actor, province_set.province)
    if province_set.is_national:
        raise ValidationError(
            _(
                "Bộ tiêu chí quốc gia chỉ thay đổi bằng tệp dữ liệu; tỉnh hãy cụ thể hóa rồi "
                "sửa bộ tiêu chí của tỉnh."
            )
        )
    current = (
        CriteriaSet.objects.select_for_update(of=("self",))
        .select_related("created_by", "province", "refines")
        .filter(code=province_set.code, status=SetStatus.ACTIVE)
        .first()
    )
    if current is None:
        raise ValidationError(
            _("Bộ tiêu chí «%s» không còn phiên bản đang áp dụng.") % province_set.code
        )
    if current.pk != province_set.pk or (expected_hash and expected_hash != current.content_hash):
        raise ValidationError(_stale_message(current), code="stale")
    return current


def _check_basis(basis: str, errors: dict[str, list[str]]) -> str:
    basis = (basis or "").strip()
    if not basis:
        errors.setdefault("basis", []).append(
            _("Hãy ghi căn cứ pháp lý của thay đổi (số, ngày văn bản).")
        )
    elif len(basis) > SOURCE_MAX:
        errors.setdefault("basis", []).append(
            _("Căn cứ dài quá %s ký tự; hãy ghi ngắn gọn số và ngày văn bản.") % SOURCE_MAX
        )
    return basis


def _merge(errors: dict[str, list[str]], error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, items in error.message_dict.items():
            errors.setdefault(name, []).extend(items)
    else:
        errors.setdefault("__all__", []).extend(error.messages)


def _find_indicator(data: SetData, code: str) -> IndicatorData:
    for c in data.criteria:
        for i in c.indicators:
            if i.code == code:
                return i
    raise ValidationError(
        {"indicator_code": _("Bộ tiêu chí không có chỉ tiêu «%s».") % code}, code="invalid"
    )


def _checked_threshold(
    indicator: IndicatorData, t: ThresholdInput, data: SetData, basis: str
) -> ThresholdData:
    """A provincial threshold row, or ValidationError naming the fields that are wrong."""
    errors: dict[str, str] = {}
    comparator = COMPARATORS.get(str(t.comparator or "").strip().lower())
    code, kind = indicator.code, indicator.kind
    if comparator is None:
        errors["comparator"] = _("Phép so sánh «%s» không hợp lệ.") % (t.comparator or "")
    elif kind == IndicatorKind.BOOLEAN and comparator != "yes":
        errors["comparator"] = _("Chỉ tiêu %s là đạt/chưa đạt: ngưỡng chỉ có thể là «Đạt».") % code
    elif kind == IndicatorKind.CATEGORY and comparator != "in":
        errors["comparator"] = (
            _("Chỉ tiêu %s là phân loại: ngưỡng là «thuộc» một danh sách giá trị.") % code
        )
    elif kind not in (IndicatorKind.BOOLEAN, IndicatorKind.CATEGORY) and comparator not in NUMERIC:
        errors["comparator"] = _("Chỉ tiêu %s là số: hãy dùng ≥, >, ≤, <, = hoặc ≠.") % code
    value = None
    number = _as_decimal(t.value)
    if comparator in NUMERIC and "comparator" not in errors:
        if number is None:
            errors["value"] = _("Hãy nhập ngưỡng (một số).")
        elif kind == IndicatorKind.PERCENT and not (0 <= number <= 100):
            errors["value"] = _("Ngưỡng tỷ lệ phải từ 0 đến 100.")
        elif number < 0:
            errors["value"] = _("Ngưỡng không được âm.")
        else:
            value = queries.plain_decimal(number)
    categories = [str(c).strip() for c in t.categories if str(c).strip()]
    if comparator == "in" and "comparator" not in errors:
        unknown = [c for c in categories if c not in indicator.categories]
        if not categories:
            errors["categories"] = _("Hãy ghi các giá trị được chấp nhận.")
        elif unknown:
            errors["categories"] = _(
                "«%(values)s» không thuộc các giá trị phân loại của chỉ tiêu (%(allowed)s)."
            ) % {"values": ", ".join(unknown), "allowed": ", ".join(indicator.categories)}
    if t.region and t.region not in REGIONS:
        errors["region"] = _("«%s» không phải mã vùng.") % t.region
    if t.group is not None and t.group not in (1, 2, 3):
        errors["group"] = _("Nhóm xã là 1, 2 hoặc 3.")
    if t.year is not None and not (data.period_from <= t.year <= data.period_to):
        errors["year"] = _("Năm %(y)s nằm ngoài giai đoạn %(a)s–%(b)s của bộ tiêu chí.") % {
            "y": t.year,
            "a": data.period_from,
            "b": data.period_to,
        }
    if errors:
        raise ValidationError(errors)
    return ThresholdData(
        comparator=comparator,
        value=value,
        categories=categories if comparator == "in" else [],
        region=t.region or "",
        group=t.group,
        year=t.year,
        source=basis,
        status=Threshold.Status.PROVINCIAL,
    )


def _as_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _national_problems(current: CriteriaSet, data: SetData) -> list[Loosening]:
    national = queries.national_reference(current)
    if national is None:
        return []
    return loosening_problems(data, queries.dump_set(national))


def _apply(
    actor: User, current: CriteriaSet, basis: str, modify: Callable[[SetData], str]
) -> ChangeOutcome:
    """Dump, change, check, store: a new version when the current one was used, else in place."""
    errors: dict[str, list[str]] = {}
    basis = _check_basis(basis, errors)
    data = queries.dump_set(current)
    before = data.content_hash()
    what = ""
    try:
        what = modify(data)
    except ValidationError as error:
        _merge(errors, error)
    if errors:
        raise ValidationError(errors)
    if data.content_hash() == before:
        raise ValidationError(_("Không có gì thay đổi so với phiên bản đang áp dụng."))
    problems = _national_problems(current, data)
    if problems:
        raise ValidationError([p.message for p in problems])
    note = f"{basis}: {what}"
    used = current.evaluations.exists()
    change_note = note if used else "\n".join(filter(None, [current.change_note.strip(), note]))
    outcome = store_set(data, source_file="", actor=actor, change_note=change_note)
    recomputed = _recompute(outcome.criteria_set)
    return ChangeOutcome(outcome.criteria_set, outcome.action, note, recomputed)


def _key(t: ThresholdData | ThresholdInput) -> tuple:
    return (t.region or "", t.group, t.year)


# --- the use cases ----------------------------------------------------------------------------


@transaction.atomic
def refine(
    actor: User,
    *,
    national_set: CriteriaSet,
    province: Unit,
    basis_number: str,
    basis_date: dt.date | None,
    basis_article: str = "",
    change_note: str = "",
    name: str = "",
) -> ChangeOutcome:
    """The province's own set: a full copy of the national one under the province's decision."""
    _require_manager(actor, province)
    if not national_set.is_national:
        raise ValidationError(_("Chỉ cụ thể hóa được bộ tiêu chí quốc gia."))
    if national_set.status != SetStatus.ACTIVE:
        raise ValidationError(
            _("Phiên bản %s đã được thay; hãy cụ thể hóa phiên bản đang áp dụng.")
            % national_set.version
        )
    if province.level != Level.PROVINCE:
        raise ValidationError({"province": _("Chỉ cấp tỉnh cụ thể hóa bộ tiêu chí.")})
    if province.edition != queries.set_edition(national_set):
        raise ValidationError(
            {
                "province": _(
                    "%(province)s (%(edition)s) không áp dụng bộ tiêu chí giai đoạn %(a)s–%(b)s."
                )
                % {
                    "province": province.name,
                    "edition": province.get_edition_display(),
                    "a": national_set.period_from,
                    "b": national_set.period_to,
                }
            }
        )
    errors: dict[str, list[str]] = {}
    basis_number = (basis_number or "").strip()
    if not basis_number:
        errors["basis_number"] = [_("Hãy ghi số quyết định của tỉnh (vd. 864/QĐ-UBND).")]
    if basis_date is None:
        errors["basis_date"] = [_("Hãy ghi ngày ban hành quyết định.")]
    code = f"{province.code}-{national_set.code}"
    if len(code) > CODE_MAX:
        errors.setdefault("__all__", []).append(
            _("Mã «%s» dài quá giới hạn của mã bộ tiêu chí.") % code
        )
    existing = CriteriaSet.objects.filter(
        province=province, family=national_set.family, status=SetStatus.ACTIVE
    ).first()
    if existing is not None:
        errors.setdefault("__all__", []).append(
            _(
                "%(province)s đã có bộ tiêu chí «%(name)s» (mã %(code)s, phiên bản %(v)s) cụ thể "
                "hóa bộ này; hãy sửa bộ đó."
            )
            % {
                "province": province.name,
                "name": existing.name,
                "code": existing.code,
                "v": existing.version,
            }
        )
    if errors:
        raise ValidationError(errors)
    data = queries.dump_set(national_set)
    data.code = code
    data.family = national_set.family
    data.refines = national_set.code
    data.province = province.code
    data.name = (name or "").strip() or f"{national_set.name} – {province.name}"
    data.basis_number, data.basis_date = basis_number, basis_date
    data.basis_article = (basis_article or "").strip()
    with _record():
        data.basis_issuer = _("Ủy ban nhân dân %s") % _lower_first(province.name)
        data.basis_note = _("Cụ thể hóa %(basis)s (%(code)s, phiên bản %(v)s).") % {
            "basis": national_set.basis,
            "code": national_set.code,
            "v": national_set.version,
        }
        note = _("%(basis)s: cụ thể hóa bộ tiêu chí %(code)s phiên bản %(v)s cho %(province)s") % {
            "basis": basis_number,
            "code": national_set.code,
            "v": national_set.version,
            "province": province.name,
        }
    if change_note.strip():
        note += f" ({change_note.strip()})"
    outcome = store_set(data, source_file="", actor=actor, change_note=note)
    recomputed = _recompute(outcome.criteria_set)
    return ChangeOutcome(outcome.criteria_set, outcome.action, note, recomputed)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@transaction.atomic
def set_threshold(
    actor: User,
    *,
    province_set: CriteriaSet,
    indicator_code: str,
    comparator: str,
    value: Decimal | None = None,
    categories: Iterable[str] = (),
    region: str = "",
    group: int | None = None,
    year: int | None = None,
    basis: str,
    expected_hash: str | None = None,
) -> ChangeOutcome:
    """Set (tighten, or add where the national set has none) one threshold of the province's
    set for a region / commune group / year."""
    current = _editable(actor, province_set, expected_hash)
    wanted = ThresholdInput(comparator, value, list(categories), region or "", group, year)

    def modify(data: SetData) -> str:
        indicator = _find_indicator(data, indicator_code)
        new = _checked_threshold(indicator, wanted, data, (basis or "").strip())
        old = next((t for t in indicator.thresholds if _key(t) == _key(new)), None)
        if old is None:
            indicator.thresholds.append(new)
        else:
            indicator.thresholds[indicator.thresholds.index(old)] = new
        with _record():
            values = {
                "code": indicator.code,
                "scope": queries.scope_text(*_key(new), queries.region_names()),
                "rule": queries.threshold_text(new, indicator.unit),
            }
            if old is None:
                return _("chỉ tiêu %(code)s, %(scope)s: thêm ngưỡng %(rule)s") % values
            values["was"] = queries.threshold_text(old, indicator.unit)
            return _("chỉ tiêu %(code)s, %(scope)s: %(was)s → %(rule)s") % values

    return _apply(actor, current, basis, modify)


@transaction.atomic
def remove_threshold(
    actor: User,
    *,
    province_set: CriteriaSet,
    indicator_code: str,
    region: str = "",
    group: int | None = None,
    year: int | None = None,
    basis: str,
    expected_hash: str | None = None,
) -> ChangeOutcome:
    """Drop a threshold the province set (a national one cannot go: provinces are stricter)."""
    current = _editable(actor, province_set, expected_hash)
    key = (region or "", group, year)

    def modify(data: SetData) -> str:
        indicator = _find_indicator(data, indicator_code)
        old = next((t for t in indicator.thresholds if _key(t) == key), None)
        if old is None:
            scope = queries.scope_text(*key, queries.region_names())
            raise ValidationError(
                _("Chỉ tiêu %(code)s không có ngưỡng áp dụng cho: %(scope)s.")
                % {"code": indicator.code, "scope": scope}
            )
        indicator.thresholds.remove(old)
        with _record():
            return _("chỉ tiêu %(code)s, %(scope)s: bỏ ngưỡng %(rule)s") % {
                "code": indicator.code,
                "scope": queries.scope_text(*key, queries.region_names()),
                "rule": queries.threshold_text(old, indicator.unit),
            }

    return _apply(actor, current, basis, modify)


@transaction.atomic
def add_indicator(
    actor: User,
    *,
    province_set: CriteriaSet,
    criterion_number: int,
    code: str,
    name: str,
    kind: str,
    unit: str = "",
    categories: Iterable[str] = (),
    note: str = "",
    thresholds: Iterable[ThresholdInput] = (),
    basis: str,
    expected_hash: str | None = None,
) -> ChangeOutcome:
    """A province's own indicator under one of the set's criteria, with its thresholds (none:
    judged by hand)."""
    current = _editable(actor, province_set, expected_hash)
    code, name, unit = (code or "").strip(), (name or "").strip(), (unit or "").strip()
    categories = [str(c).strip() for c in categories if str(c).strip()]
    thresholds = list(thresholds)

    def modify(data: SetData) -> str:
        errors: dict[str, str] = {}
        criterion = next((c for c in data.criteria if c.number == criterion_number), None)
        if criterion is None:
            errors["criterion_number"] = (
                _("Bộ tiêu chí không có tiêu chí số %s.") % criterion_number
            )
        taken = {i.code for c in data.criteria for i in c.indicators}
        if not code:
            errors["code"] = _("Hãy nhập mã chỉ tiêu (vd. 3.3).")
        elif len(code) > INDICATOR_CODE_MAX:
            errors["code"] = _("Mã chỉ tiêu dài quá %s ký tự.") % INDICATOR_CODE_MAX
        elif code in taken:
            errors["code"] = _("Mã chỉ tiêu «%s» đã có trong bộ tiêu chí.") % code
        if not name:
            errors["name"] = _("Hãy nhập tên chỉ tiêu.")
        elif len(name) > INDICATOR_NAME_MAX:
            errors["name"] = _("Tên chỉ tiêu dài quá %s ký tự.") % INDICATOR_NAME_MAX
        if kind not in IndicatorKind.values:
            errors["kind"] = _("Loại chỉ tiêu «%s» không hợp lệ.") % kind
        elif kind == IndicatorKind.CATEGORY and not categories:
            errors["categories"] = _("Chỉ tiêu phân loại cần danh sách các giá trị.")
        if len(unit) > UNIT_MAX:
            errors["unit"] = _("Đơn vị tính dài quá %s ký tự.") % UNIT_MAX
        if errors:
            raise ValidationError(errors)
        indicator = IndicatorData(
            code=code,
            name=name,
            kind=kind,
            unit=unit,
            categories=categories if kind == IndicatorKind.CATEGORY else [],
            note=(note or "").strip(),
            name_verified=False,
        )
        for t in thresholds:
            row = _checked_threshold(indicator, t, data, (basis or "").strip())
            if any(_key(x) == _key(row) for x in indicator.thresholds):
                raise ValidationError(_("Hai ngưỡng cho cùng vùng, nhóm xã và năm."))
            indicator.thresholds.append(row)
        criterion.indicators.append(indicator)
        names = queries.region_names()
        with _record():
            rules = "; ".join(
                f"{queries.scope_text(*_key(t), names)}: {queries.threshold_text(t, unit)}"
                for t in indicator.thresholds
            )
            what = _("thêm chỉ tiêu %(code)s «%(name)s» vào tiêu chí %(n)s") % {
                "code": code,
                "name": name,
                "n": criterion_number,
            }
            return f"{what} ({rules or _('đánh giá thủ công')})"

    return _apply(actor, current, basis, modify)


# --- a province's own file --------------------------------------------------------------------


def _file_lines(text: str) -> tuple[LineDict, dict[int, int], dict[str, int]]:
    """Lines of the root keys, of each criterion and of each indicator, to name them."""
    root = yaml_input.load(text, _LineLoader)
    criteria: dict[int, int] = {}
    indicators: dict[str, int] = {}
    for c in root.get("criteria") or []:
        if not isinstance(c, LineDict):
            continue
        criteria[c.get("number")] = c.line
        for i in c.get("indicators") or []:
            if isinstance(i, LineDict):
                indicators[str(i.get("code"))] = i.line
    return root, criteria, indicators


@transaction.atomic
def upload_refinement(
    actor: User, *, province: Unit, text: str, filename: str, change_note: str = ""
) -> ChangeOutcome:
    """Store a province's refinement file: read like any set file, refused whole (every problem
    named by file, line and field) when malformed or looser than the national set."""
    _require_manager(actor, province)
    data = parse_set_file(text, filename)
    root, criterion_lines, indicator_lines = _file_lines(text)
    problems: list[FileProblem] = []

    def problem(key: str, message: str) -> None:
        problems.append(FileProblem(filename, root.key_lines.get(key, root.line), key, message))

    if not data.province:
        problem("province", _("tệp của tỉnh phải ghi mã tỉnh (vd. %s)") % province.code)
    elif data.province.zfill(2) != province.code:
        problem(
            "province",
            _("tệp ghi tỉnh mã «%(file)s» nhưng đang tải lên cho %(name)s (mã %(code)s)")
            % {"file": data.province, "name": province.name, "code": province.code},
        )
    if queries.set_edition(data) != province.edition:
        problem(
            "period",
            _("%(name)s (%(edition)s) không áp dụng bộ tiêu chí giai đoạn %(a)s–%(b)s")
            % {
                "name": province.name,
                "edition": province.get_edition_display(),
                "a": data.period_from,
                "b": data.period_to,
            },
        )
    national = None
    if not data.refines:
        problem("refines", _("tệp của tỉnh phải ghi mã bộ tiêu chí quốc gia được cụ thể hóa"))
    else:
        national = queries.active_version(data.refines)
        if national is None:
            problem("refines", _("chưa có bộ tiêu chí «%s» đang áp dụng") % data.refines)
        elif not national.is_national:
            problem("refines", _("«%s» không phải bộ tiêu chí quốc gia") % data.refines)
            national = None
    if national is not None:
        if data.family != national.family:
            if data.family == data.code:  # not written in the file: the reader used the code
                data.family = national.family
            else:
                problem("family", _("phải là «%s», họ của bộ được cụ thể hóa") % national.family)
        for key, mine, theirs in (
            ("level", data.level, national.level),
            ("tier", data.tier, national.tier),
            (
                "period",
                (data.period_from, data.period_to),
                (national.period_from, national.period_to),
            ),
        ):
            if mine != theirs:
                problem(key, _("khác bộ tiêu chí quốc gia «%s»") % national.code)
        existing = CriteriaSet.objects.filter(
            province=province, family=national.family, status=SetStatus.ACTIVE
        ).first()
        expected = existing.code if existing else f"{province.code}-{national.code}"
        if data.code != expected:
            problem("code", _("mã bộ tiêu chí của tỉnh phải là «%s»") % expected)
        for p in loosening_problems(data, queries.dump_set(national)):
            line = indicator_lines.get(p.indicator_code) or criterion_lines.get(
                p.criterion_number, root.key_lines.get("criteria", 0)
            )
            problems.append(FileProblem(filename, line, p.indicator_code or "criteria", p.message))
    if problems:
        raise CatalogueFileError(problems)
    with _record():
        note = _("%(basis)s: tải lên tệp %(file)s") % {
            "basis": data.basis_number,
            "file": filename,
        }
    if change_note.strip():
        note += f" ({change_note.strip()})"
    current = queries.active_version(data.code)
    used = current is None or current.evaluations.exists()
    full_note = note if used else "\n".join(filter(None, [current.change_note.strip(), note]))
    outcome = store_set(data, source_file=filename, actor=actor, change_note=full_note)
    recomputed = 0
    if outcome.action != "unchanged":
        recomputed = _recompute(outcome.criteria_set)
    return ChangeOutcome(outcome.criteria_set, outcome.action, note, recomputed)
