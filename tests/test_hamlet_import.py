"""Hamlets from an Excel sheet: every row checked first, all or nothing, re-runs change nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from nongthon.places import hamlet_import, hamlets
from nongthon.places.models import Hamlet, HamletKind, Unit
from tests.conftest import client_for

HEADER = ["Mã xã", "Tên thôn, ấp", "Loại"]


def xlsx(rows: list[list], header: list | None = None, title_rows: int = 0) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["DANH SÁCH THÔN, ẤP"])
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, unit: Unit, content: bytes, name: str = "thon-ap.xlsx"):
    return client.post(
        f"/units/hamlets/import/{unit.pk}/",
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


def names(commune: Unit) -> dict[str, str]:
    return dict(Hamlet.objects.filter(commune=commune).values_list("name", "kind"))


def test_a_district_officer_imports_hamlets_of_two_communes(
    district_officer, vi_thuy, vi_binh, vi_dong
):
    content = xlsx(
        [
            [31468, "Ấp 1", "Ấp"],
            ["31468", " Ấp  2 ", "ap"],
            [None, None, None],  # empty rows are skipped
            [31468.0, "Ấp 3", ""],
            ["31462", "Ấp Vị Hiệp", "ẤP"],
            ["31462", "Tổ 5", "to dan pho"],
        ],
        header=[" mã XÃ ", "TEN THON, AP", "loại  "],  # forgiving header
        title_rows=1,
    )
    response = upload(client_for(district_officer), vi_thuy, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="import-errors"' not in page
    assert "Đã thêm 5 thôn, ấp." in page
    assert "<td>" in page and 'Xã Vị Bình</a></td><td class="num">3</td>' in page
    assert 'Xã Vị Đông</a></td><td class="num">2</td>' in page
    # A blank kind in a xã defaults to Thôn.
    assert names(vi_binh) == {"Ấp 1": "ap", "Ấp 2": "ap", "Ấp 3": HamletKind.THON}
    assert names(vi_dong) == {"Ấp Vị Hiệp": "ap", "Tổ 5": HamletKind.TO_DAN_PHO}
    record = Hamlet.objects.get(name="Tổ 5").history.get()
    assert record.history_user == district_officer
    assert record.history_change_reason == "Nhập từ tệp Excel thon-ap.xlsx"


def test_bad_rows_refuse_the_whole_file_with_one_message_per_row(
    district_officer, vi_thuy, vi_binh
):
    content = xlsx(
        [
            [31468, "Ấp 1", "Ấp"],  # line 2: fine
            [31468, "", "Ấp"],  # line 3: missing name
            [31468, "ấp 1", "Ấp"],  # line 4: duplicate of line 2
            [31999, "Ấp 9", "Ấp"],  # line 5: no such commune
            [31477, "Ấp Long Hòa", "Ấp"],  # line 6: Long Trị, another district
            [31468, "Xóm Chùa", "Hẻm"],  # line 7: unknown kind
            ["abc", "", ""],  # line 8: two problems, one message
        ]
    )
    response = upload(client_for(district_officer), vi_thuy, content)
    page = response.content.decode()
    assert "chưa lưu dòng nào" in page
    assert "Dòng 3: thiếu tên thôn, ấp." in page
    assert "Dòng 4: trùng với dòng 2 (ấp 1, Xã Vị Bình)." in page
    assert "Dòng 5: mã xã «31999» không phải là xã thuộc Huyện Vị Thủy." in page
    assert "Dòng 6: mã xã «31477» là Xã Long Trị, không thuộc Huyện Vị Thủy." in page
    assert "Dòng 7: loại «Hẻm» không có trong danh sách («Thôn», «Ấp»," in page
    assert "Dòng 8: mã xã «abc» không hợp lệ (phải gồm 5 chữ số); thiếu tên thôn, ấp." in page
    assert "Dòng 2" not in page
    assert page.count("<li>Dòng") == 6
    assert not Hamlet.objects.exists()


def test_an_existing_name_with_another_kind_is_an_error(district_officer, vi_thuy, vi_binh):
    hamlets.create_hamlet(None, commune=vi_binh, name="Ấp 1", kind=HamletKind.AP)
    content = xlsx([[31468, "Ấp 1", "Thôn"], [31468, "Ấp 2", "Ấp"]])
    page = upload(client_for(district_officer), vi_thuy, content).content.decode()
    assert "Dòng 2: Xã Vị Bình đã có ấp «Ấp 1», khác loại «Thôn» ghi trong tệp." in page
    assert names(vi_binh) == {"Ấp 1": "ap"}


def test_re_importing_the_same_file_skips_existing_rows(district_officer, vi_thuy, vi_binh):
    content = xlsx([[31468, "Ấp 1", "Ấp"], [31468, "Ấp 2", ""]])
    client = client_for(district_officer)
    assert "Đã thêm 2 thôn, ấp." in upload(client, vi_thuy, content).content.decode()
    page = upload(client, vi_thuy, content).content.decode()
    assert "Đã thêm 0 thôn, ấp." in page
    assert "2 dòng đã có, bỏ qua." in page
    assert "Dòng 2: Ấp 1 (Xã Vị Bình) — đã có, bỏ qua" in page
    assert Hamlet.objects.filter(commune=vi_binh).count() == 2


def test_a_retired_hamlet_does_not_block_a_new_one_of_the_same_name(commune_officer, vi_binh):
    old = hamlets.create_hamlet(None, commune=vi_binh, name="Ấp 1", kind=HamletKind.AP)
    hamlets.retire_hamlet(
        None, hamlet=old, expected_version=1, on=old.created_at.date(), reason="x"
    )
    page = upload(client_for(commune_officer), vi_binh, xlsx([[31468, "Ấp 1", "Ấp"]]))
    assert "Đã thêm 1 thôn, ấp." in page.content.decode()
    assert Hamlet.objects.active().filter(commune=vi_binh).count() == 1


def test_from_a_commune_page_a_blank_code_means_that_commune(commune_officer, vi_binh):
    content = xlsx([[None, "Ấp 7", "Ấp"]])
    page = upload(client_for(commune_officer), vi_binh, content).content.decode()
    assert "Đã thêm 1 thôn, ấp." in page
    assert names(vi_binh) == {"Ấp 7": "ap"}


def test_a_commune_officer_may_not_import_into_a_neighbour(commune_officer, vi_binh, vi_dong):
    content = xlsx([[31462, "Ấp 1", "Ấp"]])
    # From their own commune's page, the neighbour's code is outside the unit.
    page = upload(client_for(commune_officer), vi_binh, content).content.decode()
    assert "Dòng 2: mã xã «31462» là Xã Vị Đông, không thuộc Xã Vị Bình." in page
    # The neighbour's own import page is invisible to them.
    assert upload(client_for(commune_officer), vi_dong, content).status_code == 404
    assert not Hamlet.objects.exists()


def test_a_viewer_may_not_import(viewer, vi_thuy):
    response = upload(client_for(viewer), vi_thuy, xlsx([[31468, "Ấp 1", "Ấp"]]))
    assert response.status_code == 403
    assert client_for(viewer).get(f"/units/hamlets/import/{vi_thuy.pk}/").status_code == 403
    assert not Hamlet.objects.exists()


def test_a_non_xlsx_upload_is_refused(district_officer, vi_thuy):
    content = "Mã xã;Tên thôn, ấp;Loại\n31468;Ấp 1;Ấp\n".encode()
    page = upload(client_for(district_officer), vi_thuy, content, "thon-ap.csv").content.decode()
    assert "Tệp không phải Excel (.xlsx)" in page
    assert not Hamlet.objects.exists()


def test_a_file_too_large_is_refused(district_officer, vi_thuy, settings):
    settings.NONGTHON_MAX_IMPORT_BYTES = 1000
    page = upload(client_for(district_officer), vi_thuy, xlsx([[31468, "Ấp 1", "Ấp"]]))
    assert "Tệp lớn quá" in page.content.decode()
    assert not Hamlet.objects.exists()


def test_a_sheet_without_the_header_is_refused(district_officer, vi_thuy):
    content = xlsx([[31468, "Ấp 1"]], header=["Mã", "Tên"])
    page = upload(client_for(district_officer), vi_thuy, content).content.decode()
    assert "Không tìm thấy dòng tiêu đề có các cột «Mã xã», «Tên thôn, ấp»" in page


def test_too_many_rows_are_refused(district_officer, vi_thuy, monkeypatch):
    monkeypatch.setattr(hamlet_import, "MAX_ROWS", 3)
    content = xlsx([[31468, f"Ấp {i}", "Ấp"] for i in range(4)])
    page = upload(client_for(district_officer), vi_thuy, content).content.decode()
    assert "Tệp có hơn 3 dòng dữ liệu" in page
    assert not Hamlet.objects.exists()


def test_the_template_opens_in_excel_with_header_kinds_and_communes(district_officer, vi_thuy):
    response = client_for(district_officer).get(f"/units/hamlets/import/{vi_thuy.pk}/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    data, kinds, communes = workbook.worksheets
    assert [c.value for c in data[1]] == HEADER
    assert [r[0] for r in kinds.iter_rows(min_row=2, values_only=True)] == [
        "Thôn", "Ấp", "Bản", "Buôn", "Làng", "Xóm", "Phum, sóc", "Tổ dân phố", "Khu phố", "Khóm",
        "Khu vực", "Khác",
    ]  # fmt: skip
    rows = list(communes.iter_rows(min_row=2, values_only=True))
    assert ("31468", "Xã Vị Bình", "Huyện Vị Thủy") in rows
    assert len(rows) == 10


def test_a_filled_in_template_imports(district_officer, vi_thuy, vi_binh):
    client = client_for(district_officer)
    template = client.get(f"/units/hamlets/import/{vi_thuy.pk}/template.xlsx").content
    workbook = load_workbook(io.BytesIO(template))
    workbook.worksheets[0].append(["31468", "Ấp Bình Hòa", "Ấp"])
    out = io.BytesIO()
    workbook.save(out)
    page = upload(client, vi_thuy, out.getvalue()).content.decode()
    assert "Đã thêm 1 thôn, ấp." in page
    assert names(vi_binh) == {"Ấp Bình Hòa": "ap"}


@pytest.mark.parametrize("label", ["Tổ dân phố", "TO DAN PHO", "tổ  dân phố", "to_dan_pho"])
def test_kind_labels_are_matched_ignoring_case_and_diacritics(commune_officer, vi_binh, label):
    upload(client_for(commune_officer), vi_binh, xlsx([[31468, "Tổ 1", label]]))
    assert names(vi_binh) == {"Tổ 1": HamletKind.TO_DAN_PHO}
