"""API plumbing shared by every app: error shape and the root router."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mapsite.errors import BadInput


def validation_payload(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        payload = {}
        for field, errors in exc.message_dict.items():
            key = "detail" if field == "__all__" else field
            payload[key] = errors if key != "detail" else "；".join(errors)
        return payload
    return {"detail": "；".join(exc.messages)}


def wait_message(wait: float | None) -> str:
    """The Chinese 429 message (DRF's own names the wait in English)."""
    seconds = max(1, int(wait or 1))
    when = f"{seconds} 秒" if seconds < 120 else f"{(seconds + 59) // 60} 分钟"
    return f"请求过于频繁，请 {when}后再试。"


def exception_handler(exc, context):
    """Services raise Django's ValidationError for broken business rules and a ``BadInput``
    (e.g. geodata's CoordinateError) for bad parameters; both are the client's fault, so both
    become HTTP 400 JSON. A missing object is a 404 with a Chinese message."""
    if isinstance(exc, DjangoValidationError):
        return Response(validation_payload(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, BadInput):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Throttled):
        exc.detail = wait_message(exc.wait)
    if isinstance(exc, Http404):
        # get_object_or_404's message is English and names the model ("No Contract matches
        # the given query."); clients get the same Chinese answer for every missing object.
        # A message of our own (Chinese, e.g. "尚未上传证明文件。") is kept.
        message = str(exc)
        own = any("\u4e00" <= ch <= "\u9fff" for ch in message)
        return Response({"detail": message if own else "未找到。"}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, except that a read-only field keeps the model's ``blank``.

    DRF drops ``allow_blank`` from read-only fields, so a field with choices and blank=True is
    documented as an enum without "" — and every response holding "" breaks the schema.
    Keeping it lets drf-spectacular add the blank choice (its BlankEnum)."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        allow_blank = kwargs.get("allow_blank")
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs
