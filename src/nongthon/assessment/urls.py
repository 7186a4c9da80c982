from django.urls import include, path

app_name = "assessment"
urlpatterns = [
    path("", include("nongthon.assessment.entry_urls")),
    path("excel/", include("nongthon.assessment.excel_urls")),
    path("results/", include("nongthon.assessment.results_urls")),
]
