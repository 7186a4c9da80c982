"""Errors as JSON with a stable `code` and a Vietnamese `message`, for every refusal the API
gives (400, 401, 403, 404, 409, 422). Clients branch on `code`; people read `message`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

# The codes a client may rely on; a new code is added, never renamed.
BAD_REQUEST = "bad_request"
UNAUTHENTICATED = "unauthenticated"
FORBIDDEN = "forbidden"
READ_ONLY_TOKEN = "read_only_token"
CSRF_FAILED = "csrf_failed"
NOT_FOUND = "not_found"
STALE = "stale"
CONFLICT = "conflict"
INVALID = "invalid"
INVALID_INPUT = "invalid_input"
IMPORT_REFUSED = "import_refused"


class RowErrorOut(Schema):
    row: int | None = None
    field: str = ""
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    detail: Any = None
    fields: dict[str, list[str]] | None = None
    errors: list[RowErrorOut] | None = None


ERROR_CODES = (400, 401, 403, 404, 409, 422)
# Every operation declares these, so the OpenAPI document says what a refusal looks like.
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys(ERROR_CODES, ErrorOut)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        detail: Any = None,
        fields: dict[str, list[str]] | None = None,
        errors: list[dict] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.detail, self.fields, self.errors = detail, fields, errors

    def body(self) -> dict:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.detail is not None:
            out["detail"] = self.detail
        if self.fields:
            out["fields"] = self.fields
        if self.errors is not None:
            out["errors"] = self.errors
        return out


def not_found() -> ApiError:
    """The one answer for "does not exist" and "not yours to see": the same body, so a
    refusal never tells whether the object exists."""
    return ApiError(404, NOT_FOUND, _("Không tìm thấy (hoặc bạn không có quyền xem)."))


def forbidden(detail: str = "") -> ApiError:
    return ApiError(
        403,
        FORBIDDEN,
        _("Bạn không có quyền thực hiện thao tác này."),
        detail=detail or None,
    )


def from_validation(exc: DjangoValidationError) -> ApiError:
    """A service's refusal: 409 when someone changed the record meanwhile, else 422 with the
    messages by field (the services name the field in Vietnamese)."""
    if hasattr(exc, "error_dict"):
        fields = {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
        stale = any(e.code == "stale" for errs in exc.error_dict.values() for e in errs)
        messages = [m for msgs in fields.values() for m in msgs]
    else:
        fields = None
        stale = any(e.code == "stale" for e in exc.error_list)
        messages = [str(m) for m in exc.messages]
    message = " ".join(messages) or _("Dữ liệu không hợp lệ.")
    if stale:
        return ApiError(409, STALE, message, fields=fields)
    return ApiError(422, INVALID, message, fields=fields)


def import_refused(problems: list) -> ApiError:
    """A bulk import refused whole: every problem, each naming its row and field."""
    shown = " ".join(str(p) for p in problems[:5])
    more = len(problems) - 5
    if more > 0:
        shown += " " + _("(và %(n)d lỗi khác)") % {"n": more}
    return ApiError(
        422,
        IMPORT_REFUSED,
        _("Không nhập dữ liệu nào: có %(n)d lỗi. %(errors)s")
        % {"n": len(problems), "errors": shown},
        errors=[p.as_dict() for p in problems],
    )


def _location(error: dict) -> str:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    return ".".join(loc) or "body"


def from_request_validation(exc: NinjaValidationError) -> ApiError:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_location(error), []).append(str(error.get("msg", "")))
    names = ", ".join(fields)
    return ApiError(
        422,
        INVALID_INPUT,
        _("Dữ liệu gửi lên không đúng định dạng: %(fields)s.") % {"fields": names},
        fields=fields,
    )


def install(api) -> None:
    """Register the handlers on a NinjaAPI."""

    def respond(request: HttpRequest, error: ApiError) -> HttpResponse:
        return api.create_response(request, error.body(), status=error.status)

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return respond(request, exc)

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc: PermissionDenied):
        return respond(request, forbidden(str(exc)))

    @api.exception_handler(Http404)
    def _missing(request, exc):
        return respond(request, not_found())

    @api.exception_handler(ObjectDoesNotExist)
    def _does_not_exist(request, exc):
        return respond(request, not_found())

    @api.exception_handler(DjangoValidationError)
    def _invalid(request, exc: DjangoValidationError):
        return respond(request, from_validation(exc))

    @api.exception_handler(NinjaValidationError)
    def _bad_input(request, exc: NinjaValidationError):
        return respond(request, from_request_validation(exc))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return respond(
            request,
            ApiError(
                401,
                UNAUTHENTICATED,
                _(
                    "Chưa xác thực: gửi khóa API trong tiêu đề «Authorization: Bearer <khóa>», "
                    "hoặc đăng nhập."
                ),
            ),
        )

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        status = exc.status_code
        code = {
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        }.get(status, BAD_REQUEST if status < 500 else "server_error")
        message = {
            400: _("Yêu cầu không đọc được (ví dụ: nội dung JSON sai cú pháp)."),
            401: _("Chưa xác thực."),
            403: _("Bạn không có quyền thực hiện thao tác này."),
            404: _("Không tìm thấy (hoặc bạn không có quyền xem)."),
        }.get(status, _("Yêu cầu không hợp lệ."))
        return respond(request, ApiError(status, code, message, detail=str(exc)))
