"""``STORAGE_URL`` → ``STORAGES["default"]``: where user files live (uploads, generated PDFs,
exports), chosen by a setting so that several web machines can share them.

- unset (the default): the local file system under ``MEDIA_ROOT`` (one machine, or a folder
  every machine mounts);
- ``s3://BUCKET/PREFIX?endpoint_url=https://host:9000&region=cn-northwest-1&addressing_style=path``:
  any S3-compatible object store (AWS S3, MinIO, Ceph RGW, the Chinese clouds' S3 APIs)
  through django-storages. Credentials: ``s3://KEY:SECRET@BUCKET/…`` (percent-encoded) or
  boto3's own environment (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, an instance role).

Files stay private either way: objects get the ``private`` ACL, nothing is ever linked by
URL (MEDIA_URL is not routed), and every download streams through a view that checks
permissions (mapsite.uploads.serve). This module is read by the settings: Django-free.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
S3_QUERY_OPTIONS = {
    "endpoint_url": "endpoint_url",
    "region": "region_name",
    "addressing_style": "addressing_style",
    "signature_version": "signature_version",
}


def default_storage_from_url(url: str) -> dict:
    """The ``STORAGES["default"]`` entry for ``url`` (empty: the local file system)."""
    if not url:
        return {"BACKEND": FILESYSTEM}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(f"STORAGE_URL={url!r}: use s3://BUCKET/PREFIX?endpoint_url=… or leave it unset.")
    if not parts.hostname:
        raise ImproperlyConfigured("STORAGE_URL names no bucket: s3://BUCKET/PREFIX.")
    options = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "default_acl": "private",
        "querystring_auth": True,
        # Our names are random (mapsite.uploads.generated_name); never overwrite anyway.
        "file_overwrite": False,
    }
    for key, values in parse_qs(parts.query).items():
        if key not in S3_QUERY_OPTIONS:
            raise ImproperlyConfigured(f"STORAGE_URL: unknown option {key!r} (known: {', '.join(S3_QUERY_OPTIONS)}).")
        options[S3_QUERY_OPTIONS[key]] = values[-1]
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    return {"BACKEND": S3, "OPTIONS": options}
