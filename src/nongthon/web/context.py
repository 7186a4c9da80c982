"""Navigation shared by every page: the modules a user may open."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nongthon.accounts import permissions


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_menu": []}
    ntm = [
        {"url": reverse("catalogue:sets"), "label": _("Bộ tiêu chí"), "key": "criteria"},
        {
            "url": reverse("assessment:results_index"),
            "label": _("Kết quả đánh giá"),
            "key": "results",
        },
        {"url": reverse("recognition:index"), "label": _("Công nhận"), "key": "recognition"},
    ]
    if permissions.confirming_agencies(user):
        ntm.append(
            {
                "url": reverse("assessment:confirm_queue"),
                "label": _("Xác nhận tiêu chí"),
                "key": "confirm",
            }
        )
    admin = []
    if permissions.can_manage_users(user):
        admin.append({"url": reverse("accounts:users"), "label": _("Người dùng"), "key": "users"})
    if permissions.can_view_any_history(user):
        admin.append(
            {"url": reverse("places:history"), "label": _("Lịch sử thay đổi"), "key": "history"}
        )
    if permissions.can_view_audit_log(user):
        admin.append({"url": reverse("audit:log"), "label": _("Nhật ký hệ thống"), "key": "audit"})
    if permissions.can_view_failed_jobs(user):
        admin.append(
            {
                "url": reverse("ops:failed_jobs"),
                "label": _("Công việc nền bị lỗi"),
                "key": "failed_jobs",
            }
        )
    if permissions.can_manage_boundaries(user):
        admin.append(
            {"url": reverse("web:boundaries"), "label": _("Ranh giới xã"), "key": "boundaries"}
        )
    overview: dict = {"url": reverse("home"), "label": _("Tổng quan"), "key": "home"}
    if permissions.can_view_national_dashboard(user):
        own = {"url": reverse("home"), "label": _("Đơn vị của tôi"), "key": "home"}
        country = {"url": reverse("web:national"), "label": _("Toàn quốc"), "key": "national"}
        overview = {"label": _("Tổng quan"), "key": "overview", "children": [own, country]}
    # Related pages share a drop-down so the bar fits one line on a laptop screen.
    items = [
        overview,
        {"label": _("Xây dựng NTM"), "key": "ntm", "children": ntm},
        {"url": reverse("plans:index"), "label": _("Kế hoạch, nhiệm vụ"), "key": "plans"},
        {"url": reverse("ocop:products"), "label": _("OCOP"), "key": "ocop"},
        {"url": reverse("funding:index"), "label": _("Nguồn vốn"), "key": "funding"},
        {"url": reverse("reporting:index"), "label": _("Báo cáo"), "key": "reporting"},
        {"url": reverse("places:browse"), "label": _("Đơn vị hành chính"), "key": "places"},
    ]
    if admin:
        items.append({"label": _("Quản trị"), "key": "admin", "children": admin})
    for item in items:
        item["child_keys"] = [child["key"] for child in item.get("children", [])]
    # The menu under the user's name: pages about the account itself.
    user_menu = [
        {"url": reverse("api_tokens"), "label": _("Khóa truy cập API"), "key": "api_tokens"},
    ]
    return {"nav_items": items, "user_menu": user_menu}
