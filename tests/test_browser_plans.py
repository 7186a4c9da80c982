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
