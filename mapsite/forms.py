"""Running a service from a page: its ValidationError becomes form errors, never a 500."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def apply_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
