from django.contrib import admin

from notifications.models import ExportJob, Notification, TaskFailure


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "read_at")
    list_select_related = ("user",)
    search_fields = ("title", "user__username")


# The queue's jobs are in procrastinate's own admin ("Procrastinate" › jobs: filter by status
# failed, action "Retry Job"); this lists why each attempt failed.
@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    list_display = ("job_id", "task_name", "attempt", "failed_at", "error")
    list_filter = ("task_name",)
    search_fields = ("=job_id", "error")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by the export views and moved by the worker."""

    list_display = ("title", "user", "fmt", "status", "rows_done", "rows_total", "created_at", "expires_at")
    list_filter = ("status", "kind", "fmt")
    list_select_related = ("user",)
    search_fields = ("title", "user__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
