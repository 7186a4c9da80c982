"""The plan and its results report as Word documents in the NĐ 30/2020 layout, and the Excel
export of targets and tasks, opened back with python-docx and openpyxl."""

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from nongthon.plans import documents, exports, services
from nongthon.plans.models import TargetKind
from tests.conftest import client_for
from tests.plans_support import agencies, communes, evaluate, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(hau_giang, tiny_set):
    units = communes(hau_giang, "Xã Vị Bình", "Xã Vị Đông")
    evaluate(tiny_set, 2022, dict(zip(units, (2, 1), strict=True)))
    a = agencies(hau_giang)
    plan = make_plan(
        hau_giang,
        2022,
        number="05/KH-BCĐ",
        issued_on=dt.date(2022, 7, 11),
        legal_bases="Thực hiện Nghị quyết số 25/2021/QH15 ngày 28 tháng 7 năm 2021 của Quốc hội;",
        purposes="Tiếp tục triển khai toàn diện.",
        requirements="Các sở, ngành xây dựng kế hoạch cụ thể.",
        solutions="1. Nâng cao hiệu quả hoạt động của Ban Chỉ đạo.",
        recipients="VPĐP nông thôn mới TW;\nLưu: VT.",
        signing_authority="TM. BAN CHỈ ĐẠO\nKT. TRƯỞNG BAN",
        signer_title="PHÓ TRƯỞNG BAN",
        signer_name="Trương Cảnh Tuyên",
    )
    services.add_target(
        None,
        plan,
        group="Về xây dựng nông thôn mới",
        type_code="criteria.all_met",
        sentence="Lũy kế đến cuối năm 2022, toàn tỉnh có 2/2 xã đạt chuẩn.",
        params={"family": tiny_set.family, "goal_count": 2},
    )
    services.add_target(
        None,
        plan,
        group="Về xây dựng nông thôn mới",
        type_code="criteria.all_met",
        kind=TargetKind.STRETCH,
        sentence="Vị Đông cố gắng hoàn thành.",
        params={"family": tiny_set.family, "units": [units[1].pk]},
    )
    services.add_fund_line(
        None, plan, source="central", amount=Decimal("170914"), money_unit="million"
    )
    services.add_fund_line(
        None, plan, source="credit", amount=Decimal("5589382"), money_unit="million"
    )
    task = services.add_task(
        None,
        plan,
        content="Tổng hợp báo cáo",
        lead=a["vpdp-ntm"],
        section="1. Văn phòng Điều phối",
        deadline_text="31/08/2022",
    )
    services.add_progress_note(
        None, task, text="Xong", written_on=dt.date(2022, 9, 5), completes=True
    )
    return plan


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_vietnamese_numbers_group_thousands_with_dots_and_decimals_with_commas():
    assert documents.vn_number(Decimal("14348.283")) == "14.348,283"
    assert documents.vn_number(Decimal("170914")) == "170.914"
    assert documents.vn_number(Decimal("221.030")) == "221,03"
    assert documents.vn_number(None) == "…"


def test_the_plan_document_has_the_layout_of_an_administrative_document(plan):
    text = text_of(documents.plan_document(plan))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH HẬU GIANG",
        "Số: 05/KH-BCĐ",
        "Hậu Giang, ngày 11 tháng 7 năm 2022",
        "KẾ HOẠCH",
        "Thực hiện Nghị quyết số 25/2021/QH15",
        "I. MỤC ĐÍCH VÀ YÊU CẦU",
        "II. MỤC TIÊU",
        "- Lũy kế đến cuối năm 2022, toàn tỉnh có 2/2 xã đạt chuẩn.",
        "IV. DỰ KIẾN NGUỒN LỰC",
        "- Vốn Trung ương hỗ trợ cho Chương trình: 170.914 triệu đồng.",
        "- Vốn tín dụng: 5.589.382 triệu đồng.",
        "V. TỔ CHỨC THỰC HIỆN",
        "Nơi nhận:",
        "- VPĐP nông thôn mới TW;",
        "TM. BAN CHỈ ĐẠO",
        "Trương Cảnh Tuyên",
    ):
        assert expected in text, expected


def test_the_results_report_gives_each_targets_figure_and_status_at_the_date(plan):
    # Judged the day after the year's deadline: the 2022 figure, overdue.
    text = text_of(documents.report_document(plan, dt.date(2023, 1, 1)))
    assert "BÁO CÁO" in text
    assert "Kết quả thực hiện Kế hoạch số 05/KH-BCĐ ngày 11/07/2022" in text
    assert "1/2 xã đạt tất cả tiêu chí (50%), năm 2022" in text
    assert "Chưa đạt" in text
    assert "Chỉ tiêu phấn đấu" in text
    assert "Hoàn thành trễ hạn (05/09/2022)" in text
    assert "5.760.296 triệu đồng" in text


def test_targets_and_tasks_export_to_excel(plan):
    workbook = load_workbook(io.BytesIO(exports.workbook_for(plan, dt.date(2023, 1, 1))))
    targets = list(workbook["Chỉ tiêu"].iter_rows(values_only=True))
    assert targets[1][3] == "Lũy kế đến cuối năm 2022, toàn tỉnh có 2/2 xã đạt chuẩn."
    assert targets[1][7] == "Chưa đạt"
    assert targets[2][2] == "Phấn đấu"
    tasks = list(workbook["Nhiệm vụ"].iter_rows(values_only=True))
    assert tasks[0][:5] == tuple(exports.TASK_HEADERS)
    assert tasks[1][6] == "Hoàn thành trễ hạn"


def test_the_appendix_template_has_the_import_columns():
    workbook = load_workbook(io.BytesIO(exports.appendix_template()))
    assert [c.value for c in workbook.active[1]] == exports.TASK_HEADERS


def test_the_documents_download_for_those_who_see_the_plan(plan, viewer, can_tho):
    from nongthon.accounts.models import Role
    from tests.conftest import make_user

    client = client_for(viewer)
    for url in (
        f"/plans/{plan.pk}/plan.docx",
        f"/plans/{plan.pk}/report.docx?on=31/12/2022",
        f"/plans/plan/{plan.pk}/export.xlsx",
    ):
        assert client.get(url).status_code == 200
    outsider = client_for(make_user("ct", can_tho, Role.PROVINCE_COORDINATOR))
    assert outsider.get(f"/plans/{plan.pk}/plan.docx").status_code == 404


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_the_plan_converts_to_pdf_with_libreoffice(plan, tmp_path):
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(documents.plan_document(plan))
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (tmp_path / "ke-hoach.pdf").stat().st_size > 1000
