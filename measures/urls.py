from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("oversikt/planer/<slug:slug>/", views.plan_dashboard, name="plan_dashboard"),
    path("tiltak/<int:pk>/rediger/", views.measure_edit, name="measure_edit"),
    path(
        "arbeid/planer/<slug:slug>/innsatsomrader/ny/",
        views.focus_area_create,
        name="focus_area_create",
    ),
    path(
        "arbeid/planer/<slug:slug>/innsatsomrader/<int:pk>/",
        views.focus_area_update,
        name="focus_area_update",
    ),
    path(
        "arbeid/planer/<slug:slug>/innsatsomrader/<int:pk>/slett/",
        views.focus_area_delete,
        name="focus_area_delete",
    ),
    path(
        "arbeid/planer/<slug:slug>/innsatsomrader/<int:pk>/flytt/",
        views.focus_area_move,
        name="focus_area_move",
    ),
    path(
        "arbeid/planer/<slug:slug>/innsatsomrader/<int:area_pk>/tiltak/ny/",
        views.measure_create,
        name="measure_create",
    ),
    path("arbeid/planer/<slug:slug>/tiltak/<int:pk>/", views.measure_update, name="measure_update"),
    path(
        "arbeid/planer/<slug:slug>/tiltak/<int:pk>/slett/",
        views.measure_delete,
        name="measure_delete",
    ),
    path(
        "arbeid/planer/<slug:slug>/tiltak/<int:pk>/flytt/", views.measure_move, name="measure_move"
    ),
]

urlpatterns += [
    path("oversikt/planer/<slug:slug>/status/", views.bulk_status, name="bulk_status"),
]
