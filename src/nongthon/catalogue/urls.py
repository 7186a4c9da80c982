from django.urls import path

from nongthon.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.set_list, name="sets"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.set_detail, name="set"),
    path("<int:pk>/refine/", views.refine, name="refine"),
    path("<int:pk>/threshold/", views.threshold_edit, name="threshold"),
    path("<int:pk>/threshold/remove/", views.threshold_remove, name="threshold_remove"),
    path("<int:pk>/indicator/", views.indicator_add, name="indicator_add"),
    path(
        "responsibility/<int:province_pk>/<slug:family>/",
        views.responsibility,
        name="responsibility",
    ),
]
