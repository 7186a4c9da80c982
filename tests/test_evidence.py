"""Evidence files behind indicator values: PDF, images and Office files checked by their content
(not their name), size limited, stored under a generated name outside the web root, downloaded
only by those who may see the unit's values, and removed softly by editors."""

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nongthon.assessment import evidence as evidence_service
from nongthon.assessment.models import Evidence, IndicatorValue
from nongthon.assessment.services import ValueEntry, save_values
from tests.conftest import client_for

YEAR = 2023
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def office_zip(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


def legacy_office(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + stream.encode("utf-16-le")


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def family(tiny_set) -> str:
    return tiny_set.family


def list_url(unit, family, code="3.1") -> str:
    return reverse("assessment:evidence_list", args=[unit.pk, YEAR, family, code])


def upload(client, unit, family, name: str, content: bytes, code="3.1"):
    return client.post(
        list_url(unit, family, code), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_a_small_pdf_is_accepted_stored_under_a_generated_name_and_listed(
    vi_binh, family, commune_officer, media
):
    response = upload(client_for(commune_officer), vi_binh, family, "Biên bản nghiệm thu.pdf", PDF)
    page = text(response)
    assert "Đã đính kèm «Biên bản nghiệm thu.pdf» vào chỉ tiêu 3.1." in page
    evidence = Evidence.objects.get()
    assert evidence.original_name == "Biên bản nghiệm thu.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF)
    assert evidence.uploaded_by == commune_officer
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(media)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored.name)
    assert stored.read_bytes() == PDF
    assert "Biên bản nghiệm thu.pdf" in page
    assert reverse("assessment:evidence_download", args=[evidence.pk]) in response.content.decode()


def test_the_first_file_of_an_indicator_creates_its_empty_value_row_with_history(
    vi_binh, family, commune_officer
):
    upload(client_for(commune_officer), vi_binh, family, "bien-ban.pdf", PDF)
    value = IndicatorValue.objects.get(unit=vi_binh, year=YEAR, indicator_code="3.1")
    assert value.version == 1 and value.value_number is None
    assert value.history.count() == 1
    assert value.history.first().history_user == commune_officer


def test_the_entry_page_counts_the_files_of_each_indicator(vi_binh, family, commune_officer):
    client = client_for(commune_officer)
    upload(client, vi_binh, family, "a.pdf", PDF)
    upload(client, vi_binh, family, "b.png", PNG)
    content = client.get(
        reverse("assessment:entry_page", args=[vi_binh.pk, YEAR, family])
    ).content.decode()
    row = re.search(r'data-testid="indicator-3.1">(.*?)</tr>', content, re.S).group(1)
    assert f'href="{list_url(vi_binh, family)}"' in row
    assert "2 tệp" in row


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("anh-kenh.jpg", JPEG, "image/jpeg"),
        ("anh-kenh.JPEG", JPEG, "image/jpeg"),
        ("so-do.png", PNG, "image/png"),
        (
            "bao-cao.docx",
            office_zip("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "bang-so-lieu.xlsx",
            office_zip("xl"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("to-trinh.doc", legacy_office("WordDocument"), "application/msword"),
        ("bang-cu.xls", legacy_office("Workbook"), "application/vnd.ms-excel"),
    ],
)
def test_images_and_office_files_are_accepted_by_their_content(
    vi_binh, family, commune_officer, name, content, content_type
):
    upload(client_for(commune_officer), vi_binh, family, name, content)
    assert Evidence.objects.get().content_type == content_type


def test_a_text_file_named_pdf_is_refused_naming_the_file(vi_binh, family, commune_officer, media):
    response = upload(
        client_for(commune_officer), vi_binh, family, "bien-ban.pdf", b"Day khong phai PDF"
    )
    assert "Tệp «bien-ban.pdf» không phải PDF: nội dung tệp không khớp với đuôi tệp" in text(
        response
    )
    assert not Evidence.objects.exists()
    assert not IndicatorValue.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bao-cao.docx", office_zip("xl"), "không phải Word (.docx)"),
        ("bao-cao.docx", b"PK\x03\x04 hong", "không phải Word (.docx)"),
        ("anh.png", JPEG, "không phải PNG"),
        ("bang.xls", legacy_office("WordDocument"), "không phải Excel (.xls)"),
        ("chay.exe", b"MZ\x90\x00", "chỉ nhận tệp PDF, ảnh JPEG, PNG"),
        ("ghi-chu.txt", b"hello", "chỉ nhận tệp PDF, ảnh JPEG, PNG"),
    ],
)
def test_files_whose_content_is_not_what_they_claim_are_refused(
    vi_binh, family, commune_officer, name, content, expected
):
    response = upload(client_for(commune_officer), vi_binh, family, name, content)
    page = text(response)
    assert f"Tệp «{name}»" in page
    assert expected in page
    assert not Evidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(vi_binh, family, commune_officer, settings):
    settings.NONGTHON_MAX_EVIDENCE_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024)
    page = text(upload(client_for(commune_officer), vi_binh, family, "lon.pdf", big))
    assert "Tệp «lon.pdf» quá lớn (1,0 MB); dung lượng tối đa là 1,0 MB." in page
    assert "tối đa 1,0 MB" in page  # the form says the limit in force
    assert not Evidence.objects.exists()


def test_the_default_limit_is_ten_megabytes():
    assert evidence_service.max_bytes() == 10 * 1024 * 1024


def test_an_empty_file_is_refused(vi_binh, family, commune_officer):
    assert "Hãy chọn tệp minh chứng" in text(
        client_for(commune_officer).post(list_url(vi_binh, family), {}, follow=True)
    )
    assert not Evidence.objects.exists()


@pytest.fixture
def pdf_evidence(vi_binh, family, commune_officer) -> Evidence:
    return evidence_service.attach_evidence(
        commune_officer,
        upload=SimpleUploadedFile("Biên bản.pdf", PDF),
        unit=vi_binh,
        year=YEAR,
        family=family,
        indicator_code="3.1",
    )


def download_url(evidence: Evidence) -> str:
    return reverse("assessment:evidence_download", args=[evidence.pk])


def test_the_download_is_an_attachment_with_its_stored_type_and_nosniff(
    pdf_evidence, commune_officer
):
    response = client_for(commune_officer).get(download_url(pdf_evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_the_download_is_not_found_for_another_commune_and_allowed_for_the_province(
    pdf_evidence, other_commune_officer, viewer, district_officer
):
    assert client_for(other_commune_officer).get(download_url(pdf_evidence)).status_code == 404
    assert client_for(viewer).get(download_url(pdf_evidence)).status_code == 200
    assert client_for(district_officer).get(download_url(pdf_evidence)).status_code == 200


def test_the_download_needs_a_login(client, pdf_evidence):
    response = client.get(download_url(pdf_evidence))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_no_url_serves_the_media_folder(client, commune_officer, pdf_evidence):
    client = client_for(commune_officer)
    assert client.get("/media/" + pdf_evidence.file.name).status_code == 404


def test_another_commune_neither_sees_nor_uploads_evidence(vi_binh, family, other_commune_officer):
    client = client_for(other_commune_officer)
    assert client.get(list_url(vi_binh, family)).status_code == 404
    response = client.post(list_url(vi_binh, family), {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_a_viewer_sees_the_files_but_may_not_upload_or_remove(
    pdf_evidence, vi_binh, family, viewer
):
    client = client_for(viewer)
    response = client.get(list_url(vi_binh, family))
    assert response.status_code == 200
    assert "Biên bản.pdf" in text(response)
    assert 'data-testid="evidence-form"' not in response.content.decode()
    response = client.post(list_url(vi_binh, family), {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 403
    remove = reverse("assessment:evidence_remove", args=[pdf_evidence.pk])
    assert client.post(remove).status_code == 403
    assert Evidence.objects.count() == 1
    pdf_evidence.refresh_from_db()
    assert pdf_evidence.removed_at is None


def test_an_editor_removes_a_file_softly_and_it_is_no_longer_downloadable(
    pdf_evidence, vi_binh, family, district_officer, commune_officer
):
    client = client_for(district_officer)
    remove = reverse("assessment:evidence_remove", args=[pdf_evidence.pk])
    page = text(client.post(remove, follow=True))
    assert "Đã gỡ tệp «Biên bản.pdf» khỏi chỉ tiêu 3.1." in page
    assert "đã gỡ lúc" in page
    pdf_evidence.refresh_from_db()
    assert pdf_evidence.removed_at is not None
    assert Path(pdf_evidence.file.path).exists()  # nothing is lost
    assert pdf_evidence.history.first().history_user == district_officer
    assert client_for(commune_officer).get(download_url(pdf_evidence)).status_code == 404
    assert "Tệp «Biên bản.pdf» đã được gỡ trước đó." in text(client.post(remove, follow=True))


def test_another_commune_cannot_remove_a_file(pdf_evidence, other_commune_officer):
    remove = reverse("assessment:evidence_remove", args=[pdf_evidence.pk])
    assert client_for(other_commune_officer).post(remove).status_code == 404
    pdf_evidence.refresh_from_db()
    assert pdf_evidence.removed_at is None


def test_an_unknown_indicator_has_no_evidence_page(vi_binh, family, commune_officer):
    assert client_for(commune_officer).get(list_url(vi_binh, family, "99.9")).status_code == 404


def test_attaching_a_file_first_does_not_block_saving_a_value_typed_on_a_page_loaded_before(
    vi_binh, family, commune_officer
):
    client = client_for(commune_officer)
    entry = reverse("assessment:entry_page", args=[vi_binh.pk, YEAR, family])
    client.get(entry)  # the page shows no value for 3.1: version 0
    upload(client, vi_binh, family, "a.pdf", PDF)
    page = text(client.post(entry, {"3.1-value": "85", "3.1-version": "0"}, follow=True))
    assert "Đã lưu 1 chỉ tiêu: 3.1." in page
    assert IndicatorValue.objects.get(unit=vi_binh, indicator_code="3.1").value_number == 85


def test_a_value_typed_elsewhere_meanwhile_still_refuses_a_stale_save(
    vi_binh, family, commune_officer, district_officer
):
    entry = reverse("assessment:entry_page", args=[vi_binh.pk, YEAR, family])
    save_values(
        district_officer,
        unit=vi_binh,
        year=YEAR,
        family=family,
        entries=[ValueEntry("3.1", "70", expected_version=0)],
    )
    page = text(client_for(commune_officer).post(entry, {"3.1-value": "85", "3.1-version": "0"}))
    assert "Chỉ tiêu 3.1 vừa được Huyen sửa lúc" in page
