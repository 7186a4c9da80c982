from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nongthon.accounts import permissions
from nongthon.web.dashboard_views import render_dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's own unit (the widest one), with the user's roles; a user
    without a unit sees their roles only."""
    units = permissions.dashboard_units(request.user)
    if units:
        return render_dashboard(request, units[0], home=True)
    memberships = request.user.memberships.select_related("unit", "agency").order_by("unit__code")
    return render(request, "web/home.html", {"active": "home", "memberships": memberships})
