from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's own units and roles; later modules add their dashboard here."""
    memberships = request.user.memberships.select_related("unit", "agency").order_by("unit__code")
    return render(request, "web/home.html", {"active": "home", "memberships": memberships})
