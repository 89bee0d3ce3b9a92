from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("enheter/", views.unit_list, name="unit_list"),
    path("enheter/<slug:slug>/", views.unit_detail, name="unit_detail"),
]
