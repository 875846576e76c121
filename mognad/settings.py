"""Mognad's settings: one file, every value from the environment.

Every variable read here is documented in docs/configuration.md; a test keeps the two in step.
Booleans accept true/false/1/0/yes/no/on/off; anything else stops startup with a clear message.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true/false/1/0.")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def envsecret(name: str, *, debug: bool) -> str:
    """A secret must come from the environment; only debug mode gets a throwaway one."""
    value = os.environ.get(name, "")
    if value:
        return value
    if debug:
        return "insecure-development-key-only-used-when-MOGNAD_DEBUG-is-true"
    raise ImproperlyConfigured(
        f"{name} is not set. Set it to a long random string "
        f"(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set MOGNAD_DEBUG=true for local development."
    )


# --- Core -------------------------------------------------------------------------------------
DEBUG = envbool("MOGNAD_DEBUG", False)
SECRET_KEY = envsecret("MOGNAD_SECRET_KEY", debug=DEBUG)
# Earlier secret keys, still accepted for signatures and encrypted columns while rotating.
SECRET_KEY_FALLBACKS = envlist("MOGNAD_SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = envlist(
    "MOGNAD_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = envlist("MOGNAD_CSRF_TRUSTED_ORIGINS", [])
# Absolute address of this installation, used in emails (invitation links).
BASE_URL = envstr("MOGNAD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Production hardening for HTTPS (secure cookies, HSTS, redirect to HTTPS): on unless in debug mode.
SECURE = envbool("MOGNAD_SECURE", not DEBUG)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    # Only for its static files: Swagger UI's assets (the API reference, mognad/api/reference.py).
    "ninja",
    "mognad.platform",
    "mognad.instrument",
    "mognad.scoring",
    "mognad.orgs",
    "mognad.sso",
    "mognad.privacy",
    "mognad.surveys",
    "mognad.results",
    "mognad.plans",
    "mognad.national",
    "mognad.examples",
    "mognad.api",
    "mognad.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mognad.platform.middleware.SecurityHeadersMiddleware",
    "mognad.platform.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mognad.orgs.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mognad.orgs.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mognad.urls"
WSGI_APPLICATION = "mognad.wsgi.application"

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
                "mognad.privacy.context_processors.privacy",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# Any sqlite:///… or postgres://… URL. SQLite in the project folder by default.
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'mognad.sqlite3'}")
try:
    _database = dj_database_url.parse(
        DATABASE_URL,
        # Keep each process's connection between requests: opening one per request (a new
        # PostgreSQL backend process each time) cost more than a whole answer-page save.
        conn_max_age=envint("MOGNAD_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
except ValueError as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL={DATABASE_URL!r} is not a database URL: {exc}"
    ) from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and a busy timeout make concurrent writers queue instead of failing.
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _database["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        f"DATABASE_URL must be a sqlite:/// or postgres:// URL, not {DATABASE_URL!r}."
    )
_database["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "orgs.User"
# The single sign-on backend comes first: it refuses passwords where an organization turned them
# off (mognad/sso/backends.py), then ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "mognad.sso.backends.SingleSignOnBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# After logging out (POST only): the front page, with a notice that it happened.
LOGOUT_REDIRECT_URL = "home"
# Who must use a second factor (sent to enrolment until they have one): "coordinator" (national
# coordinators) and membership roles ("key_user", "unit_admin", "viewer").
TWOFACTOR_ROLES = ("coordinator", "key_user", "unit_admin", "viewer")
TWOFACTOR_REQUIRED_ROLES = envlist("MOGNAD_2FA_REQUIRED_ROLES", ["coordinator", "key_user"])
if unknown_roles := sorted(set(TWOFACTOR_REQUIRED_ROLES) - set(TWOFACTOR_ROLES)):
    raise ImproperlyConfigured(
        f"MOGNAD_2FA_REQUIRED_ROLES: unknown role(s) {', '.join(unknown_roles)}; "
        f"use any of {', '.join(TWOFACTOR_ROLES)}."
    )
# Passkeys (WebAuthn): the relying party is this site. The id is BASE_URL's host name and the
# origin BASE_URL's scheme, host and port unless set; a passkey works only where it was made.
_base = urlsplit(BASE_URL)
WEBAUTHN_RP_ID = envstr("MOGNAD_WEBAUTHN_RP_ID", _base.hostname or "localhost")
WEBAUTHN_ORIGIN = envstr("MOGNAD_WEBAUTHN_ORIGIN", f"{_base.scheme}://{_base.netloc}")
WEBAUTHN_RP_NAME = "Mognad"
# Notices ride in the session, so they need no cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
# Language names are shown in their own language, so they are not translated.
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = envstr("MOGNAD_TIME_ZONE", "Europe/Stockholm")
USE_TZ = True
LANGUAGE_COOKIE_NAME = "mognad_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# No script reads the language cookie.
LANGUAGE_COOKIE_HTTPONLY = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files are served by whitenoise straight from the source folders; set MOGNAD_STATIC_ROOT
# and run `mognad collectstatic` to serve compressed copies from one folder instead.
_static_root = envstr("MOGNAD_STATIC_ROOT", "")
STATIC_ROOT = Path(_static_root) if _static_root else None
WHITENOISE_USE_FINDERS = STATIC_ROOT is None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if STATIC_ROOT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Email ------------------------------------------------------------------------------------
EMAIL_HOST = envstr("MOGNAD_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = envint("MOGNAD_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = envstr("MOGNAD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envstr("MOGNAD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("MOGNAD_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = envstr(
    "MOGNAD_EMAIL_BACKEND",
    "mognad.platform.mailbackend.OneLineConsoleBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = envstr("MOGNAD_DEFAULT_FROM_EMAIL", "Mognad <noreply@localhost>")

# --- Background work --------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker is stale (/healthz/worker 503) when its newest heartbeat is older than this (seconds).
WORKER_HEARTBEAT_MAX_AGE = envint("MOGNAD_WORKER_HEARTBEAT_MAX_AGE", 60, minimum=5)

# --- Mognad rules -----------------------------------------------------------------------------
# No figure is shown for a group with fewer respondents than this (the anonymity threshold).
ANONYMITY_K = envint("MOGNAD_ANONYMITY_K", 5, minimum=5)
# A figure over organizations that include unnamed ones needs at least this many unnamed ones.
ANONYMITY_UNNAMED_ORGANIZATIONS = envint("MOGNAD_ANONYMITY_UNNAMED_ORGANIZATIONS", 3, minimum=3)
# Draws behind the organization-type probabilities (docs/scoring.md §4; the intervals draw nothing).
BOOTSTRAP_RESAMPLES = envint("MOGNAD_BOOTSTRAP_RESAMPLES", 2000, minimum=100)
# The licence of the published open data: CC0-1.0 or CC-BY-4.0 (docs/publishing.md).
OPEN_DATA_LICENCE = envstr("MOGNAD_OPEN_DATA_LICENCE", "CC0-1.0")
if OPEN_DATA_LICENCE not in ("CC0-1.0", "CC-BY-4.0"):
    raise ImproperlyConfigured("MOGNAD_OPEN_DATA_LICENCE must be CC0-1.0 or CC-BY-4.0.")
# Days a key user may flag an error in a draft publication (the coordinator may choose per draft).
PUBLICATION_CORRECTION_DAYS = envint("MOGNAD_PUBLICATION_CORRECTION_DAYS", 14, minimum=1)
# Respondent email addresses are deleted this many days after their measurement closes.
RESPONDENT_RETENTION_DAYS = envint("MOGNAD_RESPONDENT_RETENTION_DAYS", 90, minimum=1)
# Diagnostics aggregates (browsers, client-side errors) older than this many days are deleted.
DIAGNOSTICS_RETENTION_DAYS = envint("MOGNAD_DIAGNOSTICS_RETENTION_DAYS", 30, minimum=1)
# Cookie-choice records older than this many days are deleted daily (the choice lives a year).
CONSENT_RETENTION_DAYS = envint("MOGNAD_CONSENT_RETENTION_DAYS", 365, minimum=1)
# Sent and failed emails (they hold the recipient's address) are deleted after this many days.
OUTBOX_RETENTION_DAYS = envint("MOGNAD_OUTBOX_RETENTION_DAYS", 30, minimum=1)

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_NAME = "mognad_session"
# A logged-in session ends after this many hours without a request, and this many hours after the
# login whatever happens (orgs/middleware.py: SessionLimitsMiddleware); the cookie and the stored
# session last no longer than the absolute lifetime. Respondents' pages use no session.
SESSION_IDLE_HOURS = envint("MOGNAD_SESSION_IDLE_HOURS", 8, minimum=1)
SESSION_MAX_HOURS = envint("MOGNAD_SESSION_MAX_HOURS", 12, minimum=1)
if SESSION_IDLE_HOURS > SESSION_MAX_HOURS:
    raise ImproperlyConfigured(
        f"MOGNAD_SESSION_IDLE_HOURS={SESSION_IDLE_HOURS} cannot be longer than "
        f"MOGNAD_SESSION_MAX_HOURS={SESSION_MAX_HOURS}."
    )
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "mognad_csrf"
CSRF_COOKIE_SAMESITE = "Lax"
# A refused form gets a page in the visitor's language, not Django's English default.
CSRF_FAILURE_VIEW = "mognad.views.csrf_failure"
# Scripts take the CSRF token from the page (data-csrf-token), never from the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many reverse proxies in front of Mognad append the client's address to X-Forwarded-For; the
# rate limits then count the address the outermost of them saw (mognad/platform/ratelimit.py).
TRUSTED_PROXIES = envint("MOGNAD_TRUSTED_PROXIES", 0, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# How long browsers remember to reach this site over HTTPS only (Strict-Transport-Security max-age).
HSTS_SECONDS = envint("MOGNAD_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
if SECURE:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # A TLS-terminating proxy that already redirects plain HTTP may have this turned off.
    SECURE_SSL_REDIRECT = envbool("MOGNAD_SSL_REDIRECT", True)
    # Health checks answer over plain HTTP too: a load balancer checks each web node's gunicorn
    # directly, without TLS or X-Forwarded-Proto. They set no cookie and reveal nothing.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/worker$"]
    SECURE_HSTS_SECONDS = HSTS_SECONDS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if TRUSTED_PROXIES:
        # Only a trusted proxy's word counts: it must set X-Forwarded-Proto itself (overwriting
        # what the client sent) to the scheme the client used. Without a proxy the header is
        # ignored, so a client cannot claim HTTPS over plain HTTP.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("MOGNAD_LOG_LEVEL", "INFO")},
}
