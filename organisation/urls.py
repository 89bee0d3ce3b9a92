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
]
