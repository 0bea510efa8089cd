"""Settings for every Partnernet process, read from the environment.

One module on purpose: an operator changes behaviour through ``PARTNERNET_*`` variables and ``DATABASE_URL``
(FORMATS.md), never by editing Python. Everything that must persist between runs (the SQLite database, the
secret key, uploads) lives under ``PARTNERNET_DATA_DIR`` so an instance is one folder to back up.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PARTNERNET_DATA_DIR", "var")).resolve()
NO_WRITE = os.environ.get("PARTNERNET_NO_WRITE") == "1"
"""Set by ``partnernet … --help``: read the settings, write nothing into the data folder."""
if not NO_WRITE:
    DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The secret key comes from the environment, or is made once in the data folder (mode 0600)."""
    from_env = os.environ.get("PARTNERNET_SECRET_KEY")
    if from_env:
        return from_env
    path = DATA_DIR / "secret_key"
    if NO_WRITE and not path.exists():
        return secrets.token_urlsafe(50)  # nothing signed with it outlives the help text
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("PARTNERNET_DEBUG", "") == "1"
PORT = int(os.environ.get("PARTNERNET_PORT", "8000"))
BASE_URL = os.environ.get("PARTNERNET_BASE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
_base_host = urlsplit(BASE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = sorted(
    {_base_host, "127.0.0.1", "localhost", "[::1]", "testserver"}
    | {h.strip() for h in os.environ.get("PARTNERNET_ALLOWED_HOSTS", "").split(",") if h.strip()}
)
CSRF_TRUSTED_ORIGINS = [f"{urlsplit(BASE_URL).scheme}://{urlsplit(BASE_URL).netloc}"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    # Partnernet's apps in the order of their layers (docs/ARCHITECTURE.md): an app imports only apps above
    # it in this list, and each registers its record kinds in its ``ready`` before the layers that read them.
    "partnernet.audit",
    "partnernet.i18n",
    "partnernet.base",
    "partnernet.notifications",
    "partnernet.directory",
    "partnernet.accounts",
    "partnernet.framework",
    "partnernet.partnerships",
    "partnernet.support",
    "partnernet.impact",
    "partnernet.sustainability",
    "partnernet.analytics",
    "partnernet.library",
    "partnernet.federation",
    "partnernet.exchange",
    "partnernet.api",
    "partnernet.web",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.mediawiki",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "partnernet.api.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partnernet.urls"
WSGI_APPLICATION = "partnernet.wsgi.application"


def _package_folder(name: str) -> Path:
    """Where an installed package's files are, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the package {name!r} is not installed: run scripts/bootstrap")
    return Path(next(iter(spec.submodule_search_locations)))


NINJA_FILES = _package_folder("ninja")
"""Django Ninja's templates and static files (the API docs' Swagger UI), found without importing Ninja.

Ninja is not an installed app. As one, every process imported Ninja and pydantic at start-up, about a
tenth of a second, for files only ``/api/docs`` uses; now the API's modules import it when the URLs load.
The data commands of the command line, which skip Django's system checks (``cli.UNCHECKED``), no longer
load it at all; ``serve`` and ``worker`` still do, through the checks and the web server's warm-up.
``partnernet.api.urls.docs`` renders the page from these folders. (Ninja's one management command,
``export_openapi_schema``, goes with it: ``/api/v1/openapi.json`` serves the same document.)"""

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [NINJA_FILES / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnernet.notifications.context_processors.unread",
            ],
        },
    },
]


PG_SESSION = "-c max_parallel_workers_per_gather=0"
"""What every PostgreSQL session of Partnernet's starts with: no parallel plans.

Partnernet's statements are a web page's (a page of rows, a count, an index walk): a parallel plan splits
one of them over extra processes, which only pays on cores no other request wants. Under load they all do:
at a million partnerships on two cores, 16 clients of the entity page were served 47 pages/s with parallel
plans and 83 without, the analytics page 88 and 133 (``benchmarks/web/load.py``, RESULTS.md). An operator
who wants them back sets ``options`` in ``DATABASE_URL``
(``?options=-c%20max_parallel_workers_per_gather%3D2``): what it says comes later and wins."""


def _postgresql_options(given: dict[str, object]) -> dict[str, object]:
    """``given`` (``DATABASE_URL``'s query) with ``PG_SESSION`` put before any ``options`` of its own."""
    own = str(given.get("options") or "").strip()
    return {**given, "options": f"{PG_SESSION} {own}".strip()}


def _database() -> dict[str, object]:
    """``DATABASE_URL`` when set; otherwise SQLite in the data folder, in WAL mode with a busy timeout.

    WAL lets the web server, the worker and CLI commands read while one of them writes; IMMEDIATE transactions
    take the write lock up front so two writers queue instead of failing half-way with "database is locked".
    Connections are kept for a minute, as on PostgreSQL: opening one (Django's SQL functions, the pragmas)
    cost about 3 ms of CPU, more than a whole ``/healthz`` answer, on every request.
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        if config["ENGINE"] == "django.db.backends.mysql":
            # MariaDB (10.11 and later) through PyMySQL, a pure-Python driver: nothing to compile on the
            # hosts (Toolforge, Cloud VPS). utf8mb4 for every script of the movement; strict mode so a value
            # the column cannot hold is an error, never silently cut; READ COMMITTED like PostgreSQL.
            import pymysql

            pymysql.install_as_MySQLdb()
            config["OPTIONS"] = {
                "charset": "utf8mb4",
                "init_command": "SET sql_mode='STRICT_TRANS_TABLES,NO_ZERO_DATE'",
                "isolation_level": "read committed",
                **dict(config.get("OPTIONS") or {}),  # type: ignore[call-overload]
            }
            config.setdefault("TEST", {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"})
        if config["ENGINE"] == "django.db.backends.postgresql":
            config["OPTIONS"] = _postgresql_options(dict(config.get("OPTIONS") or {}))  # type: ignore[call-overload]
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "partnernet.sqlite3"),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            # The WAL is copied into the database (and synced) every 64 MiB rather than every 4 MiB: a pull
            # of a peer's feed commits once per page, and a checkpoint at nearly every commit cost a tenth
            # of it (benchmarks/federation/apply.py: 24.0 s -> 21.4 s at 50,000 partnerships).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; "
                "PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=16384;"
            ),
        },
    }


DATABASES = {"default": _database()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # Known and documented (docs/DEPLOY.md, MariaDB): no partial unique indexes (the services hold those
    # rules), and unique URLs of 300 characters fit InnoDB's 3072-byte keys in utf8mb4.
    SILENCED_SYSTEM_CHECKS = ["models.W036", "mysql.W003"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "personal_home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("de", _("German")),
    ("pt-br", _("Brazilian Portuguese")),
]
"""UI languages. Adding one is a documented step (README "Adding a language"): a line here, a complete
catalog in ``locale/``, and seed labels for the taxonomy; ``tests/web/test_translations.py`` checks them all.
Portuguese is offered as ``pt-br``: Brazil has most of the movement's Portuguese speakers, CLDR's plain ``pt``
is Brazilian Portuguese, and a browser asking for ``pt-PT`` still falls back to it."""
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "partnernet_language"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if not NO_WRITE:
    STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [NINJA_FILES / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
CACHE_DIR = DATA_DIR / "cache"
"""The instance's cache (``CACHES``), which ``restore`` removes with the database it replaces."""
CACHES = {
    # One cache for every process of the instance (the web server's workers, the background worker, CLI
    # commands), in the data folder: a page's cached facet counts are then made once, not once per worker
    # (a registry search's first view costs 0.1 to 0.2 s at a million partnerships); a change to the
    # framework's labels is seen by every worker at once; and the rate limits (allauth's sign-up and
    # password-reset limits, the public support form) count across workers rather than once per worker
    # (failed sign-ins are counted by axes, in the database). Nothing in it needs
    # keeping: it may be deleted at any time. A folder rather than the database so that a page's read never
    # waits for a SQLite writer. Without a writable data folder (``PARTNERNET_NO_WRITE``), in memory.
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if NO_WRITE
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(CACHE_DIR),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Impact connectors: Wikimedia's public APIs. Base URLs are settings so tests (and mirrors) can point them
# elsewhere; requests identify Partnernet in their User-Agent as Wikimedia's API policy asks.
IMPACT_COMMONS_API = os.environ.get("PARTNERNET_COMMONS_API", "https://commons.wikimedia.org/w/api.php")
IMPACT_WIKIDATA_API = os.environ.get("PARTNERNET_WIKIDATA_API", "https://www.wikidata.org/w/api.php")
IMPACT_PAGEVIEWS_API = os.environ.get(
    "PARTNERNET_PAGEVIEWS_API", "https://wikimedia.org/api/rest_v1/metrics/pageviews"
)
IMPACT_DASHBOARD_URL = os.environ.get("PARTNERNET_DASHBOARD_URL", "https://outreachdashboard.wmflabs.org")
IMPACT_HTTP_TIMEOUT = float(os.environ.get("PARTNERNET_HTTP_TIMEOUT", "20"))
IMPACT_HTTP_RETRIES = int(os.environ.get("PARTNERNET_HTTP_RETRIES", "3"))
IMPACT_USER_AGENT = os.environ.get(
    "PARTNERNET_USER_AGENT", f"Partnernet/0.1 (+{BASE_URL}; impact fetch) python-httpx"
)

EMAIL_BACKEND = os.environ.get("PARTNERNET_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("PARTNERNET_FROM_EMAIL", "partnernet@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "partnernet.web.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitors on the machine ask over plain HTTP (FORMATS.md)
if BASE_URL.startswith("https://"):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("PARTNERNET_HSTS_PRELOAD", "1") == "1"
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("PARTNERNET_LOG_LEVEL", "WARNING")},
}

# Federation (DESIGN.md "Federation"): the private key lives in a file of the data folder (mode 0600), never
# in the database; the operator is the entity that runs this instance (its key, as published in
# /.well-known/partnernet).
FEDERATION_KEY_FILE = DATA_DIR / "federation-ed25519.pem"
FEDERATION_OPERATOR = os.environ.get("PARTNERNET_OPERATOR", "")
FEDERATION_TIMEOUT = float(os.environ.get("PARTNERNET_FEDERATION_TIMEOUT", "10"))
FEDERATION_DEADLINE = float(os.environ.get("PARTNERNET_FEDERATION_DEADLINE", "120"))
FEDERATION_PAGE_SIZE = int(os.environ.get("PARTNERNET_FEDERATION_PAGE_SIZE", "500"))
FEDERATION_MAX_BODY = 16 * 1024 * 1024

# Accounts and login (issue 8): local accounts with Argon2, "Log in with Wikimedia" through allauth's
# MediaWiki OAuth 2 provider, login throttling by django-axes. The OAuth consumer key and secret come from the
# environment only; without them the Wikimedia button is not offered.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# Failed logins are counted by django-axes alone (one lockout rule for the admin and allauth's pages);
# allauth's other limits (signup, password reset) stay.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
_mediawiki_app = (
    [
        {
            "client_id": os.environ["PARTNERNET_MEDIAWIKI_CLIENT_ID"],
            "secret": os.environ.get("PARTNERNET_MEDIAWIKI_SECRET", ""),
        }
    ]
    if os.environ.get("PARTNERNET_MEDIAWIKI_CLIENT_ID")
    else []
)
SOCIALACCOUNT_PROVIDERS = {
    "mediawiki": {
        "APPS": _mediawiki_app,
        "REST_API": os.environ.get("PARTNERNET_MEDIAWIKI_REST_API", "https://meta.wikimedia.org/w/rest.php"),
        "USERPAGE_TEMPLATE": "https://meta.wikimedia.org/wiki/User:{username}",
        "USER_AGENT": f"Partnernet ({BASE_URL})",
    }
}
AXES_FAILURE_LIMIT = int(os.environ.get("PARTNERNET_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "partnernet.accounts.selectors.login_name"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
if BASE_URL.startswith("https://"):
    # Behind the reverse proxy that terminates TLS, the client address is the proxy's last hop.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Content-Security-Policy (django-csp 4): no inline script or style anywhere; pages load only this origin's
# files. htmx is configured by a meta tag and the API docs by a JSON block read by a static script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Uploads: a request body or file above this size is refused before it is read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Anonymous full exports streaming at once per server process; more answer 429 (base/fairuse.py).
PARTNERNET_ANONYMOUS_EXPORTS = int(os.environ.get("PARTNERNET_ANONYMOUS_EXPORTS", "2"))
PARTNERNET_UPLOAD_MAX_BYTES = int(os.environ.get("PARTNERNET_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
