"""Background jobs: django-tasks (the backport of Django 6's tasks) with bounded retries and a
record of every failure that system admins can read.

Declare a job with `@job()` where django-tasks has `@task()`; enqueue it the same way
(`recompute_criteria_set.enqueue(set_id)`). Arguments must be JSON values (ids, ISO dates).

- Each attempt runs in one transaction: a crash leaves nothing of that attempt behind, so a
  retry starts from the same state (jobs must be idempotent; ours are recomputations and
  reminders that record what they sent).
- A failed attempt is stored as a `JobFailure` (task, arguments, error, traceback) and, while
  attempts remain (NONGTHON_JOB_RETRY_DELAYS, default 60 s then 600 s: three attempts), the
  job is queued again to run after the delay. On the immediate backend (development, tests)
  there is no queue to wait in: the next attempt runs at once.
- The last failure is re-raised, so the queue's own record says FAILED with the traceback too
  (Django admin, "Task results").
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import TaskContext, TaskResult, TaskResultStatus, task
from django_tasks.base import Task

logger = logging.getLogger("nongthon.jobs")

ATTEMPT_KEY = "_attempt"
JOB_KEY = "_job"


def retry_delays() -> list[int]:
    return list(settings.NONGTHON_JOB_RETRY_DELAYS)


def max_attempts() -> int:
    return len(retry_delays()) + 1


def job(*, priority: int = 0, queue_name: str = "default", atomic: bool = True) -> Callable:
    """Make `func` a background job with retries (see the module's docstring)."""

    def decorate(func: Callable[..., Any]) -> Task:
        def run(context: TaskContext, *args: Any, **kwargs: Any) -> Any:
            return _attempts(the_task, func, context, args, kwargs, atomic)

        # The worker finds a job by its module path: the wrapper takes the function's name so
        # the path leads to the Task object that replaces the function in its module. No
        # functools.wraps: its __wrapped__ would hide the `context` argument django-tasks checks.
        run.__module__ = func.__module__
        run.__name__ = func.__name__
        run.__qualname__ = func.__qualname__
        run.__doc__ = func.__doc__
        the_task = task(takes_context=True, priority=priority, queue_name=queue_name)(run)
        return the_task

    return decorate


def _attempts(
    the_task: Task,
    func: Callable[..., Any],
    context: TaskContext,
    args: tuple,
    kwargs: dict,
    atomic: bool,
) -> Any:
    attempt = int(kwargs.pop(ATTEMPT_KEY, 1))
    carried_id = kwargs.pop(JOB_KEY, "")  # a retry, or an admin's re-run of a failed job
    job_id = str(carried_id or context.task_result.id)
    delays = retry_delays()
    while True:
        try:
            with transaction.atomic() if atomic else nullcontext():
                value = func(*args, **kwargs)
        except Exception as exc:
            will_retry = attempt <= len(delays)
            record_failure(the_task, context, job_id, args, kwargs, attempt, will_retry, exc)
            if not will_retry:
                raise
            delay = delays[attempt - 1]
            attempt += 1
            if the_task.get_backend().supports_defer:
                later = timezone.now() + dt.timedelta(seconds=delay)
                the_task.using(run_after=later).enqueue(
                    *args, **kwargs, **{ATTEMPT_KEY: attempt, JOB_KEY: job_id}
                )
                raise
            continue  # immediate backend: no queue to wait in
        if attempt > 1 or carried_id:
            mark_resolved(job_id)
        return value


def record_failure(
    the_task: Task,
    context: TaskContext,
    job_id: str,
    args: tuple,
    kwargs: dict,
    attempt: int,
    will_retry: bool,
    exc: Exception,
) -> None:
    from nongthon.ops.models import JobFailure

    logger.error(
        "job %s failed (attempt %s/%s, job %s): %s",
        the_task.module_path,
        attempt,
        max_attempts(),
        job_id,
        exc.__class__.__name__,
        exc_info=exc,
        extra={"job_id": job_id, "task": the_task.module_path, "attempt": attempt},
    )
    try:
        JobFailure.objects.create(
            job_id=job_id,
            result_id=str(context.task_result.id),
            task_path=the_task.module_path,
            arguments={"args": list(args), "kwargs": kwargs},
            attempt=attempt,
            max_attempts=max_attempts(),
            will_retry=will_retry,
            exception_class=f"{exc.__class__.__module__}.{exc.__class__.__qualname__}",
            message=str(exc)[:2000],
            traceback=_traceback(exc),
        )
    except DatabaseError:
        # The database itself may be what failed: the log line above is then the record.
        logger.exception("could not record the failure of job %s", job_id)


def _traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))[-20000:]


def mark_resolved(job_id: str) -> None:
    from nongthon.ops.models import JobFailure

    JobFailure.objects.filter(job_id=job_id, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), will_retry=False
    )


def rerun(failure) -> TaskResult:
    """Queue a failed job again with its original arguments (an admin's decision after fixing
    the cause); its attempts count from one again and a success marks the failure resolved."""
    try:
        the_task = import_string(failure.task_path)
    except ImportError:
        the_task = None
    if not isinstance(the_task, Task):
        # A job recorded by an older version whose task was renamed or removed since.
        raise ValidationError(
            _("Công việc «%s» không còn trong phần mềm: không chạy lại được.") % failure.task_path
        )
    arguments = failure.arguments or {}
    kwargs = dict(arguments.get("kwargs", {}))
    kwargs[JOB_KEY] = failure.job_id
    return the_task.enqueue(*arguments.get("args", []), **kwargs)


def finished_ok(result: TaskResult) -> bool:
    return result.status == TaskResultStatus.SUCCESSFUL


def last_error(result: TaskResult) -> str:
    """The error of a failed result, one line (for a command's message)."""
    if not result.errors:
        return ""
    lines = result.errors[-1].traceback.strip().splitlines()
    return lines[-1] if lines else result.errors[-1].exception_class_path


def report_to_command(command, result: TaskResult, describe: Callable[[Any], None]) -> None:
    """A management command that enqueued a job: print what it did when it ran at once
    (immediate backend), or that it is queued (database backend); a failure is the command's
    error (exit status 1), so cron mails it."""
    from django.core.management.base import CommandError

    if finished_ok(result):
        describe(result.return_value)
    elif result.is_finished:
        raise CommandError(f"Công việc «{result.task.name}» bị lỗi: {last_error(result)}")
    else:
        command.stdout.write(
            f"Đã xếp hàng công việc «{result.task.name}» (mã {result.id}); "
            "tiến trình nền `nongthon db_worker` sẽ chạy nó."
        )
