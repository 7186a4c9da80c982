"""Agency pages; included from places/urls.py at /units/agencies/ (namespace "agencies")."""

from django.urls import path

from nongthon.places import agency_views as views

app_name = "agencies"
urlpatterns = [
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("<int:pk>/rename/", views.agency_rename, name="rename"),
    path("<int:pk>/end/", views.agency_end, name="end"),
    path("unit/<int:unit_pk>/add/", views.agency_add, name="add"),
    path("unit/<int:unit_pk>/merge/", views.agency_merge, name="merge"),
]
