"""The one upload service: every file a user sends goes in and comes out through here.

On the way in (`check`, then `store` or `rename`):

- the type is read from the bytes, never from the name or the browser's Content-Type, and must
  be on the allow-list of the field's kind (`DOCUMENT`: PDF, JPEG, PNG; `PHOTO`: JPEG, PNG);
- a size limit per type (the voucher guides: PDF ≤ 50 MB, images ≤ 5 MB);
- images are opened with Pillow: a file that does not decode, or declares more pixels than
  `MAX_PIXELS` (a decompression bomb: a 2 MB PNG can declare 50,000 × 50,000 px), is refused;
- PDFs get a bounded parse: it must look like a PDF (header and trailer), carry no script or
  launch action, and all its compressed streams together may inflate to at most
  `PDF_MAX_INFLATED` bytes — each stream is inflated with a cap, so the check itself never
  holds more than that in memory;
- the file is stored under a name we generate (`<32 hex>.<ext of the sniffed type>`), so the
  uploader's name (``licence.html``, ``../../etc/passwd``) never reaches the disk.

On the way out (`serve`): the type is sniffed again from the stored bytes; only a known-safe
image or PDF is shown inline, anything else is an attachment of type
application/octet-stream; every response carries ``X-Content-Type-Options: nosniff``, a
restrictive Content-Security-Policy and ``Cache-Control: private, no-store``.

This module is part of the kernel: it imports none of our apps.
"""

from __future__ import annotations

import re
import uuid
import warnings
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from PIL import Image

MB = 1024 * 1024
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
LIMITS = {PDF: 50 * MB, JPEG: 5 * MB, PNG: 5 * MB}

# 40 megapixels: an A4 page scanned at 600 dpi is ≈ 35 MP; a phone photo 12–50 MP. Pillow's own
# guard (MAX_IMAGE_PIXELS, default ≈ 89 MP) only warns below twice its limit, so we check the
# declared size ourselves before decoding anything.
MAX_PIXELS = 40_000_000
# What all of a PDF's compressed streams may inflate to, together. A scanned 50 MB PDF holds
# JPEG (DCTDecode) images, which we do not inflate; Flate streams of text and vector pages
# rarely exceed a few MB.
PDF_MAX_INFLATED = 100 * MB
PDF_MAX_STREAMS = 20_000
# Names in a PDF that run something when the file is opened. A scanned licence has none.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
PDF_STREAM = re.compile(rb"stream\r?\n")

SAFE_INLINE = {PDF, JPEG, PNG}
CSP_IMAGE = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
# Chromium's PDF viewer does not run in a sandboxed document, so PDFs get no `sandbox`; with
# nosniff and the PDF type they are never parsed as HTML, and `default-src 'none'` forbids
# anything a viewer might fetch.
CSP_PDF = "default-src 'none'; frame-ancestors 'self'"
CSP_ATTACHMENT = "default-src 'none'; sandbox"


@dataclass(frozen=True)
class Kind:
    """What one upload field accepts."""

    label: str
    types: frozenset[str]


DOCUMENT = Kind("PDF 或 JPG/PNG 图片", frozenset({PDF, JPEG, PNG}))
PHOTO = Kind("JPG/PNG 图片", frozenset({JPEG, PNG}))


def sniff_bytes(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind else None


def sniff(upload) -> str | None:
    """The MIME type read from the file's first bytes, or None."""
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    return sniff_bytes(head)


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _check_image(upload) -> None:
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    _refuse(
                        f"图片像素过多（{width}×{height}），不得超过 {MAX_PIXELS // 1_000_000} 百万像素。",
                        "image_pixels",
                    )
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(f"图片像素过多，不得超过 {MAX_PIXELS // 1_000_000} 百万像素。", "image_pixels")
    except Exception:  # noqa: BLE001 — any decoder error means "not a usable image"
        _refuse("图片文件已损坏或不是有效的图片。", "image_broken")
    finally:
        upload.seek(0)


def _check_pdf(upload) -> None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        _refuse("PDF 文件不完整或已损坏。", "pdf_broken")
    if PDF_ACTIVE.search(data):
        _refuse("PDF 文件含有脚本或可执行内容，请上传扫描件或普通 PDF。", "pdf_active")
    inflated = 0
    streams = 0
    for match in PDF_STREAM.finditer(data):
        streams += 1
        if streams > PDF_MAX_STREAMS:
            _refuse("PDF 文件结构过于复杂。", "pdf_complex")
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        dictionary = data[max(0, match.start() - 512) : match.start()]
        if b"FlateDecode" not in dictionary.rsplit(b"<<", 1)[-1]:
            continue
        inflater = zlib.decompressobj()
        try:
            # Cap each inflate at what is still allowed; unconsumed_tail non-empty = over.
            out = inflater.decompress(data[start:end], PDF_MAX_INFLATED - inflated + 1)
        except zlib.error:
            continue  # a damaged stream inflates to nothing; viewers skip it too
        inflated += len(out)
        if inflated > PDF_MAX_INFLATED or inflater.unconsumed_tail:
            _refuse(
                f"PDF 文件解压后过大（超过 {PDF_MAX_INFLATED // MB} MB），请压缩或拆分后上传。",
                "pdf_inflated",
            )


def check(upload, *, kind: Kind = DOCUMENT) -> str:
    """Validate an upload for a field of `kind`; return its sniffed MIME type.

    Raises ValidationError with a Chinese message, and reads nothing beyond the limits."""
    if upload is None:
        _refuse("请选择要上传的文件。", "file_missing")
    limit = max(LIMITS[t] for t in kind.types)
    if upload.size > limit:
        _refuse(f"文件过大：不得超过 {limit // MB} MB。", "file_size")
    if upload.size == 0:
        _refuse("文件是空的。", "file_empty")
    mime = sniff(upload)
    if mime not in kind.types:
        _refuse(f"文件内容不是允许的类型（{kind.label}）。", "file_type")
    if upload.size > LIMITS[mime]:
        _refuse(f"文件过大：{EXTENSIONS[mime].upper()} 不得超过 {LIMITS[mime] // MB} MB。", "file_size")
    if mime == PDF:
        _check_pdf(upload)
    else:
        _check_image(upload)
    return mime


def generated_name(mime: str) -> str:
    """Our name for a stored file: random, with the extension of the sniffed type."""
    return f"{uuid.uuid4().hex}.{EXTENSIONS[mime]}"


def rename(upload, mime: str):
    """Give `upload` our generated name before it is assigned to a FileField."""
    upload.name = generated_name(mime)
    return upload


def store(field_file, instance, upload, mime: str) -> str:
    """Save `upload` in the field's storage and folder under a generated name; return the name.

    The caller assigns the returned name to the field inside its transaction (and deletes the
    file again if that transaction fails)."""
    field = field_file.field
    return field_file.storage.save(field.generate_filename(instance, generated_name(mime)), upload)


def is_generated(name: str) -> bool:
    return re.fullmatch(r"[0-9a-f]{32}\.(pdf|jpg|png|bin)", PurePath(name).name) is not None


def serve(field_file, *, download_name: str = "") -> FileResponse:
    """Stream a stored upload with the type sniffed from its bytes (see the module docstring).

    `download_name` is the file name offered to the browser, without extension: the extension
    of the sniffed type is added."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    mime = sniff_bytes(handle.read(262))
    handle.seek(0)
    inline = mime in SAFE_INLINE
    extension = EXTENSIONS.get(mime, "bin") if inline else "bin"
    stem = PurePath(download_name).stem if download_name else PurePath(field_file.name).stem
    response = FileResponse(
        handle,
        content_type=mime if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=f"{stem}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CSP_PDF if mime == PDF else CSP_IMAGE if inline else CSP_ATTACHMENT
    return response


def rename_stored(model, field_name: str) -> int:
    """Move every file of `model.field_name` that is still stored under its uploader's name to
    a generated one (used by the data migration that carries earlier releases' files).

    The new extension follows the bytes (``.bin`` when they are none of our types). A file
    missing from storage is left alone. Returns how many files were moved."""
    moved = 0
    for pk, name in model.objects.exclude(**{field_name: ""}).values_list("pk", field_name):
        if not name or is_generated(name):
            continue
        storage = model._meta.get_field(field_name).storage
        try:
            with storage.open(name, "rb") as handle:
                mime = sniff_bytes(handle.read(262))
                handle.seek(0)
                folder = PurePath(name).parent
                new = storage.save(str(folder / f"{uuid.uuid4().hex}.{EXTENSIONS.get(mime, 'bin')}"), handle)
        except (FileNotFoundError, OSError):
            continue
        model.objects.filter(pk=pk).update(**{field_name: new})
        storage.delete(name)
        moved += 1
    return moved
