from django.urls import path

from nongthon.plans import status_views, views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/<int:unit_pk>/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/targets/new/", views.target_create, name="target_create"),
    path("<int:pk>/funds/new/", views.fund_create, name="fund_create"),
    path("funds/<int:pk>/edit/", views.fund_edit, name="fund_edit"),
    path("funds/<int:pk>/delete/", views.fund_delete, name="fund_delete"),
    path("<int:pk>/plan.docx", views.plan_docx, name="plan_docx"),
    path("<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("directives/new/<int:unit_pk>/", views.directive_create, name="directive_create"),
    path("directives/<int:pk>/", views.directive_detail, name="directive"),
    path("<str:kind>/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("<str:kind>/<int:pk>/tasks/import/", views.task_import_view, name="task_import"),
    path("<str:kind>/<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task_reopen"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task_cancel"),
    path("notes/<int:pk>/evidence/", views.note_evidence, name="note_evidence"),
    path("agency/<int:pk>/", views.agency_tasks, name="agency"),
    path("office/<int:unit_pk>/", views.office, name="office"),
    path("statuses/<int:commune_pk>/<int:year>/", views.statuses, name="statuses"),
    path("appendix-template.xlsx", views.appendix_template, name="appendix_template"),
    path(
        "statuses/<str:what>/<int:unit_pk>/<int:year>/",
        status_views.status_list,
        name="status_list",
    ),
    path(
        "statuses/<str:what>/<int:unit_pk>/<int:year>/new/",
        status_views.status_add,
        name="status_add",
    ),
    path("statuses/<str:what>/record/<int:pk>/edit/", status_views.status_edit, name="status_edit"),
    path(
        "statuses/<str:what>/record/<int:pk>/delete/",
        status_views.status_delete,
        name="status_delete",
    ),
]
