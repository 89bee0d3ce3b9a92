from django.urls import path

from stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("analyser/<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path("analyser/<int:pk>/kvadranter/", views.quadrant_labels_edit, name="quadrant_labels"),
    path("analyser/<int:pk>/interessenter/ny/", views.stakeholder_edit, name="stakeholder_create"),
    path(
        "analyser/<int:pk>/interessenter/<int:stakeholder_pk>/",
        views.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path(
        "analyser/<int:pk>/interessenter/<int:stakeholder_pk>/slett/",
        views.stakeholder_delete,
        name="stakeholder_delete",
    ),
    path("analyser/<int:pk>/aktiviteter/ny/", views.activity_edit, name="activity_create"),
    path(
        "analyser/<int:pk>/aktiviteter/<int:activity_pk>/",
        views.activity_edit,
        name="activity_edit",
    ),
    path(
        "analyser/<int:pk>/aktiviteter/<int:activity_pk>/utfort/",
        views.activity_done,
        name="activity_done",
    ),
    path(
        "analyser/<int:pk>/aktiviteter/<int:activity_pk>/slett/",
        views.activity_delete,
        name="activity_delete",
    ),
    path(
        "analyser/<int:pk>/medvirkning/<int:participation_pk>/",
        views.participation_edit,
        name="participation_edit",
    ),
    path(
        "analyser/<int:pk>/medvirkning/<int:participation_pk>/slett/",
        views.participation_delete,
        name="participation_delete",
    ),
    path(
        "analyser/<int:pk>/medvirkning/ny/", views.participation_create, name="participation_create"
    ),
    path("analyser/<int:pk>/funn/ny/", views.finding_create, name="finding_create"),
    path("analyser/<int:pk>/funn/<int:finding_pk>/", views.finding_edit, name="finding_edit"),
    path(
        "analyser/<int:pk>/funn/<int:finding_pk>/slett/",
        views.finding_delete,
        name="finding_delete",
    ),
    path("analyser/<int:pk>/interessenter.csv", views.register_csv, name="register_csv"),
    path("analyser/<int:pk>/aktiviteter.csv", views.activities_csv, name="activities_csv"),
    path("analyser/<int:pk>/utskrift.pdf", views.analysis_pdf, name="analysis_pdf"),
]

urlpatterns += [
    path("analyser/ny/", views.analysis_create, name="analysis_create"),
]
