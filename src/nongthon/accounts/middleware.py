"""The two-factor gate: a signed-in session that owes a code (or a device) reaches only the
pages that settle it, logging out, and static files."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from nongthon.accounts import two_factor


class TwoFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            owed = two_factor.owed(request)
            if owed is not None:
                target = reverse(
                    "accounts:2fa_verify" if owed == two_factor.VERIFY else "accounts:2fa_setup"
                )
                if not self._open(request.path, target):
                    query = urlencode({"next": request.get_full_path()})
                    return HttpResponseRedirect(f"{target}?{query}")
        return self.get_response(request)

    @staticmethod
    def _open(path: str, target: str) -> bool:
        allowed = (target, reverse("logout"), reverse("set_language"), f"/{settings.STATIC_URL}")
        return any(path.startswith(p) for p in allowed)
