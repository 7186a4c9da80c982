from django.urls import path

from nongthon.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.csv", views.export_csv, name="export_csv"),
]
