"""Settings for heimplan.

Every value comes from the environment with a safe development default, so the
same module runs a newcomer's laptop (SQLite, DEBUG) and production
(PostgreSQL, gunicorn behind a TLS proxy). Production behaviour is switched on
by environment variables, never by a second settings module.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is optional; real deployments set variables in the service.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# The development key is only accepted while DEBUG is on: without DEBUG the app refuses
# to start (here, for every command and worker) rather than sign sessions with a key
# anybody can read in the source.
INSECURE_DEV_SECRET_KEY = "django-insecure-heimplan-development-only"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == INSECURE_DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value (at least 32 characters) "
        "when DJANGO_DEBUG is off."
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "core",
    "heimplan",
    "organisation",
    "plans",
    "measures",
    "results",
    "stakeholders",
    "consultation",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache, so cached and fresh public pages alike get gzip, ETag,
    # Last-Modified, 304 on a revisit, Cache-Control and Permissions-Policy.
    "core.public_http.PublicHttpMiddleware",
    "core.middleware.StripNulCharactersMiddleware",
    # Before the page cache: the cache keys pages on the active language.
    "core.middleware.LanguageMiddleware",
    # Serves cached public pages to anonymous visitors before sessions, auth and CSRF run.
    "core.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # A query cancelled by the statement timeout is a 503 page, not a 500.
    "core.runaway.QueryCanceledMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "heimplan.urls"

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
                "heimplan.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "heimplan.wsgi.application"

# SQLite file in the project folder unless DATABASE_URL points elsewhere.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Runaway work: on PostgreSQL a web request's statement is cancelled after this many
# milliseconds (0: never) and the page answers 503 (core.runaway). Web processes only
# (heimplan/wsgi.py); migrations and management commands run without it. Keep it well
# below gunicorn's worker timeout (gunicorn.conf.py, GUNICORN_TIMEOUT, 30 s).
HEIMPLAN_STATEMENT_TIMEOUT_MS = env.int("HEIMPLAN_STATEMENT_TIMEOUT_MS", default=10000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every server process: Redis when REDIS_URL is set, otherwise
# the database (its table is made by heimplan's migration). Never per-process
# memory: public pages are cached under the public content version (core/middleware.py).
# Redis is an accelerator, never the record: core.cache.ResilientRedisCache treats a
# Redis it cannot reach as empty (pages are rendered, nothing fails), with short
# timeouts, and logs it once a minute. Sessions and the sign-in throttle are in the
# database, and so is the public content version.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("HEIMPLAN_CACHE_KEY_PREFIX", default="heimplan"),
            "OPTIONS": {
                # Seconds; a Redis that does not answer must cost milliseconds.
                "socket_connect_timeout": env.float("HEIMPLAN_REDIS_CONNECT_TIMEOUT", 0.25),
                "socket_timeout": env.float("HEIMPLAN_REDIS_TIMEOUT", 0.5),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "heimplan_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# How long a cached public page lives; a change bumps the version long before that.
HEIMPLAN_PAGE_CACHE_SECONDS = env.int("HEIMPLAN_PAGE_CACHE_SECONDS", default=3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The UI is in Norwegian: bokmål and nynorsk (English is only the source language). The
# municipality chooses the default (HEIMPLAN_LANGUAGE); a visitor can switch with the form
# in the header, which sets the language cookie (core.middleware.LanguageMiddleware).
# What the browser asks for (Accept-Language) is not used: nearly every browser in Norway
# says "nb" or "no", and the municipality's choice is the better default.
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk"))]
LANGUAGE_CODE = env.str("HEIMPLAN_LANGUAGE", default="nb")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured("HEIMPLAN_LANGUAGE must be 'nb' (bokmål) or 'nn' (nynorsk).")
LANGUAGE_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
# Our own strings, then bokmål for Django's strings that Django leaves untranslated.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded files (attachments, adopted documents). On one server the file system under
# MEDIA_ROOT; with several app servers S3-compatible object storage through
# django-storages: HEIMPLAN_MEDIA_STORAGE=s3 and the AWS_* variables django-storages reads
# (AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
# AWS_S3_REGION_NAME), or without object storage the database (HEIMPLAN_MEDIA_STORAGE=
# database, core.storage). Files are always served through the app (as downloads, after the
# publication rules), never from a public bucket URL.
MEDIA_STORAGE = env.str("HEIMPLAN_MEDIA_STORAGE", default="filesystem")
_MEDIA_BACKENDS = {
    "filesystem": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The bytes in the database (core.storage): several app servers, no object storage.
    "database": {"BACKEND": "core.storage.DatabaseStorage"},
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default=""),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    },
}
if MEDIA_STORAGE not in _MEDIA_BACKENDS:
    raise ImproperlyConfigured("HEIMPLAN_MEDIA_STORAGE must be 'filesystem', 'database' or 's3'.")
# The largest file a person may upload (attachments, adopted documents).
HEIMPLAN_UPLOAD_MAX_BYTES = env.int("HEIMPLAN_UPLOAD_MAX_BYTES", default=20 * 1000 * 1000)
# Runaway work: a plan's PDF is not rendered when its HTML is longer than this (the
# editor gets the "PDF could not be made" page, 503). WeasyPrint's time grows with it:
# 1,000 measures are about 470,000 characters and take under 15 s (bench/pdf.py), so the
# default stays inside gunicorn's 30 s worker timeout, which bounds the rest. 0: no limit.
HEIMPLAN_PDF_MAX_HTML_CHARS = env.int("HEIMPLAN_PDF_MAX_HTML_CHARS", default=1_000_000)
# Public consultation (høring): the largest attachment to a response, how many responses
# one address may post per window, and how long respondents' e-mail addresses are kept
# after the plan is adopted (``manage.py purge_consultation_contacts`` erases them).
HEIMPLAN_CONSULTATION_ATTACHMENT_MAX_BYTES = env.int(
    "HEIMPLAN_CONSULTATION_ATTACHMENT_MAX_BYTES", default=10 * 1000 * 1000
)
HEIMPLAN_CONSULTATION_RATE_LIMIT = env.int("HEIMPLAN_CONSULTATION_RATE_LIMIT", default=10)
HEIMPLAN_CONSULTATION_RATE_WINDOW_SECONDS = env.int(
    "HEIMPLAN_CONSULTATION_RATE_WINDOW_SECONDS", default=3600
)
HEIMPLAN_CONSULTATION_CONTACT_RETENTION_DAYS = env.int(
    "HEIMPLAN_CONSULTATION_CONTACT_RETENTION_DAYS", default=90
)
STORAGES = {
    "default": _MEDIA_BACKENDS[MEDIA_STORAGE],
    "staticfiles": {
        # Manifest storage needs collectstatic; tests and DEBUG use plain storage.
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "measures:mine"
LOGOUT_REDIRECT_URL = "home"

# The admin shows earlier versions but never reverts to one: a revert would write the
# old row past the services (core.admin.BaseModelAdmin refuses it in code too).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Password guessing: after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked out for AXES_COOLOFF_TIME hours (django-axes).
# Its records are database rows, never the cache: a cache outage neither unlocks nor
# locks anybody out. The sessions are database rows as well (Django's default engine).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AXES_FAILURE_LIMIT = env.int("HEIMPLAN_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("HEIMPLAN_LOGIN_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "core.login.axes_username"
# Behind a proxy the address comes from X-Forwarded-For (core.login.client_ip_address):
# set HEIMPLAN_TRUSTED_PROXY_COUNT to the number of proxies in front (1 for one nginx).
HEIMPLAN_TRUSTED_PROXY_COUNT = env.int("HEIMPLAN_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.login.client_ip_address"
# Failures during a lockout do not extend it: nobody can keep another's account locked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
# Seconds before a mail server that does not answer counts as away (the e-mail is then
# not marked as sent and goes out on the next run); without it a send could hang forever.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="heimplan@localhost")

# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env.bool("DJANGO_USE_X_FORWARDED_HOST", default=False)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): our own files only, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

# The municipality running this portal: data, not code, so any municipality can.
HEIMPLAN_MUNICIPALITY = env.str("HEIMPLAN_MUNICIPALITY", default="Heim kommune")
# The logo or coat of arms (a static file path), shown in the header, the footer and
# on PDF covers; its alternative text is the municipality's name.
HEIMPLAN_LOGO = env.str("HEIMPLAN_LOGO", default="img/logo.svg")
# Contact details for the footer, the accessibility statement and consultation pages.
# Empty ones are left out; set them per deployment (no invented defaults).
HEIMPLAN_CONTACT = {
    "address": env.str("HEIMPLAN_CONTACT_ADDRESS", default=""),
    "phone": env.str("HEIMPLAN_CONTACT_PHONE", default=""),
    "email": env.str("HEIMPLAN_CONTACT_EMAIL", default=""),
    "website": env.str("HEIMPLAN_CONTACT_WEBSITE", default="https://www.heim.kommune.no/"),
    # Where a visitor reports a problem (also accessibility problems); empty: the website.
    "feedback_url": env.str("HEIMPLAN_FEEDBACK_URL", default=""),
}
# uustatus.no gives each published statement its own address; set it here. The default
# is the service's front page, where statements can be looked up, not a guessed address.
HEIMPLAN_ACCESSIBILITY_STATEMENT_URL = env.str(
    "HEIMPLAN_ACCESSIBILITY_STATEMENT_URL",
    default="https://www.uustatus.no/",
)
# When the public pages were last reviewed for accessibility (ISO date), shown on
# /tilgjengelighet/: axe, vnu and Lighthouse over every public page type on that day.
HEIMPLAN_ACCESSIBILITY_REVIEWED_ON = env.str(
    "HEIMPLAN_ACCESSIBILITY_REVIEWED_ON", default="2026-12-02"
)
# Transitional until Django 6 makes https the default scheme for URL fields.
FORMS_URLFIELD_ASSUME_HTTPS = True
