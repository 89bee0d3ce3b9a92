from django.urls import path

from results import views

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
]
