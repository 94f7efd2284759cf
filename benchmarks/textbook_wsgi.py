"""WSGI entry of the benchmark's reference endpoint (plain Django, no fast path)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.textbook_settings"
application = get_wsgi_application()
