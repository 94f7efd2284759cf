"""Export jobs through the API (``notifications.exports``): the requester's jobs with their
progress, one job, its file, and a new job.

``POST /api/exports/`` takes what the pages' export links take — the kind (``dashboards.table``
with the table's ``key`` and the dashboard filters, ``evaluation.table`` with ``year``), the
format and the parameters — resolved by the kind's own ``resolve`` (bad parameters 400, not
the user's to see 403). Unlike the pages, which stream a small table at once, the API always
records a job for the worker: a client polls ``GET /api/exports/<id>/`` until ``finished``
and then fetches ``download_url``. A job is visible to its requester (and, as on the pages,
to whoever manages the task queue); to anyone else it does not exist (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from mapsite.tables import CONTENT_TYPES
from notifications import exports
from notifications.models import ExportJob, ExportStatus

NOT_FOUND = "没有这个导出任务，或您无权查看。"
NO_FILE = "导出文件尚未生成或已过期。"


class ExportJobSerializer(serializers.ModelSerializer):
    """A job with its progress (the same fields as the job page's status poll)."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    finished = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "params",
            "fmt",
            "title",
            "filename",
            "status",
            "status_label",
            "rows_done",
            "rows_total",
            "percent",
            "finished",
            "download_url",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_finished(self, job: ExportJob) -> bool:
        return job.status in (ExportStatus.DONE, ExportStatus.FAILED)

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != ExportStatus.DONE:
            return None
        return reverse("export-download", args=[job.pk])


class ExportCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=64, help_text="导出类型：dashboards.table 或 evaluation.table")
    fmt = serializers.ChoiceField(choices=sorted(CONTENT_TYPES), help_text="文件格式")
    params = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        default=dict,
        help_text='与页面导出链接相同的参数，如 {"key": "by_region", "region": "640100"} 或 {"year": "2026"}',
    )


@extend_schema_view(
    list=extend_schema(summary="我的导出任务（含进度）"),
    retrieve=extend_schema(
        summary="导出任务的状态与进度",
        responses={200: ExportJobSerializer, 404: OpenApiResponse(description="不存在或无权查看")},
    ),
)
class ExportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's export jobs built by the worker (``/tasks/exports/`` as JSON)."""

    serializer_class = ExportJobSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = "[^/]+"  # any text: an id that is no UUID is a 404, not a 500
    filter_backends: list = []

    def get_queryset(self):
        # The list: the user's own jobs not yet expired (as the page lists them).
        return ExportJob.objects.filter(user=self.request.user, expires_at__gte=timezone.now()).order_by(
            "-created_at", "pk"
        )

    def get_object(self) -> ExportJob:
        job = exports.get_export_for_user(self.request.user, self.kwargs["pk"])
        if job is None:
            raise Http404(NOT_FOUND)
        return job

    @extend_schema(
        summary="提交导出任务（由后台生成文件）",
        request=ExportCreateSerializer,
        responses={
            201: ExportJobSerializer,
            400: OpenApiResponse(description="参数或格式不对（中文说明）"),
            403: OpenApiResponse(description="无权导出这些数据"),
        },
    )
    def create(self, request):
        form = ExportCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            spec = exports.resolve(user=request.user, kind=data["kind"], params=data["params"], fmt=data["fmt"])
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc) or "无权导出这些数据。") from exc
        job = exports.export_queue(user=request.user, kind=data["kind"], spec=spec, fmt=data["fmt"])
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="下载导出文件",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV 文件（附件）"),
            (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY, description="Excel 文件（附件）"),
            404: OpenApiResponse(description="不存在、无权查看、尚未完成或已过期"),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if job.status != ExportStatus.DONE or not job.file.name:
            raise Http404(NO_FILE)
        try:
            return exports.serve_export(job)
        except OSError as exc:  # FileNotFoundError included: removed by expiry meanwhile
            raise Http404(NO_FILE) from exc

    def perform_content_negotiation(self, request, force=False):
        # ``download`` answers the file itself; its 404 body is JSON whatever the client accepts.
        return super().perform_content_negotiation(request, force=force or self.action == "download")
