from django.urls import path, re_path

from plans import views, views_goals, views_open_data

app_name = "plans"

urlpatterns = [
    path("planer/", views.plan_list, name="plan_list"),
    path("planer/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("planer/<slug:slug>/pdf/", views.plan_pdf, name="plan_pdf"),
    path(
        "planer/<slug:slug>/vedlegg/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("planer/<slug:slug>/versjoner/", views.version_list, name="version_list"),
    path(
        "planer/<slug:slug>/versjoner/sammenlign/",
        views.version_compare,
        name="version_compare",
    ),
    path("planer/<slug:slug>/versjoner/<int:number>/", views.version_detail, name="version_detail"),
    path("planer/<slug:slug>/versjoner/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path(
        "planer/<slug:slug>/versjoner/<int:number>/vedtatt-dokument/",
        views.adopted_document,
        name="adopted_document",
    ),
    path("planer/<slug:slug>/historikk/", views.plan_history, name="plan_history"),
    path("planer/<slug:slug>.json", views_open_data.plan_json, name="plan_json"),
    path("seksjoner/<int:pk>/rediger/", views.section_edit, name="section_edit"),
    path("arbeid/planer/ny/", views.plan_new, name="plan_new"),
    path("arbeid/planer/<slug:slug>/", views.plan_work, name="plan_work"),
    path(
        "arbeid/planer/<slug:slug>/steg/<int:step_pk>/",
        views.plan_step_progress,
        name="plan_step_progress",
    ),
    path(
        "arbeid/planer/<slug:slug>/steg/<int:step_pk>/endre/",
        views.plan_step_edit,
        name="plan_step_edit",
    ),
    path("arbeid/planer/<slug:slug>/innhold/", views.plan_content, name="plan_content"),
    path("arbeid/planer/<slug:slug>/kapitler/ny/", views.section_create, name="section_create"),
    path("arbeid/planer/<slug:slug>/mal/ny/", views_goals.goal_create, name="goal_create"),
    path("arbeid/planer/<slug:slug>/mal/<int:pk>/", views_goals.goal_update, name="goal_update"),
    path(
        "arbeid/planer/<slug:slug>/mal/<int:pk>/slett/",
        views_goals.goal_delete,
        name="goal_delete",
    ),
    path("arbeid/planer/<slug:slug>/mal/<int:pk>/flytt/", views_goals.goal_move, name="goal_move"),
    path(
        "arbeid/planer/<slug:slug>/kapitler/<int:pk>/",
        views.section_update,
        name="section_update",
    ),
    path(
        "arbeid/planer/<slug:slug>/kapitler/<int:pk>/slett/",
        views.section_delete,
        name="section_delete",
    ),
    path(
        "arbeid/planer/<slug:slug>/kapitler/<int:pk>/flytt/",
        views.section_move,
        name="section_move",
    ),
    path(
        "arbeid/planer/<slug:slug>/vedlegg/ny/",
        views.attachment_create,
        name="attachment_create",
    ),
    path(
        "arbeid/planer/<slug:slug>/vedlegg/<int:pk>/slett/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("arbeid/planer/<slug:slug>/rediger/", views.plan_edit, name="plan_edit"),
    re_path(
        r"^arbeid/planer/(?P<slug>[-a-zA-Z0-9_]+)/(?P<move>horing|vedtak|revisjon|utgaatt)/$",
        views.plan_move,
        name="plan_move",
    ),
    path("planer/<slug:slug>/tiltak.csv", views_open_data.plan_measures_csv, name="plan_csv"),
]
