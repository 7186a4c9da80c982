"""Navigation shared by every page: the modules a user may open."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nongthon.accounts import permissions


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"url": reverse("home"), "label": _("Tổng quan"), "key": "home"},
        {"url": reverse("places:browse"), "label": _("Đơn vị hành chính"), "key": "places"},
        {"url": reverse("catalogue:sets"), "label": _("Bộ tiêu chí"), "key": "criteria"},
        {
            "url": reverse("assessment:results_index"),
            "label": _("Kết quả đánh giá"),
            "key": "results",
        },
        {"url": reverse("recognition:index"), "label": _("Công nhận"), "key": "recognition"},
        {"url": reverse("plans:index"), "label": _("Kế hoạch, nhiệm vụ"), "key": "plans"},
        {"url": reverse("ocop:products"), "label": _("OCOP"), "key": "ocop"},
        {"url": reverse("funding:index"), "label": _("Nguồn vốn"), "key": "funding"},
    ]
    if permissions.confirming_agencies(user):
        items.append(
            {
                "url": reverse("assessment:confirm_queue"),
                "label": _("Xác nhận tiêu chí"),
                "key": "confirm",
            }
        )
    if permissions.can_manage_users(user):
        items.append({"url": reverse("accounts:users"), "label": _("Người dùng"), "key": "users"})
    if permissions.can_view_any_history(user):
        items.append(
            {"url": reverse("places:history"), "label": _("Lịch sử thay đổi"), "key": "history"}
        )
    return {"nav_items": items}
