from django.urls import path

from nongthon.recognition import views

app_name = "recognition"
urlpatterns = [
    path("", views.index, name="index"),
    path("unit/<int:unit_pk>/", views.titles, name="titles"),
    path("unit/<int:unit_pk>/conditions/", views.conditions, name="conditions"),
    path("unit/<int:unit_pk>/maintenance/", views.maintenance, name="maintenance"),
    path("unit/<int:unit_pk>/applications/", views.applications, name="applications"),
    path("unit/<int:unit_pk>/merged/", views.merged, name="merged"),
    path("unit/<int:unit_pk>/record/", views.record_past, name="record_past"),
    path("title/<int:pk>/", views.title_detail, name="title"),
    path("title/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("decision/<int:pk>/", views.decision_detail, name="decision"),
    path("application/<int:pk>/", views.application_detail, name="application"),
    path("application/<int:pk>/step/", views.complete_step, name="complete_step"),
    path("application/<int:pk>/document/", views.add_document, name="add_document"),
    path("application/<int:pk>/satisfaction/", views.record_satisfaction, name="satisfaction"),
    path("application/<int:pk>/security/", views.record_security, name="security"),
    path("application/<int:pk>/debt/", views.record_debt, name="debt"),
    path("application/<int:pk>/return/", views.return_application, name="return"),
    path("application/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("application/<int:pk>/decide/", views.decide, name="decide"),
]
