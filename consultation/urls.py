from django.urls import path

from consultation import views

app_name = "consultation"

urlpatterns = [
    path("planer/<slug:slug>/horing/", views.consultation_page, name="page"),
    path("planer/<slug:slug>/horing/kvittering/", views.receipt, name="receipt"),
    path("planer/<slug:slug>/horing/pdf/", views.draft_pdf, name="draft_pdf"),
    path("planer/<slug:slug>/horing/utkast/", views.draft_page, name="draft_page"),
    path(
        "arbeid/planer/<slug:slug>/horingsinnspill/",
        views.response_list,
        name="response_list",
    ),
    path(
        "arbeid/planer/<slug:slug>/horingsinnspill/invitasjoner/",
        views.invitations,
        name="invitations",
    ),
    path(
        "arbeid/planer/<slug:slug>/horingsinnspill/<int:pk>/",
        views.response_handle,
        name="response_handle",
    ),
    path(
        "arbeid/planer/<slug:slug>/horingsinnspill/<int:pk>/slett/",
        views.response_erase,
        name="response_erase",
    ),
    path(
        "arbeid/planer/<slug:slug>/horingsinnspill/<int:pk>/vedlegg/",
        views.response_attachment,
        name="response_attachment",
    ),
]
