"""The plan pages: who sees and changes what (404 for other units, 403 for refused changes), the
target page with its list behind the figure, entering a plan and targets, stale saves."""

import datetime as dt

import pytest

from nongthon.accounts.models import Role
from nongthon.plans import services
from nongthon.plans.models import Plan, Target
from tests.conftest import client_for, make_user
from tests.plans_support import agencies, communes, evaluate, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(hau_giang, tiny_set):
    units = communes(hau_giang, "Xã Vị Bình", "Xã Vị Đông")
    evaluate(tiny_set, 2022, dict(zip(units, (2, 1), strict=True)))
    plan = make_plan(hau_giang, 2022)
    services.add_target(
        None,
        plan,
        type_code="criteria.all_met",
        sentence="Hai xã đạt chuẩn",
        params={"family": tiny_set.family, "goal_count": 2},
    )
    return plan


def test_a_viewer_sees_the_plan_with_figures_and_status_at_the_chosen_date(plan, viewer):
    page = client_for(viewer).get(f"/plans/{plan.pk}/?on=01/01/2023")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Hai xã đạt chuẩn" in body
    assert "1/2 xã đạt tất cả tiêu chí" in body
    assert 'data-status="chua_dat"' in body
    assert "Thêm chỉ tiêu" not in body


def test_the_target_page_lists_the_communes_behind_the_figure(plan, viewer):
    target = plan.targets.get()
    body = client_for(viewer).get(f"/plans/targets/{target.pk}/?on=31/12/2022").content.decode()
    assert "Xã Vị Bình" in body and "Xã Vị Đông" in body
    assert 'data-testid="row"' in body


def test_another_provinces_users_get_404(plan, can_tho):
    outsider = client_for(make_user("ct", can_tho, Role.PROVINCE_COORDINATOR))
    target = plan.targets.get()
    for url in (f"/plans/{plan.pk}/", f"/plans/targets/{target.pk}/", f"/plans/{plan.pk}/edit/"):
        assert outsider.get(url).status_code == 404
    assert plan.title not in outsider.get("/plans/").content.decode()


def test_a_viewer_or_a_commune_officer_may_not_change_the_provinces_plan(
    plan, viewer, commune_officer
):
    assert client_for(viewer).get(f"/plans/{plan.pk}/edit/").status_code == 403
    assert client_for(viewer).post(f"/plans/{plan.pk}/targets/new/?type=free").status_code == 403
    # A commune officer does not even see the province's plan.
    assert client_for(commune_officer).get(f"/plans/{plan.pk}/").status_code == 404


def test_the_coordinator_enters_a_plan_then_a_typed_target(
    hau_giang, province_coordinator, tiny_set
):
    client = client_for(province_coordinator)
    response = client.post(
        f"/plans/new/{hau_giang.pk}/",
        {
            "body": "Ban Chỉ đạo tỉnh",
            "title": "Kế hoạch năm 2024",
            "year_from": 2024,
            "year_to": 2024,
            "issued_on": "15/01/2024",
        },
    )
    plan = Plan.objects.get(title="Kế hoạch năm 2024")
    assert response.status_code == 302
    assert plan.issued_on == dt.date(2024, 1, 15)
    chooser = client.get(f"/plans/{plan.pk}/targets/new/").content.decode()
    assert "criteria.average" in chooser and "recognition.named_units" in chooser
    response = client.post(
        f"/plans/{plan.pk}/targets/new/",
        {
            "type_code": "criteria.average",
            "sentence": "Bình quân 18,5 tiêu chí/xã",
            "kind": "firm",
            "p_family": tiny_set.family,
            "p_goal": "18,5",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(plan=plan)
    assert target.params == {"family": tiny_set.family, "goal": "18.5"}


def test_a_missing_parameter_is_shown_on_its_field(plan, province_coordinator, tiny_set):
    response = client_for(province_coordinator).post(
        f"/plans/{plan.pk}/targets/new/",
        {
            "type_code": "criteria.average",
            "sentence": "x",
            "kind": "firm",
            "p_family": tiny_set.family,
        },
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_a_stale_plan_edit_is_refused_with_a_message(plan, province_coordinator):
    client = client_for(province_coordinator)
    services.update_plan(province_coordinator, plan, plan.version, title="Tên mới")
    data = {"version": 1, "body": plan.body, "title": "Tên cũ", "year_from": 2022, "year_to": 2022}
    response = client.post(f"/plans/{plan.pk}/edit/", data)
    assert response.status_code == 200
    assert "Tên mới" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Tên mới"


def test_the_free_target_takes_its_figure_on_its_page(plan, province_coordinator):
    target = services.add_target(None, plan, type_code="free", sentence="Tham gia hội chợ")
    response = client_for(province_coordinator).post(
        f"/plans/targets/{target.pk}/",
        {
            "version": target.version,
            "manual_done": "true",
            "manual_figure": "3 hội chợ",
            "manual_evidence": "Báo cáo 45/BC-UBND",
            "manual_as_of": "01/12/2022",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.manual_done is True and target.manual_figure == "3 hội chợ"


def test_the_department_sees_its_tasks_and_the_office_sees_everyones(
    hau_giang, province_coordinator
):
    a = agencies(hau_giang)
    plan = make_plan(hau_giang, 2023)
    task = services.add_task(
        None, plan, content="Báo cáo BHYT", lead=a["so-y-te"], deadline_text="31/08/2023"
    )
    officer = make_user("yte", hau_giang, Role.DEPARTMENT_OFFICER, a["so-y-te"])
    page = client_for(officer).get(f"/plans/agency/{a['so-y-te'].pk}/?on=01/09/2023")
    assert "Báo cáo BHYT" in page.content.decode()
    office = client_for(province_coordinator).get(f"/plans/office/{hau_giang.pk}/?on=01/09/2023")
    assert 'data-testid="overdue"' in office.content.decode()
    assert "Báo cáo BHYT" in office.content.decode()
    response = client_for(officer).post(
        f"/plans/tasks/{task.pk}/",
        {"version": task.version, "written_on": "25/08/2023", "text": "Đã gửi", "completes": "on"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"


def test_another_departments_officer_cannot_report_on_the_task(hau_giang):
    a = agencies(hau_giang)
    plan = make_plan(hau_giang, 2023)
    task = services.add_task(
        None, plan, content="Báo cáo BHYT", lead=a["so-y-te"], deadline_text="31/08/2023"
    )
    other = make_user("gd", hau_giang, Role.DEPARTMENT_OFFICER, a["so-gddt"])
    response = client_for(other).post(
        f"/plans/tasks/{task.pk}/", {"written_on": "25/08/2023", "text": "x"}
    )
    assert response.status_code == 403


def test_the_commune_records_its_hamlets_statuses_and_a_neighbour_cannot(
    vi_binh, commune_officer, other_commune_officer
):
    from nongthon.places.models import Hamlet
    from nongthon.plans.models import HamletStatus

    Hamlet(commune=vi_binh, name="Ấp 1", kind="ap").save()
    hamlet = vi_binh.hamlets.get()
    url = f"/plans/statuses/{vi_binh.pk}/2023/"
    client = client_for(commune_officer)
    refused = client.post(url, {f"h{hamlet.pk}-achieved": "1", f"h{hamlet.pk}-date": "01/06/2023"})
    assert "căn cứ" in refused.content.decode()
    assert not HamletStatus.objects.exists()
    saved = client.post(
        url,
        {
            f"h{hamlet.pk}-achieved": "1",
            f"h{hamlet.pk}-date": "01/06/2023",
            f"h{hamlet.pk}-source": "QĐ 5/QĐ-UBND",
        },
    )
    assert saved.status_code == 302
    record = HamletStatus.objects.get()
    assert record.achieved and record.recognised_on == dt.date(2023, 6, 1)
    assert client_for(other_commune_officer).get(url).status_code == 404
