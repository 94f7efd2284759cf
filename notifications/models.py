import uuid

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


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ExportJob(models.Model):
    """A table export too large to build in the request, built by the worker
    (``notifications.exports``). ``kind`` names a builder registered by a higher app
    (``dashboards.table``, ``evaluation.table``) and ``params`` its normalised parameters. The
    scope is never stored: the worker re-derives it from ``user``, the requester, exactly as
    the synchronous export does. The file lives in Django's default storage under a
    generated name and is removed ``EXPORT_KEEP_DAYS`` after it is made."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    kind = models.CharField("类型", max_length=64)
    params = models.JSONField("参数", default=dict)
    fmt = models.CharField("格式", max_length=8)
    title = models.CharField("名称", max_length=200)
    filename = models.CharField("下载文件名", max_length=200)
    status = models.CharField("状态", max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField("已写行数", default=0)
    rows_total = models.PositiveIntegerField("总行数", null=True, blank=True)
    file = models.FileField("文件", upload_to="exports/", blank=True, max_length=200)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("保留至", db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_total__isnull=True) | models.Q(rows_done__lte=models.F("rows_total")),
                name="export_rows_done_within_total",
            )
        ]
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)


class ExportJobEvent(models.Model):
    """One status change of an export job (the audit row of ``exports.EXPORT_TRANSITIONS``)."""

    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=ExportStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ExportStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "导出任务状态变更"
        verbose_name_plural = "导出任务状态变更"
