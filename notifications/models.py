from django.conf import settings
from django.db import models


class Notification(models.Model):
    """A message in a user's in-site inbox (站内信); e-mailed (and, if marked, texted) by the
    worker (``notifications.services.notify``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = "通知"
        verbose_name_plural = "通知"

    def __str__(self) -> str:
        return self.title


class TaskFailure(models.Model):
    """One failed attempt of a queued job (procrastinate keeps a job's status and attempts,
    not why it failed): what the dead-letter page shows beside a job that ran out of retries.
    ``job_id`` names a row of ``procrastinate_jobs`` (no foreign key: that table is the
    queue's own, and its old jobs may be deleted while their failures are kept)."""

    job_id = models.BigIntegerField(db_index=True)
    task_name = models.CharField("任务", max_length=128)
    attempt = models.PositiveIntegerField("第几次")
    error = models.TextField("错误")
    failed_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-failed_at", "-id"]
        verbose_name = "任务失败记录"
        verbose_name_plural = "任务失败记录"

    def __str__(self) -> str:
        return f"{self.task_name} #{self.job_id}"
