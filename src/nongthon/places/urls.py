from django.urls import include, path

from nongthon.places import views

app_name = "places"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("<int:pk>/", views.unit_detail, name="unit"),
    path("<int:pk>/history/", views.unit_history, name="unit_history"),
    path("history/", views.history, name="history"),
    path("hamlets/", include("nongthon.places.hamlet_urls")),
    path("agencies/", include("nongthon.places.agency_urls")),
]
