"""Checking uploaded files by their content, not their name.

A renamed executable called ``scan.pdf`` is refused because its first bytes are not a PDF.
Limits follow the voucher guides: PDF ≤ 50 MB, images ≤ 5 MB.
"""

from __future__ import annotations

import filetype
from django.core.exceptions import ValidationError

MB = 1024 * 1024
PDF = "application/pdf"
IMAGE_TYPES = {"image/jpeg", "image/png"}
LIMITS = {PDF: 50 * MB, "image/jpeg": 5 * MB, "image/png": 5 * MB}
EXTENSIONS = {PDF: "pdf", "image/jpeg": "jpg", "image/png": "png"}


def sniff(upload) -> str | None:
    """The MIME type read from the file's first bytes, or None."""
    upload.seek(0)
    head = upload.read(261)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_document(upload, *, allowed: set[str] | None = None) -> str:
    """Validate a PDF or image upload; return its MIME type or raise ValidationError."""
    allowed = allowed or set(LIMITS)
    mime = sniff(upload)
    if mime not in allowed:
        names = "、".join(sorted(EXTENSIONS[m].upper() for m in allowed))
        raise ValidationError(f"文件内容不是允许的类型（{names}）。", code="file_type")
    if upload.size > LIMITS[mime]:
        raise ValidationError(
            f"文件过大：{EXTENSIONS[mime].upper()} 不得超过 {LIMITS[mime] // MB} MB。",
            code="file_size",
        )
    return mime
