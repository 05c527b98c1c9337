"""Settings for the follow-up tracker, driven by environment variables.

Every variable is documented in README.md ("Configuration"). Development gets safe
defaults; with DEBUG off the app refuses to start without a real SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), got {raw!r}.")


def env_int(name, default, minimum=None):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    return value


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the tracker needs a real secret key: "
            "set SECRET_KEY to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for DEBUG off: use a random string of at least 32 characters."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DEBUG off list the host names the tracker is served "
        "under, comma-separated (for example ALLOWED_HOSTS=tracker.example.org)."
    )

# Security. With DEBUG off these make `manage.py check --deploy` pass; behind a reverse
# proxy that terminates TLS set TRUST_X_FORWARDED_PROTO=true.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Scripts only from the app itself, nothing inline (no page has an inline script or event
# handler, the admin included); styles may be inline (SVG charts); nothing external.
# NONCE lets a template opt in with nonce="{{ request.csp_nonce }}", but never on a
# researchers' page: the page cache would serve the nonce of the first response.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling (django-axes): after this many failed logins for one account or from
# one address, further attempts get HTTP 429 until the cool-off period has passed since the
# last failure counted. Axes' database handler counts under a lock (the row's on
# PostgreSQL, the write lock on SQLite); the tracker's subclass counts each attempt before
# its password is checked, so parallel guesses never get more checks than the limit.
AXES_HANDLER = "tracker.ops.security.CountFirstHandler"
AXES_FAILURE_LIMIT = env_int("TRACKER_LOGIN_MAX_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("TRACKER_LOGIN_COOLOFF_SECONDS", 900, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# Attempts refused during a lockout are not recorded, so they do not extend it: the
# lockout ends when Retry-After says, and hammering a locked account cannot keep its
# owner out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success forgets only its own account's failures (tracker/ops/security.py); axes'
# reset would also forget other accounts' failures from the same address.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "tracker.ops.security.lockout_response"
# The address is the socket's, never a client-sent X-Forwarded-For, unless
# TRUSTED_PROXY_COUNT says how many proxies in front of the app append to it. Axes'
# own AXES_IPWARE_* settings need django-ipware, which the tracker does not install.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "tracker.ops.security.client_address"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",  # country names and their translations
    "django_filters",
    "import_export",
    "axes",
    "csp",
    "audit",
    "ratings",
    "tracker",
    # The JSON API (tracker/api/). Django REST framework itself is not listed: its templates
    # and static files serve only its browsable pages, which the API does not use, and its
    # catalogue would reword Django's own Russian form messages on every page.
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from STATIC_ROOT like the rest
]

MIDDLEWARE = [
    # First, so that static files and the 400 of a refused Host carry the headers too.
    "tracker.ops.middleware.security_headers",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tracker.pages.limits.refuse_nul",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.context.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a locked-out login into the 429 after the view has run.
    "axes.middleware.AxesMiddleware",
]

# The first backend refuses a locked-out account or address and counts the attempt before
# any password is checked.
AUTHENTICATION_BACKENDS = [
    "tracker.ops.security.CountFirstBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.pages.audience.context",
            ],
        },
    },
]

# Database: PostgreSQL when DATABASE_URL is set, otherwise an SQLite file next to manage.py.
database_url = env_str("DATABASE_URL")
if env_bool("REQUIRE_DATABASE_URL", False) and not database_url:
    raise ImproperlyConfigured(
        "REQUIRE_DATABASE_URL is on but DATABASE_URL is not set "
        "(for example postgres://user:password@host:5432/tracker)."
    )
if database_url:
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "tracker.sqlite3")),
            # Keep each server thread's connection (and its page cache) between requests
            # instead of opening the file and running the PRAGMAs below every time.
            "CONN_MAX_AGE": env_int("SQLITE_CONN_MAX_AGE", 600, minimum=0),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers work while one editor writes; IMMEDIATE takes the write
                # lock at BEGIN so two writers queue on the busy timeout instead of failing
                # with "database is locked" halfway through a transaction.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("SQLITE_TIMEOUT", 20, minimum=1),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("TRACKER_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Releases are written through the default storage: files under MEDIA_ROOT by default, any
# django-storages backend in production (set STORAGES["default"] there).
MEDIA_ROOT = Path(env_str("TRACKER_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Logging: warnings and errors — every unhandled exception with its traceback — go to
# stderr, and to TRACKER_LOG_FILE when set (reopened when rotated away); with ADMINS set
# and DEBUG off, errors are also mailed (Django's AdminEmailHandler, through EMAIL_*).
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TRACKER_LOG_LEVEL = env_str("TRACKER_LOG_LEVEL", "WARNING").strip().upper()
if TRACKER_LOG_LEVEL not in LOG_LEVELS:
    raise ImproperlyConfigured(f"TRACKER_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {TRACKER_LOG_LEVEL!r}.")
TRACKER_LOG_FILE = env_str("TRACKER_LOG_FILE")
log_handlers = {"console": {"class": "logging.StreamHandler", "formatter": "plain"}}
if TRACKER_LOG_FILE:
    log_handlers["file"] = {
        "class": "logging.handlers.WatchedFileHandler", "filename": TRACKER_LOG_FILE, "formatter": "plain",
        "encoding": "utf-8",
    }
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        **log_handlers,
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler", "level": "ERROR", "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": list(log_handlers), "level": TRACKER_LOG_LEVEL},
    # Django's own loggers write through the root's handlers (its default console handler
    # writes only with DEBUG on); errors are mailed too.
    "loggers": {"django": {"handlers": ["mail_admins"], "level": TRACKER_LOG_LEVEL, "propagate": True}},
}
ADMINS = [(address, address) for address in env_list("ADMINS", [])]
SERVER_EMAIL = env_str("SERVER_EMAIL", "root@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

LOGIN_URL = "admin:login"
# Where a login goes when its `next` is missing or points to another site.
LOGIN_REDIRECT_URL = "tracker:overview"

# One switch makes the researchers' pages require login (they are public by default).
TRACKER_REQUIRE_LOGIN = env_bool("TRACKER_REQUIRE_LOGIN", False)

# The silence policy behind the suggested status of an unresolved project.
TRACKER_STALL_AFTER_SILENT_CYCLES = env_int("TRACKER_STALL_AFTER_SILENT_CYCLES", 1, minimum=1)
TRACKER_DROP_AFTER_YEARS = env_int("TRACKER_DROP_AFTER_YEARS", 4, minimum=1)
# The edition (README "The edition"): a region's efforts of a cycle beyond this many are
# left out by the rule (those of the largest projects are kept); editors choose per row.
TRACKER_EDITION_MAX_EFFORTS = env_int("TRACKER_EDITION_MAX_EFFORTS", 6, minimum=0)

# Spreadsheets (README "Spreadsheets").
TRACKER_IMPORT_MAX_BYTES = env_int("TRACKER_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
TRACKER_IMPORT_MAX_UNPACKED_BYTES = env_int(
    "TRACKER_IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024, minimum=1
)
TRACKER_IMPORT_MAX_COLUMNS = env_int("TRACKER_IMPORT_MAX_COLUMNS", 500, minimum=1)
TRACKER_IMPORT_MAX_ROWS = env_int("TRACKER_IMPORT_MAX_ROWS", 200_000, minimum=1)
# How long an import preview waits for its confirmation before the file is deleted.
TRACKER_IMPORT_PREVIEW_SECONDS = env_int("TRACKER_IMPORT_PREVIEW_SECONDS", 20 * 60, minimum=1)
# Uploads stay in memory (they are capped above), so no temporary file is ever left behind;
# between preview and confirmation the file waits in the database cache, not on disk.
FILE_UPLOAD_HANDLERS = ["tracker.spreadsheets.uploads.CappedMemoryUploadHandler"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tracker_cache",
        "TIMEOUT": 3600,
    },
    # Whole researchers' pages, per server process, keyed by the data version
    # (tracker/pagecache.py).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tracker-pages",
        "OPTIONS": {"MAX_ENTRIES": env_int("TRACKER_PAGE_CACHE_ENTRIES", 500, minimum=1)},
    },
}
TRACKER_PAGE_CACHE = env_bool("TRACKER_PAGE_CACHE", True)
TRACKER_PAGE_CACHE_SECONDS = env_int("TRACKER_PAGE_CACHE_SECONDS", 600, minimum=1)
# What one public request may cost (README "Reliability"): the time its queries may take,
# the query string it may carry, and the rows a researchers' export may hold (the whole
# record is in the releases' files).
TRACKER_PUBLIC_QUERY_SECONDS = env_int("TRACKER_PUBLIC_QUERY_MS", 1500, minimum=50) / 1000
TRACKER_MAX_QUERY_BYTES = env_int("TRACKER_MAX_QUERY_BYTES", 2000, minimum=100)
TRACKER_MAX_QUERY_PARAMETERS = env_int("TRACKER_MAX_QUERY_PARAMETERS", 40, minimum=5)
TRACKER_PUBLIC_EXPORT_MAX_ROWS = env_int("TRACKER_PUBLIC_EXPORT_MAX_ROWS", 10000, minimum=1)
TRACKER_ADMIN_EXPORT_MAX_ROWS = env_int("TRACKER_ADMIN_EXPORT_MAX_ROWS", 50000, minimum=1)
# Pages one client (one address) may have rendered at the same moment, across every server
# process of the machine; a page served from the cache needs no slot. 0 turns the limit off.
TRACKER_RENDERS_PER_CLIENT = env_int("TRACKER_RENDERS_PER_CLIENT", 1, minimum=0)
TRACKER_RENDER_SLOT_DIR = env_str("TRACKER_RENDER_SLOT_DIR", "")

# The read-only JSON API at /api/v1/ (README "API"): the published record only, under the
# researchers' limits above, with requests per minute and client capped (429 past them,
# counted in the default cache): anonymous clients by address, signed-in users by account.
TRACKER_API_ANON_PER_MINUTE = env_int("TRACKER_API_ANON_PER_MINUTE", 60, minimum=1)
TRACKER_API_USER_PER_MINUTE = env_int("TRACKER_API_USER_PER_MINUTE", 600, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Sessions only (an editor's or researcher's login); no password is ever checked by the API.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.api.access.ReadersOnly"],
    "DEFAULT_THROTTLE_CLASSES": ["tracker.api.throttling.AnonThrottle", "tracker.api.throttling.UserThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.base.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Follow-up tracker API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["tracker.api.access.ReadersOnly"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "tracker.models.projects.ProjectStatus",
        "StatusBasisEnum": "tracker.models.projects.StatusBasis",
        "SectorEnum": "tracker.models.projects.Sector",
        "CurrencyEnum": "tracker.models.projects.Currency",
        "ParticipationRoleEnum": "tracker.models.projects.ParticipationRole",
        "DatePrecisionEnum": "tracker.models.common.DatePrecision",
        "EvidenceKindEnum": "tracker.models.evidence.EvidenceKind",
        "SourceKindEnum": "tracker.models.sources.SourceKind",
        "SourceLanguageEnum": "tracker.models.sources.SourceLanguage",
        "OrganizationKindEnum": "tracker.models.organizations.OrganizationKind",
        "FederalDistrictEnum": "ratings.models.FederalDistrict",
        "RatingTierEnum": "ratings.models.Rating.Tier",
    },
    # The description (in the reader's language, with the rates in force) and the enums.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "tracker.api.schema.describe"],
}
IMPORT_EXPORT_TMP_STORAGE_CLASS = "tracker.spreadsheets.uploads.PreviewStorage"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
