"""Settings for Strategy Tracker, read from the environment.

Every value a deployment changes comes from an environment variable; `.env.example` lists
them. With nothing set, a checkout runs on SQLite; local work sets DEBUG=1 (the README's
run command does). With DEBUG off a SECRET_KEY is required: Django refuses to sign anything
(sessions, password resets) without one, and `manage.py check --deploy` says what is missing
(`strategy_tracker/checks.py`), while commands that need no key, such as migrate, still run.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read a whole-number environment variable."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "strategy_tracker",
    "workforce",
    "outcomes",
    "actions",
    "reporting",
    "dashboard",
    "publishing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "strategy_tracker.middleware.SessionTimeoutMiddleware",
    "strategy_tracker.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategy_tracker.urls"

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

WSGI_APPLICATION = "strategy_tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection is checked before reuse, so the service recovers by itself
        # when the database comes back after an outage.
        conn_health_checks=True,
    )
}

# Shared by every application server (password-reset limits, import previews): kept in
# the database, whose table a migration creates.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "strategy_tracker_cache",
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Strategies and teams load by name: manage.py loaddata teams leicestershire-cfs-2016-17
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lock-outs (django-axes). Failures are counted per account and, apart, per client
# address: an attacker spread over many addresses (or rotating X-Forwarded-For) is still
# locked out of the account, and one address trying many accounts is locked out of all.
# Anyone can lock a colleague's account by failing to sign in as them, so the lock lasts
# only AXES_COOLOFF_MINUTES, failures during it do not extend it, and the account's owner
# can reset their password by email, which lifts it (strategy_tracker.views).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "strategy_tracker.clients.client_ip"

# Password reset links: at most this many an hour for one email address, and from one client.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env_int("PASSWORD_RESET_LIMIT_PER_CLIENT", 10)
PASSWORD_RESET_WINDOW = 3600

# Behind a load balancer or TLS proxy: how many proxies stand in front of the application.
# It fixes both the scheme (reset links are https://) and the client address that sign-in
# lock-outs and reset limits count (strategy_tracker/clients.py). Leave at 0 when the
# application is reached directly: forwarded headers are then ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT > 0 else None

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds to wait on the mail server before a send counts as failed (and can be sent again).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "strategy-tracker@localhost")
# The address links in emails start with: a scheduled job has no request to take it from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "strategy_tracker.views.csrf_failure"
# Sessions live in the database, so any application server can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Signed out after this many seconds without a request, and after this many in all.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_MAX_AGE = env_int("SESSION_MAX_AGE", 10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_MAX_AGE

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: scripts and styles come from this site's own files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Spreadsheet imports in the admin (outcomes/spreadsheets.py): the largest file taken, the
# most rows read (a preview of 500 takes a few seconds; docs/performance.md, "The hostile
# run"), and the most a workbook (a zip archive) may unpack to.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 500)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 20 * 1024 * 1024)
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Errors go to standard error, where the process manager keeps them: with DEBUG off and no
# ADMINS, Django would otherwise keep a failed request's traceback nowhere.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}

# ---- Single sign-on with the council's identity provider (OpenID Connect) -------------------
# Off unless OIDC_ISSUER is set: then staff sign in with their council account, roles and lead
# teams follow the provider's groups or app roles, and only superusers marked break-glass may
# still use a password (workforce/sso.py; docs/sign-in.md says how to set it up).
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
SSO_ENABLED = bool(OIDC_ISSUER)
OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL", "").strip() or (
    f"{OIDC_ISSUER}/.well-known/openid-configuration" if OIDC_ISSUER else ""
)
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_USERNAME_CLAIMS = env_list("OIDC_USERNAME_CLAIMS", "oid,sub")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_ROLES_CLAIM = os.environ.get("OIDC_ROLES_CLAIM", "roles")
# Entra ID's groups overage: read the person's groups from Microsoft Graph (getMemberGroups).
OIDC_GRAPH_GROUPS = env_bool("OIDC_GRAPH_GROUPS")
OIDC_GRAPH_URL = os.environ.get("OIDC_GRAPH_URL", "https://graph.microsoft.com/v1.0")
# Seconds to wait on the provider (each of connecting and reading) before giving up.
OIDC_TIMEOUT_SECONDS = env_int("OIDC_TIMEOUT_SECONDS", 5)
OIDC_CLOCK_SKEW_SECONDS = env_int("OIDC_CLOCK_SKEW_SECONDS", 60)
# After this long, the provider is asked again (without showing anything) at the next page.
OIDC_RECHECK_SECONDS = env_int("OIDC_RECHECK_SECONDS", SESSION_IDLE_TIMEOUT)
# Whom a refused person should ask for access, in the refusal pages' words.
OIDC_ACCESS_CONTACT = os.environ.get("OIDC_ACCESS_CONTACT", "your council's IT service desk")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_CALLBACK_CLASS = "workforce.sso_views.CallbackView"
OIDC_AUTHENTICATE_CLASS = "workforce.sso_views.AuthenticateView"
MIDDLEWARE.insert(
    MIDDLEWARE.index("strategy_tracker.middleware.SessionTimeoutMiddleware") + 1,
    "workforce.sso_views.ProviderSessionMiddleware",  # does nothing while single sign-on is off
)
LOGGING["loggers"]["workforce.sso"] = {"handlers": ["stderr"], "level": "INFO"}  # type: ignore[index]  # a dict
if SSO_ENABLED:
    AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "workforce.sso.ProviderBackend",
        "workforce.sso.BreakGlassBackend",
    ]
    # Signing out posts a form that ends at the provider's sign-out page.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [SELF, "/".join(OIDC_ISSUER.split("/")[:3])]
# ---- end of single sign-on --------------------------------------------------------------------
