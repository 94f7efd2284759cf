"""The task queue's pages for the centre and superusers (mounted at /tasks/)."""

from django.urls import path

from notifications import views

app_name = "tasks"
urlpatterns = [
    path("failed/", views.failed_jobs, name="failed_jobs"),
    path("failed/<int:job_id>/retry/", views.failed_job_retry, name="failed_job_retry"),
]
