"""Settings for zdusers: one module, every deployment-specific value from the environment.

The defaults make `make run` work on a fresh machine (SQLite file, DEBUG on, a
development secret). Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL; with DEBUG off a missing SECRET_KEY stops the process at start.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zdusers.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "django_tables2",
    "axes",
    "zdusers",
    "profiles",
    "profiles.duplicates",
    "profiles.merges",
    "organizations",
    "intake",
    "django_tasks",
    "django_tasks_db",
    "imports",
    "devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zdusers.access.StaffRequiredMiddleware",
    "zdusers.access.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zdusers.access.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zdusers.urls"
WSGI_APPLICATION = "zdusers.wsgi.application"

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
                "profiles.duplicates.context_processors.duplicates",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# DATABASE_URL picks the engine: SQLite file by default, postgres://... in production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
SILENCED_SYSTEM_CHECKS: list[str] = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and background workers share one file: IMMEDIATE
    # transactions and WAL make concurrent writers wait instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # models.W040 "SQLite does not support indexes with non-key columns": profiles.MatchKey's index covers
    # `name` (INCLUDE) so PostgreSQL reads a block of members with an index-only scan. SQLite builds the same
    # index without the covered column, which is correct, only not index-only; dropping INCLUDE would cost
    # PostgreSQL that scan. Silenced for SQLite only, so PostgreSQL keeps the full check.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
elif not env_bool("DB_JIT", False):
    # PostgreSQL's JIT compiles a plan when its estimated cost is high, which the planner's guesses about
    # big tables often make it: 30+ ms of compiling for a query that runs in 2. An OLTP desk never gains from
    # it, so each connection turns it off (DB_JIT=1 leaves the server's setting).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Twelve characters: "Summer2026" and "agent123" are refused (with the common-password list, offline).
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): an account is locked after AXES_FAILURE_LIMIT wrong passwords in a row,
# whatever the address they come from, for AXES_COOLOFF_TIME; a right password resets the count. Every failed
# login is kept (Admin → Axes → Access attempts), where an admin also unlocks an account early.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# By account only: behind a proxy every login shares the proxy's address, and locking an address would let one
# guesser lock out the whole team (axes.W006, which asks for the address too, is silenced for that reason).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS.append("axes.W006")
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # its start-up banner would land in every command's output (bench prints JSON)
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed login, with its time, address and browser
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalization -------------------------------------------------------
# The interface in English, Brazilian Portuguese and Spanish (the data is never translated). LocaleMiddleware
# picks the language cookie set by the top bar's chooser, else the browser's Accept-Language, else English.
# The compiled catalogs (locale/*/LC_MESSAGES/django.mo) are committed: serving needs no gettext tools.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pt-br", "Português (Brasil)"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (far-future caching) need `collectstatic`, so only without DEBUG.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploaded import files (imports app). Production: a persistent volume shared by web and task workers.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# --- Background tasks -----------------------------------------------------------
# django-tasks with its database backend: the queue lives in the same database (SQLite or
# PostgreSQL), and `python manage.py db_worker` runs the jobs (`make run` starts one).
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"), "QUEUES": ["default"]}}

# --- Security (production) ------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# Content-Security-Policy (django-csp): scripts, styles, images and requests from this site only, no inline
# script (templates attach behaviour from static files: data-confirm, not onsubmit), no plugins, no framing.
# Inline style attributes stay allowed: score bars and chart swatches set a width or a colour, which cannot
# run code. The Django admin needs nothing more (it ships no inline script since Django 4.1).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Off by default: joining browsers' preload list is a commitment for the whole domain
# (check --deploy's security.W021 is accepted for that reason; see README).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets this header itself (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# zdusers.access.SessionTimeoutMiddleware: signed out after this long without a request, and this long after
# signing in whatever happens (the cookie's age alone would slide as the session is saved).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 60 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", SESSION_COOKIE_AGE)

# --- zdusers --------------------------------------------------------------------
# Region used for phone numbers written without a country code ("(11) 98765-4321").
# An ISO 3166 code such as "BR" or "US"; empty means such numbers are refused.
ZDUSERS_DEFAULT_PHONE_REGION = env_str("ZDUSERS_DEFAULT_PHONE_REGION", "").upper() or None
# Duplicate detection, two tiers: a pair scoring at least this (0-100) is a likely duplicate, the queue's
# default view; from the second up to the first it is a possible one, kept for review behind a filter.
ZDUSERS_DUPLICATE_THRESHOLD = env_int("ZDUSERS_DUPLICATE_THRESHOLD", 60)
ZDUSERS_POSSIBLE_DUPLICATE_THRESHOLD = env_int("ZDUSERS_POSSIBLE_DUPLICATE_THRESHOLD", 45)
if not 0 <= ZDUSERS_POSSIBLE_DUPLICATE_THRESHOLD <= ZDUSERS_DUPLICATE_THRESHOLD <= 100:
    raise ImproperlyConfigured(
        "ZDUSERS_POSSIBLE_DUPLICATE_THRESHOLD must be between 0 and ZDUSERS_DUPLICATE_THRESHOLD, "
        f"which must be at most 100 (got {ZDUSERS_POSSIBLE_DUPLICATE_THRESHOLD} and {ZDUSERS_DUPLICATE_THRESHOLD})."
    )
# Whether every external id comes from one deduplicated system (then two ids mean two customers).
# Off by default: a desk importing from a CRM, a shop and an old help desk has one id per system and person.
ZDUSERS_EXTERNAL_IDS_ARE_ONE_SYSTEM = env_bool("ZDUSERS_EXTERNAL_IDS_ARE_ONE_SYSTEM", False)
# When a channel creates a profile or adds a contact point to one, its duplicate check runs in the task
# worker (`db_worker`, which the desk runs for imports anyway) a moment later, so that intake answers the
# provider without waiting for it; off, it runs in the request, after the contact is committed.
ZDUSERS_DUPLICATE_CHECK_IN_BACKGROUND = env_bool("ZDUSERS_DUPLICATE_CHECK_IN_BACKGROUND", True)

# The most profiles an agent's directory export may hold; admins (who import and export whole desks) have no
# limit. Every export is logged ("zdusers.exports": who, how many rows at most, which selection).
ZDUSERS_AGENT_EXPORT_LIMIT = env_int("ZDUSERS_AGENT_EXPORT_LIMIT", 1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
