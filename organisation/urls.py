from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("enheter/", views.unit_list, name="unit_list"),
    path("enheter/<slug:slug>/", views.unit_detail, name="unit_detail"),
    path("arbeid/grupper/<slug:slug>/", views.group_detail, name="group_detail"),
    path(
        "arbeid/grupper/<slug:slug>/mandat/<int:item_pk>/status/",
        views.mandate_item_status,
        name="mandate_item_status",
    ),
    path("arbeid/personer/", views.person_list, name="person_list"),
    path("arbeid/personer/ny/", views.person_add, name="person_add"),
    path("arbeid/personer/<int:pk>/", views.person_change, name="person_change"),
    path(
        "arbeid/personer/<int:pk>/deaktiver/",
        views.person_set_active,
        {"active": False},
        name="person_deactivate",
    ),
    path(
        "arbeid/personer/<int:pk>/aktiver/",
        views.person_set_active,
        {"active": True},
        name="person_activate",
    ),
]
