"""Private file storage: uploaded licences, contracts and proofs live outside the web root.

Nothing under MEDIA_ROOT is served by URL; views stream files after a permission check.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Callable storage (Django calls it; migrations refer to it by path)."""
    return FileSystemStorage(location=settings.MEDIA_ROOT, base_url=None)
