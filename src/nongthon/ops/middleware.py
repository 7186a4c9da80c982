"""Middleware of the production setup: health check, request log, database outage page."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.functional import empty

from nongthon.ops import health
from nongthon.ops.logs import incoming_or_new_id, request_id

request_logger = logging.getLogger("nongthon.request")
outage_logger = logging.getLogger("nongthon.outage")

HEALTH_PATHS = {"/healthz", "/healthz/"}


class HealthCheckMiddleware:
    """Answer `/healthz` before anything else: no host check (a load balancer probes by
    address), no HTTPS redirect, no session, no log line per probe."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in HEALTH_PATHS and request.method in {"GET", "HEAD"}:
            status, body = health.report()
            response = JsonResponse(body, status=status)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


def _user_of(request: HttpRequest) -> tuple[str | None, int | None]:
    """The user if the request already loaded it; never a query of its own (a public page or an
    outage must not be made slower or broken by its log line)."""
    user = getattr(request, "user", None)
    if user is None:
        return None, None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None, None
    return wrapped.get_username(), wrapped.pk


class RequestLogMiddleware:
    """One log line per request: method, path, status, duration, user, request id; the id is
    also returned in the X-Request-ID header so a user's report can be matched to the log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = incoming_or_new_id(request.headers.get("X-Request-ID"))
        token = request_id.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = round((time.perf_counter() - started) * 1000, 1)
            username, user_id = _user_of(request)
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration,
                    "user": username,
                    "user_id": user_id,
                },
            )
            response["X-Request-ID"] = rid
            return response
        finally:
            request_id.reset(token)


class DatabaseOutageMiddleware:
    """A view that lost its database (server down, connection cut, pool exhausted) answers 503
    with a plain message in the user's language instead of the server-error page. The view's
    own transaction has been rolled back by then, so nothing was half-saved; the page renders
    without touching the database (no navigation, no session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        outage_logger.error(
            "database unavailable during %s %s: %s",
            request.method,
            request.path,
            exception.__class__.__name__,
            exc_info=exception,
        )
        if request.headers.get("HX-Request"):
            # htmx swaps only 2xx answers: the message goes on top of the part that asked,
            # which stays in place so the user can send it again.
            response = HttpResponse(render_to_string("ops/_database_unavailable.html", {}))
            response["HX-Reswap"] = "afterbegin"
        else:
            html = render_to_string("ops/database_unavailable.html", {"request": request})
            response = HttpResponse(html, status=503)
        response["Retry-After"] = "60"
        return response
