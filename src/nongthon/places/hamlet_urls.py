"""Hamlet pages (owned by the hamlets feature); included from places/urls.py at /units/hamlets/."""

from django.urls import path

from nongthon.places import hamlet_views

app_name = "hamlets"
urlpatterns = [
    path("commune/<int:commune_pk>/add/", hamlet_views.create, name="create"),
    path("<int:pk>/", hamlet_views.detail, name="detail"),
    path("<int:pk>/edit/", hamlet_views.edit, name="edit"),
    path("<int:pk>/retire/", hamlet_views.retire, name="retire"),
    path("<int:pk>/restore/", hamlet_views.restore, name="restore"),
    path("import/<int:unit_pk>/", hamlet_views.import_file, name="import"),
    path("import/<int:unit_pk>/template.xlsx", hamlet_views.import_template, name="template"),
]
