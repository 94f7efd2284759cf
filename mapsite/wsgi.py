"""WSGI entry point: Django behind the fast path for the map search (see mapsite.fastpath)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapsite.settings")
django_application = get_wsgi_application()

from catalog.map_endpoint import search_answer  # noqa: E402 — needs the apps loaded
from mapsite.fastpath import FastPath  # noqa: E402

application = FastPath(django_application, {"/api/map/search/": search_answer})

# The objects made while loading (modules, settings, URL patterns: a few hundred thousand)
# live as long as the worker: move them out of the collector's sight, so a full collection
# no longer walks them in the middle of a request (it took 0.5 s under load, once in every
# few dashboard pages, and set their p95).
gc.freeze()
