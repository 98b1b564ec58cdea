"""Servicenav settings: one module, driven by environment variables, failing fast.

Development defaults are safe only on a developer's machine; `SERVICENAV_ENV=production`
refuses to start without a secret key and allowed hosts. Every variable is listed in
`.env.example`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from servicenav.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

ENVIRONMENT = env_choice("SERVICENAV_ENV", "development", {"development", "production"})
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("SERVICENAV_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("SERVICENAV_DEBUG cannot be on in production.")

SECRET_KEY = env_str("SERVICENAV_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SERVICENAV_SECRET_KEY must be set in production.")
    SECRET_KEY = "development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "SERVICENAV_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SERVICENAV_ALLOWED_HOSTS must be set in production.")
CSRF_TRUSTED_ORIGINS = env_list("SERVICENAV_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "servicenav.core",
    "servicenav.organisation",
    "servicenav.cases",
    "servicenav.declarations",
    "servicenav.surveys",
    "servicenav.kpis",
    "servicenav.improvement",
    "servicenav.public",
    "servicenav.network",
    "servicenav.api",
    "rest_framework",
    "drf_spectacular",
    "servicenav.core.apps.ServicenavAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servicenav.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "servicenav.api.language.AcceptLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "servicenav.urls"
WSGI_APPLICATION = "servicenav.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "servicenav" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "servicenav.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite (WAL) in var/ unless DATABASE_URL names another, e.g. PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'servicenav.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE avoids lock upgrades
        # failing mid-transaction when the web server and the worker write at once.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "organisation:staff-home"
LOGOUT_REDIRECT_URL = "core:home"

# Lockout after repeated failed logins, per user name and address together, so that
# one person mistyping cannot lock out a whole office behind one address.
AXES_FAILURE_LIMIT = env_int("SERVICENAV_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SERVICENAV_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Lockout warnings in the log say that a login was locked, not whose or from where.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]

# Language and time: Swedish first, English complete.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "servicenav" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "servicenav" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("SERVICENAV_MEDIA_ROOT", str(VAR_DIR / "media")))

# Cache: per process by default; several app servers share Redis so that limits such as
# the per-address submission limit hold across them.
CACHE_URL = env_str("SERVICENAV_CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Behind a proxy every request comes from the proxy's address; name the header in which
# the proxy passes the client's own address (e.g. X-Real-IP) so per-address limits work.
CLIENT_IP_HEADER = env_str("SERVICENAV_CLIENT_IP_HEADER")

# Background work: django-tasks with its database backend; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# E-mail goes through an outbox and a background task (servicenav.core.emails).
EMAIL_BACKEND = env_str(
    "SERVICENAV_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("SERVICENAV_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("SERVICENAV_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("SERVICENAV_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("SERVICENAV_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("SERVICENAV_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("SERVICENAV_EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("SERVICENAV_FROM_EMAIL", "servicenav@localhost")

# The municipality this installation serves.
SERVICENAV_MUNICIPALITY_NAME = env_str("SERVICENAV_MUNICIPALITY_NAME", "Luleå kommun")
SERVICENAV_LOGO = env_str("SERVICENAV_LOGO", "img/logo.svg")
# The public address, for links in e-mail sent by background tasks.
SERVICENAV_SITE_URL = env_str("SERVICENAV_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security. Production defaults pass `manage.py check --deploy`; a proxy that ends TLS
# sets SERVICENAV_BEHIND_TLS_PROXY so Django trusts its X-Forwarded-Proto header.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SERVICENAV_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SERVICENAV_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own files: no inline scripts, no eval. Inline styles are allowed,
# for the style attributes of bars and charts and the styles htmx and Swagger UI insert;
# a style cannot run code. Charts and Swagger UI draw images from data: URIs.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if env_bool("SERVICENAV_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs carry ids and events, never personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SERVICENAV_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Feedback (synpunkter): default deadlines in working days (units may set their own),
# how long a citizen may reopen a closed case, and when personal data is anonymised.
SERVICENAV_ACKNOWLEDGE_DAYS = env_int("SERVICENAV_ACKNOWLEDGE_DAYS", 2, minimum=1)
SERVICENAV_ANSWER_DAYS = env_int("SERVICENAV_ANSWER_DAYS", 10, minimum=1)
SERVICENAV_REOPEN_DAYS = env_int("SERVICENAV_REOPEN_DAYS", 30)
SERVICENAV_RETENTION_MONTHS = env_int("SERVICENAV_RETENTION_MONTHS", 36, minimum=1)
SERVICENAV_SUBMISSIONS_PER_HOUR = env_int("SERVICENAV_SUBMISSIONS_PER_HOUR", 10, minimum=1)
SERVICENAV_ATTACHMENT_MAX_BYTES = env_int("SERVICENAV_ATTACHMENT_MAX_MB", 10, minimum=1) * 2**20
SERVICENAV_ATTACHMENTS_PER_CASE = env_int("SERVICENAV_ATTACHMENTS_PER_CASE", 5, minimum=1)

# Service declarations: months from approval to the review-by date, and how many days past
# it the public page says "under review".
SERVICENAV_DECLARATION_REVIEW_MONTHS = env_int(
    "SERVICENAV_DECLARATION_REVIEW_MONTHS", 12, minimum=1
)
SERVICENAV_DECLARATION_REVIEW_GRACE_DAYS = env_int("SERVICENAV_DECLARATION_REVIEW_GRACE_DAYS", 30)

# Surveys: no result built on fewer answers than this is shown (nor can be derived).
SERVICENAV_SURVEY_MIN_ANSWERS = env_int("SERVICENAV_SURVEY_MIN_ANSWERS", 5, minimum=1)

# Key performance indicators: most active indicators per unit, unless the unit has its own
# limit; more need a quality coordinator's written reason.
SERVICENAV_KPI_MAX_ACTIVE = env_int("SERVICENAV_KPI_MAX_ACTIVE", 8, minimum=1)
# Kolada comparisons: the own municipality's Kolada id (Luleå 2580) and the municipality
# group compared with (a Kolada group id; empty: Riket only). `kolada_sync` fetches them.
SERVICENAV_KOLADA_MUNICIPALITY = env_str("SERVICENAV_KOLADA_MUNICIPALITY", "2580")
SERVICENAV_KOLADA_GROUP = env_str("SERVICENAV_KOLADA_GROUP", "")

# Public site and open data: figures built on fewer cases than this are shown as "too few"
# (surveys use SERVICENAV_SURVEY_MIN_ANSWERS, indicators their own minimum); the licence
# of the open data (an SPDX id or a URL).
SERVICENAV_PUBLIC_MIN_CASES = env_int("SERVICENAV_PUBLIC_MIN_CASES", 5, minimum=1)
SERVICENAV_OPEN_DATA_LICENCE = env_str(
    "SERVICENAV_OPEN_DATA_LICENCE", "https://creativecommons.org/publicdomain/zero/1.0/"
)
# The cached start and unit pages check whether their figures changed at most this often
# (seconds): one shared check instead of one query per request; 0 checks every request.
SERVICENAV_PUBLIC_STAMP_SECONDS = env_int("SERVICENAV_PUBLIC_STAMP_SECONDS", 5, minimum=0)

# The quality network's service report to the management group: the kinds of period it
# covers (tertial, year; also month, quarter).
SERVICENAV_REPORT_PERIOD_KINDS = env_list("SERVICENAV_REPORT_PERIOD_KINDS", ["tertial", "year"])

# --- REST API (servicenav.api.rest), /api/v1/ ------------------------------------------
# Staff keys only (`Authorization: Bearer <key>`): no session authentication, so no CSRF.
# JSON in and out; a rate limit per key, counted in the cache above. The OpenAPI schema
# and its docs page are public (they hold no data) and load nothing from outside.
SERVICENAV_API_RATE = env_str("SERVICENAV_API_RATE", "1000/hour")
# Open311 POSTs per integrator key per hour: one contact centre speaks for many people.
SERVICENAV_OPEN311_POSTS_PER_HOUR = env_int("SERVICENAV_OPEN311_POSTS_PER_HOUR", 600, minimum=1)
_api_count, _api_slash, _api_period = SERVICENAV_API_RATE.partition("/")
if not (_api_count.isdigit() and _api_slash and _api_period[:1] in {"s", "m", "h", "d"}):
    raise ImproperlyConfigured("SERVICENAV_API_RATE must look like 1000/hour or 60/minute.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["servicenav.api.rest.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["servicenav.api.rest.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": SERVICENAV_API_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["servicenav.api.rest.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "servicenav.api.rest.exceptions.exception_handler",
}
_SWAGGER_UI = "/" + STATIC_URL.strip("/") + "/vendor/swagger-ui"  # vendored, see its README
SPECTACULAR_SETTINGS = {
    "TITLE": "Servicenav REST API",
    "DESCRIPTION": (
        "The staff API: the cases, units and categories a member of staff works with in the "
        "browser, and the service declarations with their follow-up (read-only), through "
        "the same access rules, history and audit log. Every request "
        "carries a staff key as `Authorization: Bearer <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["servicenav.api.rest.schema.only_rest_api"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": _SWAGGER_UI,
    "SWAGGER_UI_FAVICON_HREF": f"{_SWAGGER_UI}/favicon-32x32.png",
    # No online validator badge: it would send the schema to an outside server.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Fields of the same name with different choices need names of their own.
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "servicenav.cases.models.Kind",
        "UnitKindEnum": ["kommun", "forvaltning", "verksamhet", "enhet"],
        "OutcomeEnum": "servicenav.cases.models.Outcome",
        "StatusEnum": "servicenav.cases.models.Status",
        "DeclarationStatusEnum": "servicenav.declarations.models.Version.Status",
        "CommitmentKindEnum": "servicenav.declarations.models.Commitment.Kind",
        "IndicatorKindEnum": "servicenav.kpis.models.Kind",
    },
}
