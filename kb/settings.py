"""Settings for the claim-tracking knowledge base.

Everything that differs between machines comes from the environment (or a git-ignored `.env`
file beside manage.py). With nothing set, the app boots for development: DEBUG on, a SQLite file
in the project folder, a throwaway secret key.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _read_dotenv(path):
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip().strip("\"'"))


_read_dotenv(BASE_DIR / ".env")


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_float(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment when DEBUG is off.")

INSTALLED_APPS = [
    "claims.admin_apps.AnalystAdminConfig",  # django.contrib.admin with the analyst's home
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taggit",
    "simple_history",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Answers a conditional GET with 304 from the ETag (a hash of the content) it adds.
    "django.middleware.http.ConditionalGetMiddleware",
    "kb.http_caching.cache_control",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kb.middleware.security_headers",
    "kb.middleware.refuse_nul_in_admin_queries",
    "kb.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kb.routers.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "kb.urls"
WSGI_APPLICATION = "kb.wsgi.application"

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


def database(url):
    """One DATABASES entry from a URL: PostgreSQL through Django's psycopg 3 connection pool,
    SQLite with a busy timeout."""
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # The pool replaces persistent connections (CONN_MAX_AGE must be 0). `timeout` bounds
        # how long a request waits for a connection; while the database is down that is how
        # long it takes to get the 503 page, so keep it short.
        config["OPTIONS"] = {
            "pool": {
                "min_size": 1,
                "max_size": env_int("DATABASE_POOL_SIZE", 8),
                "timeout": env_float("DATABASE_POOL_TIMEOUT", 2.0),
            },
            "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 2),
            # Server-side prepared statements for the few queries that bind on the server
            # (claims/prepared.py); Django's other queries bind on the client and never are.
            # Turn off behind PgBouncer in transaction mode, which cannot keep them.
            "prepare_threshold": 5 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None,
        }
        config["CONN_MAX_AGE"] = 0
        # The pool checks a connection before lending it (one round trip): a connection broken
        # by a database restart is replaced instead of failing a request.
        config["CONN_HEALTH_CHECKS"] = True
    else:
        # Several processes on one file (claims/sqlite.py says why each option; `migrate` turns
        # on the write-ahead log). SQLITE_BUSY_TIMEOUT: seconds a writer waits for another
        # before it gives up with "database is locked".
        config["OPTIONS"] = {
            "timeout": env_float("SQLITE_BUSY_TIMEOUT", 20.0),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY",
        }
        # Opening a SQLite connection (registering Django's SQL functions) cost more than the
        # claim page's queries; keep one per worker thread, as the pool does on PostgreSQL.
        config["CONN_MAX_AGE"] = env_int("SQLITE_CONN_MAX_AGE", 600)
    return config


DATABASES = {"default": database(env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASE_ROUTERS = []
if env_str("DATABASE_REPLICA_URL"):
    # Optional read replica: public pages read from it, everything else uses the primary
    # (kb/routers.py). In tests it mirrors the primary.
    DATABASES["replica"] = database(env_str("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["kb.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Sites (or test runs) sharing one Redis keep apart by prefix.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHE_MIDDLEWARE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# English only: without the translation machinery every URL reversal and template variable
# skips a per-request language lookup (a third of an uncached claim page's rendering).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# HTTPS hardening: on whenever the site is served over HTTPS (behind a proxy that terminates TLS).
SECURE_HTTPS = env_bool("SECURE_HTTPS", False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
if SECURE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads the token: forms carry it in a hidden field
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Behind a reverse proxy, the client's address is the last X-Forwarded-For hop (login throttle).
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

# Admin login throttle (kb/login_throttle.py): failures per user name and address, and the pause.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)

# The 503 page while the database is unreachable asks clients to come back after this many seconds.
UNAVAILABLE_RETRY_AFTER = 5

# Claims workflow: when on, nobody may publish a claim they authored alone.
TWO_PERSON_REVIEW = env_bool("TWO_PERSON_REVIEW", False)

# Largest article file `ingest` accepts, in bytes.
INGEST_MAX_BYTES = env_int("INGEST_MAX_BYTES", 5 * 1024 * 1024)
# Largest article the admin's ingest page accepts (never more than INGEST_MAX_BYTES): the page
# ingests inside the request, which gunicorn ends at 30 s. On the 2-core test machine 5 MB took
# 28-95 s, 512 KB at most 9.5 s on PostgreSQL (docs/ingest.md).
ADMIN_INGEST_MAX_BYTES = env_int("ADMIN_INGEST_MAX_BYTES", 512 * 1024)

TAGGIT_CASE_INSENSITIVE = True

# Cache-Control of public GET responses (kb/http_caching.py). "no-cache" lets browsers and
# proxies keep a page but ask every time (a 304 when unchanged), so a withdrawal shows at once.
PUBLIC_CACHE_CONTROL = env_str("PUBLIC_CACHE_CONTROL", "public, no-cache")

# The JSON API (claims/api/): Django REST framework, OpenAPI 3 by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "claims.api.access.WriteThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "1200/minute"),
        "user": env_str("API_USER_RATE", "2400/minute"),
        "api_writes": env_str("API_WRITE_RATE", "120/minute"),
    },
    "NUM_PROXIES": 1 if TRUST_X_FORWARDED_FOR else None,  # the throttles' client address
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Claims knowledge base API",
    "DESCRIPTION": "Published claims, their evidence and who disputes them; drafts for analysts.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from this site: the app works offline
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ClaimKind": "claims.models.Claim.Kind",
        "ClaimStatus": "claims.models.Claim.Status",
        "StatusMove": [
            ("in_review", "In review"),
            ("published", "Published"),
            ("withdrawn", "Withdrawn"),
        ],
        "ActorKind": "claims.models.Actor.Kind",
        "EventKind": "claims.models.Event.Kind",
        "PassageKind": "claims.models.Passage.Kind",
    },
}

# Mounts the benchmarks' reference view /bench/bare/ (bench/http.py sets it; not for production).
BENCH_REFERENCE_VIEW = env_bool("BENCH_REFERENCE_VIEW", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {
        "not_the_outage_page": {
            "()": "django.utils.log.CallbackFilter",
            "callback": "ext://kb.log_filters.not_the_outage_page",
        }
    },
    "loggers": {"django.request": {"filters": ["not_the_outage_page"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
