"""Settings for the Ningxia innovation map and voucher platform.

Every deploy-specific value comes from the environment (see README "Configuration"). A
malformed value raises ``ImproperlyConfigured``; nothing silently falls back.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from geodata.mapdoc import vendor_static_dirs
from mapsite.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = BASE_DIR / ".state"

DEBUG = env_bool("DJANGO_DEBUG", False)
_DEV_SECRET = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "geodata",
    "workdays",
    "accounts",
    "notifications",
    "catalog",
    "vouchers",
    "evaluation",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mapsite.urls"
WSGI_APPLICATION = "mapsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mapsite.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL wins; otherwise the URL that `make setup` (scripts/ensure_db.sh) wrote to
# .state/database_url. With neither, start-up stops with a message instead of guessing.
_db_url = os.environ.get("DATABASE_URL")
if not _db_url and (STATE_DIR / "database_url").exists():
    _db_url = (STATE_DIR / "database_url").read_text().strip()
if not _db_url:
    raise ImproperlyConfigured(
        "No database configured: set DATABASE_URL=postgis://user:pass@host:port/name "
        "or run `make setup`, which starts or reuses a PostGIS database."
    )
DATABASES = {
    "default": dj_database_url.parse(
        _db_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0), conn_health_checks=True
    )
}
# Parallel checkouts sharing one server can give their test databases different names.
if os.environ.get("DB_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DB_TEST_NAME"]}
if DATABASES["default"]["ENGINE"] != "django.contrib.gis.db.backends.postgis":
    raise ImproperlyConfigured("DATABASE_URL must use the postgis:// scheme (PostGIS is required).")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# One SRID for every geometry field: WGS-84. Data arriving in GCJ-02 (AMap) is converted on
# import (geodata.coords); nothing else is ever stored.
SRID = 4326

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# One language: no LocaleMiddleware (it only cost time on every request).
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from npm at set-up (package.json); they are served from
# node_modules through the staticfiles finders, never from a CDN and never committed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "static", *vendor_static_dirs(BASE_DIR)]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "geodata.staticfiles.NpmFileFinder",  # single files such as OpenLayers' build
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files (licences, signed contracts, proofs) are private: stored outside the web
# root and only served through views that check permissions.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@kjcxq.nx.example")

# --- Map -----------------------------------------------------------------------------------
# Tile layer URL template; empty string = no base tiles (offline), boundaries still draw.
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION", "&copy; OpenStreetMap contributors")
# Geocoding provider for institution addresses (geopy): "none" or "nominatim" (point
# GEOCODER_DOMAIN at a self-hosted Nominatim for an offline deployment). With none, or when
# the provider cannot be reached, the county seat from the region data is used instead.
GEOCODER = env_str("GEOCODER", "none")
if GEOCODER not in {"none", "nominatim"}:
    raise ImproperlyConfigured(f"GEOCODER={GEOCODER!r}: use none or nominatim.")
GEOCODER_DOMAIN = env_str("GEOCODER_DOMAIN", "nominatim.openstreetmap.org")
GEOCODER_USER_AGENT = env_str("GEOCODER_USER_AGENT", "ningxia-innovation-map")
GEOCODER_TIMEOUT = env_int("GEOCODER_TIMEOUT", 3, minimum=1)

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "ningxia-demo")
# Absolute address of the site, for links printed on PDFs and in QR codes.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Map search: above this many results in view, markers are replaced by grid clusters.
MAP_CLUSTER_THRESHOLD = env_int("MAP_CLUSTER_THRESHOLD", 300, minimum=1)
# `count` is exact up to this number; beyond it the API says "at least" (count_exact=false).
MAP_COUNT_CAP = env_int("MAP_COUNT_CAP", 500, minimum=1)
# Point-independent search counts are cached this long (0 = never).
MAP_COUNT_CACHE_SECONDS = env_int("MAP_COUNT_CACHE_SECONDS", 30, minimum=0)

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mapsite.api.exception_handler",
    "NON_FIELD_ERRORS_KEY": "detail",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "宁夏科技创新券管理服务平台 API",
    "DESCRIPTION": "Innovation map, catalogue and S&T innovation-voucher pipeline for Ningxia.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets come from the drf-spectacular-sidecar package (PyPI), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Debian 12 ships GDAL 3.6. Django 5.2 warns (gis.W001) that GDAL < 3.9 cannot stop a
# malicious spatial reference from reading files or the network. This application never hands
# user text to GDAL/GEOS parsers: coordinates arrive as validated numbers, bounding boxes as
# four floats, and every geometry is built in SRID 4326 by our code (no user WKT, GeoJSON CRS
# or SRID). With that rule kept, the warning does not apply, so it is silenced here.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each layout step at INFO on every PDF.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
