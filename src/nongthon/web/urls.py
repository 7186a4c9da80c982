"""Dashboards and the map (namespace "web"); the home page itself is in the project's urls."""

from django.urls import path

from nongthon.web import dashboard_views, map_views, national_views

app_name = "web"
urlpatterns = [
    path("tong-quan/ca-nuoc/", national_views.national_dashboard, name="national"),
    path("tong-quan/ca-nuoc/ca-nuoc.xlsx", national_views.national_workbook, name="national_xlsx"),
    path("tong-quan/<int:unit_pk>/", dashboard_views.unit_dashboard, name="dashboard"),
    path("tong-quan/<int:unit_pk>/tong-quan.xlsx", dashboard_views.workbook, name="workbook"),
    path(
        "tong-quan/<int:unit_pk>/<slug:key>.csv", dashboard_views.chart_download, name="chart_csv"
    ),
    path("ban-do/ranh-gioi/", map_views.boundary_files, name="boundaries"),
    path("ban-do/<int:unit_pk>/", map_views.commune_map, name="map"),
    path("ban-do/<int:unit_pk>/du-lieu.json", map_views.map_data, name="map_data"),
]
