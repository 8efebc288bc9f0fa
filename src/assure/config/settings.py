"""Assure's settings, read from the environment (see docs/operations.md).

Secure by default: DEBUG is off, cookies are Secure with `__Host-` names and HSTS is on
unless HTTPS=0 says the service is reached over plain HTTP (the local demo only).
"""

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from assure.config.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_positive_int,
    env_str,
    secret_file,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(env_str("ASSURE_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = secret_key()
DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "assure.accounts.apps.AssureAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks_db",
    "assure.core",
    "assure.accounts",
    "assure.reviews",
    "assure.reviewdocs",
    "assure.casedata",
    "assure.indicators",
    "assure.audits",
    "assure.surveys",
    "assure.selfassessment",
    "assure.escalations",
    "assure.reports",
    "assure.workforce",
    "assure.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "assure.core.middleware.RequestIdMiddleware",
    "assure.ops.middleware.AccessLogMiddleware",
    "assure.ops.middleware.RequestSizeLimitMiddleware",
    "assure.core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "assure.accounts.sso.OTPMiddleware",  # django-otp's, plus MFA done at the IdP
    "assure.core.middleware.SessionTimeoutMiddleware",
    "assure.core.middleware.VerifiedSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "assure.core.middleware.NoStoreForSignedInMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "assure.config.urls"
WSGI_APPLICATION = "assure.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "assure.config.jinja2.environment",
            "context_processors": [
                "django.contrib.messages.context_processors.messages",
                "assure.core.context.page_context",
            ],
        },
    },
    {
        # Django's own templates, for the admin site used by system administrators.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

SQLITE_PAGE_BYTES = 16384


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'assure.sqlite3'}")
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
        )
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database address Assure understands ({error}); "
            "use sqlite:///path/to/file.sqlite3 or postgres://user:password@host:5432/name."
        ) from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # Connections are kept (DATABASE_CONN_MAX_AGE, as for PostgreSQL): opening one costs
        # 2-3 ms of CPU (Django registers its SQL functions, then the pragmas below run),
        # which was most of a small page's time. Each server thread keeps its own.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # 16 KiB pages, set before the file's first page is written (a database made before
            # keeps its own): a first import of 100,000 children writes 150 MB of rows and
            # indexes in a quarter as many pages (3.6 s -> 3.4 s); pages load no slower.
            "init_command": (
                f"PRAGMA page_size = {SQLITE_PAGE_BYTES:d}; "
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
            ),
        }
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "assure.accounts.sso.OrganisationAccountBackend",  # single sign-on's sessions
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# At least 12 characters, not common, breached or made of the person's or partnership's own
# names; no composition rules (NCSC guidance, docs/operations.md).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "first_name", "last_name", "email"]},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "assure.accounts.passwords.GuessablePasswordValidator"},
]
# A first sign-in link (from `assure setup`) works once, for 72 hours.
PASSWORD_RESET_TIMEOUT = 72 * 60 * 60
# A password reset or account unlock link works once, for this long.
ASSURE_EMAILED_LINK_MINUTES = env_int("EMAILED_LINK_MINUTES", 60)
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"

# Second factors (assure.accounts.mfa): an authenticator app, recovery codes and passkeys.
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Assure")
OTP_WEBAUTHN_RP_NAME = env_str("OTP_ISSUER", "Assure")
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is a second factor after the password

# Single sign-on through OpenID Connect (docs/operations.md): off unless OIDC_CLIENT_ID is set.
# OIDC_ISSUER names the provider; for Microsoft Entra ID, OIDC_ENTRA_TENANT (the tenant's id)
# is enough. The client secret is read from the file named by OIDC_CLIENT_SECRET_FILE.
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_ISSUER = env_str("OIDC_ISSUER") or (
    f"https://login.microsoftonline.com/{env_str('OIDC_ENTRA_TENANT')}/v2.0"
    if env_str("OIDC_ENTRA_TENANT")
    else ""
)
OIDC_CLIENT_SECRET = secret_file("OIDC_CLIENT_SECRET_FILE")
OIDC_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
if OIDC_CLIENT_ID and not (OIDC_ISSUER and OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "OIDC_CLIENT_ID is set: also set OIDC_ISSUER (or OIDC_ENTRA_TENANT) and "
        "OIDC_CLIENT_SECRET_FILE, or unset OIDC_CLIENT_ID to switch single sign-on off."
    )

# The reverse proxies (addresses or networks) whose X-Forwarded-For hops are believed; see
# assure.core.addresses. Empty: the connecting address is the client's.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# Lockout: five failures for one account (from anywhere), or from one address (to any
# account), pause it for 15 minutes. The two are counted apart, so the person whose account
# someone else is guessing at can unlock it with a link emailed to them.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "assure.core.addresses.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password"]

# Sessions: 15 minutes idle, 12 hours at most, gone when the browser closes.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 15))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SESSION_COOKIE_NAME = "__Host-assure_session"
    CSRF_COOKIE_NAME = "__Host-assure_csrf"
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
else:
    SESSION_COOKIE_NAME = "assure_session"
    CSRF_COOKIE_NAME = "assure_csrf"
# A container's or load balancer's health check asks over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/assets/"
# Where `collectstatic` gathers files for WhiteNoise, and the built assets it gathers from
# (a container image collects them into the image, outside the writable var volume).
STATIC_ROOT = Path(env_str("ASSURE_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [Path(env_str("ASSURE_ASSETS_DIR", str(BASE_DIR / "build" / "static")))]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "uploads"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o600

# Request sizes, refused before any parsing: forms everywhere, larger files on upload pages only.
MB = 1024 * 1024
ASSURE_MAX_REQUEST_BYTES = env_positive_int("ASSURE_MAX_REQUEST_MB", 2) * MB
ASSURE_UPLOAD_LIMITS = {
    # URL name: the largest request it accepts
    "casedata:imports": env_positive_int("ASSURE_MAX_CASE_DATA_UPLOAD_MB", 201) * MB,
    "reviews:import": env_positive_int("ASSURE_MAX_UPLOAD_MB", 25) * MB,
    "reviews:action": env_positive_int("ASSURE_MAX_UPLOAD_MB", 25) * MB,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = ASSURE_MAX_REQUEST_BYTES
# The anonymous survey answer page: its largest form, and answers per link in 10 minutes.
SURVEY_MAX_POST_BYTES = env_positive_int("SURVEY_MAX_POST_KB", 64) * 1024
SURVEY_ANSWERS_PER_LINK_WINDOW = env_positive_int("SURVEY_ANSWERS_PER_LINK_WINDOW", 300)
# Pages whose requests are refused above a smaller size than ASSURE_MAX_REQUEST_BYTES.
ASSURE_SMALL_REQUEST_LIMITS = {"surveys:answer": SURVEY_MAX_POST_BYTES}
# Uploads and extracts are written here, never to the system's temporary folder, so that a
# worker killed mid-upload leaves nothing elsewhere; stale ones are removed by `assure serve`
# at start and by the background worker.
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
ASSURE_TMP_MAX_AGE_HOURS = env_positive_int("ASSURE_TMP_MAX_AGE_HOURS", 3)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz reports the worker stale when it has not been seen for this long.
ASSURE_WORKER_STALE_SECONDS = env_positive_int("ASSURE_WORKER_STALE_SECONDS", 120)
# A report asked for and neither made nor failed after this long is shown as failed (the
# worker stopped or was killed while making it); the quarter's report takes under a minute.
ASSURE_REPORT_STALE_MINUTES = env_positive_int("ASSURE_REPORT_STALE_MINUTES", 30)

_EMAIL_HOST = env_str("EMAIL_HOST")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
        if _EMAIL_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Assure <assure@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

ASSURE_SERVICE_NAME = "Assure"
# Where people reach Assure (e.g. https://assure.example.org): emails link to pages under it.
# Unset, the first allowed host over the scheme the settings imply.
_FIRST_HOST = next((h for h in ALLOWED_HOSTS if h and h[0] not in ".*"), "localhost")
SITE_URL = env_str("SITE_URL").rstrip("/") or (
    f"https://{_FIRST_HOST}" if HTTPS else f"http://{_FIRST_HOST}:8000"
)
# Passkeys belong to the site's domain (WebAuthn allows no IP address: the local demo's
# passkeys work at http://localhost:8000).
_SITE_HOST = urlsplit(SITE_URL).hostname or "localhost"
_LOCAL_SITE = _SITE_HOST in {"127.0.0.1", "::1", "localhost"}
OTP_WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID", "localhost" if _LOCAL_SITE else _SITE_HOST)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "WEBAUTHN_ORIGINS",
    [SITE_URL.replace(_SITE_HOST, "localhost") if _LOCAL_SITE else SITE_URL],
)
ASSURE_SYNTHETIC_DATA = env_bool("ASSURE_SYNTHETIC_DATA", True)
# Tracker counts below this are shown only to child-level roles (docs/permissions.md).
SMALL_COUNT_THRESHOLD = env_int("SMALL_COUNT_THRESHOLD", 5)
if SMALL_COUNT_THRESHOLD < 1:
    raise ImproperlyConfigured(
        f"SMALL_COUNT_THRESHOLD={SMALL_COUNT_THRESHOLD} must be a whole number of 1 or more "
        "(1 shows every count exactly)."
    )

LOG_FORMAT = env_choice("LOG_FORMAT", "json", ["json", "text"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "assure.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # The PDF renderer notes every screen-only rule of the stylesheet it skips.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
