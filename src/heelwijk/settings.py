"""One environment-driven settings module for every way Heelwijk runs."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("HEELWIJK_VAR_DIR", PROJECT_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# production (default) | development (make demo) | test (pytest)
HEELWIJK_ENV = env_str("HEELWIJK_ENV", "production")
DEVELOPMENT = HEELWIJK_ENV == "development"
TESTING = HEELWIJK_ENV == "test"

DEBUG = env_bool("HEELWIJK_DEBUG", DEVELOPMENT)
_DEV_KEY = "heelwijk-development-only-key-never-use-in-production-0123456789"
SECRET_KEY = env_str("HEELWIJK_SECRET_KEY", _DEV_KEY if (DEVELOPMENT or TESTING) else "")
if not SECRET_KEY:
    raise RuntimeError("Set HEELWIJK_SECRET_KEY (a long random string) in production.")

ALLOWED_HOSTS = env_list(
    "HEELWIJK_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "testserver"] if (DEVELOPMENT or TESTING) else [],
)
CSRF_TRUSTED_ORIGINS = env_list("HEELWIJK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Heelwijk's apps come first so their Dutch translations win over Django's own for the
    # same words (e.g. "Log in" is "Inloggen" here, "Aanmelden" in the admin's catalogue).
    "heelwijk.accounts",
    "heelwijk.neighbourhood",
    "heelwijk.ledger",
    "heelwijk.currency",
    "heelwijk.purchasing",
    "heelwijk.businesscase",
    "heelwijk.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "axes",
    "ninja",  # serves its own Swagger UI files, so /api/v1/docs works without a CDN
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
    "heelwijk.neighbourhood.middleware.CurrentNeighbourhoodMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "heelwijk.urls"
WSGI_APPLICATION = "heelwijk.wsgi.application"

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
                "heelwijk.web.context_processors.navigation",
            ],
        },
    }
]

# --- database -----------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
_default_db = f"sqlite:///{VAR_DIR / 'heelwijk.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or _default_db,
        conn_max_age=env_int("HEELWIJK_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside the single writer; IMMEDIATE takes the write lock when a
    # transaction starts, which serialises writers (the ledger relies on it).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: lock an e-mail address + IP after repeated failures for a while.
AXES_FAILURE_LIMIT = env_int("HEELWIJK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("HEELWIJK_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "HEELWIJK_EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend"
    if TESTING
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("HEELWIJK_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("HEELWIJK_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("HEELWIJK_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("HEELWIJK_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("HEELWIJK_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("HEELWIJK_FROM_EMAIL", "Heelwijk <noreply@heelwijk.invalid>")

# --- language -----------------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- static -------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- security -----------------------------------------------------------------------------------
HTTPS = env_bool("HEELWIJK_HTTPS", not (DEVELOPMENT or TESTING))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("HEELWIJK_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HEELWIJK_BEHIND_PROXY", False) else None
)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HEELWIJK_LOG_LEVEL", "WARNING")},
}

# --- Heelwijk -----------------------------------------------------------------------------------
HEELWIJK_PAGE_SIZE = env_int("HEELWIJK_PAGE_SIZE", 25)
# Wall-clock seconds the purchasing allocation (greedy start + exact MILP) may take; when it runs
# out, the best allocation found so far is stored with status "time_limit" and its proven gap.
HEELWIJK_PURCHASING_TIME_LIMIT = float(os.environ.get("HEELWIJK_PURCHASING_TIME_LIMIT") or 30)
# How close to the best possible allocation the solver must prove it is before it stops: a
# relative gap (0.001 = 0.1 %, the "proven optimal" of target P9; 0 = exactly the best, which
# can take far longer on large campaigns). Staff see the proven gap with every allocation.
HEELWIJK_PURCHASING_GAP = float(os.environ.get("HEELWIJK_PURCHASING_GAP") or 0.001)
# PostgreSQL: a ledger write commits without waiting for the disk, releasing its locks at once,
# and answers only after a synchronous flush that covers it (ledger/actions/_journal_sql.py);
# an acknowledged transfer is on disk either way. 0 = classic synchronous commit.
LEDGER_RELEASE_LOCKS_BEFORE_FLUSH = env_bool("HEELWIJK_LEDGER_RELEASE_LOCKS_BEFORE_FLUSH", True)
# PostgreSQL: the ledger's hot-path statements are planned once per session (ledger/prepared.py).
# 0 behind a pooler that swaps sessions between transactions (e.g. PgBouncer transaction mode).
LEDGER_PREPARED_STATEMENTS = env_bool("HEELWIJK_DB_PREPARED", True)
