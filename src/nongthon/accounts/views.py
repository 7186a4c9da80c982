from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nongthon.accounts import permissions


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    users = permissions.managed_users(request.user).prefetch_related("memberships__unit")
    return render(request, "accounts/user_list.html", {"active": "users", "users": users})
