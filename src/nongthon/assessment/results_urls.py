"""Included from assessment/urls.py (namespace "assessment"), mounted at /assessment/results/."""

from django.urls import path

from nongthon.assessment import results_views as views

urlpatterns = [
    path("", views.index, name="results_index"),
    path("unit/<int:unit_pk>/<int:year>/<slug:family>/", views.scorecard, name="results_scorecard"),
    path(
        "unit/<int:unit_pk>/<int:year>/<slug:family>/history/<str:code>/",
        views.value_history,
        name="results_value_history",
    ),
    path("matrix/<int:unit_pk>/<int:year>/<slug:family>/", views.matrix, name="results_matrix"),
    path("list/<int:unit_pk>/<int:year>/<slug:family>/", views.figure_list, name="results_list"),
    path("confirm/", views.confirm_queue, name="confirm_queue"),
    path(
        "confirm/<int:unit_pk>/<int:year>/<slug:family>/<int:number>/",
        views.confirm_decide,
        name="confirm_decide",
    ),
]
