"""Background jobs: a crash is retried a bounded number of times, each attempt all-or-nothing,
and what failed is visible to system admins (their page and Django admin); on the database
backend the retry waits in the queue and the worker runs it; the commands that became jobs
queue on the database backend and the worker does the work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from nongthon.accounts.models import User
from nongthon.assessment.models import Evaluation
from nongthon.assessment.services import ValueEntry, save_values
from nongthon.ops.models import JobFailure
from tests import ops_jobs_support as support
from tests.conftest import client_for

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_queue(db, settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    # The worker drops connections between jobs; inside the test's transaction that would drop
    # the test's own connection (PostgreSQL), so the worker runs here without that step.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.NONGTHON_JOB_RETRY_DELAYS = [0, 0]
    return settings


def run_worker() -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=20,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_a_job_that_fails_twice_succeeds_on_its_third_attempt(db):
    result = support.flaky.enqueue("twice", failures=2)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "xong"
    failures = list(JobFailure.objects.filter(task_path__endswith="flaky").order_by("attempt"))
    assert [(f.attempt, f.will_retry) for f in failures] == [(1, False), (2, False)]
    assert all(f.resolved_at is not None for f in failures)  # a later attempt succeeded
    assert failures[0].message == "lần chạy 1 hỏng"
    assert failures[0].arguments == {"args": ["twice"], "kwargs": {"failures": 2}}


def test_a_job_that_keeps_failing_stops_after_three_attempts(db):
    result = support.flaky.enqueue("always", failures=99)
    assert result.status == TaskResultStatus.FAILED
    assert support.CALLS["always"] == 3
    assert "RuntimeError: lần chạy 3 hỏng" in result.errors[-1].traceback
    failures = list(JobFailure.objects.order_by("attempt"))
    assert [(f.attempt, f.max_attempts) for f in failures] == [(1, 3), (2, 3), (3, 3)]
    assert [f.will_retry for f in failures] == [True, True, False]
    assert failures[-1].gave_up and "RuntimeError" in failures[-1].traceback


def test_an_attempt_that_crashes_leaves_nothing_behind(db):
    result = support.writes_then_crashes.enqueue("nua-chung")
    assert result.status == TaskResultStatus.FAILED
    assert not User.objects.filter(username="nua-chung").exists()
    assert JobFailure.objects.filter(task_path__endswith="writes_then_crashes").count() == 3


def test_system_admins_see_failed_jobs_with_the_error_and_may_run_one_again(
    system_admin, province_coordinator
):
    support.flaky.enqueue("admin-page", failures=3)
    client = client_for(system_admin)
    page = client.get("/ops/jobs/failed/").content.decode()
    assert "Công việc nền bị lỗi" in page
    assert page.count('data-testid="failed-job"') == 1  # the job that gave up
    assert "flaky" in page and "lần chạy 3 hỏng" in page and "3/3" in page
    assert "/ops/jobs/failed/" in client.get("/").content.decode()  # in the admin menu
    everything = client.get("/ops/jobs/failed/?state=all").content.decode()
    assert everything.count('data-testid="failed-job"') == 3
    # After the cause is fixed (here: the fourth run succeeds), the admin runs it again.
    failure = JobFailure.objects.get(attempt=3)
    response = client.post(f"/ops/jobs/failed/{failure.pk}/rerun/", follow=True)
    assert "Đã chạy lại công việc «flaky»: thành công." in response.content.decode()
    assert not JobFailure.objects.filter(resolved_at__isnull=True).exists()
    assert 'data-testid="no-failed-jobs"' in client.get("/ops/jobs/failed/").content.decode()


def test_other_users_may_not_see_or_rerun_failed_jobs(province_coordinator, client):
    support.flaky.enqueue("hidden", failures=3)
    failure = JobFailure.objects.filter(will_retry=False).get()
    coordinator = client_for(province_coordinator)
    assert coordinator.get("/ops/jobs/failed/").status_code == 403
    assert coordinator.post(f"/ops/jobs/failed/{failure.pk}/rerun/").status_code == 403
    assert "/ops/jobs/failed/" not in coordinator.get("/").content.decode()
    assert client.get("/ops/jobs/failed/").status_code == 302  # to the login page


def test_a_job_whose_task_no_longer_exists_is_not_run_again_and_says_why(system_admin):
    failure = JobFailure.objects.create(
        job_id="old", task_path="nongthon.assessment.tasks.renamed_since", attempt=3,
        max_attempts=3, exception_class="RuntimeError",
    )  # fmt: skip
    response = client_for(system_admin).post(f"/ops/jobs/failed/{failure.pk}/rerun/", follow=True)
    assert response.status_code == 200
    assert "không còn trong phần mềm: không chạy lại được" in response.content.decode()
    failure.refresh_from_db()
    assert failure.resolved_at is None


def test_django_admin_lists_failures_and_queue_results_read_only(db):
    support.flaky.enqueue("in-admin", failures=3)
    admin = User.objects.create_superuser("sieuquantri", password="Nongthon@2025")
    client = client_for(admin)
    listing = client.get("/admin/ops/jobfailure/")
    assert listing.status_code == 200 and "tests.ops_jobs_support.flaky" in listing.content.decode()
    assert client.get("/admin/ops/jobfailure/add/").status_code == 403
    assert client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 200


def test_on_the_database_backend_a_failure_waits_in_the_queue_and_the_worker_retries_it(
    database_queue,
):
    result = support.flaky.enqueue("queued", failures=1)
    assert result.status == TaskResultStatus.READY  # queued, not run
    assert support.CALLS.get("queued") is None
    run_worker()
    rows = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in rows] == [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    assert "RuntimeError" in rows[0].traceback
    assert rows[1].args_kwargs["kwargs"]["_attempt"] == 2
    assert JobFailure.objects.get().resolved_at is not None


def test_a_retry_is_not_run_before_its_delay(database_queue):
    database_queue.NONGTHON_JOB_RETRY_DELAYS = [600, 600]
    support.flaky.enqueue("later", failures=1)
    run_worker()
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.run_after > timezone.now() + dt.timedelta(seconds=590)
    assert support.CALLS["later"] == 1
    assert JobFailure.objects.get().will_retry


def test_evaluate_and_the_reminders_queue_their_job_and_the_worker_runs_it(
    database_queue, tiny_set, vi_binh, capsys
):
    save_values(
        None, unit=vi_binh, year=2023, family=tiny_set.family, entries=[ValueEntry("3.1", "90")]
    )
    Evaluation.objects.all().delete()
    call_command("evaluate", "--set", tiny_set.code)
    call_command("send_task_reminders", "--date", "01/06/2023")
    call_command("ocop_reminders", "--date", "2023-06-01")
    out = capsys.readouterr().out
    assert out.count("Đã xếp hàng công việc") == 3
    assert not Evaluation.objects.exists()
    run_worker()
    assert Evaluation.objects.filter(unit=vi_binh, criteria_set=tiny_set).count() == 1
    done = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
    assert sorted(r.task_path.rsplit(".", 1)[1] for r in done) == [
        "ocop_reminders",
        "recompute_evaluations",
        "send_task_reminders",
    ]


def test_a_job_that_failed_makes_the_command_fail(db, monkeypatch):
    from django.core.management.base import CommandError

    from nongthon.assessment import tasks

    def broken(*args, **kwargs):
        raise RuntimeError("đĩa đầy")

    monkeypatch.setattr(tasks, "recompute_set", broken)
    with pytest.raises(CommandError, match="recompute_evaluations.*RuntimeError: đĩa đầy"):
        call_command("evaluate", "--set", make_set_code())


def make_set_code() -> str:
    from nongthon.catalogue.services import load_set_file
    from tests.conftest import TINY_SET

    return load_set_file(TINY_SET).criteria_set.code


@pytest.fixture(autouse=True)
def _fresh_counters():
    support.CALLS.clear()
    yield
    support.CALLS.clear()
