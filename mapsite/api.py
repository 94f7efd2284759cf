"""API plumbing shared by every app: error shape and the root router."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
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


def exception_handler(exc, context):
    """Services raise Django's ValidationError for broken business rules and a ``BadInput``
    (e.g. geodata's CoordinateError) for bad parameters; both are the client's fault, so both
    become HTTP 400 JSON."""
    if isinstance(exc, DjangoValidationError):
        return Response(validation_payload(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, BadInput):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
