"""Who calls: a personal token (Authorization: Bearer ntk_...) or the browser's session.

A token acts as its user with the user's permissions; a read-only token is refused on every
unsafe method, whatever the user may do. The session needs Django's CSRF token on unsafe
methods (X-CSRFToken header), as every form of the site does.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from nongthon.api import errors
from nongthon.api.tokens import find_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        found = find_token(token)
        if found is None:
            return None
        if request.method not in SAFE_METHODS and not found.may_write:
            raise errors.ApiError(
                403,
                errors.READ_ONLY_TOKEN,
                _("Khóa API này chỉ được đọc; hãy dùng khóa có phạm vi «Đọc và ghi»."),
            )
        request.user = found.user
        request.api_token = found
        return found.user


class SessionAuth(APIKeyCookie):
    """Django's session; CSRF is checked only for a logged-in session on unsafe methods, so a
    token client without cookies gets 401, not a CSRF refusal."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if not key or user is None or not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise errors.ApiError(
                403,
                errors.CSRF_FAILED,
                _("Thiếu hoặc sai mã CSRF: gửi tiêu đề X-CSRFToken lấy từ cookie csrftoken."),
            )
        request.api_token = None
        return user


AUTH = [TokenAuth(), SessionAuth()]
