"""Settings, read from the environment so one build serves a demo laptop and production.

NONGTHON_ENV=production switches on the secure defaults that `nongthon check --deploy` expects.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("NONGTHON_DATA_DIR", Path.cwd() / "var"))

ENV = os.environ.get("NONGTHON_ENV", "development")
PRODUCTION = ENV == "production"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("NONGTHON_DEBUG", not PRODUCTION)

SECRET_KEY = os.environ.get("NONGTHON_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("NONGTHON_SECRET_KEY must be set when NONGTHON_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("NONGTHON_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("NONGTHON_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "nongthon.web",
    "nongthon.places",
    "nongthon.accounts",
    "nongthon.catalogue",
    "nongthon.assessment",
    "nongthon.plans",
    "nongthon.recognition",
    "nongthon.demo",
    "nongthon.ocop",
    "nongthon.funding",
    "csp",
    "nongthon.audit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "nongthon.ops",
    "nongthon.reporting",
    # The REST API; "ninja" serves the docs page's Swagger files locally (no CDN).
    "ninja",
    "nongthon.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so every response gets the Content-Security-Policy (see CONTENT_SECURITY_POLICY).
    "csp.middleware.CSPMiddleware",
    # A NUL character in a path or parameter is a 400 before any view (web/request_guard.py).
    "nongthon.web.request_guard.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nongthon.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor authentication: request.user.is_verified(), then the gate (accounts/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "nongthon.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lock-outs into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nongthon.urls"
WSGI_APPLICATION = "nongthon.wsgi.application"

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
                "nongthon.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'nongthon.sqlite3'}",
        conn_max_age=int(os.environ.get("NONGTHON_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer works; the timeout waits out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

# Per-process memory: what is cached (a province's rendered matrix) is validated against the
# database on every read (assessment/matrix_cache.py), so workers need not share a cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "nongthon",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# At least 10 characters with letters and digits, unlike the user's details, not common; each
# rule with its Vietnamese message (accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "nongthon.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "nongthon.accounts.passwords.LettersAndDigitsValidator"},
    {"NAME": "nongthon.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "nongthon.accounts.passwords.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins: five tries per user name and address, then an hour's pause.
AXES_FAILURE_LIMIT = int(os.environ.get("NONGTHON_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Failed logins kept for each user's login history (successful ones: AccessLog, on by default).
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Two-factor authentication (TOTP) is required of province coordinators and system admins:
# on by default in production, off elsewhere (the demo's coordinator logs in with a password).
NONGTHON_REQUIRE_2FA = _flag("NONGTHON_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = os.environ.get("NONGTHON_2FA_ISSUER", "nongthon")

# Sessions end after 8 working hours or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("NONGTHON_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): everything from this site only, no inline script or
# style, no eval, no frames. Templates put behaviour in static JS files (web/static/web/site.js,
# data- attributes) and sizes in CSS classes; data: images are allowed for Bootstrap's icons and
# map markers. NONGTHON_CSP_IMG_HOSTS adds image hosts (e.g. a map tile server), space-separated.
_CSP_SELF, _CSP_NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, "data:", *os.environ.get("NONGTHON_CSP_IMG_HOSTS", "").split()],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_NONE],
    }
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("NONGTHON_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("NONGTHON_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind the reverse proxy that terminates TLS (see README, Deploy).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = os.environ.get("NONGTHON_LANGUAGE", "vi")
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["nongthon.formats"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "nongthon.ops.static.StaticFilesStorage"  # WhiteNoise's, see ops/static.py
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production the app's own static folders are served directly (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded evidence lives outside the web root and is served through views that check access.
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest spreadsheet accepted by an import, in bytes.
NONGTHON_MAX_IMPORT_BYTES = int(os.environ.get("NONGTHON_MAX_IMPORT_BYTES", str(10 * 1024 * 1024)))

# Logs: JSON lines in production (one object per line with the request id, user, path, status
# and duration of each request; see nongthon.ops.logs), readable text elsewhere.
LOG_FORMAT = os.environ.get("NONGTHON_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "nongthon.ops.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "nongthon.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT in {"json", "text"} else "text",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("NONGTHON_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History is read, never rewritten: no "revert" in the admin (see audit/admin.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Audit log and login lockouts: how many reverse proxies in front of the app append to
# X-Forwarded-For (0: the client's address is REMOTE_ADDR). See web/client_ip.py.
NONGTHON_TRUSTED_PROXIES = int(os.environ.get("NONGTHON_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "nongthon.web.client_ip.client_ip"

# Plans: task reminders by e-mail (`nongthon send_task_reminders`). The console backend prints
# them (demo, development); set NONGTHON_EMAIL_BACKEND and Django's EMAIL_HOST... for SMTP.
EMAIL_BACKEND = os.environ.get(
    "NONGTHON_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("NONGTHON_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("NONGTHON_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("NONGTHON_FROM_EMAIL", "nongthon@localhost")

# --- Operations (nongthon.ops): pool, replica, health, request logs, background jobs ---------
# See docs/production.md.


def _server_options(database: dict) -> None:
    """PostgreSQL: a short connect timeout (the health check answers fast when the server is
    gone) and, with NONGTHON_DB_POOL, Django's native psycopg pool (it requires CONN_MAX_AGE 0)."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    options = database.setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", int(os.environ.get("NONGTHON_DB_CONNECT_TIMEOUT", "5")))
    if _flag("NONGTHON_DB_POOL", False):
        database["CONN_MAX_AGE"] = 0
        options["pool"] = {
            "min_size": int(os.environ.get("NONGTHON_DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("NONGTHON_DB_POOL_MAX", "10")),
            # Seconds a request waits for a free connection before it fails.
            "timeout": float(os.environ.get("NONGTHON_DB_POOL_TIMEOUT", "10")),
        }


_server_options(DATABASES["default"])

# Reads of dashboards and reports go to a read replica when one is configured
# (nongthon.ops.replica); writes, sessions and accounts always use the primary.
REPLICA_DATABASE_URL = os.environ.get("NONGTHON_REPLICA_DATABASE_URL", "")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_DATABASE_URL, conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0)
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["replica"]["OPTIONS"] = {"timeout": 20}
        DATABASES["replica"]["CONN_MAX_AGE"] = 0
    _server_options(DATABASES["replica"])
    # In tests the replica is the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["nongthon.ops.replica.ReplicaRouter"]

# Health check first (no host check, no HTTPS redirect, not logged: load balancers probe it),
# then the request log around everything else; a database outage in a view becomes a clear
# 503 page instead of a server error.
MIDDLEWARE.insert(0, "nongthon.ops.middleware.HealthCheckMiddleware")
MIDDLEWARE.insert(1, "nongthon.ops.middleware.RequestLogMiddleware")
MIDDLEWARE.insert(2, "nongthon.ops.replica.ReplicaReadsMiddleware")
MIDDLEWARE.append("nongthon.ops.middleware.DatabaseOutageMiddleware")

# Background jobs (django-tasks): "immediate" runs a job at once in the calling process (the
# default outside production: behaviour as before); "database" queues it in the database for
# `nongthon db_worker` (the production default).
TASKS_MODE = os.environ.get("NONGTHON_TASKS", "database" if PRODUCTION else "immediate")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_MODE == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
# A failed job is tried again after these delays (seconds), then given up and shown to admins.
NONGTHON_JOB_RETRY_DELAYS = [
    int(s) for s in os.environ.get("NONGTHON_JOB_RETRY_DELAYS", "60,600").split(",") if s.strip()
]
# The backups' dumpdata fallback keeps timestamps to the microsecond (nongthon.ops.backup).
SERIALIZATION_MODULES = {"jsonexact": "nongthon.ops.exact_json"}
# Dashboard map (web): a plain background by default, so the map works without internet. Set a
# tile server's URL template ("https://tiles.example.org/{z}/{x}/{y}.png") and its attribution
# to draw tiles under the communes.
NONGTHON_MAP_TILES_URL = os.environ.get("NONGTHON_MAP_TILES_URL", "")
NONGTHON_MAP_TILES_ATTRIBUTION = os.environ.get("NONGTHON_MAP_TILES_ATTRIBUTION", "")
