"""Indicator values through Excel: a pre-filled template per district or province, checked
whole on upload (one message per bad cell), saved for every commune or for none."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from nongthon.accounts.models import Role
from nongthon.assessment import services, values_excel
from nongthon.assessment.models import Evaluation, IndicatorValue
from nongthon.assessment.services import ValueEntry
from nongthon.catalogue.files import parse_set_file
from nongthon.catalogue.services import store_set
from nongthon.places.models import Unit
from tests.conftest import TINY_SET, client_for, make_user

YEAR = 2023
FAMILY = "test-xa-ntm"
# The tiny set's columns: 3.1 (percent), 3.2 (yes/no), 10 (no threshold: value, verdict, reason).
COL = {"3.1": "D", "3.2": "E", "10": "F", "10v": "G", "10r": "H"}


def url(unit: Unit, what: str = "", year: int = YEAR, family: str = FAMILY) -> str:
    return f"/assessment/excel/{unit.pk}/{year}/{family}/{what}"


def download(client, unit: Unit) -> bytes:
    response = client.get(url(unit, "mau.xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def upload(client, unit: Unit, content: bytes, name: str = "so-lieu.xlsx", **headers):
    return client.post(
        url(unit),
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
        **headers,
    )


def rows_by_code(sheet) -> dict[str, int]:
    return {
        str(sheet.cell(row=r, column=1).value): r
        for r in range(values_excel.FIRST_DATA_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value
    }


def fill(content: bytes, values: dict[str, dict[str, object]], extra_rows=()) -> bytes:
    """Type `values` ({commune code: {column letter: value}}) and append `extra_rows`."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[values_excel.SHEET_DATA]
    rows = rows_by_code(sheet)
    for code, cells in values.items():
        for letter, value in cells.items():
            sheet[f"{letter}{rows[code]}"] = value
    for extra in extra_rows:
        sheet.append(extra)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def stored(unit: Unit, code: str) -> IndicatorValue | None:
    return IndicatorValue.objects.filter(
        unit=unit, year=YEAR, family=FAMILY, indicator_code=code
    ).first()


def save(unit: Unit, *entries: ValueEntry, illustrative: bool = False) -> None:
    services.save_values(
        None, unit=unit, year=YEAR, family=FAMILY, entries=list(entries), illustrative=illustrative
    )


@pytest.fixture
def other_district_officer(long_tri):
    return make_user("huyenkhac", long_tri.district, Role.DISTRICT_OFFICER)


# ---- the template -------------------------------------------------------------------------


def test_the_template_has_headers_thresholds_validations_values_and_metadata(
    tiny_set, district_officer, vi_thuy, vi_binh
):
    save(vi_binh, ValueEntry("3.1", Decimal("85.5")), illustrative=True)
    save(vi_binh, ValueEntry("10", Decimal("46.3"), hand_verdict=True, hand_reason="Theo Cục TK"))
    workbook = load_workbook(io.BytesIO(download(client_for(district_officer), vi_thuy)))

    assert workbook.sheetnames[:2] == ["Số liệu", "Hướng dẫn"]
    sheet = workbook["Số liệu"]
    assert [sheet.cell(row=2, column=c).value for c in range(1, 9)] == [
        "Mã xã", "Tên xã", "Huyện", "3.1", "3.2", "10", "10", "10",
    ]  # fmt: skip
    assert sheet["D3"].value.startswith("Tỷ lệ diện tích đất sản xuất nông nghiệp")
    assert sheet["G3"].value.startswith("Đánh giá thủ công: Thu nhập")
    assert sheet["D4"].value == "%"
    assert sheet["F4"].value == "triệu đồng/người"
    # The province's region (ĐBSCL) picks the threshold; criterion 10 has none: by hand.
    assert sheet["A5"].value == "Ngưỡng áp dụng (vùng Đồng bằng sông Cửu Long, năm 2023)"
    assert sheet["D5"].value == "≥ 80% (vùng Đồng bằng sông Cửu Long)"
    assert sheet["E5"].value == "Đạt"
    assert sheet["F5"].value == "đánh giá thủ công"
    assert sheet["D2"].font.b
    assert sheet.freeze_panes == "D7"
    assert sheet.row_dimensions[6].hidden

    rows = rows_by_code(sheet)
    assert len(rows) == Unit.objects.subtree(vi_thuy).communes().filter(kind="xa").count()
    line = rows["31468"]
    assert sheet[f"B{line}"].value == "Xã Vị Bình"
    assert sheet[f"C{line}"].value == "Huyện Vị Thủy"
    assert sheet[f"D{line}"].value == 85.5  # a real number, not text
    assert sheet[f"D{line}"].fill.fgColor.rgb.endswith("FFF3B0")  # illustrative: yellow
    assert sheet[f"F{line}"].value == 46.3
    assert sheet[f"G{line}"].value == "Đạt"
    assert sheet[f"H{line}"].value == "Theo Cục TK"

    validations = {
        (dv.type, dv.operator, dv.formula1, dv.formula2): str(dv.sqref)
        for dv in sheet.data_validations.dataValidation
    }
    last = max(rows.values())
    assert validations[("list", None, '"Đạt,Chưa đạt"', None)] == f"E7:E{last} G7:G{last}"
    assert validations[("decimal", "between", "0", "100")] == f"D7:D{last}"
    assert validations[("decimal", "greaterThanOrEqual", "0", None)] == f"F7:F{last}"

    meta = workbook["_thongtin"]
    assert meta.sheet_state == "veryHidden"
    assert meta.protection.sheet
    info = {row[0]: row[1] for row in meta.iter_rows(values_only=True)}
    assert info["set_code"] == "test-xa-ntm"
    assert info["set_version"] == str(tiny_set.version)
    assert (info["unit_edition"], info["unit_level"], info["unit_code"]) == (
        "pre2025", "district", "935",
    )  # fmt: skip
    assert (info["year"], info["family"]) == ("2023", FAMILY)
    assert "Hướng dẫn nhập số liệu chỉ tiêu" in workbook["Hướng dẫn"]["A1"].value


def test_a_province_template_has_a_row_per_commune_with_its_district(
    tiny_set, province_coordinator, hau_giang
):
    content = download(client_for(province_coordinator), hau_giang)
    sheet = load_workbook(io.BytesIO(content))["Số liệu"]
    rows = rows_by_code(sheet)
    assert len(rows) == 51  # the xã; phường and thị trấn are not judged by NTM sets
    assert sheet[f"C{rows['31477']}"].value == "Thị xã Long Mỹ"


def test_the_page_offers_the_template_and_an_htmx_upload_with_progress(
    tiny_set, district_officer, vi_thuy
):
    client = client_for(district_officer)
    choose = client.get(f"/assessment/excel/{vi_thuy.pk}/").content.decode()
    assert "Bộ tiêu chí thử nghiệm cấp xã" in choose
    assert f'href="{url(vi_thuy)}"' in choose
    page = client.get(url(vi_thuy)).content.decode()
    assert 'data-testid="template-link"' in page
    assert 'hx-post="' in page and 'hx-encoding="multipart/form-data"' in page
    assert 'hx-indicator="#upload-progress"' in page
    assert 'id="upload-progress" class="htmx-indicator' in page


# ---- round trip ---------------------------------------------------------------------------


def test_a_filled_template_saves_two_communes_and_updates_their_evaluations(
    tiny_set, district_officer, vi_thuy, vi_binh, vi_dong
):
    client = client_for(district_officer)
    content = fill(
        download(client, vi_thuy),
        {
            "31468": {"D": 85, "E": "Đạt", "F": 46.3, "G": "Đạt", "H": "Theo số liệu thống kê"},
            "31462": {"D": "68,5", "E": "Chưa đạt"},
        },
    )
    response = upload(client, vi_thuy, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-errors"' not in page
    assert "Đã lưu 5 số liệu thay đổi của 2 xã." in page
    assert '<td>Xã Vị Bình</td><td class="num">3</td>' in page
    assert '<td>Xã Vị Đông</td><td class="num">2</td>' in page

    assert stored(vi_binh, "3.1").value_number == Decimal("85")
    assert stored(vi_binh, "3.2").value_bool is True
    income = stored(vi_binh, "10")
    assert (income.value_number, income.hand_verdict) == (Decimal("46.3"), True)
    assert income.hand_reason == "Theo số liệu thống kê"
    assert income.history.first().history_user == district_officer
    assert stored(vi_dong, "3.1").value_number == Decimal("68.5")

    binh = Evaluation.objects.get(unit=vi_binh, year=YEAR, criteria_set=tiny_set)
    assert (binh.met_count, binh.total, binh.all_met) == (2, 2, True)
    dong = Evaluation.objects.get(unit=vi_dong, year=YEAR, criteria_set=tiny_set)
    reason = dong.criterion_results.get(criterion_number=3).reason
    assert "3.1 chưa đạt: 68,5% < 80%" in reason


def test_empty_cells_keep_existing_values_and_unchanged_cells_are_not_saved(
    tiny_set, district_officer, vi_thuy, vi_binh
):
    save(vi_binh, ValueEntry("3.1", Decimal("85")), illustrative=True)
    save(vi_binh, ValueEntry("10", hand_verdict=False, hand_reason="Chưa đủ"))
    client = client_for(district_officer)
    template = download(client, vi_thuy)
    # 3.1 cleared, 3.2 filled, the verdict left as it was: only 3.2 changes.
    content = fill(template, {"31468": {"D": None, "E": "Đạt"}})
    page = upload(client, vi_thuy, content).content.decode()
    assert "Đã lưu 1 số liệu thay đổi của 1 xã." in page
    kept = stored(vi_binh, "3.1")
    assert kept.value_number == Decimal("85") and kept.illustrative and kept.version == 1
    assert stored(vi_binh, "10").hand_reason == "Chưa đủ"
    # Uploading the pre-filled file as it is changes nothing.
    page = upload(client, vi_thuy, template).content.decode()
    assert "Đã lưu 0 số liệu thay đổi của 0 xã." in page


def test_a_percentage_typed_with_a_percent_sign_is_read_as_percent(
    tiny_set, district_officer, vi_thuy, vi_binh
):
    client = client_for(district_officer)
    workbook = load_workbook(io.BytesIO(download(client, vi_thuy)))
    sheet = workbook["Số liệu"]
    cell = sheet[f"D{rows_by_code(sheet)['31468']}"]
    cell.value, cell.number_format = 0.855, "0.0%"  # what Excel stores for "85,5%"
    out = io.BytesIO()
    workbook.save(out)
    upload(client, vi_thuy, out.getvalue())
    assert stored(vi_binh, "3.1").value_number == Decimal("85.5")


# ---- a file with errors -------------------------------------------------------------------


def test_a_file_with_errors_saves_nothing_and_names_every_bad_cell_then_imports_once_fixed(
    tiny_set, district_officer, vi_thuy, vi_binh, vi_dong
):
    client = client_for(district_officer)
    template = download(client, vi_thuy)
    rows = rows_by_code(load_workbook(io.BytesIO(template))["Số liệu"])
    binh, dong = rows["31468"], rows["31462"]
    last = max(rows.values())
    other = next(code for code in rows if code not in ("31468", "31462"))
    bad = fill(
        template,
        {
            "31468": {"D": "abc", "E": "Đạt"},  # text in a percent cell
            "31462": {"D": 120},  # out of range
            other: {"E": "Có lẽ"},  # not yes/no
        },
        extra_rows=[
            ["99999", "Xã Không Có", "", 50],  # unknown commune
            ["31477", "Xã Long Trị", "", 50],  # a commune of another district
            ["31468", "Xã Vị Bình", "", 90],  # duplicate row
            ["31441", "Thị trấn Nàng Mau", "", 90],  # a town: NTM sets judge xã only
        ],
    )
    response = upload(client, vi_thuy, bad)
    page = response.content.decode()
    assert "Tệp chưa được nhập, chưa lưu số liệu nào: có 7 lỗi." in page
    expected = [
        f"Sheet «Số liệu», dòng {binh}, cột D (3.1): «abc» không phải số",
        f"Sheet «Số liệu», dòng {dong}, cột D (3.1): tỷ lệ phải từ 0 đến 100 (đang là 120)",
        f"Sheet «Số liệu», dòng {rows[other]}, cột E (3.2): «Có lẽ» không phải Đạt / Chưa đạt",
        f"Sheet «Số liệu», dòng {last + 1}, cột A (mã xã): «99999» không phải mã xã thuộc "
        "Huyện Vị Thủy",
        f"Sheet «Số liệu», dòng {last + 2}, cột A (mã xã): «31477» là Xã Long Trị, không thuộc "
        "Huyện Vị Thủy",
        f"Sheet «Số liệu», dòng {last + 3}, cột A (mã xã): xã «31468» đã có ở dòng {binh}",
        f"Sheet «Số liệu», dòng {last + 4}, cột A (mã xã): «31441» là Thị trấn Nàng Mau: bộ "
        "tiêu chí này chỉ áp dụng cho xã",
    ]
    for message in expected:
        assert f"<li>{message}</li>" in page, message
    assert page.count("<li>Sheet «Số liệu»") == 7
    assert f"Dòng {binh}</p>" in page  # grouped by row
    assert not IndicatorValue.objects.exists()

    fixed = fill(template, {"31468": {"D": 85, "E": "Đạt"}, "31462": {"D": 100}, other: {"E": 0}})
    page = upload(client, vi_thuy, fixed).content.decode()
    assert 'data-testid="import-errors"' not in page
    assert "Đã lưu 4 số liệu thay đổi của 3 xã." in page
    assert stored(vi_dong, "3.1").value_number == Decimal("100")
    assert stored(Unit.objects.get(edition="pre2025", code=other), "3.2").value_bool is False


def test_a_bad_hand_verdict_and_a_negative_amount_are_named_by_column(
    tiny_set, district_officer, vi_thuy
):
    client = client_for(district_officer)
    content = fill(download(client, vi_thuy), {"31468": {"F": -5, "G": "Tốt"}})
    page = upload(client, vi_thuy, content).content.decode()
    line = rows_by_code(load_workbook(io.BytesIO(content))["Số liệu"])["31468"]
    assert f"dòng {line}, cột F (10): không được âm" in page
    assert f"dòng {line}, cột G (10, đánh giá): «Tốt» không phải Đạt / Chưa đạt" in page


def test_a_file_that_is_not_xlsx_is_refused(tiny_set, district_officer, vi_thuy):
    client = client_for(district_officer)
    page = upload(client, vi_thuy, b"ma xa;gia tri\n31468;85\n", name="so-lieu.xlsx")
    assert "Tệp không phải Excel (.xlsx)" in page.content.decode()
    plain = io.BytesIO()
    Workbook().save(plain)
    page = upload(client, vi_thuy, plain.getvalue()).content.decode()
    assert "Tệp không phải tệp mẫu nhập số liệu chỉ tiêu của hệ thống" in page
    assert not IndicatorValue.objects.exists()


def test_a_file_larger_than_the_limit_is_refused(tiny_set, district_officer, vi_thuy, settings):
    settings.NONGTHON_MAX_IMPORT_BYTES = 1024
    client = client_for(district_officer)
    page = upload(client, vi_thuy, download(client, vi_thuy)).content.decode()
    assert "Tệp lớn quá" in page


def test_a_file_for_another_unit_or_year_is_refused(
    tiny_set, district_officer, vi_thuy, vi_binh, commune_officer
):
    district_file = download(client_for(district_officer), vi_thuy)
    page = upload(client_for(commune_officer), vi_binh, district_file).content.decode()
    assert "Tệp này lập cho Huyện Vị Thủy, không phải Xã Vị Bình." in page
    response = client_for(district_officer).post(
        url(vi_thuy, year=2024),
        {"file": SimpleUploadedFile("f.xlsx", district_file)},
    )
    assert "Tệp này là số liệu năm 2023, không phải năm 2024." in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_file_of_an_older_set_version_is_accepted_while_its_codes_exist(
    tiny_set, district_officer, vi_thuy, vi_binh
):
    client = client_for(district_officer)
    template = download(client, vi_thuy)
    save(vi_binh, ValueEntry("3.1", Decimal("50")))  # an evaluation now uses version 1
    text = TINY_SET.read_text(encoding="utf-8")
    tighter = store_set(parse_set_file(text.replace("value: 80", "value: 85"), "tiny.yaml"))
    assert tighter.action == "new_version"
    page = upload(client, vi_thuy, fill(template, {"31468": {"D": 84}})).content.decode()
    assert "Đã lưu 1 số liệu thay đổi của 1 xã." in page
    evaluation = Evaluation.objects.get(unit=vi_binh, criteria_set=tighter.criteria_set)
    assert "3.1 chưa đạt: 84% < 85%" in evaluation.criterion_results.get(criterion_number=3).reason

    start = text.index('      - code: "3.2"')
    end = text.index("  - number: 10")
    store_set(parse_set_file(text[:start] + text[end:], "tiny.yaml"))
    page = upload(client, vi_thuy, fill(template, {"31468": {"D": 90}})).content.decode()
    assert "Tệp có chỉ tiêu không còn trong bộ tiêu chí đang áp dụng" in page
    assert "phiên bản 3): 3.2." in page
    assert stored(vi_binh, "3.1").value_number == Decimal("84")


# ---- who may ------------------------------------------------------------------------------


def test_a_commune_officer_imports_their_own_communes_file(tiny_set, commune_officer, vi_binh):
    client = client_for(commune_officer)
    template = download(client, vi_binh)
    assert len(rows_by_code(load_workbook(io.BytesIO(template))["Số liệu"])) == 1
    page = upload(client, vi_binh, fill(template, {"31468": {"D": 81}})).content.decode()
    assert "Đã lưu 1 số liệu thay đổi của 1 xã." in page
    assert stored(vi_binh, "3.1").entered_by == commune_officer


def test_a_commune_officer_cannot_upload_a_district_file(
    tiny_set, commune_officer, district_officer, vi_thuy
):
    content = fill(download(client_for(district_officer), vi_thuy), {"31468": {"D": 81}})
    client = client_for(commune_officer)
    assert upload(client, vi_thuy, content).status_code == 403
    assert client.get(url(vi_thuy, "mau.xlsx")).status_code == 403
    assert not IndicatorValue.objects.exists()


def test_another_districts_officer_gets_404(
    tiny_set, other_district_officer, district_officer, vi_thuy
):
    content = download(client_for(district_officer), vi_thuy)
    client = client_for(other_district_officer)
    assert upload(client, vi_thuy, content).status_code == 404
    assert client.get(url(vi_thuy)).status_code == 404
    assert client.get(url(vi_thuy, "mau.xlsx")).status_code == 404
    assert client.get(f"/assessment/excel/{vi_thuy.pk}/").status_code == 404


def test_a_viewer_downloads_but_cannot_upload(tiny_set, viewer, vi_thuy):
    client = client_for(viewer)
    content = download(client, vi_thuy)
    page = client.get(url(vi_thuy)).content.decode()
    assert 'data-testid="no-upload"' in page and "import-form" not in page
    assert upload(client, vi_thuy, content).status_code == 403


# ---- all or nothing -----------------------------------------------------------------------


def test_a_failure_in_the_middle_rolls_back_the_communes_already_saved(
    tiny_set, district_officer, vi_thuy, vi_binh, vi_dong, monkeypatch
):
    client = client_for(district_officer)
    content = fill(download(client, vi_thuy), {"31462": {"D": 70}, "31468": {"D": 85}})
    real = services.save_values
    calls = []

    def failing_on_the_second(actor, **kwargs):
        calls.append(kwargs["unit"].code)
        if len(calls) == 2:
            raise ValidationError("Cơ sở dữ liệu bận.")
        return real(actor, **kwargs)

    monkeypatch.setattr(services, "save_values", failing_on_the_second)
    page = upload(client, vi_thuy, content).content.decode()
    assert len(calls) == 2
    assert "Tệp chưa được nhập, chưa lưu số liệu nào: có 1 lỗi." in page
    assert "không lưu được số liệu của Xã Vị Bình: Cơ sở dữ liệu bận." in page
    assert not IndicatorValue.objects.exists()
    assert not Evaluation.objects.exists()


def test_an_unexpected_error_in_the_middle_rolls_back_too(
    tiny_set, district_officer, vi_thuy, monkeypatch
):
    content = fill(
        download(client_for(district_officer), vi_thuy), {"31462": {"D": 70}, "31468": {"D": 85}}
    )
    real = services.save_values
    calls = []

    def crash_on_the_second(actor, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("mất kết nối")
        return real(actor, **kwargs)

    monkeypatch.setattr(services, "save_values", crash_on_the_second)
    with pytest.raises(RuntimeError):
        values_excel.import_values(
            district_officer, unit=vi_thuy, year=YEAR, family=FAMILY, upload=io.BytesIO(content)
        )
    assert not IndicatorValue.objects.exists()


# ---- htmx, progress and the command line --------------------------------------------------


def test_an_htmx_upload_gets_only_the_result_fragment(tiny_set, district_officer, vi_thuy):
    client = client_for(district_officer)
    content = fill(download(client, vi_thuy), {"31468": {"D": 85}})
    response = upload(client, vi_thuy, content, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="excel-upload">')
    assert "Đã lưu 1 số liệu thay đổi của 1 xã." in fragment


def test_the_service_reports_progress_per_commune(tiny_set, district_officer, vi_thuy):
    content = fill(
        download(client_for(district_officer), vi_thuy), {"31462": {"D": 70}, "31468": {"D": 85}}
    )
    seen = []
    result = values_excel.import_values(
        district_officer,
        unit=vi_thuy,
        year=YEAR,
        family=FAMILY,
        upload=io.BytesIO(content),
        progress=lambda done, total: seen.append((done, total)),
    )
    total = Unit.objects.subtree(vi_thuy).communes().filter(kind="xa").count()
    assert seen == [(n, total) for n in range(1, total + 1)]
    assert result.changed == 2


def test_the_command_line_imports_and_prints_progress(
    tiny_set, district_officer, vi_thuy, vi_binh, tmp_path
):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(fill(download(client_for(district_officer), vi_thuy), {"31468": {"D": 85}}))
    out = io.StringIO()
    call_command(
        "import_values_xlsx",
        str(path),
        unit="935",
        year=YEAR,
        family=FAMILY,
        user=district_officer.username,
        stdout=out,
    )
    text = out.getvalue()
    assert "Đã lưu 1/" in text
    assert "Tổng: 1 số liệu thay đổi ở 1 xã." in text
    assert stored(vi_binh, "3.1").value_number == Decimal("85")
