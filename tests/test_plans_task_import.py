"""Importing a task appendix from Excel or Word: columns found by name, agencies matched without
diacritics, unmatched names reviewed, deadlines read, bad rows listed (a cell longer than its
column too), nothing saved before the user confirms, and then all rows or none."""

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import Workbook

from nongthon.plans import task_import
from nongthon.plans.models import Task
from tests.conftest import client_for
from tests.plans_support import agencies, make_plan

pytestmark = pytest.mark.django_db

HEADER = ["TT", "Nội dung thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
ROWS = [
    ["I", "Công tác chỉ đạo", None, None, None],
    [
        1,
        "Tổng hợp báo cáo",
        "VAN PHONG DIEU PHOI NONG THON MOI TINH",
        "Sở Tài chính; Sở KH&ĐT",
        "Định kỳ 6 tháng, năm",
    ],
    [2, "Thẩm định hồ sơ", "Sở NN&PTNT", "", "31/08/2023"],
    [3, "Rà soát tiêu chí", "Các sở, ban, ngành tỉnh", "Phòng Ngoại vụ", "Quý III/2023"],
]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["PHỤ LỤC NHIỆM VỤ"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx(rows) -> bytes:
    document = Document()
    document.add_paragraph("Phụ lục")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(hau_giang):
    return {"agencies": agencies(hau_giang), "plan": make_plan(hau_giang, 2023)}


@pytest.mark.parametrize(("name", "make"), [("pl.xlsx", xlsx), ("pl.docx", docx)])
def test_it_reads_the_appendix_and_matches_agencies_without_diacritics(
    world, hau_giang, name, make
):
    preview = task_import.read_appendix(name, make(ROWS), hau_giang, 2023)
    assert preview.file_error == ""
    assert len(preview.rows) == 3
    first, second, third = preview.rows
    a = world["agencies"]
    assert first.section == "I Công tác chỉ đạo"
    assert first.lead_id == a["vpdp-ntm"].pk
    assert first.coordinator_ids == [a["so-tai-chinh"].pk, a["so-khdt"].pk]
    assert first.deadline_kind == "recurring"
    assert second.lead_id == a["so-nnptnt"].pk
    assert second.deadline_due == "31/08/2023"
    assert third.lead_id is None
    assert preview.unmatched == ["Các sở, ban, ngành tỉnh", "Phòng Ngoại vụ"]
    assert Task.objects.count() == 0


def test_unparseable_rows_are_listed_and_block_the_import(world, hau_giang):
    rows = [
        *ROWS,
        [4, "Việc khác", "Sở Y tế", "", "Trước Tết"],
        [5, "", "Sở Y tế", "", "31/12/2023"],
    ]
    preview = task_import.read_appendix("pl.xlsx", xlsx(rows), hau_giang, 2023)
    errors = [e for r in preview.row_errors for e in r.errors]
    assert any("Dòng 7" in e and "Trước Tết" in e for e in errors)
    assert any("Dòng 8" in e and "nội dung" in e for e in errors)
    assert not preview.can_confirm
    with pytest.raises(ValidationError):
        task_import.import_tasks(None, world["plan"], preview, {})
    assert Task.objects.count() == 0


def test_confirming_saves_every_row_with_the_reviewed_names(world, hau_giang):
    preview = task_import.read_appendix("pl.xlsx", xlsx(ROWS), hau_giang, 2023)
    a = world["agencies"]
    with pytest.raises(ValidationError, match="Phòng Ngoại vụ"):
        task_import.import_tasks(
            None, world["plan"], preview, {"Các sở, ban, ngành tỉnh": "__text__"}
        )
    assert Task.objects.count() == 0
    created = task_import.import_tasks(
        None,
        world["plan"],
        preview,
        {"Các sở, ban, ngành tỉnh": "__text__", "Phòng Ngoại vụ": str(a["so-noi-vu"].pk)},
    )
    assert created == 3
    third = Task.objects.get(content="Rà soát tiêu chí")
    assert third.lead is None and third.lead_text == "Các sở, ban, ngành tỉnh"
    assert list(third.coordinators.all()) == [a["so-noi-vu"]]


def test_a_cell_longer_than_its_column_names_the_row_and_field_and_saves_nothing(world, hau_giang):
    group = "Các sở, ban, ngành " + "và các đơn vị " * 25  # a paragraph, not a name (> 300)
    rows = [*ROWS[1:3], [3, "Rà soát tiêu chí", group, "", "Quý III/2023"]]
    preview = task_import.read_appendix("pl.xlsx", xlsx(rows), hau_giang, 2023)
    with pytest.raises(ValidationError) as refused:
        task_import.import_tasks(
            None, world["plan"], preview, dict.fromkeys(preview.unmatched, "__text__")
        )
    message = " ".join(refused.value.messages)
    assert "Chủ trì (như văn bản ghi): tối đa 300 ký tự" in message
    assert "Dòng" in message
    assert Task.objects.count() == 0


def test_a_file_without_the_columns_is_refused_whole(hau_giang):
    workbook = Workbook()
    workbook.active.append(["A", "B"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = task_import.read_appendix("x.xlsx", buffer.getvalue(), hau_giang, 2023)
    assert "tiêu đề" in preview.file_error
    broken = task_import.read_appendix("x.xlsx", b"not a zip", hau_giang, 2023)
    assert broken.file_error
    other = task_import.read_appendix("x.csv", b"a,b", hau_giang, 2023)
    assert other.file_error


def test_the_upload_review_confirm_pages_save_nothing_until_confirmed(world, province_coordinator):
    client = client_for(province_coordinator)
    url = f"/plans/plan/{world['plan'].pk}/tasks/import/"
    upload = io.BytesIO(xlsx(ROWS))
    upload.name = "pl.xlsx"
    page = client.post(url, {"file": upload})
    assert page.status_code == 200
    assert "Phòng Ngoại vụ" in page.content.decode()
    assert Task.objects.count() == 0
    a = world["agencies"]
    done = client.post(url, {"confirm": "1", "map-0": "__text__", "map-1": str(a["so-noi-vu"].pk)})
    assert done.status_code == 302
    assert Task.objects.filter(plan=world["plan"]).count() == 3


def test_another_provinces_officer_cannot_reach_the_import(world, can_tho):
    from nongthon.accounts.models import Role
    from tests.conftest import make_user

    outsider = make_user("ct", can_tho, Role.PROVINCE_COORDINATOR)
    assert (
        client_for(outsider).get(f"/plans/plan/{world['plan'].pk}/tasks/import/").status_code == 404
    )


def test_a_coordinating_group_written_with_commas_stays_one_name(world, hau_giang):
    """ "Các sở, ban, ngành tỉnh" is one group; "Sở Tài chính, Sở Y tế" are two agencies."""
    rows = [
        [1, "Phối hợp rà soát", "Sở Y tế", "Các sở, ban, ngành tỉnh", "Quý III/2023"],
        [2, "Thẩm định", "Sở Y tế", "Sở Tài chính, UBND huyện, thị xã, thành phố", "Năm 2023"],
    ]
    preview = task_import.read_appendix("pl.xlsx", xlsx(rows), hau_giang, 2023)
    first, second = preview.rows
    assert first.coordinator_names == ["Các sở, ban, ngành tỉnh"]
    assert second.coordinator_names == ["Sở Tài chính", "UBND huyện, thị xã, thành phố"]
    assert second.coordinator_ids[0] == world["agencies"]["so-tai-chinh"].pk
    assert preview.unmatched == ["Các sở, ban, ngành tỉnh", "UBND huyện, thị xã, thành phố"]
