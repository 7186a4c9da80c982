"""Tasks of plans and directives: deadlines as written, recurring occurrences, progress notes with
evidence, overdue and due-soon lists, the per-agency scorecard, e-mail reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from nongthon.accounts.models import Role
from nongthon.plans import queries, reminders, services
from nongthon.plans.models import DirectiveKind, TaskStatus
from tests.conftest import make_user
from tests.plans_support import agencies, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(hau_giang):
    found = agencies(hau_giang)
    directive = services.create_directive(
        None,
        hau_giang,
        kind=DirectiveKind.CONCLUSION,
        body="Ban Chỉ đạo tỉnh",
        issued_on=dt.date(2023, 7, 20),
        title="Kết luận sơ kết 6 tháng",
    )
    return {"agencies": found, "directive": directive, "province": hau_giang}


def add(source, lead, deadline, content="Nhiệm vụ"):
    return services.add_task(None, source, content=content, lead=lead, deadline_text=deadline)


def test_a_task_keeps_the_phrase_and_its_reading(world):
    a = world["agencies"]
    task = services.add_task(
        None,
        world["directive"],
        content="Thẩm định hồ sơ",
        lead=a["so-nnptnt"],
        coordinators=[a["so-tai-chinh"], a["vpdp-ntm"]],
        deadline_text="Quý III/2023",
    )
    assert task.deadline_text == "Quý III/2023"
    assert task.deadline == dt.date(2023, 9, 30)
    assert set(task.coordinators.all()) == {a["so-tai-chinh"], a["vpdp-ntm"]}


def test_an_unreadable_deadline_is_refused_on_its_field(world):
    with pytest.raises(ValidationError) as caught:
        add(world["directive"], world["agencies"]["so-y-te"], "Trước Tết")
    assert "deadline_text" in caught.value.message_dict


def test_an_agency_of_another_province_cannot_lead(world, can_tho):
    from nongthon.places.agencies import create_default_agencies

    create_default_agencies(can_tho)
    foreign = can_tho.agencies.first()
    with pytest.raises(ValidationError):
        add(world["directive"], foreign, "31/12/2023")


def test_done_on_time_late_overdue_and_open_are_told_apart(world):
    a, d = world["agencies"], world["directive"]
    on_time = add(d, a["so-nnptnt"], "31/08/2023")
    late = add(d, a["so-tai-chinh"], "15/09/2023")
    overdue = add(d, a["so-xay-dung"], "Quý III/2023")
    later = add(d, a["so-cong-thuong"], "01/11/2023")
    services.add_progress_note(
        None, on_time, text="Xong", written_on=dt.date(2023, 8, 25), completes=True
    )
    services.add_progress_note(
        None, late, text="Xong", written_on=dt.date(2023, 10, 2), completes=True
    )
    on = dt.date(2023, 10, 20)
    states = {t.pk: queries.task_state(t, on).state for t in queries.tasks_under(world["province"])}
    assert states == {
        on_time.pk: queries.ON_TIME,
        late.pk: queries.LATE,
        overdue.pk: queries.OVERDUE,
        later.pk: queries.OPEN,
    }
    lists = queries.due_lists(queries.tasks_under(world["province"]), on)
    assert [o.task for o in lists.overdue] == [overdue]
    assert [o.task for o in lists.due_soon] == [later]


def test_a_recurring_task_is_due_every_period_and_each_occurrence_is_completed_apart(world):
    task = add(world["directive"], world["agencies"]["so-y-te"], "Hàng tháng trước ngày 20")
    rows = queries.occurrences(task, dt.date(2023, 9, 1))
    assert [o.due for o in rows][:2] == [dt.date(2023, 7, 20), dt.date(2023, 8, 20)]
    with pytest.raises(ValidationError):
        services.add_progress_note(
            None, task, text="Tháng 7", written_on=dt.date(2023, 7, 18), completes=True
        )
    services.add_progress_note(
        None,
        task,
        text="Tháng 7",
        written_on=dt.date(2023, 7, 18),
        completes=True,
        occurrence_due=dt.date(2023, 7, 20),
    )
    rows = queries.occurrences(task, dt.date(2023, 9, 1))
    assert [o.state for o in rows[:3]] == [queries.ON_TIME, queries.OVERDUE, queries.OPEN]
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_ongoing_and_event_tasks_are_never_overdue(world):
    for phrase in ("Thường xuyên", "Khi có thay đổi thành viên"):
        task = add(world["directive"], world["agencies"]["so-noi-vu"], phrase)
        assert queries.task_state(task, dt.date(2030, 1, 1)).state == queries.NOT_DATED


def test_the_scorecard_counts_per_lead_agency(world):
    a, d = world["agencies"], world["directive"]
    t1 = add(d, a["so-nnptnt"], "31/08/2023")
    add(d, a["so-nnptnt"], "30/09/2023")
    services.add_progress_note(
        None, t1, text="Xong", written_on=dt.date(2023, 8, 1), completes=True
    )
    rows = {
        r.label: r
        for r in queries.scorecard(queries.tasks_under(world["province"]), dt.date(2023, 10, 1))
    }
    row = rows["Sở Nông nghiệp và Phát triển nông thôn"]
    assert (row.on_time, row.late, row.overdue, row.open) == (1, 0, 1, 0)


def test_the_lead_agencys_officer_reports_and_another_department_may_not(world, hau_giang):
    a = world["agencies"]
    task = add(world["directive"], a["so-y-te"], "31/12/2023")
    officer = make_user("yte", hau_giang, Role.DEPARTMENT_OFFICER, a["so-y-te"])
    other = make_user("gd", hau_giang, Role.DEPARTMENT_OFFICER, a["so-gddt"])
    with pytest.raises(PermissionDenied):
        services.add_progress_note(other, task, text="x", written_on=dt.date(2023, 9, 1))
    evidence = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    note = services.add_progress_note(
        officer,
        task,
        text="Đã báo cáo",
        written_on=dt.date(2023, 9, 1),
        completes=True,
        evidence=evidence,
    )
    assert note.evidence_name == "bao-cao.pdf"
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_on == dt.date(2023, 9, 1)


def test_evidence_of_an_unknown_type_is_refused(world):
    task = add(world["directive"], world["agencies"]["so-y-te"], "31/12/2023")
    with pytest.raises(ValidationError):
        services.add_progress_note(
            None,
            task,
            text="x",
            written_on=dt.date(2023, 9, 1),
            evidence=SimpleUploadedFile("virus.exe", b"MZ"),
        )


def test_only_the_plans_office_adds_tasks(world, district_officer, viewer):
    with pytest.raises(PermissionDenied):
        services.add_task(
            viewer, world["directive"], content="x", lead_text="Các sở", deadline_text=""
        )
    with pytest.raises(PermissionDenied):
        services.add_task(
            district_officer, world["directive"], content="x", lead_text="Các sở", deadline_text=""
        )


def test_plans_carry_duties_too(hau_giang):
    plan = make_plan(hau_giang, 2023)
    task = services.add_task(
        None, plan, content="Tổng hợp báo cáo", lead_text="Các sở", deadline_text="Trong tháng 6"
    )
    assert task.deadline == dt.date(2023, 6, 30)  # the plan's year completes "tháng 6"


def test_reminders_go_to_the_lead_agencys_officers_before_the_deadline(world, hau_giang, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    a = world["agencies"]
    officer = make_user("yte2", hau_giang, Role.DEPARTMENT_OFFICER, a["so-y-te"])
    officer.email = "yte@example.vn"
    officer.save()
    add(world["directive"], a["so-y-te"], "31/08/2023", content="Báo cáo BHYT")
    assert reminders.send_reminders(dt.date(2023, 8, 20)) == 0
    assert reminders.send_reminders(dt.date(2023, 8, 24)) == 1
    assert mail.outbox[0].to == ["yte@example.vn"]
    assert "Báo cáo BHYT" in mail.outbox[0].body
    call_command("send_task_reminders", "--date", "01/09/2023", "--province", "93")
    assert "QUÁ HẠN" in mail.outbox[-1].body


def test_a_task_is_edited_and_a_stale_edit_is_refused(world, province_coordinator):
    a = world["agencies"]
    task = add(world["directive"], a["so-y-te"], "31/08/2023")
    services.update_task(province_coordinator, task, task.version, deadline_text="Quý IV/2023")
    task.refresh_from_db()
    assert task.deadline == dt.date(2023, 12, 31)
    with pytest.raises(ValidationError) as caught:
        services.update_task(province_coordinator, task, 1, content="Khác")
    assert "Quý IV/2023" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services.update_task(province_coordinator, task, task.version, deadline_text="Trước Tết")
