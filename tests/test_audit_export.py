"""Exporting the audit log: a real .xlsx (opened back) and a .csv, with the page's filters, the
reader's scope, cells that cannot run as formulas, and a row limit that says so."""

import csv
import io

import pytest
from openpyxl import load_workbook

from nongthon.audit import exports, queries
from nongthon.places.models import Hamlet, HamletKind
from tests.audit_support import add_hamlet, rename_hamlet
from tests.conftest import client_for, make_user


@pytest.fixture
def renamed(commune_officer, vi_binh):
    client = client_for(commune_officer)
    hamlet = add_hamlet(client, vi_binh, "Ấp Xuất", address="203.0.113.7")
    rename_hamlet(client, hamlet, '=HYPERLINK("http://x")', address="198.51.100.4")
    return hamlet


def sheet_rows(response) -> list[tuple]:
    book = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return list(book.active.iter_rows(values_only=True))


def test_the_xlsx_holds_the_rows_with_before_and_after(system_admin, renamed, commune_officer):
    response = client_for(system_admin).get("/audit/export.xlsx", {"model": "places.hamlet"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="nhat-ky-')
    rows = sheet_rows(response)
    assert rows[0][:3] == ("Thời gian", "Người thực hiện", "Địa chỉ IP")
    changed = [r for r in rows[1:] if r[3] == "Sửa"]
    assert len(changed) == 1
    row = changed[0]
    assert row[1] == commune_officer.display_name
    assert row[2] == "198.51.100.4"
    assert row[6] == "Xã Vị Bình"
    assert "Ấp Xuất →" in row[7]


def test_cells_that_look_like_formulas_are_written_as_text(system_admin, renamed):
    rows = sheet_rows(client_for(system_admin).get("/audit/export.xlsx"))
    labels = [r[5] for r in rows[1:] if r[5] and "HYPERLINK" in r[5]]
    assert labels and all(label.startswith("'=") for label in labels)
    assert exports.safe("+1") == "'+1" and exports.safe("@a") == "'@a"
    assert exports.safe("-5") == "'-5" and exports.safe("Ấp 1") == "Ấp 1"


def test_the_csv_has_the_same_rows_and_the_filters(system_admin, renamed, vi_binh):
    Hamlet(commune=vi_binh, name="Ấp Không Lọc", kind=HamletKind.AP).save()
    response = client_for(system_admin).get(
        "/audit/export.csv", {"model": "places.hamlet", "user": "xa"}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "Thời gian"
    assert {r[3] for r in rows[1:]} == {"Tạo mới", "Sửa"}
    assert not any("Ấp Không Lọc" in r[5] for r in rows[1:])


def test_a_province_coordinator_exports_the_province_only(renamed, can_tho):
    from nongthon.accounts.models import Role

    other = make_user("tpct", can_tho, Role.PROVINCE_COORDINATOR)
    rows = sheet_rows(client_for(other).get("/audit/export.xlsx"))
    assert not any("Ấp Xuất" in (r[5] or "") for r in rows[1:])


def test_the_export_stops_at_its_limit_and_says_so(system_admin, vi_binh):
    for i in range(4):
        Hamlet(commune=vi_binh, name=f"Ấp Giới Hạn {i}", kind=HamletKind.AP).save()
    query = queries.entries(system_admin, queries.Filters(model="places.hamlet"))
    buffer = io.BytesIO()
    exports.write_xlsx(query, buffer, limit=3)
    rows = list(load_workbook(buffer).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3 + 1
    assert rows[-1][0] == "Chỉ xuất 3 dòng đầu; hãy thu hẹp bộ lọc."
    lines = list(exports.csv_lines(query, limit=10))
    assert len(lines) == 1 + query.count()
