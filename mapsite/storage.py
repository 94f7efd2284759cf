"""Private file storage: uploaded licences, contracts and proofs never have a public URL.

Nothing stored is served by URL; views stream files after a permission check.
"""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Callable storage (Django calls it; migrations refer to it by path): the deployment's
    ``STORAGES["default"]`` — the local MEDIA_ROOT, or an S3-compatible bucket when
    STORAGE_URL is set (mapsite.storage_url).

    The local backend has no explicit location, so it follows settings.MEDIA_ROOT, including
    overrides in tests. MEDIA_URL is never routed, so ``.url`` leads nowhere."""
    return storages["default"]
