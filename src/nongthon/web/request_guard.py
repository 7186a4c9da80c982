"""Requests carrying a NUL character are refused before any view sees them.

No text the project stores may hold NUL (PostgreSQL refuses it in every text column and query,
which would surface as a server error from any search box or hand-read parameter), and no
legitimate form sends one. Django's form fields already refuse it; this covers the parameters
views read directly (?q=, ?on=, hidden fields) and the paths, in every app at once.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            message = _("Yêu cầu có ký tự NUL không hợp lệ.")
            if request.path.startswith("/api/"):  # the API answers in its own error shape
                return JsonResponse({"code": "bad_request", "message": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
