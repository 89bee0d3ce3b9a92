from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("planer/", views.plan_list, name="plan_list"),
    path("planer/<slug:slug>/", views.plan_detail, name="plan_detail"),
]
