"""The Excel round trip at province scale: 100 communes × 60 indicators, every value changed.

Builds a synthetic province (edition pre2025, codes 99 / 999 / 99001-99100, which no real unit
uses) and a synthetic 60-indicator commune set (its thresholds are made up for timing only and
say so), writes the template, fills it, and times the import: check every cell, then save all
100 communes in one transaction through assessment.services.save_values, re-evaluating each.
"""

from __future__ import annotations

import io
from itertools import cycle

from openpyxl import load_workbook

from bench.harness import Result, measure
from nongthon.accounts import services as account_services
from nongthon.accounts.models import Role, User
from nongthon.assessment import values_excel
from nongthon.catalogue.files import parse_set_file
from nongthon.catalogue.services import store_set
from nongthon.places.models import Edition, Level, Region, Unit, UnitKind
from nongthon.places.official_lists import load_regions

COMMUNES = 100
CRITERIA, PER_CRITERION = 12, 5  # 60 indicators
YEAR = 2023
SET_CODE = "bench-xa-60"
RUNS = 3
TARGET_S = 3.0  # issue 10: a province template imports in under 3 s
CATEGORIES = ["Loại A", "Loại B", "Loại C"]
KINDS = ("percent", "boolean", "number", "amount", "category")
SOURCE = "Số liệu giả lập để đo hiệu năng, không phải văn bản"


def _unit(code: str, level: str, kind: str, name: str, parent: Unit | None) -> Unit:
    unit = Unit.objects.filter(edition=Edition.PRE_2025, level=level, code=code).first()
    if unit is None:
        unit = Unit(edition=Edition.PRE_2025, level=level, code=code, kind=kind)
    unit.name = unit.short_name = name
    unit.parent = parent
    if level == Level.PROVINCE:
        unit.region = Region.objects.filter(code="DBSCL").first() or load_regions()["DBSCL"]
    unit.source = "bench"
    unit.save()
    return unit


def build_province() -> tuple[Unit, list[Unit]]:
    province = _unit("99", Level.PROVINCE, UnitKind.TINH, "Tỉnh Đo Hiệu Năng", None)
    district = _unit("999", Level.DISTRICT, UnitKind.HUYEN, "Huyện Đo Hiệu Năng", province)
    communes = [
        _unit(f"99{n:03d}", Level.COMMUNE, UnitKind.XA, f"Xã Thử {n}", district)
        for n in range(1, COMMUNES + 1)
    ]
    return province, communes


def _indicator_yaml(code: str, position: int) -> str:
    """Five kinds in turn; the amount has no threshold, so it is judged by hand."""
    kind = KINDS[position % len(KINDS)]
    rule = f'source: "{SOURCE}", status: secondary'
    extra = {
        "percent": [
            'unit: "%"',
            f'thresholds: [{{comparator: ">=", value: 50, region: DBSCL, {rule}}}]',
        ],
        "boolean": [f"thresholds: [{{comparator: yes, {rule}}}]"],
        "number": ["unit: km", f'thresholds: [{{comparator: ">=", value: 10, {rule}}}]'],
        "amount": ["unit: triệu đồng"],
        "category": [
            "categories: [" + ", ".join(f'"{c}"' for c in CATEGORIES) + "]",
            f'thresholds: [{{comparator: in, value: ["{CATEGORIES[0]}"], {rule}}}]',
        ],
    }[kind]
    lines = [f'- code: "{code}"', f"  name: Chỉ tiêu thử {code}", f"  kind: {kind}"]
    lines += [f"  {line}" for line in extra]
    return "".join(f"      {line}\n" for line in lines)


def set_yaml() -> str:
    lines = [
        f"code: {SET_CODE}",
        "name: Bộ tiêu chí giả lập 60 chỉ tiêu (đo hiệu năng)",
        "level: commune",
        "tier: ntm",
        "period: [2021, 2025]",
        "legal_basis:",
        "  number: BENCH/2025",
        "  date: 2025-01-01",
        f'  note: "{SOURCE}"',
        "criteria:",
    ]
    text = "\n".join(lines) + "\n"
    for number in range(1, CRITERIA + 1):
        text += f"  - number: {number}\n    name: Tiêu chí thử {number}\n    indicators:\n"
        for i in range(PER_CRITERION):
            text += _indicator_yaml(f"{number}.{i + 1}", i)
    return text


def _actor(province: Unit) -> User:
    user = User.objects.filter(username="bench-excel").first()
    if user is None:
        user = account_services.create_user(
            None, username="bench-excel", password="Bench@2025", check_password=False
        )
        account_services.grant_membership(None, user, province, Role.PROVINCE_COORDINATOR)
    return user


def fill(template: bytes, run: int) -> bytes:
    """Every input cell typed, each different from the previous run's."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[values_excel.SHEET_DATA]
    columns = []
    for cell in sheet[values_excel.KEY_ROW]:
        if isinstance(cell.value, str) and cell.value.count(":") == 2:
            _prefix, role, code = cell.value.split(":")
            kind = KINDS[(int(code.split(".")[1]) - 1) % len(KINDS)]
            columns.append((len(columns), cell.column, role, kind))
    for row in range(values_excel.FIRST_DATA_ROW, sheet.max_row + 1):
        c = row - values_excel.FIRST_DATA_ROW
        for i, column, role, kind in columns:
            if role == "verdict":
                value: object = "Đạt" if run % 2 else "Chưa đạt"
            elif role == "reason":
                value = f"Lần nhập {run}"
            elif kind == "percent":
                value = (c * 7 + i * 3) % 80 + run * 5
            elif kind == "boolean":
                value = "Đạt" if (run + c) % 2 else "Chưa đạt"
            elif kind == "category":
                value = CATEGORIES[(run + c) % len(CATEGORIES)]
            else:
                value = run * 1000 + c * 10 + i + 0.5
            sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def bench_values_import(db_label: str) -> list[Result]:
    """Excel import of a province: 100 communes × 60 indicators, all or nothing."""
    province, communes = build_province()
    outcome = store_set(parse_set_file(set_yaml(), "bench-xa-60.yaml"))
    family = outcome.criteria_set.family
    actor = _actor(province)

    empty = values_excel.build_template(province, year=YEAR, family=family)
    files = cycle([fill(empty, run) for run in range(1, RUNS + 1)])
    changed = 0

    def run_import() -> None:
        nonlocal changed
        result = values_excel.import_values(
            actor, unit=province, year=YEAR, family=family, upload=io.BytesIO(next(files))
        )
        assert result.communes_changed == len(communes), "every commune must change"
        changed = result.changed

    median, p95 = measure(run_import, runs=RUNS)

    def build() -> bytes:
        return values_excel.build_template(province, year=YEAR, family=family)

    # Timed after the imports: the template is pre-filled with every commune's values.
    built, built_p95 = measure(build, runs=RUNS)
    shape = f"{len(communes)} xã × {CRITERIA * PER_CRITERION} chỉ tiêu"
    return [
        Result(
            f"values_excel: import, {shape}",
            db_label,
            RUNS,
            median,
            p95,
            TARGET_S,
            f"{changed:,} values changed per run".replace(",", "."),
        ),
        Result(
            f"values_excel: template, {shape}",
            db_label,
            RUNS,
            built,
            built_p95,
            TARGET_S,
            "pre-filled",
        ),
    ]


def _changed(value: object, run: int) -> object:
    """Another value of the same kind: verdicts flip, numbers move by one, notes are new."""
    if value in ("Đạt", "Chưa đạt"):
        return "Chưa đạt" if value == "Đạt" else "Đạt"
    if isinstance(value, int | float):
        return value - 1 if value >= 100 else value + 1
    return value


def _refill(template: bytes, run: int) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[values_excel.SHEET_DATA]
    columns = []
    for cell in sheet[values_excel.KEY_ROW]:
        if isinstance(cell.value, str) and cell.value.count(":") == 2:
            columns.append((cell.column, cell.value.split(":")[1]))
    for row in range(values_excel.FIRST_DATA_ROW, sheet.max_row + 1):
        for column, role in columns:
            cell = sheet.cell(row=row, column=column)
            if role == values_excel.REASON:
                cell.value = f"Lần nhập {run}"
            elif role == values_excel.VERDICT and cell.value in (None, ""):
                cell.value = "Đạt"
            else:
                cell.value = _changed(cell.value, run)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def bench_real_province_import(db_label: str, province_code: str = "38") -> list[Result]:
    """Excel import of the largest province's template on national data (a national file has
    no template: the templates are per province, district or commune)."""
    from nongthon.accounts.models import User

    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code=province_code)
    actor = User.objects.get(username="bench-reader")
    family, year, runs = "qd318-xa-ntm", 2025, 2
    template = values_excel.build_template(province, year=year, family=family)
    files = iter([_refill(template, run) for run in range(1, runs + 1)])
    outcome = {}

    def run_import() -> None:
        result = values_excel.import_values(
            actor, unit=province, year=year, family=family, upload=io.BytesIO(next(files))
        )
        outcome["changed"], outcome["communes"] = result.changed, result.communes_changed

    median, p95 = measure(run_import, runs=runs)
    shape = f"{province.name}: {outcome['communes']} xã, {outcome['changed']:,} values changed"
    return [
        Result(
            "values_excel: import, largest province (national data)",
            db_label,
            runs,
            median,
            p95,
            None,
            shape.replace(",", "."),
        )
    ]
