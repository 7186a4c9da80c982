"""System admins' operations pages: background jobs that failed, and re-running one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nongthon.accounts import permissions
from nongthon.ops import jobs, queries
from nongthon.ops.models import JobFailure

PAGE_SIZE = 50


@login_required
def failed_jobs(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_failed_jobs(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "gave_up")
    if state not in queries.STATES:
        state = "gave_up"
    page = Paginator(queries.failures(state), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "active": "failed_jobs",
        "state": state,
        "counts": queries.counts(),
        "page": page,
        "max_attempts": jobs.max_attempts(),
        "may_rerun": permissions.can_rerun_jobs(request.user),
    }
    return render(request, "ops/failed_jobs.html", context)


@login_required
@require_POST
def rerun_job(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_rerun_jobs(request.user):
        raise PermissionDenied
    failure = get_object_or_404(JobFailure, pk=pk)
    try:
        result = jobs.rerun(failure)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("ops:failed_jobs")
    if jobs.finished_ok(result):
        messages.success(request, _("Đã chạy lại công việc «%s»: thành công.") % failure.task_name)
    elif result.is_finished:
        messages.error(
            request,
            _("Đã chạy lại công việc «%(task)s» nhưng vẫn lỗi: %(error)s")
            % {"task": failure.task_name, "error": jobs.last_error(result)},
        )
    else:
        messages.info(request, _("Đã xếp hàng chạy lại công việc «%s».") % failure.task_name)
    return redirect("ops:failed_jobs")
