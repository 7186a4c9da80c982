from django.urls import path

from nongthon.ops import views

app_name = "ops"

urlpatterns = [
    path("jobs/failed/", views.failed_jobs, name="failed_jobs"),
    path("jobs/failed/<int:pk>/rerun/", views.rerun_job, name="rerun_job"),
]
