from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("oversikt/planer/<slug:slug>/", views.plan_dashboard, name="plan_dashboard"),
    path("tiltak/<int:pk>/rediger/", views.measure_edit, name="measure_edit"),
]

urlpatterns += [
    path("oversikt/planer/<slug:slug>/status/", views.bulk_status, name="bulk_status"),
]
