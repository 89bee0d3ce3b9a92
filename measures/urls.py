from django.urls import path

from measures import views

app_name = "followup"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("oversikt/planer/<slug:slug>/", views.plan_dashboard, name="plan_dashboard"),
    path("tiltak/<int:pk>/rediger/", views.measure_edit, name="measure_edit"),
    path("seksjoner/<int:pk>/rediger/", views.section_edit, name="section_edit"),
]
