"""Cancelling a task from the UI, with a reason kept on the task and in its history, and reopening
it: a cancelled task leaves the overdue and due-soon lists and the reminders, the scorecard counts
it apart, and judged at a date before its cancellation it is what it was then. Only the office
that manages the plan cancels; the lead agency does not; stale and empty requests are refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from nongthon.accounts.models import Role
from nongthon.plans import exports, queries, reminders, services
from nongthon.plans.models import Task, TaskStatus
from tests.conftest import client_for, make_user
from tests.plans_support import agencies, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(hau_giang):
    found = agencies(hau_giang)
    plan = make_plan(hau_giang, 2023)
    task = services.add_task(
        None,
        plan,
        content="Báo cáo BHYT quý III",
        lead=found["so-y-te"],
        deadline_text="30/09/2023",
    )
    return {"plan": plan, "task": task, "agencies": found, "province": hau_giang}


def cancel(task: Task, user=None, on=dt.date(2023, 8, 15), reason="Đã gộp vào nhiệm vụ khác"):
    return services.cancel_task(user, task, task.version, reason=reason, on=on)


def test_a_cancelled_task_keeps_its_reason_day_and_author_in_history(world, province_coordinator):
    task = cancel(world["task"], province_coordinator)
    assert task.status == TaskStatus.CANCELLED
    assert (task.cancelled_on, task.cancel_reason) == (
        dt.date(2023, 8, 15),
        "Đã gộp vào nhiệm vụ khác",
    )
    record = task.history.order_by("-history_id").first()
    assert record.history_user == province_coordinator
    assert record.history_change_reason == "Hủy nhiệm vụ: Đã gộp vào nhiệm vụ khác"
    assert record.status == TaskStatus.CANCELLED


def test_a_reason_is_required_and_nothing_changes_without_it(world):
    with pytest.raises(ValidationError) as caught:
        cancel(world["task"], reason="  ")
    assert "reason" in caught.value.message_dict
    world["task"].refresh_from_db()
    assert world["task"].status == TaskStatus.OPEN


def test_the_cancel_day_is_between_the_plans_start_and_today(world):
    with pytest.raises(ValidationError) as early:
        cancel(world["task"], on=dt.date(2022, 12, 31))
    assert "on" in early.value.message_dict
    with pytest.raises(ValidationError) as future:
        cancel(world["task"], on=dt.date.today() + dt.timedelta(days=1))
    assert "on" in future.value.message_dict


def test_a_cancelled_task_leaves_the_overdue_list_and_counts_apart_in_the_scorecard(world):
    province, lead = world["province"], world["agencies"]["so-y-te"]
    october = dt.date(2023, 10, 15)
    before = queries.due_lists(queries.tasks_under(province), october)
    assert [o.task for o in before.overdue] == [world["task"]]
    cancel(world["task"])
    after = queries.due_lists(queries.tasks_under(province), october)
    assert after.overdue == [] and after.due_soon == []
    (row,) = queries.scorecard(queries.agency_tasks(lead).filter(lead=lead), october)
    assert (row.cancelled, row.overdue, row.total) == (1, 0, 0)


def test_judged_before_its_cancellation_the_task_is_still_what_it_was(world):
    cancel(world["task"], on=dt.date(2023, 10, 5))
    task = Task.objects.get(pk=world["task"].pk)
    assert queries.task_state(task, dt.date(2023, 10, 1)).state == queries.OVERDUE
    assert queries.task_state(task, dt.date(2023, 10, 5)).state == queries.CANCELLED


def test_a_cancelled_recurring_task_keeps_the_periods_it_completed(world):
    task = services.add_task(
        None,
        world["plan"],
        content="Báo cáo quý",
        lead=world["agencies"]["so-y-te"],
        deadline_text="Định kỳ hàng quý",
    )
    services.add_progress_note(
        None,
        task,
        text="Quý I",
        written_on=dt.date(2023, 3, 25),
        completes=True,
        occurrence_due=dt.date(2023, 3, 31),
    )
    cancel(Task.objects.get(pk=task.pk), on=dt.date(2023, 8, 1))
    task = Task.objects.get(pk=task.pk)
    states = [o.state for o in queries.occurrences(task, dt.date(2023, 12, 31))]
    assert states == [queries.ON_TIME, queries.CANCELLED]


def test_reminders_skip_a_cancelled_task(world):
    officer = make_user(
        "yte", world["province"], Role.DEPARTMENT_OFFICER, world["agencies"]["so-y-te"]
    )
    officer.email = "yte@example.vn"
    officer.save()
    week_before = dt.date(2023, 9, 23)
    assert reminders.due_reminders(week_before, world["province"])
    cancel(world["task"])
    assert reminders.due_reminders(week_before, world["province"]) == []


def test_the_lead_agency_reports_but_may_not_cancel(world):
    officer = make_user(
        "yte", world["province"], Role.DEPARTMENT_OFFICER, world["agencies"]["so-y-te"]
    )
    with pytest.raises(PermissionDenied):
        cancel(world["task"], officer)
    client = client_for(officer)
    url = f"/plans/tasks/{world['task'].pk}/cancel/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "on": "15/08/2023"}).status_code == 403
    assert "Hủy nhiệm vụ" not in client.get(f"/plans/tasks/{world['task'].pk}/").content.decode()


def test_another_provinces_coordinator_gets_404(world, can_tho):
    outsider = client_for(make_user("ct", can_tho, Role.PROVINCE_COORDINATOR))
    assert outsider.get(f"/plans/tasks/{world['task'].pk}/cancel/").status_code == 404


def test_a_stale_cancel_is_refused(world):
    task = world["task"]
    services.update_task(None, task, task.version, content="Nội dung mới")
    with pytest.raises(ValidationError) as caught:
        services.cancel_task(None, task, 1, reason="x", on=dt.date(2023, 8, 15))
    assert caught.value.code == "stale"


def test_a_done_task_is_reopened_before_it_can_be_cancelled(world):
    task = world["task"]
    services.add_progress_note(
        None, task, text="Xong", written_on=dt.date(2023, 9, 1), completes=True
    )
    task.refresh_from_db()
    with pytest.raises(ValidationError):
        cancel(task)
    task = services.reopen_task(None, task, task.version)
    assert task.status == TaskStatus.OPEN and task.completed_on is None
    assert cancel(task).status == TaskStatus.CANCELLED


def test_reopening_a_cancelled_task_clears_the_cancellation_but_history_keeps_it(world):
    task = cancel(world["task"])
    task = services.reopen_task(None, task, task.version)
    assert (task.status, task.cancelled_on, task.cancel_reason) == (TaskStatus.OPEN, None, "")
    reasons = list(task.history.values_list("history_change_reason", flat=True))
    assert "Mở lại nhiệm vụ đã hủy" in reasons
    assert "Hủy nhiệm vụ: Đã gộp vào nhiệm vụ khác" in reasons
    with pytest.raises(ValidationError):
        services.reopen_task(None, task, task.version)  # already open


def test_the_coordinator_cancels_on_the_page_and_the_lists_show_it(world, province_coordinator):
    client = client_for(province_coordinator)
    task = world["task"]
    page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert 'data-testid="cancel-task"' in page
    refused = client.post(
        f"/plans/tasks/{task.pk}/cancel/",
        {"version": task.version, "reason": "", "on": "15/08/2023"},
    )
    assert refused.status_code == 200 and "Lý do hủy" in refused.content.decode()
    done = client.post(
        f"/plans/tasks/{task.pk}/cancel/",
        {"version": task.version, "reason": "Trùng nhiệm vụ của Sở Tài chính", "on": "15/08/2023"},
    )
    assert done.status_code == 302
    page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert 'data-testid="cancelled"' in page and "Trùng nhiệm vụ của Sở Tài chính" in page
    assert 'data-testid="reopen-task"' in page and 'data-testid="note-form"' not in page
    assert "Hủy nhiệm vụ: Trùng nhiệm vụ của Sở Tài chính" in page  # the history table
    plan_page = client.get(f"/plans/{world['plan'].pk}/?on=01/10/2023").content.decode()
    assert 'data-state="cancelled"' in plan_page and 'data-cancelled="1"' in plan_page
    office = client.get(f"/plans/office/{world['province'].pk}/?on=01/10/2023").content.decode()
    assert "Báo cáo BHYT quý III" not in office.split('data-testid="due-soon"')[0]
    assert 'data-testid="score-cancelled">1<' in office
    reopened = client.post(f"/plans/tasks/{task.pk}/reopen/", {"version": task.version + 1})
    assert reopened.status_code == 302
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_the_export_and_the_report_say_cancelled(world):
    from docx import Document

    from nongthon.plans import documents

    cancel(world["task"])
    book = load_workbook(io.BytesIO(exports.workbook_for(world["plan"], dt.date(2023, 10, 1))))
    rows = list(book["Nhiệm vụ"].iter_rows(values_only=True))
    assert rows[1][6] == "Đã hủy"
    report = Document(io.BytesIO(documents.report_document(world["plan"], dt.date(2023, 10, 1))))
    text = "\n".join(
        [p.text for p in report.paragraphs]
        + [c.text for t in report.tables for r in t.rows for c in r.cells]
    )
    assert "đã hủy: 1" in text and "Đã hủy (15/08/2023): Đã gộp vào nhiệm vụ khác" in text
