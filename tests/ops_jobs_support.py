"""Jobs used by tests/test_ops_jobs.py: module-level, as the queue finds a job by its path."""

from __future__ import annotations

from nongthon.accounts.models import User
from nongthon.ops.jobs import job

CALLS: dict[str, int] = {}


@job()
def flaky(key: str, failures: int) -> str:
    """Fails its first `failures` runs (counted per key in this process), then succeeds."""
    CALLS[key] = CALLS.get(key, 0) + 1
    if CALLS[key] <= failures:
        raise RuntimeError(f"lần chạy {CALLS[key]} hỏng")
    return "xong"


@job()
def writes_then_crashes(username: str) -> None:
    User.objects.create(username=username)
    raise RuntimeError("hỏng sau khi đã ghi")
