"""Hostile files to the imports (issue 11, part 2): Excel sheets and Word tables whose cells hold
anything (formulas, huge text, control characters, negative and huge numbers, dates, booleans),
a plan's funding text, unit codes. Each import answers with its result or its own refusal in
Vietnamese, and a refused import leaves the database as it was (all rows or none)."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell

from nongthon.assessment import values_excel
from nongthon.assessment.models import IndicatorValue
from nongthon.funding import services as funding
from nongthon.funding.models import FundingLine
from nongthon.places import hamlet_import
from nongthon.places.models import Hamlet
from nongthon.places.queries import unit_by_code
from nongthon.plans import task_import
from nongthon.plans.models import Task
from tests.plans_support import make_plan

EXAMPLES = int(os.environ.get("NONGTHON_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)

# What a cell can hold once openpyxl has read it back; text without the control characters XML
# cannot carry (openpyxl refuses to write them, so no real file has them).
XML_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60
)
CELL = st.one_of(
    st.none(),
    XML_TEXT,
    XML_TEXT.map(lambda t: (t or "x") * 300),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 1, 1)),
    st.sampled_from(
        ["=1+1", "=HYPERLINK(\"x\")", "31468", "031468", "Ấp", "Phum, sóc", "-5", "1e308", "NaN",
         "31/12/2023", "quý V/2023", "hàng tuần", "Sở NN&PTNT", "Các sở, ban, ngành", "Đạt"]
    ),
)  # fmt: skip


def vietnamese(message: str) -> bool:
    return bool(message.strip()) and any(ord(c) > 127 for c in message)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx(rows: list[list]) -> bytes:
    document = Document()
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = "" if value is None else str(value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


ROWS = st.lists(st.lists(CELL, min_size=3, max_size=5), min_size=1, max_size=6)


def test_hostile_hamlet_sheets_are_imported_whole_or_refused_whole(district_officer, vi_thuy):
    @FUZZ
    @given(rows=ROWS)
    def check(rows):
        before = Hamlet.objects.count()
        upload = SimpleUploadedFile(
            "thon-ap.xlsx", xlsx([["Mã xã", "Tên thôn, ấp", "Loại"], *rows])
        )
        try:
            hamlet_import.import_hamlets(district_officer, unit=vi_thuy, upload=upload)
        except hamlet_import.ImportRefused as refused:
            assert refused.errors and all(vietnamese(e) for e in refused.errors)
            assert Hamlet.objects.count() == before

    check()


def test_hostile_values_sheets_are_imported_whole_or_refused_whole(
    tiny_set, district_officer, vi_thuy
):
    template = values_excel.build_template(vi_thuy, year=2023, family=tiny_set.family)
    sheet = load_workbook(io.BytesIO(template))[values_excel.SHEET_DATA]
    first = values_excel.FIRST_DATA_ROW
    cells = st.tuples(
        st.integers(first - 3, min(sheet.max_row + 2, first + 12)),
        st.integers(1, sheet.max_column + 1),
        CELL,
    )

    @FUZZ
    @given(edits=st.lists(cells, min_size=1, max_size=8))
    def check(edits):
        workbook = load_workbook(io.BytesIO(template))
        data = workbook[values_excel.SHEET_DATA]
        for row, column, value in edits:
            if not isinstance(data.cell(row=row, column=column), MergedCell):  # header titles
                data.cell(row=row, column=column, value=value)
        out = io.BytesIO()
        workbook.save(out)
        before = IndicatorValue.objects.count()
        try:
            values_excel.import_values(
                district_officer, unit=vi_thuy, year=2023, family=tiny_set.family,
                upload=SimpleUploadedFile("so-lieu.xlsx", out.getvalue()),
            )  # fmt: skip
        except values_excel.ImportRefused as refused:
            assert refused.messages and all(vietnamese(m) for m in refused.messages)
            assert IndicatorValue.objects.count() == before

    check()


@pytest.mark.parametrize("make", [xlsx, docx], ids=["xlsx", "docx"])
def test_hostile_task_appendices_preview_then_save_whole_or_nothing(hau_giang, make):
    plan = make_plan(hau_giang, 2023)
    header = [
        "TT",
        "Nội dung thực hiện",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian hoàn thành",
    ]

    @FUZZ
    @given(rows=st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=5))
    def check(rows):
        preview = task_import.read_appendix("phu-luc", make([header, *rows]), hau_giang, 2023)
        for message in [preview.file_error, *(e for r in preview.rows for e in r.errors)]:
            assert not message or vietnamese(message)
        mapping = dict.fromkeys(preview.unmatched, task_import.KEEP_AS_TEXT)
        before = Task.objects.count()
        try:
            created = task_import.import_tasks(None, plan, preview, mapping)
        except ValidationError as refused:
            assert all(vietnamese(m) for m in refused.messages)
            assert Task.objects.count() == before
        else:
            assert Task.objects.count() == before + created

    check()


def test_hostile_plan_funding_text_is_saved_whole_or_not_at_all(hau_giang):
    words = st.sampled_from(
        ["Tổng", "là", "Vốn", "ngân sách", ":", "-", "\n", "triệu đồng", "tỷ đồng", "6.259.605",
         "149.039", "14.348,283", "9" * 25, "-5", "\x00", ";"]
    )  # fmt: skip
    text = st.one_of(XML_TEXT, st.lists(words, max_size=15).map(" ".join))

    @FUZZ
    @given(text=text)
    def check(text):
        before = FundingLine.objects.count()
        try:
            funding.import_plan_text(None, hau_giang, 2023, text)
        except ValidationError as refused:
            assert all(vietnamese(m) for m in refused.messages)
            assert FundingLine.objects.count() == before

    check()


def test_any_text_as_a_unit_code_finds_that_unit_or_none(hau_giang):
    @FUZZ
    @given(code=st.one_of(st.text(max_size=30), st.sampled_from(["93", "31468", "\x00", "9" * 40])))
    def check(code):
        found = unit_by_code(code, dt.date(2023, 1, 1))
        assert found is None or found.code == code

    check()
    assert unit_by_code("93", dt.date(2023, 1, 1)) == hau_giang
