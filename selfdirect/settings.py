"""One settings module, driven by the environment.

SQLite under var/ is the default so that a fresh checkout runs with no setup;
DATABASE_URL selects PostgreSQL for production and for the second test run.
Any secret may instead be given as a file path in <NAME>_FILE.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SELFDIRECT_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    """Read NAME from the environment, or from the file named by NAME_FILE."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", default=False)

# The demo key is only for a laptop; production refuses to start without a real one.
_DEMO_SECRET = "selfdirect-demo-key-not-for-production-use-0123456789abcdef"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", _DEMO_SECRET)
if SECRET_KEY == _DEMO_SECRET and env_bool("SELFDIRECT_PRODUCTION"):
    raise RuntimeError("Set SECRET_KEY (or SECRET_KEY_FILE) before running in production.")

ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

# What the council calls itself and the service. A council service is not GOV.UK,
# so these appear in the header instead of the crown.
COUNCIL_NAME = env("COUNCIL_NAME", "Northbridge Borough Council")
SERVICE_NAME = env("SERVICE_NAME", "Self-directed support")
PHASE = env("PHASE", "Beta")
# The council's code in the national Client Level Data return.
LA_CODE = env("LA_CODE", "999")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "govuk_frontend_django",
    "django_tasks",
    "django_tasks_db",
    # Serves the API docs' Swagger UI from our own static files (no CDN; CSP allows only self).
    "ninja",
    "selfdirect.core",
    "selfdirect.accounts",
    "selfdirect.workforce",
    "selfdirect.people",
    "selfdirect.audit",
    "selfdirect.assessments",
    "selfdirect.budgets",
    "selfdirect.plans",
    "selfdirect.support",
    "selfdirect.reviews",
    "selfdirect.dashboards",
    "selfdirect.caseloads",
    "selfdirect.portal",
    "selfdirect.returns",
    "selfdirect.legacy",
    "selfdirect.subject_access",
    "selfdirect.api",
    "selfdirect.retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "selfdirect.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "selfdirect.accounts.middleware.InactivityTimeoutMiddleware",
    "selfdirect.accounts.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "selfdirect.urls"
WSGI_APPLICATION = "selfdirect.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "selfdirect.core.context_processors.service",
            ],
            "builtins": ["selfdirect.core.templatetags.govuk_forms"],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL compiles a query to machine code (JIT) once its estimated cost passes
        # jit_above_cost. For this service's page queries that compiling takes longer than
        # running them: 360 ms of a team's caseload totals at size L. Off for our sessions.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [options.get("options"), "-c jit=off"]))
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "selfdirect.sqlite3"),
            "OPTIONS": {
                # WAL lets readers carry on while one writer writes; the busy timeout
                # makes a second writer wait instead of failing with "database is locked".
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sessions ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Signed out after this many seconds without a request (inactivity, not session age).
SESSION_INACTIVITY_TIMEOUT = int(env("SESSION_INACTIVITY_TIMEOUT", "1800"))
# The time of the last request is written to the session at most this often, not on every
# request: a write (and, on PostgreSQL, a commit to disk) per page view is the largest fixed
# cost of a page. So people are signed out between SESSION_INACTIVITY_TIMEOUT minus this and
# SESSION_INACTIVITY_TIMEOUT after their last request, never later.
SESSION_TOUCH_SECONDS = int(env("SESSION_TOUCH_SECONDS", "60"))
# The stored session outlives the timeout a little, so the sign-in page can say why they were
# signed out; InactivityTimeoutMiddleware does the signing out.
SESSION_COOKIE_AGE = SESSION_INACTIVITY_TIMEOUT + 300
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "selfdirect.core.views.csrf_failure"
# Two-factor authentication, throttling and confirming who you are (selfdirect/accounts/).
# Staff must set up an authenticator app before they can open any page with personal data.
TWO_FACTOR_ISSUER = env("TWO_FACTOR_ISSUER", COUNCIL_NAME)
# The 6th failed sign-in for the same username within a minute is refused (and its password
# is not even checked); an address gets more, because a council office shares one.
SIGN_IN_FAILURES_PER_MINUTE = int(env("SIGN_IN_FAILURES_PER_MINUTE", "5"))
SIGN_IN_FAILURES_PER_MINUTE_PER_ADDRESS = int(env("SIGN_IN_FAILURES_PER_MINUTE_PER_ADDRESS", "30"))
# Exports, subject access, sign-off limits and the RAS need a sign-in this recent (seconds).
REAUTH_SECONDS = int(env("REAUTH_SECONDS", "900"))
# Break-glass: how long a worker may see a record outside their caseload after giving a reason.
BREAK_GLASS_MINUTES = int(env("BREAK_GLASS_MINUTES", "60"))

SECURE = env_bool("SELFDIRECT_PRODUCTION")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000")) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE:
    # "__Host-" cookies are sent only over HTTPS, to this host, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# Behind a proxy or load balancer that ends TLS, Django sees plain HTTP: set this only if the
# proxy always sets X-Forwarded-Proto itself (and strips it from what clients send).
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
# Sent by core.security.SecurityHeadersMiddleware. No inline script or style anywhere, so
# none is allowed; charts are inline SVG with presentation attributes, not styles.
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "hid=(), midi=(), display-capture=()"
)

# --- Uploads ----------------------------------------------------------------
# Each uploaded file (the legacy import) must be smaller than this; its type is checked by
# its content, not its name. A whole request may carry five such files.
UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
REQUEST_MAX_BYTES = int(env("REQUEST_MAX_BYTES", str(5 * UPLOAD_MAX_BYTES + 1024 * 1024)))
# Form fields and JSON bodies (not files): Django's default, stated. Files above the second
# figure are streamed to a temporary file rather than held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o600

# --- Background jobs --------------------------------------------------------
# The demo and the tests run a job at once, inside the request that asks for it. Production
# sets TASKS_BACKEND=database and runs `selfdirect db_worker` beside the web server.
TASKS_BACKEND = env("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
    }
}
# The council-wide figures pages are worked out at most this often for the same filters
# (they take seconds at 100,000 people); the page says when, and can be refreshed.
FIGURES_CACHE_SECONDS = int(env("FIGURES_CACHE_SECONDS", "600"))
# Kept in the database, so every web process (gunicorn worker) shares one copy: a figure is
# worked out once per period, and "Work them out now" is seen by everyone. The table is made
# by a migration (core 0001).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "selfdirect_cache",
    }
}
# Files the service makes and keeps for download (the CLD return). Never under static/.
FILES_DIR = Path(env("SELFDIRECT_FILES_DIR", str(VAR_DIR / "files")))
# Retention (issue 9): how long records are kept after the end of support or the last contact
# (the Records Management Code's figures for adult social care; the council's own policy may
# differ, so they are settings), and how far ahead a record is listed for review before it
# falls due. See selfdirect/retention/policy.py.
RETENTION_CASE_YEARS = int(env("RETENTION_CASE_YEARS", "8"))
RETENTION_CONTACT_ONLY_YEARS = int(env("RETENTION_CONTACT_ONLY_YEARS", "2"))
RETENTION_REVIEW_DAYS = int(env("RETENTION_REVIEW_DAYS", "90"))

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:i a"

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves from the finders (no collectstatic on a laptop or in tests) but
# still expects STATIC_ROOT to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Built by scripts/build-assets from the govuk-frontend npm package (not committed).
STATICFILES_DIRS = [BASE_DIR / "selfdirect" / "static"]
# Serve straight from the app folders: no collectstatic step on a laptop or in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "selfdirect@example.org")

# --- Portal accounts --------------------------------------------------------
# How long a worker's invitation to use the portal works, and how long an emailed sign-in
# link works (each once only). Staff never sign in by link.
PORTAL_INVITATION_DAYS = int(env("PORTAL_INVITATION_DAYS", "7"))
SIGN_IN_LINK_MINUTES = int(env("SIGN_IN_LINK_MINUTES", "15"))

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
