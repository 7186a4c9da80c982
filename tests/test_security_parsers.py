"""Hostile input to the pure parsers (issue 11, part 2): deadline phrases, Vietnamese amounts, a
plan's funding text, criteria set files and OCOP score-sheet files. Whatever the text, each
parser returns a reading or raises its own validation error with a Vietnamese message; nothing
else escapes. Where a reading has a meaning we can state, the property checks it too."""

from __future__ import annotations

import copy
import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nongthon.catalogue.files import FIELDS, CatalogueFileError, parse_set_file
from nongthon.funding.amounts import MoneyUnit, format_amount, parse_amount
from nongthon.funding.plan_text import read_plan_text
from nongthon.ocop.sheets import parse_sheet, parse_text
from nongthon.plans.deadlines import Deadline, DeadlineError, parse_deadline

# NONGTHON_FUZZ_EXAMPLES=2000 searches harder (by hand, before a release); CI keeps it quick.
EXAMPLES = int(os.environ.get("NONGTHON_FUZZ_EXAMPLES", "60"))
FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)

# Any text, with the characters hostile input likes: NUL, controls, RTL marks, emoji, combining.
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
HUGE_NUMBER = st.integers(min_value=10**12, max_value=10**80).map(str)


def phrase_of(words: list[str]) -> st.SearchStrategy[str]:
    """Texts built from a parser's own vocabulary, so the search reaches its deeper branches."""
    token = st.one_of(
        st.sampled_from(words),
        st.integers(min_value=-5, max_value=10000).map(str),
        HUGE_NUMBER,
        st.sampled_from(["/", "-", ".", ",", ":", "\x00", "\u200b", "  "]),
    )
    return st.lists(token, max_size=12).map(" ".join)


def vietnamese(message: str) -> bool:
    return bool(message.strip()) and any(ord(c) > 127 for c in message)


# --- Deadlines --------------------------------------------------------------------------------

DEADLINE_WORDS = [
    "ngày",
    "tháng",
    "năm",
    "quý",
    "trước",
    "trong",
    "hàng",
    "hằng",
    "định",
    "kỳ",
    "mỗi",
    "đầu",
    "cuối",
    "thường",
    "xuyên",
    "liên",
    "tục",
    "khi",
    "I",
    "II",
    "III",
    "IV",
    "6",
    "06",
    "01",
    "1",
    "12",
    "31",
    "0",
    "00",
    "0000",
    "9999",
    "sáu",
    "cả",
    "tuần",
]


@FAST
@given(text=st.one_of(ANY_TEXT, phrase_of(DEADLINE_WORDS)), year=st.none() | st.integers(0, 10000))
@example(text="năm 0000", year=None)
@example(text="quý IV/0000", year=None)
@example(text="6 tháng đầu năm 0000", year=None)
@example(text="tháng 12", year=0)
@example(text="31/12/99999", year=None)
def test_a_deadline_phrase_is_read_or_refused_with_a_deadline_error(text, year):
    try:
        parsed = parse_deadline(text, year)
    except DeadlineError as exc:
        assert vietnamese(str(exc)), str(exc)
        return
    assert isinstance(parsed, Deadline)
    assert parsed.due is None or isinstance(parsed.due, dt.date)


@FAST
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_date_written_the_vietnamese_ways_is_read_back_exactly(day):
    assert parse_deadline(day.strftime("%d/%m/%Y")).due == day
    assert parse_deadline(f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}").due == day


# --- Amounts ----------------------------------------------------------------------------------

AMOUNT_WORDS = [
    "đồng",
    "triệu",
    "tỷ",
    "tỉ",
    "VNĐ",
    "đ",
    "tr.đ",
    "trđ",
    ",",
    ".",
    "-",
    "1",
    "000",
    "999",
    "6.259.605",
    "14.348,283",
]
UNITS = st.sampled_from([None, *MoneyUnit.values])


@FAST
@given(text=st.one_of(ANY_TEXT, phrase_of(AMOUNT_WORDS)), unit=UNITS)
@example(text="1" + "0" * 40 + " tỷ đồng", unit=None)
@example(text="9" * 30, unit=MoneyUnit.DONG)
def test_a_written_amount_is_whole_dong_or_refused_with_a_message(text, unit):
    try:
        dong = parse_amount(text, unit)
    except ValidationError as exc:
        assert all(vietnamese(m) for m in exc.messages), exc.messages
        return
    assert isinstance(dong, Decimal)
    assert dong >= 0 and dong == dong.to_integral_value()
    assert len(str(dong)) <= 20  # fits the database column (max_digits=20)


@FAST
@given(dong=st.integers(min_value=0, max_value=10**19), unit=st.sampled_from(MoneyUnit.values))
def test_an_amount_shown_the_vietnamese_way_reads_back_to_the_same_dong(dong, unit):
    written = format_amount(Decimal(dong), unit)
    assert parse_amount(written) == dong


# --- A plan's funding text --------------------------------------------------------------------

PLAN_WORDS = [
    "Tổng",
    "tổng hợp",
    "là",
    "Vốn",
    "ngân sách",
    ":",
    "-",
    "•",
    "\n",
    "triệu đồng",
    "tỷ đồng",
    "6.259.605",
    "149.039",
    "14.348,283",
    ";",
]


@FAST
@given(text=st.one_of(ANY_TEXT, phrase_of(PLAN_WORDS)))
def test_a_plans_funding_text_is_read_line_by_line_and_never_raises(text):
    result = read_plan_text(text)
    lines = text.splitlines()
    for line in result.lines:
        assert 1 <= line.number <= len(lines)
        assert line.amount >= 0
    for error in result.errors:
        assert vietnamese(error)
    assert result.lines or result.errors


# --- Criteria set files -----------------------------------------------------------------------

SETS = Path(__file__).resolve().parents[1] / "src/nongthon/catalogue/data"
SET_FILE = SETS / "qd318-xa-ntm.yaml"
SET_DATA = yaml.safe_load(SET_FILE.read_text(encoding="utf-8"))

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    ANY_TEXT,
    st.sampled_from(["NaN", "Infinity", "-1", "1e999", ">=", "in", "yes", "TDMNPB", "2023-02-30"]),
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.text(max_size=12) | st.sampled_from(["code", "name", "value"]), inner, max_size=3
        )
    ),
    max_leaves=8,
)


@st.composite
def mutated(draw, data):
    """A copy of `data` with one node, somewhere in the tree, replaced by a hostile value (or a
    hostile item appended to a list)."""
    holder = {"root": copy.deepcopy(data)}
    node, key = holder, "root"
    while True:
        child = node[key]
        if isinstance(child, dict):
            keys = list(child)
        elif isinstance(child, list):
            keys = list(range(len(child)))
        else:
            keys = []
        if not keys or draw(st.integers(0, 3)) == 0:
            break
        node, key = child, draw(st.sampled_from(keys))
    if isinstance(node[key], list) and draw(st.booleans()):
        node[key].append(draw(VALUES))
    else:
        node[key] = draw(VALUES)
    return holder["root"]


def dumped(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def check_set_text(text: str) -> None:
    try:
        parse_set_file(text, "tinh.yaml")
    except CatalogueFileError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file == "tinh.yaml" and vietnamese(problem.message), problem


@FAST
@given(data=mutated(SET_DATA))
def test_a_damaged_criteria_set_file_is_refused_naming_file_and_line(data):
    check_set_text(dumped(data))


@FAST
@given(text=st.one_of(ANY_TEXT, VALUES.map(dumped)))
@example(text="a: &a [*a, *a]\n")  # a recursive alias
@example(text="- " * 5000)  # deep nesting
@example(text="[" * 5000)
@example(text="a: !!python/object/apply:os.system ['true']\n")
def test_any_text_as_a_criteria_set_file_is_read_or_refused(text):
    check_set_text(text)


# --- OCOP score-sheet files -------------------------------------------------------------------

SHEET_FILE = Path(__file__).resolve().parents[1] / "src/nongthon/ocop/data/sheets/qd26-2026/01.yaml"
SHEET_DATA = yaml.safe_load(SHEET_FILE.read_text(encoding="utf-8"))


def check_sheet(call, arg) -> None:
    try:
        call(arg)
    except ValidationError as exc:
        assert all(vietnamese(m) for m in exc.messages), exc.messages


def test_the_shipped_sheet_used_here_is_valid():
    assert parse_sheet(copy.deepcopy(SHEET_DATA)).number == 1


@FAST
@given(data=mutated(SHEET_DATA))
def test_a_damaged_score_sheet_is_refused_with_a_message(data):
    check_sheet(parse_sheet, data)
    check_sheet(parse_text, dumped(data))


@FAST
@given(text=st.one_of(ANY_TEXT, VALUES.map(dumped)))
@example(text="a: &a [*a, *a]\n")
@example(text="[" * 5000)
@example(text="rule: qd26-2026\nparts: [1, 2]\n")
@example(text="rule: qd26-2026\nparts:\n- code: A\n  max: abc\n")
def test_any_text_as_a_score_sheet_is_read_or_refused(text):
    check_sheet(parse_text, text)


@pytest.mark.parametrize("text", ["rule: qd26-2026\nparts: [1, 2]\n", "- 1\n- 2\n"])
def test_a_score_sheet_of_the_wrong_shape_is_refused_in_vietnamese(text):
    with pytest.raises(ValidationError) as caught:
        parse_text(text)
    assert all(vietnamese(m) for m in caught.value.messages)


# --- Every node of a real file, replaced in turn -----------------------------------------------

NODE_VALUES = [None, True, "NaN", [], {"a": 1}, [{"a": [1]}], 10**40]


def every_node_replaced(data, keys: tuple[str, ...] = ()):
    """Copies of `data`, each with one node (anywhere in the tree) replaced by one of NODE_VALUES,
    or one of `keys` added to a mapping with a number for a value: the systematic sweep
    that random search may miss deep in the tree."""

    def paths(node, path=()):
        yield path, node
        if isinstance(node, dict):
            children = node.items()
        elif isinstance(node, list):
            children = enumerate(node)
        else:
            children = ()
        for key, child in children:
            yield from paths(child, (*path, key))

    def at(root, path):
        for key in path:
            root = root[key]
        return root

    for path, node in list(paths(data)):
        for value in NODE_VALUES if path else ():
            changed = copy.deepcopy(data)
            at(changed, path[:-1])[path[-1]] = value
            yield changed
        for key in keys if isinstance(node, dict) else ():
            if key not in node:
                changed = copy.deepcopy(data)
                at(changed, path)[key] = 5
                yield changed


def test_a_criteria_set_with_any_one_node_replaced_is_read_or_refused():
    tiny = yaml.safe_load(
        (Path(__file__).parent / "data/tiny-set.yaml").read_text(encoding="utf-8")
    )
    keys = tuple(sorted(set().union(*FIELDS.values())))
    for data in every_node_replaced(tiny, keys):
        check_set_text(dumped(data))


def test_a_score_sheet_with_any_one_node_replaced_is_read_or_refused():
    sheet = yaml.safe_load((SHEET_FILE.parent / "07.yaml").read_text(encoding="utf-8"))
    keys = ("options", "min_points", "min_star", "sections", "criteria", "disqualifiers")
    for data in every_node_replaced(sheet, keys):
        check_sheet(parse_sheet, data)
