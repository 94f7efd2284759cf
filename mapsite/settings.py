"""Settings for the Ningxia innovation map and voucher platform.

Every deploy-specific value comes from the environment (see README "Configuration"). A
malformed value raises ``ImproperlyConfigured``; nothing silently falls back.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from geodata.mapdoc import vendor_static_dirs
from mapsite.env import env_bool, env_int, env_list, env_str
from mapsite.storage_url import default_storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = BASE_DIR / ".state"

DEBUG = env_bool("DJANGO_DEBUG", False)
# The key signs sessions, password-reset links and CSRF tokens. DJANGO_SECRET_KEY wins;
# otherwise the random per-checkout key `make setup` wrote to .state/secret_key (what
# `make run` on a laptop uses); otherwise only DEBUG may fall back to a fixed development
# key — a deployment that forgets the key stops at start-up instead of running with it.
_DEV_SECRET = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and (STATE_DIR / "secret_key").exists():
    SECRET_KEY = (STATE_DIR / "secret_key").read_text().strip()
if not SECRET_KEY and DEBUG:
    SECRET_KEY = _DEV_SECRET
if not SECRET_KEY or (SECRET_KEY == _DEV_SECRET and not DEBUG):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: set it to a long random value (e.g. "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), run `make setup`, "
        "or set DJANGO_DEBUG=1 for development."
    )
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
    "axes",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The task queue's tables (created by `migrate`) and its job admin; before our apps, whose
    # `tasks` modules it discovers and whose admin (notifications) extends its own.
    "procrastinate.contrib.django",
    "geodata",
    "workdays",
    "accounts",
    "notifications",
    "catalog",
    "vouchers",
    "evaluation",
    "dashboards",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mapsite.badinput.BadInputMiddleware",  # NUL bytes, over-deep JSON → 400
    # Which reads may go to a replica (mapsite.db_router); wraps sessions so their writes pin.
    "mapsite.middleware_replicas.ReplicaRoutingMiddleware",
    "mapsite.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login that django-axes locked out into our 429 (accounts.throttling).
    "axes.middleware.AxesMiddleware",
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
                "accounts.context_processors.navigation",
                "accounts.context_processors.province",
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

# Read replicas (PostgreSQL streaming standbys of the primary above): comma-separated URLs,
# each becoming an alias replica1, replica2…. Which reads go there, and when they fall back to
# the primary, is decided in one place: mapsite.db_router (README "Past one machine").
# `scripts/replica.sh url` prints the URL of the local standby that `make replica` starts.
DATABASE_REPLICAS: list[str] = []
for _n, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    _replica = dj_database_url.parse(
        _url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0), conn_health_checks=True
    )
    if _replica["ENGINE"] != "django.contrib.gis.db.backends.postgis":
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS item {_n} must use the postgis:// scheme.")
    # A replica that does not answer within this many seconds counts as down for this read.
    _replica["OPTIONS"].setdefault("connect_timeout", env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", 2, minimum=1))
    # Tests never create a database on a replica: the alias reads the test database.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_n}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_n}")
DATABASE_ROUTERS = ["mapsite.db_router.ReplicaRouter"]
# A replica further behind than this is not read from (its lag is checked at most once per
# DATABASE_REPLICA_CHECK_SECONDS in each process).
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 5, minimum=0)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 1, minimum=0)
# After a request that wrote, the client reads from the primary this long (a cookie), so a
# user never sees a page from before their own change. Longer than the lag bound.
DATABASE_REPLICA_PIN_SECONDS = env_int(
    "DATABASE_REPLICA_PIN_SECONDS", DATABASE_REPLICA_MAX_LAG_SECONDS + 5, minimum=DATABASE_REPLICA_MAX_LAG_SECONDS
)
# GET/HEAD views that may read from a replica: public pages whose data the reader did not
# just change, where a second of lag is invisible. Everything else reads from the primary.
DATABASE_REPLICA_VIEWS = [
    "map:*",  # the map page and its frame
    "api-map-search",  # /api/map/search/ through Django (the WSGI fast path uses db_router.on_replica)
    "catalog:institution",
    "catalog:instrument",
    "catalog:service",
    "dashboards:*",
    "api-stats-heatmap",
    "api-stats-usage",
    "api-regions",
]
# Apps whose tables are always read from the primary: who is logged in, with which rights,
# lockouts, tokens, the shared cache and the task queue must never be a second old.
DATABASE_PRIMARY_APPS = [
    "sessions", "auth", "accounts", "authtoken", "axes", "admin", "contenttypes", "procrastinate",
    "django_cache",  # the shared cache (rate-limit counters) in the database
]  # fmt: skip

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# One SRID for every geometry field: WGS-84. Data arriving in GCJ-02 (AMap) is converted on
# import (geodata.coords); nothing else is ever stored.
SRID = 4326

# --- Authentication: passwords, lockout, rate limits, API tokens ---------------------------
# The validators run wherever a password is set: registration (page and API, in
# accounts.services.register), password change and reset (pages and API), the admin.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},  # Chinese message
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",  # django-axes: refuses locked-out usernames/addresses
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins (page and token endpoint) are counted per username and, separately, per
# client address in axes' database tables; at the limit both are locked for the cool-off.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_VERBOSE = False
# The client address: REMOTE_ADDR, unless the deployment says how many reverse proxies
# (each appending to X-Forwarded-For) stand in front. Trusting the header without a proxy
# would let a client pick a new address per attempt.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0, minimum=0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Every request, successful or not, per client address (accounts.throttling):
LOGIN_RATE_PER_ADDRESS = env_str("LOGIN_RATE_PER_ADDRESS", "30/min")
REGISTRATION_RATE_PER_ADDRESS = env_str("REGISTRATION_RATE_PER_ADDRESS", "10/hour")
PASSWORD_RESET_RATE_PER_ADDRESS = env_str("PASSWORD_RESET_RATE_PER_ADDRESS", "5/hour")
# API tokens expire this long after issue (accounts.tokens).
API_TOKEN_TTL = dt.timedelta(days=env_int("API_TOKEN_TTL_DAYS", 14, minimum=1))
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3 * 3600, minimum=300)

# --- Caches ---------------------------------------------------------------------------------
# "default" is per process (search counts, region directory: a stale copy for a few seconds
# is harmless). "shared" holds the rate-limit counters, which every gunicorn worker must
# see: the database cache (table created by accounts/migrations/0003_shared_cache_table).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "mapsite_shared_cache",
    },
    # Public map-search answers (catalog.map_endpoint), per process: each is keyed by the
    # listings version read from the database on every request, so every process drops an
    # answer the moment any process commits a change to the listings (a region rename
    # empties its listings' stored features, which changes the version too). The timeout
    # only bounds memory; 0 turns the cache off. Entries are 10–20 KB for a page of 20 (up to ~200 KB for
    # a clustered view), so the default bound is a few MB per process, 100 MB at worst.
    "map_search": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "map-search",
        "TIMEOUT": env_int("MAP_SEARCH_CACHE_SECONDS", 300, minimum=0),
        "OPTIONS": {"MAX_ENTRIES": env_int("MAP_SEARCH_CACHE_ENTRIES", 500, minimum=10)},
    },
    # Dashboard figures computed from the pre-aggregates (dashboards.cache: breakdowns, top
    # lists, region totals), per process: each is keyed by the aggregate version read from
    # the database at every use, which a trigger bumps with every write to the aggregates,
    # so no process serves a figure older than the last committed refresh. The timeout only
    # bounds memory (0 turns the cache off); entries are a few KB each.
    "dashboards": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dashboards",
        "TIMEOUT": env_int("DASHBOARD_CACHE_SECONDS", 3600, minimum=0),
        "OPTIONS": {"MAX_ENTRIES": env_int("DASHBOARD_CACHE_ENTRIES", 1000, minimum=10)},
    },
    # The same figures shared by every process and machine (a database table, migration
    # dashboards 0006): computed once per aggregate version, by the worker after each refresh
    # or by the first process that asks. Its own table, so culling it never drops the
    # rate-limit counters of "shared".
    "dashboards_shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "dashboards_shared_cache",
        "TIMEOUT": env_int("DASHBOARD_CACHE_SECONDS", 3600, minimum=0),
        "OPTIONS": {"MAX_ENTRIES": env_int("DASHBOARD_CACHE_ENTRIES", 1000, minimum=10)},
    },
}

# One language: no LocaleMiddleware (it only cost time on every request).
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Corrections to Django's own Chinese strings (the forms' label colon "：").
LOCALE_PATHS = [BASE_DIR / "locale"]
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
# User files (uploads, contract PDFs, exports): the local MEDIA_ROOT by default, or any
# S3-compatible store when STORAGE_URL is set (mapsite.storage_url), so that several web
# machines share them. Every model's file field uses STORAGES["default"] (mapsite.storage).
STORAGES = {
    "default": default_storage_from_url(env_str("STORAGE_URL", "")),
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
# Subject prefix of notification e-mails when no province profile is installed (a process
# that runs without the accounts app); a deployment's subjects come from its profile.
NOTIFY_SUBJECT_PREFIX = env_str("NOTIFY_SUBJECT_PREFIX", "[科技创新券]")
# Text messages of notifications marked SMS-worthy, where the province profile turns SMS on:
# a class with send_messages() (notifications.sms: ConsoleBackend, LocMemBackend, NullBackend,
# or a gateway's). Checked at start-up (notifications.checks).
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.ConsoleBackend")

# --- Task queue (procrastinate on this database; README "The worker") ------------------------
# A failing task is retried TASK_RETRIES times, after TASK_RETRY_BASE_SECONDS × 2^n (30 s, 1,
# 2, 4, 8 min); then it stays failed on the dead-letter page (/tasks/failed/).
TASK_RETRIES = env_int("TASK_RETRIES", 5, minimum=0)
TASK_RETRY_BASE_SECONDS = env_int("TASK_RETRY_BASE_SECONDS", 30, minimum=0)
# A worker writes a heartbeat every WORKER_HEARTBEAT_SECONDS; one silent for
# WORKER_STALLED_SECONDS is taken for dead and the jobs it was running are run again.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
WORKER_STALLED_SECONDS = env_int("WORKER_STALLED_SECONDS", 30, minimum=2)
if WORKER_STALLED_SECONDS <= WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("WORKER_STALLED_SECONDS must be longer than WORKER_HEARTBEAT_SECONDS.")
PROCRASTINATE_WORKER_DEFAULTS = {
    # Jobs run at once per worker process (sync tasks each in a thread with its own
    # database connection): a long dashboards refresh does not hold up the mail.
    "concurrency": env_int("WORKER_CONCURRENCY", 4, minimum=1),
    "update_heartbeat_interval": WORKER_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": WORKER_STALLED_SECONDS,
}
# Table exports (notifications.exports): up to EXPORT_SYNC_MAX_ROWS rows are built in the
# request; larger ones by the worker, kept EXPORT_KEEP_DAYS days after they are made.
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 2000, minimum=0)
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7, minimum=1)

# --- Province deployment (SPEC §11) ---------------------------------------------------------
# One deployment serves one province, named by its GB/T 2260 adcode. Its regions come from
# geodata/data/regions_<adcode>_gcj02.geojson (shipped: 640000 宁夏, 410000 河南, 320000 江苏,
# 330000 浙江; `geodata_extract_cnmaps --province <adcode> --commit` makes any other).
PLATFORM_PROVINCE = env_int("PLATFORM_PROVINCE", 640000, minimum=110000)
if (
    PLATFORM_PROVINCE % 10000
    or not (BASE_DIR / "geodata" / "data" / f"regions_{PLATFORM_PROVINCE}_gcj02.geojson").exists()
):
    raise ImproperlyConfigured(
        f"PLATFORM_PROVINCE={PLATFORM_PROVINCE}: no region file geodata/data/regions_{PLATFORM_PROVINCE}_gcj02.geojson "
        "(shipped: 640000, 410000, 320000, 330000; make others with geodata_extract_cnmaps)."
    )

# --- PDF -----------------------------------------------------------------------------------
# WeasyPrint's copy of the CJK fonts, one sub-folder per process (vouchers.contracts.documents).
PDF_FONT_CACHE_DIR = Path(env_str("PDF_FONT_CACHE_DIR", str(STATE_DIR / "pdf-fonts")))

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
# JSON bodies nested deeper than this are refused before parsing (mapsite.badinput); the
# deepest request body of this API is three levels.
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 32, minimum=4)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "mapsite.parsers.JSONParser",  # depth-limited (JSON_MAX_DEPTH)
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mapsite.api.exception_handler",
    "NON_FIELD_ERRORS_KEY": "detail",
    # How many proxies' X-Forwarded-For entries to trust for the throttles' client address.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "科技创新券管理服务平台 API",
    "DESCRIPTION": "Innovation map, catalogue and S&T innovation-voucher pipeline for Ningxia.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets come from the drf-spectacular-sidecar package (PyPI), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One component name per choice set: fields named alike ("status", "kind", "mode") in
    # different models would otherwise get hashed names (StatusB19Enum) or two names each.
    "ENUM_NAME_OVERRIDES": {
        "ContractStatusEnum": "vouchers.models.ContractStatus",
        "RedemptionStatusEnum": "vouchers.models.RedemptionStatus",
        "RedemptionModeEnum": "vouchers.models.RedemptionMode",
        "PayoutCycleEnum": "vouchers.models.PayoutCycle",
        "ProofKindEnum": "vouchers.models.ProofKind",
        "CertStatusEnum": "accounts.models.CertStatus",
        "OrgKindEnum": "accounts.models.OrgKind",
        "CertificationDecisionEnum": "accounts.api.CERTIFICATION_DECISIONS",
        "ListingDecisionEnum": "catalog.api.LISTING_DECISIONS",
        "DecisionEnum": ["approve", "return"],  # contract, proof and redemption reviews
        "BatchKindEnum": "vouchers.models.BatchKind",
        "LedgerKindEnum": "vouchers.models.LedgerKind",
        "BookingKindEnum": "catalog.models.BookingKind",
    },
}

# --- Production: HTTPS, cookies, HSTS, Content-Security-Policy --------------------------------
# Off by default so `make run` works over plain http on 127.0.0.1; a deployment behind TLS
# sets DJANGO_HTTPS=1 (README "Running in production"), which turns on the redirect, secure
# cookies and HSTS together. Each can still be set on its own.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", HTTPS)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", HTTPS)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# X_FRAME_OPTIONS stays Django's DENY: the map documents' views allow same-origin framing
# themselves (@xframe_options_sameorigin).
# Content-Security-Policy on every response (mapsite.csp). Pages load scripts only from
# our origin; the folium map documents (iframes) run inline scripts, so the views that
# serve or embed them get CSP_MAP_POLICY. Tiles come from MAP_TILES_URL's origin.
CSP_MAP_VIEWS = [
    "map:map_frame",
    "dashboards:heatmap_frame",
    "dashboards:choropleth_frame",
    # Pages embedding a small map as <iframe srcdoc> (it inherits the page's policy).
    "catalog:instrument",
    "catalog:service",
    "catalog:institution",
    "catalog:manage",
    # The manage page's actions re-render it (with its map) when they refuse the input.
    "catalog:manage_geocode",
    "catalog:manage_move",
    "catalog:manage_profile",
    # Swagger UI's page bootstraps with an inline script.
    "api-docs",
]
CSP_REPORT_ONLY = env_bool("DJANGO_CSP_REPORT_ONLY", False)

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
    # procrastinate announces its tasks and schedules when any command starts; its worker's
    # job log (procrastinate.worker) stays at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "procrastinate.blueprints": {"level": "WARNING"},
        "procrastinate.periodic": {"level": "WARNING"},
    },
}
