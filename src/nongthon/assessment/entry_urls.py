"""Included from assessment/urls.py (namespace "assessment"), mounted at /assessment/."""

from django.urls import path

from nongthon.assessment import entry_views as views
from nongthon.assessment import profile_views

urlpatterns = [
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("<int:unit_pk>/<int:year>/<slug:family>/", views.entry_page, name="entry_page"),
    path(
        "<int:unit_pk>/<int:year>/<slug:family>/profile/",
        profile_views.profile_page,
        name="entry_profile",
    ),
    path(
        "<int:unit_pk>/<int:year>/<slug:family>/preview/",
        views.entry_preview,
        name="entry_preview",
    ),
    path(
        "<int:unit_pk>/<int:year>/<slug:family>/evidence/<str:code>/",
        views.evidence_list,
        name="evidence_list",
    ),
]
