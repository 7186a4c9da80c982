from django.urls import path

from nongthon.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:unit_pk>/", views.unit_page, name="unit"),
    path("agency/<int:agency_pk>/", views.agency_page, name="agency"),
    path("periods/<int:period_pk>/open/<int:unit_pk>/", views.open_report, name="open"),
    path("submissions/<int:pk>/", views.submission_page, name="submission"),
    path("submissions/<int:pk>/report.docx", views.submission_docx, name="submission_docx"),
    path("<int:unit_pk>/<int:year>/grid/", views.grid_page, name="grid"),
    path("<int:unit_pk>/missing/", views.missing_page, name="missing"),
    path(
        "<int:unit_pk>/<int:year>/<slug:frequency>/<int:number>/",
        views.compiled_page,
        name="compiled",
    ),
    path("<int:province_pk>/schedule/", views.schedule_page, name="schedule"),
    path("<int:province_pk>/schedule/rules/<slug:code>/", views.rule_page, name="rule"),
    path("<int:province_pk>/adhoc/new/", views.adhoc_page, name="adhoc_new"),
]
