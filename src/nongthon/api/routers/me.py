"""Who the caller is: the user, their memberships and how they are authenticated."""

from __future__ import annotations

from ninja import Router, Schema

from nongthon.api.common import UnitRef, doc, unit_ref, user_of
from nongthon.api.errors import ERRORS

router = Router(tags=["me"])


class MembershipOut(Schema):
    role: str
    unit: UnitRef
    agency_id: int | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    auth: str
    token_scope: str | None
    memberships: list[MembershipOut]


@router.get(
    "/me",
    response={200: MeOut, **ERRORS},
    **doc(
        "Người gọi API: tài khoản, vai trò và cách xác thực (khóa hay phiên đăng nhập).",
        "The caller: account, roles, and how it authenticated (token or session).",
    ),
)
def me(request):
    user = user_of(request)
    token = getattr(request, "api_token", None)
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "auth": "token" if token else "session",
        "token_scope": token.scope if token else None,
        "memberships": [
            {"role": m.role, "unit": unit_ref(m.unit), "agency_id": m.agency_id}
            for m in user.memberships.select_related("unit").order_by("pk")
        ],
    }
