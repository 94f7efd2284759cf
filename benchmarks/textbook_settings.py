"""Settings of the benchmark's reference endpoint (benchmarks/textbook_api.py): the product's
settings with a URLconf that mounts only that endpoint. Used by the benchmark's own server
process (DJANGO_SETTINGS_MODULE=benchmarks.textbook_settings); the product never loads it."""

from mapsite.settings import *  # noqa: F403
from mapsite.settings import INSTALLED_APPS

ROOT_URLCONF = "benchmarks.textbook_api"
INSTALLED_APPS = [
    *INSTALLED_APPS,
    *(app for app in ("django_filters", "rest_framework_gis") if app not in INSTALLED_APPS),
]
