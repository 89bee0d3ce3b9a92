from django.urls import path

from results import views, views_reports

app_name = "results"

urlpatterns = [
    path("arbeid/planer/<slug:slug>/indikatorer/", views.indicator_list, name="indicator_list"),
    path(
        "arbeid/planer/<slug:slug>/indikatorer/ny/",
        views.indicator_create,
        name="indicator_create",
    ),
    path(
        "arbeid/planer/<slug:slug>/indikatorer/<int:pk>/",
        views.indicator_update,
        name="indicator_update",
    ),
    path(
        "arbeid/planer/<slug:slug>/indikatorer/<int:pk>/slett/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "arbeid/planer/<slug:slug>/indikatorer/<int:pk>/verdier/",
        views.value_create,
        name="value_create",
    ),
    path(
        "arbeid/planer/<slug:slug>/indikatorverdier/<int:pk>/slett/",
        views.value_delete,
        name="value_delete",
    ),
    path(
        "arbeid/planer/<slug:slug>/indikatorer/<int:pk>/import/",
        views.value_import,
        name="value_import",
    ),
    path(
        "arbeid/planer/<slug:slug>/rapporter/",
        views_reports.report_work_list,
        name="report_work_list",
    ),
    path(
        "arbeid/planer/<slug:slug>/rapporter/<int:year>/",
        views_reports.report_edit,
        name="report_edit",
    ),
    path(
        "arbeid/planer/<slug:slug>/rapporter/<int:year>/ferdigstill/",
        views_reports.report_finalise,
        name="report_finalise",
    ),
    path(
        "arbeid/planer/<slug:slug>/rapporter/<int:year>/slett/",
        views_reports.report_delete,
        name="report_delete",
    ),
    path("planer/<slug:slug>/rapporter/", views_reports.report_list, name="report_list"),
    path(
        "planer/<slug:slug>/rapporter/<int:year>/",
        views_reports.report_detail,
        name="report_detail",
    ),
    path(
        "planer/<slug:slug>/rapporter/<int:year>/pdf/",
        views_reports.report_pdf,
        name="report_pdf",
    ),
]
