"""The province's report for a period compiled from its districts', communes' and departments'
reports, compared with the same period last year; written to Excel (tables, opened back) and
to Word in the NĐ 30/2020 layout (opened back)."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from nongthon.places.models import Unit
from nongthon.reporting import exports, services
from nongthon.reporting.aggregation import compile_report
from tests.reporting_support import department, evaluated, period

pytestmark = pytest.mark.django_db
ON = dt.date(2023, 4, 30)


def line(form_report, code: str):
    return next(x for x in form_report.lines if x.figure.code == code)


@pytest.fixture
def first_quarters(hau_giang, tiny_set, vi_binh, vi_dong, long_tri):
    """Q1 2022 and Q1 2023: every district reports (Vị Thủy's 2023 report accepted); in 2023
    Vị Bình and Vị Đông meet all criteria, in 2022 only Vị Bình; one department reports."""
    for year in (2022, 2023):
        services.ensure_periods(hau_giang, year, today=dt.date(year, 1, 1))
    evaluated(tiny_set, 2022, {vi_binh: 2, vi_dong: 1, long_tri: 0})
    evaluated(tiny_set, 2023, {vi_binh: 2, vi_dong: 2, long_tri: 1})
    districts = list(Unit.objects.filter(province=hau_giang, level="district").order_by("code"))
    for year in (2022, 2023):
        quarter = period(hau_giang, "huyen-quy", 1, year)
        for n, district in enumerate(districts):
            if year == 2023 and district.code == "936":
                continue  # Huyện Long Mỹ has not sent its 2023 report
            on = dt.date(year, 3, 10 if n else 11)  # the first district is a day late
            typed = {
                "htx_kien_toan": str(n + 1),
                "nguoi_tap_huan": "10",
                "xuc_tien_thuong_mai": "0",
            }
            texts = {
                "ket_qua": f"Kết quả quý I của {district.name}",
                "kho_khan": f"Khó khăn của {district.name}" if n < 2 else "",
                "de_xuat": "",
            }
            sent = services.open_submission(None, quarter, district)
            sent = services.submit(None, sent, sent.version, typed, texts, today=on)
            if year == 2023 and district.code == "935":
                services.accept(None, sent, sent.version, today=dt.date(2023, 3, 20))
    so_xd = department(hau_giang, "so-xay-dung", "Sở Xây dựng")
    # Departments report six-monthly: Q1 has none; they appear in the half-year report.
    half = period(hau_giang, "so-6-thang", 1, 2023)
    sent = services.open_submission(None, half, hau_giang, so_xd)
    services.submit(None, sent, sent.version, {}, {"ket_qua": "Sở Xây dựng: đạt kế hoạch."},
                    today=dt.date(2023, 6, 12))  # fmt: skip
    return districts


def test_the_province_report_sums_its_districts_reports_and_compares_with_last_year(
    first_quarters, hau_giang
):
    compiled = compile_report(hau_giang, "quarterly", 2023, 1, ON)
    assert compiled.label == "Quý I/2023"
    periodic = next(f for f in compiled.forms if f.form.code == "ntm-ocop-dinh-ky")
    districts = periodic.level("district")
    communes = periodic.level("commune")
    assert periodic.primary is districts
    assert (districts.expected, districts.on_time, districts.late, districts.missing) == (
        8,
        6,
        1,
        1,
    )
    assert districts.accepted == 1
    assert communes.expected == 51 and communes.missing == 51
    # Seven district reports, among them Vị Thủy's (Vị Bình, Vị Đông) and Long Mỹ town's
    # (Long Trị); Huyện Long Mỹ's is missing.
    assert line(periodic, "xa_danh_gia").value == 3
    assert line(periodic, "xa_dat_chuan").value == 2
    assert line(periodic, "tong_tieu_chi_dat").value == 5
    assert line(periodic, "binh_quan_tieu_chi").value == Decimal("1.7")
    # Typed figures are summed: the n-th district typed n cooperatives (Long Mỹ, 7th, missing).
    assert line(periodic, "htx_kien_toan").value == sum(range(1, 9)) - 7
    assert line(periodic, "htx_kien_toan").system is None
    # Last year: eight reports, one commune at standard, 3 criteria met.
    assert line(periodic, "xa_dat_chuan").last_year == 1
    assert line(periodic, "xa_dat_chuan").change == 1
    assert line(periodic, "htx_kien_toan").last_year == sum(range(1, 9))
    assert line(periodic, "htx_kien_toan").change == -7
    assert line(periodic, "tong_tieu_chi_dat").system == 5
    texts = compiled.texts("kho_khan")
    assert [who for who, _text in texts] == [d.name for d in first_quarters[:2]]


def test_the_half_year_report_holds_the_departments(first_quarters, hau_giang):
    compiled = compile_report(hau_giang, "half_yearly", 2023, 1, dt.date(2023, 6, 30))
    department_form = next(f for f in compiled.forms if f.form.code == "so-nganh")
    level = department_form.level("department")
    assert (level.expected, level.on_time) == (1, 1)
    assert ("Sở Xây dựng", "Sở Xây dựng: đạt kế hoạch.") in compiled.texts("ket_qua")


def test_a_district_compiles_its_communes_reports(first_quarters, hau_giang, vi_thuy, vi_binh):
    march = period(hau_giang, "xa-quy", 1, 2023)
    sent = services.open_submission(None, march, vi_binh)
    typed = {"htx_kien_toan": "4", "nguoi_tap_huan": "0", "xuc_tien_thuong_mai": "0"}
    services.submit(None, sent, sent.version, typed, {"ket_qua": "x"}, today=dt.date(2023, 3, 1))
    compiled = compile_report(vi_thuy, "quarterly", 2023, 1, ON)
    periodic = compiled.forms[0]
    assert periodic.primary.submitters == "commune"
    assert (periodic.primary.expected, periodic.primary.received) == (9, 1)
    assert line(periodic, "htx_kien_toan").value == 4
    assert line(periodic, "xa_dat_chuan").value == 1  # Vị Bình's report
    assert line(periodic, "xa_dat_chuan").system == 2  # Vị Bình and Vị Đông


def test_the_excel_workbook_holds_tables_with_the_figures(first_quarters, hau_giang):
    compiled = compile_report(hau_giang, "quarterly", 2023, 1, ON)
    workbook = load_workbook(BytesIO(exports.compiled_workbook(compiled)))
    assert workbook.sheetnames == [
        "Tong hop",
        "Tinh hinh bao cao",
        "Theo don vi",
        "So nganh",
        "Y kien",
    ]
    summary = workbook["Tong hop"]
    assert summary.tables, "the figures are an Excel table"
    table = next(iter(summary.tables.values()))
    rows = list(summary[table.ref])
    headers = [c.value for c in rows[0]]
    assert headers[:4] == ["Mục", "Chỉ tiêu", "Đơn vị tính", "Kỳ này (tổng hợp từ báo cáo)"]
    by_label = {r[1].value: [c.value for c in r] for r in rows[1:]}
    assert by_label["Số xã đạt tất cả tiêu chí"][3:7] == [2, 2, 1, 1]
    status = workbook["Tinh hinh bao cao"]
    status_rows = [[c.value for c in r] for r in status[next(iter(status.tables.values())).ref]]
    district_row = next(r for r in status_rows if r[1] == "Cấp huyện")
    assert district_row[2] == dt.datetime(2023, 3, 10)
    assert district_row[3:8] == [8, 6, 1, 1, 1]
    units = workbook["Theo don vi"]
    assert len(units.tables) == 2  # the districts' and the communes' reports
    opinions = workbook["Y kien"]
    texts = [r[3].value for r in opinions[next(iter(opinions.tables.values())).ref]]
    assert "Khó khăn của Thành phố Vị Thanh" in texts


def test_the_word_document_follows_the_administrative_layout(first_quarters, hau_giang):
    from nongthon.places.agencies import create_default_agencies

    create_default_agencies(hau_giang)
    compiled = compile_report(hau_giang, "quarterly", 2023, 1, ON)
    document = Document(BytesIO(exports.compiled_document(compiled)))
    header = document.tables[0]
    left = header.rows[0].cells[0].text
    right = header.rows[0].cells[1].text
    assert "UBND TỈNH HẬU GIANG" in left
    assert "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI TỈNH" in left
    assert "Số:" in left and "/BC" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Hậu Giang, ngày" in right
    body = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in body and "quý I/2023" in body
    assert "KHÓ KHĂN, VƯỚNG MẮC" in body and "Khó khăn của Thành phố Vị Thanh" in body
    figures = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in figures.rows}
    standard = rows["Số xã đạt tất cả tiêu chí (xã)"]
    assert standard[2:] == ["2", "1", "+1"]
    average = rows["Bình quân số tiêu chí đạt/xã (tiêu chí)"]
    assert average[2] == "1,7"


def test_one_units_report_prints_as_word(first_quarters, hau_giang):
    from nongthon.reporting.models import Submission

    accepted = Submission.objects.get(status="accepted")
    document = Document(BytesIO(exports.submission_document(accepted)))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Quý I/2023".lower() in body.lower()
    assert "Kết quả quý I của Huyện Vị Thủy" in body
