from django.urls import path

from nongthon.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:unit_pk>/<int:year>/", views.overview, name="overview"),
    path("<int:unit_pk>/<int:year>/lines/new/", views.line_new, name="line_new"),
    path("<int:unit_pk>/works/", views.works, name="works"),
    path("<int:unit_pk>/works/new/", views.work_new, name="work_new"),
    path("works/<int:pk>/", views.work_detail, name="work"),
    path("works/<int:pk>/edit/", views.work_edit, name="work_edit"),
    path("<int:unit_pk>/<int:year>/distance/", views.distance, name="distance"),
    path("<int:unit_pk>/<int:year>/targets/", views.targets, name="targets"),
    path("<int:unit_pk>/<int:year>/needs.xlsx", views.needs, name="needs"),
]
