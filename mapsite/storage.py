"""Private file storage: uploaded licences, contracts and proofs live outside the web root.

Nothing under MEDIA_ROOT is served by URL; views stream files after a permission check.
"""

from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Callable storage (Django calls it; migrations refer to it by path).

    No explicit location: FileSystemStorage then follows settings.MEDIA_ROOT, including
    overrides in tests. MEDIA_URL is never routed, so ``.url`` leads nowhere."""
    return FileSystemStorage()
