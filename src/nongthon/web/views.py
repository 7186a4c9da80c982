from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nongthon.accounts import permissions
from nongthon.web.dashboard_views import render_dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's own unit (the widest one), with the user's roles; a user
    without a unit sees the country's dashboard when they run the system, else their roles."""
    units = permissions.dashboard_units(request.user)
    if units:
        return render_dashboard(request, units[0], home=True)
    if permissions.can_view_national_dashboard(request.user):
        return redirect("web:national")
    memberships = request.user.memberships.select_related("unit", "agency").order_by("unit__code")
    return render(request, "web/home.html", {"active": "home", "memberships": memberships})
