"""Included from assessment/urls.py (namespace "assessment"), mounted at /assessment/excel/."""

from django.urls import path

from nongthon.assessment import excel_views

urlpatterns = [
    path("<int:unit_pk>/", excel_views.choose, name="excel_choose"),
    path("<int:unit_pk>/<int:year>/<slug:family>/", excel_views.page, name="excel_page"),
    path(
        "<int:unit_pk>/<int:year>/<slug:family>/mau.xlsx",
        excel_views.template,
        name="excel_template",
    ),
]
