"""Settings, read from the environment.

Development (`make run`, `make test`) sets DJANGO_DEBUG=1 and gets an embedded SQLite
database, a console e-mail backend and the no-server filesystem Celery broker. With
DEBUG off the settings refuse to start without a secret key and allowed hosts, and turn
on secure cookies.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TRADELANE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# pytest-django reads settings before any conftest runs, so detect the test run here.
TESTING = env_bool("TRADELANE_TESTING") or "pytest" in sys.modules

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else ""
)
if not (DEBUG or TESTING) and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SECURE = not (DEBUG or TESTING) and not env_bool("DJANGO_INSECURE_HTTP")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30 if SECURE else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "tradelane.core",
    "tradelane.accounts",
    "tradelane.markets",
    "tradelane.merchants",
    "tradelane.catalog",
    "tradelane.logistics",
    "tradelane.payments",
    "tradelane.orders",
    "tradelane.logistics.fulfilment",
    "tradelane.returns",
    "tradelane.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tradelane.core.access.AccessPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tradelane.web.context.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tradelane.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Shared with the worker process: WAL + IMMEDIATE transactions avoid "database is locked".
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    _db["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # a file: worker subprocesses share it
elif _db["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.insert(
        INSTALLED_APPS.index("django.contrib.humanize"), "django.contrib.postgres"
    )
    _db["CONN_MAX_AGE"] = 0
    if env_bool("DATABASE_POOL", True):
        _db["OPTIONS"] = {
            "pool": {
                "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
                "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
                "timeout": 10,
            }
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches -------------------------------------------------------------------------
# "storefront": the short-lived cache of storefront listing/search responses
# (tradelane.catalog.storefront_cache). Redis when CACHE_URL is set (redis://...), shared by
# every worker; otherwise a per-process memory cache, so `make run` and tests need no server.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "storefront": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "storefront",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    ),
}
# Seconds a storefront response may be served from the cache; 0 turns the cache off.
# Off by default under tests (each test has its own database); the cache's tests turn it on.
STOREFRONT_CACHE_SECONDS = int(os.environ.get("STOREFRONT_CACHE_SECONDS", "0" if TESTING else "5"))

# --- Auth ---------------------------------------------------------------------------
# Seconds a process may answer for a bearer token from memory (accounts/token_cache.py): a
# revocation elsewhere takes effect within this long. Off under tests; its tests turn it on.
AUTH_TOKEN_CACHE_SECONDS = float(
    os.environ.get("AUTH_TOKEN_CACHE_SECONDS", "0" if TESTING else "5")
)
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["tradelane.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- I18n ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "tradelane" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = VAR_DIR / "media"

# --- E-mail -------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Tradelane <no-reply@tradelane.localhost>"
)
SITE_URL = os.environ.get("TRADELANE_SITE_URL", "http://127.0.0.1:8000")

# --- Celery -------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
# Tests run tasks inline unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", TESTING)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "tradelane.core.tasks.relay_outbox", "schedule": 5.0},
    "resume-pending-refunds": {
        "task": "tradelane.payments.tasks.resume_pending_refunds",
        "schedule": 60.0,
    },
    "catalog-activate-due-prices": {
        "task": "tradelane.catalog.tasks.activate_due_prices",
        "schedule": 60.0,
    },
    "resume-imports": {"task": "tradelane.catalog.tasks.resume_imports", "schedule": 60.0},
    "fulfilment-advance-simulated": {
        "task": "tradelane.logistics.fulfilment.tasks.advance_simulated_shipments",
        "schedule": 2.0,
    },
    "fulfilment-monitor-promise": {
        "task": "tradelane.logistics.fulfilment.tasks.monitor_delivery_promise",
        "schedule": 60.0,
    },
    "escalate-overdue-returns": {
        "task": "tradelane.returns.tasks.escalate_overdue_returns",
        "schedule": 300.0,
    },
    "returns-advance-reverse": {
        "task": "tradelane.returns.tasks.advance_reverse_shipments",
        "schedule": 3.0,
    },
    "settle-pending-payments": {
        "task": "tradelane.orders.tasks.settle_pending_payments",
        "schedule": 30.0,
    },
}

# --- Outbox and API -----------------------------------------------------------------
ACTOR_FROM_SESSION = "tradelane.accounts.selectors.actor_from_session"
OUTBOX_HANDLERS = "config.events.HANDLERS"
OUTBOX_RELAY_ON_COMMIT = env_bool("OUTBOX_RELAY_ON_COMMIT", True)
IDEMPOTENCY_LOCK_SECONDS = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
