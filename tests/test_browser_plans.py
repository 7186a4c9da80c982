"""In Debian's Chromium: the coordinator enters a plan, adds a typed target, sees its figure and
status at the end of the year, imports a task appendix after reviewing an unmatched name, and a
department officer reports on its task."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from nongthon.accounts.models import Role
from nongthon.catalogue.services import load_set_file
from nongthon.places.models import Agency, Edition, Level, Unit
from nongthon.places.official_lists import load_units
from tests.browser_support import login, shot
from tests.conftest import TINY_SET, make_user
from tests.plans_support import agencies, communes, evaluate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db, tmp_path):
    load_units(["93"])
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    tiny = load_set_file(TINY_SET).criteria_set
    units = communes(province, "Xã Vị Bình", "Xã Vị Đông", "Xã Vị Thanh")
    evaluate(tiny, 2022, dict(zip(units, (2, 2, 1), strict=True)))
    found = agencies(province)
    from nongthon.plans.services import load_status_kinds

    load_status_kinds()
    make_user("tinh", province, Role.PROVINCE_COORDINATOR)
    make_user("yte", province, Role.DEPARTMENT_OFFICER, found["so-y-te"])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["TT", "Nội dung thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
    )
    sheet.append(
        [1, "Báo cáo tỷ lệ tham gia bảo hiểm y tế", "So Y te", "Phong Ngoai vu", "31/08/2022"]
    )
    sheet.append(
        [
            2,
            "Tổng hợp báo cáo",
            "Văn phòng Điều phối nông thôn mới tỉnh",
            "",
            "Định kỳ 6 tháng, năm",
        ]
    )
    path = tmp_path / "phu-luc.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return {
        "province": province,
        "family": tiny.family,
        "appendix": path,
        "so_y_te": found["so-y-te"],
    }


def test_coordinator_enters_a_plan_with_a_target_and_an_imported_appendix(page, world):
    login(page, "tinh")
    page.click("nav >> text=Kế hoạch, nhiệm vụ")
    page.click("[data-testid=new-plan]")
    page.fill("#id_body", "Ban Chỉ đạo các chương trình mục tiêu quốc gia tỉnh Hậu Giang")
    page.fill("#id_title", "Thực hiện Chương trình xây dựng nông thôn mới năm 2022")
    page.fill("#id_year_from", "2022")
    page.fill("#id_year_to", "2022")
    page.click("[data-testid=plan-form] button.btn-success")
    assert "năm 2022" in page.inner_text("[data-testid=plan-title]")

    page.click("[data-testid=add-target]")
    page.click("[data-testid='type-criteria.all_met']")
    page.fill("#id_sentence", "Lũy kế đến cuối năm 2022, toàn tỉnh có 3/3 xã đạt chuẩn")
    page.select_option("#id_p_family", world["family"])
    page.fill("#id_p_goal_count", "3")
    page.click("[data-testid=target-form] button.btn-success")
    assert "2/3 xã đạt tất cả tiêu chí" in page.inner_text("[data-testid=figure]")
    page.fill("#on", "31/12/2022")
    page.click("[data-testid=date-form] button")
    # The deadline day is still open; the day after, the 2022 figure is overdue.
    assert page.get_attribute("[data-testid=status]", "data-status") == "co_nguy_co"
    page.fill("#on", "01/01/2023")
    page.click("[data-testid=date-form] button")
    assert page.get_attribute("[data-testid=status]", "data-status") == "chua_dat"
    assert "Xã Vị Thanh" in page.inner_text("[data-testid=rows]")
    shot(page, "plans-target")

    page.click("text=←")
    page.click("[data-testid=import-tasks]")
    page.set_input_files("#id_file", str(world["appendix"]))
    page.click("[data-testid=upload-form] button")
    assert "Phong Ngoai vu" in page.inner_text("[data-testid=unmatched]")
    assert page.is_disabled("[data-testid=confirm]") is False
    page.select_option("select[data-name='Phong Ngoai vu']", "__text__")
    shot(page, "plans-import-review")
    page.click("[data-testid=confirm]")
    tasks = page.inner_text("[data-testid=tasks]")
    assert "Báo cáo tỷ lệ tham gia bảo hiểm y tế" in tasks
    assert "Sở Y tế" in tasks


def test_department_officer_reports_on_its_task(page, world):
    from nongthon.plans import services
    from nongthon.plans.models import DirectiveKind

    directive = services.create_directive(
        None,
        world["province"],
        kind=DirectiveKind.CONCLUSION,
        body="Ban Chỉ đạo tỉnh",
        issued_on=dt.date(2022, 7, 1),
        title="Kết luận sơ kết",
    )
    task = services.add_task(
        None, directive, content="Báo cáo BHYT", lead=world["so_y_te"], deadline_text="31/08/2022"
    )
    login(page, "yte")
    page.goto("/plans/")
    page.click("text=Nhiệm vụ của Sở Y tế")
    assert "Báo cáo BHYT" in page.inner_text("[data-testid=tasks]")
    page.goto(f"/plans/tasks/{task.pk}/")
    page.fill("#id_written_on", "25/08/2022")
    page.fill("#id_text", "Đã gửi báo cáo")
    page.check("#id_completes")
    page.click("[data-testid=note-form] button")
    assert "Đã gửi báo cáo" in page.inner_text("[data-testid=notes]")
    assert page.get_attribute("[data-testid=task-state] [data-state]", "data-state") == "on_time"
    assert Agency.objects.filter(pk=world["so_y_te"].pk).exists()


@pytest.fixture
def other_province(transactional_db, tmp_path):
    """What a system administrator sets up once for a province (its units, its default agencies,
    its coordinator); everything after that is the coordinator's, in the browser."""
    from nongthon.places.agencies import create_default_agencies

    load_units(["84"])
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="84")
    create_default_agencies(province)
    from nongthon.plans.services import load_status_kinds

    load_status_kinds()
    make_user("travinh", province, Role.PROVINCE_COORDINATOR)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["PHỤ LỤC: PHÂN CÔNG NHIỆM VỤ NĂM 2024"])
    sheet.append(
        ["TT", "Nội dung thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
    )
    sheet.append(["I", "Công tác chỉ đạo, điều hành", None, None, None])
    sheet.append(
        [
            1,
            "Tham mưu kiện toàn Ban Chỉ đạo các cấp",
            "VP Điều phối NTM tỉnh",
            "Sở Nội vụ",
            "Quý I/2024",
        ]
    )
    sheet.append(
        [
            2,
            "Tổng hợp báo cáo kết quả thực hiện Kế hoạch",
            "VP Điều phối NTM tỉnh",
            "Các sở, ban, ngành tỉnh",
            "Định kỳ 6 tháng, năm",
        ]
    )
    sheet.append(["II", "Phát triển sản xuất", None, None, None])
    sheet.append(
        [
            3,
            "Hướng dẫn xây dựng vùng nguyên liệu tập trung",
            "So NN&PTNT",
            "Sở TC, UBND huyện Càng Long",
            "Trong tháng 6",
        ]
    )
    path = tmp_path / "phu-luc-tra-vinh-2024.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    vpdp = Agency.objects.get(unit=province, code="vpdp-ntm")
    return {"province": province, "appendix": path, "vpdp": vpdp}


def test_a_province_enters_its_plan_and_appendix_with_the_ui_and_one_excel_sheet(
    page, other_province, tmp_path
):
    """docs/plans.md, end to end, for a province other than the demo's (Trà Vinh, 2024)."""
    from openpyxl import load_workbook

    login(page, "travinh")
    page.click("nav >> text=Kế hoạch, nhiệm vụ")
    # 1. The header.
    page.click("text=Kế hoạch mới của Tỉnh Trà Vinh")
    page.fill("#id_issuer_parent", "UBND TỈNH TRÀ VINH")
    page.fill("#id_body", "Ban Chỉ đạo các chương trình mục tiêu quốc gia tỉnh Trà Vinh")
    page.fill("#id_number", "35/KH-BCĐ")
    page.fill("#id_issued_on", "15/03/2024")
    page.fill("#id_place", "Trà Vinh")
    page.fill("#id_year_from", "2024")
    page.fill("#id_year_to", "2024")
    page.fill("#id_title", "Thực hiện Chương trình MTQG xây dựng nông thôn mới năm 2024")
    page.fill("#id_legal_bases", "Quyết định số 263/QĐ-TTg ngày 22/02/2022 của Thủ tướng")
    page.click("[data-testid=plan-form] button.btn-success")
    assert "35/KH-BCĐ" in page.inner_text("[data-testid=plan-title]")
    plan_url = page.url
    shot(page, "plans-other-province-plan")

    # 2. A typed target: named communes, picked through the filter box.
    page.click("[data-testid=add-target]")
    page.click("[data-testid='type-recognition.named_units']")
    page.fill(
        "#id_sentence",
        "Công nhận thêm 02 xã đạt chuẩn nông thôn mới nâng cao: Huyền Hội, Đại Phúc"
        " (huyện Càng Long).",
    )
    page.fill("#id_group", "Về xây dựng nông thôn mới")
    page.select_option("#id_p_tier", "nang_cao")
    page.select_option("#id_p_level", "commune")
    page.fill("[data-filter-for=id_p_units]", "huyen hoi")
    visible = page.eval_on_selector_all(
        "#id_p_units option", "options => options.filter(o => !o.hidden).map(o => o.text)"
    )
    assert visible == ["Xã Huyền Hội (Huyện Càng Long)"]
    page.select_option(
        "#id_p_units",
        label=["Xã Huyền Hội (Huyện Càng Long)", "Xã Đại Phúc (Huyện Càng Long)"],
    )
    assert "Xã Đại Phúc" in page.inner_text("[data-chosen-for=id_p_units]")
    shot(page, "plans-other-province-target-form")
    page.click("[data-testid=target-form] button.btn-success")
    assert "0/2" in page.inner_text("[data-testid=figure]")
    rows = page.inner_text("[data-testid=rows]")
    assert "Xã Huyền Hội" in rows and "Xã Đại Phúc" in rows

    # 3. A fund line, typed as printed.
    page.goto(plan_url)
    page.click("[data-testid=add-fund]")
    page.select_option("#id_source", "central")
    page.fill("#id_label", "Vốn Trung ương hỗ trợ cho Chương trình")
    page.fill("#id_amount", "101,903")
    page.select_option("#id_money_unit", "billion")
    page.click("[data-testid=simple-form] [data-testid=submit]")
    assert "101,903 tỷ đồng" in page.inner_text("[data-testid=funds]")

    # 4. The appendix: the template downloads, the filled sheet is read, reviewed, confirmed.
    page.click("[data-testid=import-tasks]")
    with page.expect_download() as download:
        page.click("text=Tải tệp mẫu")
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    headers = [c.value for c in load_workbook(template).active[1]]
    assert headers == [
        "TT",
        "Nội dung thực hiện",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian hoàn thành",
    ]
    page.set_input_files("#id_file", str(other_province["appendix"]))
    page.click("[data-testid=upload-form] button")
    unmatched = page.inner_text("[data-testid=unmatched]")
    assert "VP Điều phối NTM tỉnh" in unmatched and "Sở TC" in unmatched
    preview = page.inner_text("[data-testid=preview]")
    assert "Sở Nông nghiệp và Phát triển nông thôn" in preview  # "So NN&PTNT" matched
    assert "30/06/2024" in preview  # "Trong tháng 6", read in the plan's year
    page.select_option("select[data-name='VP Điều phối NTM tỉnh']", str(other_province["vpdp"].pk))
    page.select_option("select[data-name='Sở TC']", "__text__")
    page.select_option("select[data-name='Các sở, ban, ngành tỉnh']", "__text__")
    shot(page, "plans-other-province-import-review")
    page.click("[data-testid=confirm]")
    tasks = page.inner_text("[data-testid=tasks]")
    assert "Tham mưu kiện toàn Ban Chỉ đạo các cấp" in tasks
    assert "Văn phòng Điều phối nông thôn mới tỉnh" in tasks
    assert "Công tác chỉ đạo, điều hành" in tasks and "Phát triển sản xuất" in tasks
    assert "Ủy ban nhân dân huyện Càng Long" in tasks  # "UBND huyện Càng Long" matched
    assert "Sở TC" in tasks and "Các sở, ban, ngành tỉnh" in tasks  # kept as written
    assert page.locator("[data-testid=task-row]").count() == 3
    shot(page, "plans-other-province-tasks")
