"""The task queue's pages (mounted at /tasks/): failed jobs for the centre and superusers;
each user's exports built by the worker."""

from django.urls import path

from notifications import views

app_name = "tasks"
urlpatterns = [
    path("failed/", views.failed_jobs, name="failed_jobs"),
    path("failed/<int:job_id>/retry/", views.failed_job_retry, name="failed_job_retry"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<uuid:pk>/", views.export_detail, name="export"),
    path("exports/<uuid:pk>/status/", views.export_status, name="export_status"),
    path("exports/<uuid:pk>/download/", views.export_download, name="export_download"),
]
