"""Under /dashboard/evaluation/ (the page is a tab of the dashboards; its paths are kept)."""

from django.urls import path

from evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rules_save, name="rules_save"),
    path("run/", views.run, name="run"),
    path("<int:pk>/rectified/", views.rectified, name="rectified"),
    path("<int:pk>/suspend/", views.suspend, name="suspend"),
    path("subsidies/grant/", views.subsidies_grant, name="subsidies_grant"),
    path("subsidies/batch/", views.subsidies_batch, name="subsidies_batch"),
    path("<int:pk>/subsidy/cancel/", views.subsidy_cancel, name="subsidy_cancel"),
    path("export.<str:fmt>", views.export, name="export"),
]
