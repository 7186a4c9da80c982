"""The versioned REST API (/api/v1/): one NinjaAPI, one router per module.

Adding a module's endpoints: write `nongthon/<app>/api.py` (or `api/routers/<name>.py`) with a
`router = Router(tags=[...])`, then append one entry to ROUTERS below. Every router inherits
the authentication (token or session), the JSON errors, and appears in the OpenAPI document.
"""

from __future__ import annotations

from importlib import import_module

from ninja import NinjaAPI

from nongthon.api import errors
from nongthon.api.auth import AUTH

DESCRIPTION = """API của hệ thống quản lý Chương trình MTQG xây dựng nông thôn mới và OCOP.

Xác thực: khóa API cá nhân (tạo ở trang «Khóa truy cập API» trong tài khoản) gửi trong tiêu đề
`Authorization: Bearer <khóa>`, hoặc phiên đăng nhập của trình duyệt (thao tác ghi cần tiêu đề
`X-CSRFToken`). Khóa có phạm vi «chỉ đọc» không ghi được. Mọi quyền giống hệt giao diện web: dữ
liệu của đơn vị ngoài phạm vi của bạn trả về 404. Lỗi là JSON có `code` cố định và `message`
tiếng Việt. Danh sách phân trang bằng `limit`/`offset`, thứ tự ổn định.

*English:* API of the national target program for new rural development and OCOP.
Authenticate with a personal token (created on the "API tokens" page of your account) sent as
`Authorization: Bearer <token>`, or with the browser session (writes need the `X-CSRFToken`
header). Read-only tokens cannot write. Permissions are the web interface's: another unit's
private data answers 404. Errors are JSON with a stable `code` and a Vietnamese `message`. Lists
page with `limit`/`offset` in a stable order."""

TAGS = [
    ("me", "Người gọi API", "The caller"),
    ("units", "Đơn vị hành chính (hai danh mục)", "Administrative units (both lists)"),
    ("agencies", "Cơ quan", "Agencies"),
    ("criteria", "Bộ tiêu chí (văn bản pháp quy theo phiên bản)", "Criteria sets (versioned law)"),
    ("values", "Số liệu chỉ tiêu, nhập/xuất hàng loạt", "Indicator values, bulk import/export"),
    ("evaluations", "Kết quả đánh giá đã lưu", "Stored evaluations"),
    ("recognition", "Danh hiệu và hồ sơ công nhận", "Titles and recognition applications"),
    ("plans", "Kế hoạch, chỉ tiêu, nhiệm vụ", "Plans, targets, tasks"),
    ("ocop", "OCOP: chủ thể, sản phẩm, giấy chứng nhận", "OCOP producers, products, certificates"),
    ("ocop-public", "Danh mục sản phẩm OCOP công khai (không cần đăng nhập)", "Public catalogue"),
    ("funding", "Nguồn vốn và công trình", "Funding lines and works"),
    ("reporting", "Báo cáo định kỳ: kỳ, báo cáo, tỷ lệ nộp", "Periodic reports and completeness"),
]

# (URL prefix, "module:attribute" of a ninja Router). Append new modules at the end.
ROUTERS: list[tuple[str, str]] = [
    ("", "nongthon.api.routers.me:router"),
    ("", "nongthon.api.routers.units:router"),
    ("", "nongthon.api.routers.criteria:router"),
    ("", "nongthon.api.routers.values:router"),
    ("", "nongthon.api.routers.recognition:router"),
    ("", "nongthon.api.routers.plans:router"),
    ("", "nongthon.api.routers.ocop:router"),
    ("", "nongthon.api.routers.ocop:public_router"),
    ("", "nongthon.api.routers.funding:router"),
    ("", "nongthon.api.routers.reporting:router"),
]


def _load(target: str):
    module, _sep, name = target.partition(":")
    return getattr(import_module(module), name)


def build() -> NinjaAPI:
    api = NinjaAPI(
        title="nongthon API",
        version="1",
        description=DESCRIPTION,
        auth=AUTH,
        urls_namespace="api-v1",
        openapi_extra={
            "tags": [{"name": n, "description": f"{vi} / {en}"} for n, vi, en in TAGS],
        },
    )
    errors.install(api)
    for prefix, target in ROUTERS:
        api.add_router(prefix, _load(target))
    return api


api = build()
