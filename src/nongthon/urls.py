from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from nongthon.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("nongthon.places.urls")),
    path("accounts/", include("nongthon.accounts.urls")),
    path("criteria/", include("nongthon.catalogue.urls")),
    path("assessment/", include("nongthon.assessment.urls")),
    path("plans/", include("nongthon.plans.urls")),
    path("ocop/", include("nongthon.ocop.urls")),
    path("recognition/", include("nongthon.recognition.urls")),
    path("funding/", include("nongthon.funding.urls")),
    path("reporting/", include("nongthon.reporting.urls")),
    path("admin/", admin.site.urls),
    path("audit/", include("nongthon.audit.urls")),
    path("ops/", include("nongthon.ops.urls")),
    path("", include("nongthon.web.urls")),
    path("api/", include("nongthon.api.urls")),
]
