"""Touchstone settings.

Every deploy knob comes from the environment through one typed reader (django-environ).
With nothing set but DEBUG=1, the app runs on the embedded default: a PostgreSQL server
started by the project under var/, Celery in eager mode, local-memory cache, emails
written to var/outbox/.
Production sets DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY and ALLOWED_HOSTS.
One file, longer than most modules, so that every setting is found by reading it top to
bottom, each beside the environment variable it comes from.
"""

from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration
from pythonjsonlogger.core import RESERVED_ATTRS

from lib.embedded_postgres import embedded_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env (written by `make`, never committed) holds developer defaults;
# real environment variables always win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-only-for-debug-mode")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_guid",
    "csp",
    "touchpoints",
    "journeys",
    "surveys",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "lib.private_cache.PrivateByDefault",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: it answers a locked-out login attempt itself.
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# The customer's survey links (lib/handlers.py) skip what only the staff pages use; a
# middleware added above reaches them too unless it is listed here.
STAFF_ONLY_MIDDLEWARE = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
}
SURVEY_MIDDLEWARE = [name for name in MIDDLEWARE if name not in STAFF_ONLY_MIDDLEWARE]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "touchpoints.context_processors.role",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# PostgreSQL only. An empty value counts as unset, so `DATABASE_URL= make run` means the
# embedded default: a server installed by pip and started by the project under var/.
DATABASE_URL = env.str("DATABASE_URL", default="") or embedded_database_url(
    VAR_DIR / "postgres", "touchstone"
)
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        f"DATABASE_URL must name a PostgreSQL database (postgres://...), not {DATABASE_URL!r}"
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's default page cost (4) models spinning disks: with it, matching a batch's
# 500 keys scans a 100,000-row table instead of probing its index 500 times, and a
# batch gets slower as the tables grow. 1.1 is the usual value for SSDs and a cached
# working set; empty leaves the server's own.
if page_cost := env.str("DATABASE_RANDOM_PAGE_COST", default="1.1"):
    try:
        page_cost = float(page_cost)
    except ValueError:
        raise ImproperlyConfigured(
            f"DATABASE_RANDOM_PAGE_COST must be a number, not {page_cost!r}"
        ) from None
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # After any options the URL gives (?options=...), not instead of them.
    options["options"] = f"{options.get('options', '')} -c random_page_cost={page_cost}".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker -----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    # Redis holds nothing a request needs to succeed: throttle and link-miss counters,
    # wake-up markers, the workers' heartbeat, cached figures. While it is down (restarting,
    # say) requests go on as if the cache were empty, instead of losing answers;
    # /healthz still names the outage, and a warning is logged (at most every 10 s).
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Installs (or test runs) sharing one Redis keep their keys apart.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="touchstone"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Longest task time limit; the broker's visibility timeout must stay above it so a slow
# task is not handed to a second worker while the first is still running it.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 4}
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="touchstone")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# Workers log through LOGGING below (JSON, request ids), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Crontab schedules are read in the site's time zone: "Monday 7:00" is the site's morning.
CELERY_TIMEZONE = env.str("TIME_ZONE", default="UTC")
CELERY_BEAT_SCHEDULE = {
    # Safety net: dirty rollups whose wake-up was lost (e.g. Redis restarted) are drained.
    "deliver-invitations": {
        "task": "surveys.tasks.deliver_invitations",
        "schedule": timedelta(minutes=1).total_seconds(),
    },
    "drain-rollups": {
        "task": "surveys.tasks.drain_rollups",
        "schedule": timedelta(minutes=1).total_seconds(),
    },
    # /healthz reads when a worker last ran this: beat and workers are alive.
    "heartbeat": {
        "task": "surveys.tasks.heartbeat",
        "schedule": timedelta(minutes=1).total_seconds(),
    },
    "escalate-overdue-follow-ups": {
        "task": "surveys.tasks.escalate_overdue_follow_ups",
        "schedule": timedelta(minutes=5).total_seconds(),
    },
    # Monday morning, local time (CELERY_TIMEZONE): each head's last week.
    "send-weekly-digests": {
        "task": "surveys.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week=1, hour=7, minute=0),
    },
    "check-standards": {
        "task": "surveys.tasks.check_standards",
        "schedule": timedelta(hours=1).total_seconds(),
    },
    "send-pulse": {
        "task": "surveys.tasks.send_pulse",
        "schedule": crontab(day_of_month=1, hour=9, minute=0),
    },
    "score-unscored-comments": {
        "task": "surveys.tasks.score_unscored_comments",
        "schedule": crontab(hour=2, minute=15),
    },
    "purge-expired": {
        "task": "surveys.tasks.purge_expired",
        "schedule": crontab(hour=3, minute=0),
    },
    "deliver-webhooks": {
        "task": "surveys.tasks.deliver_webhooks",
        "schedule": timedelta(minutes=1).total_seconds(),
    },
    "refresh-themes": {
        "task": "surveys.tasks.refresh_themes",
        "schedule": crontab(hour=2, minute=45),
    },
    # The real-paths chart counts yesterday's paths too.
    "rebuild-paths": {
        "task": "surveys.tasks.rebuild_paths",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- Email ----------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "outbox"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Touchstone <surveys@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A strict content security policy: scripts only from our own files (no inline script, no
# eval), no plugins or frames, forms post only here. Plotly and htmx set inline styles,
# which the policy allows; styles cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

LOGIN_URL = "login"
# Repeated failed logins lock the username and address pair out for a while (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Reverse proxies of our own in front of the app (each appends to X-Forwarded-For): the
# client's address is taken that many entries from the right (lib/client_address.py).
TOUCHSTONE_TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
if TOUCHSTONE_TRUSTED_PROXY_HOPS:
    AXES_IPWARE_PROXY_COUNT = TOUCHSTONE_TRUSTED_PROXY_HOPS
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- I18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The languages of the customer's pages and emails (their fixed texts, in locale/), which
# a survey's own questions can be worded in too.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("nl", "Nederlands"),
]
SURVEY_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "lib.static_finders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_PARSER_CLASSES": [
        "lib.json_parser.JSONParserWithDepthLimit",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # The token first: a bad or missing key is then a 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "touchpoints.api_tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "touchpoints.api_tokens.IntegrationTokenLimits",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["touchpoints.api_tokens.TokenWriteThrottle"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lib.api_errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    # Swagger UI from the sidecar package's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "TITLE": "Touchstone API",
    "DESCRIPTION": "Customer journey maps measured touchpoint by touchpoint.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,  # the schema's own view is not part of the API
    # Two choice sets share a field name ("outcome"): each gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "InteractionOutcomeEnum": "touchpoints.models.Outcome",
        "ContactOutcomeEnum": "surveys.models.ContactOutcome",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lib.openapi.document_errors",
    ],
}

# --- Security (production defaults; each can be relaxed from the environment) ---------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Health probes (load balancers, docker-compose) ask over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "lib.error_pages.csrf_failure"
X_FRAME_OPTIONS = "DENY"

# --- Touchstone -----------------------------------------------------------------------
# Below this many answers a touchpoint's scores are shown as "not enough data".
TOUCHSTONE_MIN_SAMPLE = env.int("TOUCHSTONE_MIN_SAMPLE", default=30)
# The action lists: promoters not asked for a referral within this many days, and customers
# at risk for a detractor answer, an open complaint or walking away within this many.
OUTREACH_REFERRAL_DAYS = env.int("OUTREACH_REFERRAL_DAYS", default=180)
OUTREACH_RISK_DAYS = env.int("OUTREACH_RISK_DAYS", default=30)
# Public answers (a touchpoint's link, QR code, kiosk or widget) past these are kept aside,
# uncounted: per address an hour (a kiosk is exempt), and per touchpoint a minute.
TOUCHSTONE_PUBLIC_ANSWERS_PER_ADDRESS = env.int("PUBLIC_ANSWERS_PER_ADDRESS", default=20)
TOUCHSTONE_PUBLIC_ANSWERS_PER_MINUTE = env.int("PUBLIC_ANSWERS_PER_MINUTE", default=60)
# The sites that may frame a touchpoint's survey widget (CSP frame-ancestors).
TOUCHSTONE_WIDGET_ORIGINS = env.list("WIDGET_ORIGINS", default=["*"])
# Recovery counts a customer as back when they meet a touchpoint again within this many
# days of their follow-up opening.
RECOVERY_WINDOW_DAYS = env.int("RECOVERY_WINDOW_DAYS", default=90)
# The live gap and n on the map's cards cover this many days up to today.
TOUCHSTONE_BOARD_DAYS = env.int("BOARD_SCORE_DAYS", default=90)
# Named in survey emails and on the survey page.
TOUCHSTONE_COMPANY_NAME = env.str("COMPANY_NAME", default="Touchstone Flooring")
# The domain of survey emails' Message-IDs.
TOUCHSTONE_MAIL_DOMAIN = env.str("MAIL_DOMAIN", default=urlsplit(SITE_URL).hostname or "localhost")
# A response whose gap (expected - experienced) is at least this large opens a follow-up,
# as does every detractor (NPS 0-6).
TOUCHSTONE_FOLLOW_UP_GAP = env.int("FOLLOW_UP_GAP", default=3)
# Requests for unknown survey links allowed per client address per 10 minutes.
TOUCHSTONE_LINK_MISSES_PER_IP = env.int("LINK_MISSES_PER_IP", default=20)
# Raw comments, complaint texts and customers' personal data older than this many days are
# purged nightly (the scores stay); 0 keeps them.
TOUCHSTONE_RETENTION_DAYS = env.int("RETENTION_DAYS", default=0)
# Themes are found in the comments and complaints of this many days up to today; texts
# arriving between fits are placed in the themes found, and a touchpoint is refitted when
# they grow by this share of those fitted on, or when its fit is this many days old.
TOUCHSTONE_THEME_WINDOW_DAYS = env.int("THEME_WINDOW_DAYS", default=180)
TOUCHSTONE_THEME_REFIT_GROWTH = env.float("THEME_REFIT_GROWTH", default=0.25)
TOUCHSTONE_THEME_REFIT_DAYS = env.int("THEME_REFIT_DAYS", default=7)
# Internal networks webhooks may reach on purpose (CIDR, comma-separated); by default only
# public addresses are, never loopback, private, link-local or metadata ones.
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])
for _network in WEBHOOK_ALLOWED_NETWORKS:
    try:
        ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"WEBHOOK_ALLOWED_NETWORKS: {_network!r} is not a network such as 10.0.0.0/8"
        ) from None
# Writes per API token (a batch of up to 1,000 interactions is one write), then 429.
TOUCHSTONE_TOKEN_WRITE_RATE = env.str("TOKEN_WRITE_RATE", default="120/min")
# The resolution-time standard of complaints: resolved within this many hours.
TOUCHSTONE_COMPLAINT_RESOLUTION_HOURS = env.int("COMPLAINT_RESOLUTION_HOURS", default=72)
# A touchpoint meeting its timed standards for less than this % of interactions in a window
# of this many days (with at least this many measured) alerts its heads, once per window.
TOUCHSTONE_STANDARD_ALERT_THRESHOLD = env.int("STANDARD_ALERT_THRESHOLD", default=80)
TOUCHSTONE_STANDARD_ALERT_WINDOW_DAYS = env.int("STANDARD_ALERT_WINDOW_DAYS", default=7)
TOUCHSTONE_STANDARD_ALERT_MIN_MEASURED = env.int("STANDARD_ALERT_MIN_MEASURED", default=20)

# A request id on every log line (django-guid): taken from the proxy's X-Request-ID when it
# is a UUID, else made; sent back in the response, and carried into the Celery tasks the
# request queues, so one customer's answer can be followed from the web log into the
# worker's.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=False)],
}

# One JSON object per line in production (LOG_FORMAT=json), plain text when developing.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_tokens": {"()": "lib.log_filters.RedactSurveyTokens"},
        "quiet_client_errors": {"()": "lib.log_filters.QuietClientErrors"},
        "once_every_10_s": {"()": "lib.log_filters.OncePer", "seconds": 10},
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        },
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger", "exc_info": "exception"},
            "timestamp": "time",
            # Other extras of a record go out as fields; a request's would carry its URL,
            # and a survey link's token with it.
            "reserved_attrs": [*RESERVED_ATTRS, "request", "server_time"],
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_tokens", "request_id"],
        }
    },
    "loggers": {
        # Everything goes to the root's one handler: Django's own console handler would
        # print each of its lines a second time.
        "django": {"handlers": [], "propagate": True},
        # Loggers that write request paths redact survey tokens before any handler sees them.
        "django.request": {"filters": ["redact_tokens", "quiet_client_errors"]},
        "django.security.csrf": {"filters": ["redact_tokens"]},
        # The dev server's request lines (Django keeps them off the root by default).
        "django.server": {"filters": ["redact_tokens"], "propagate": True},
        # A Redis outage would log every cache call it forgave.
        "django_redis": {"filters": ["once_every_10_s"]},
        # Each id set and sent along is logged at INFO.
        "django_guid": {"level": "WARNING"},
        # Every start and stop of the embedded database is logged at INFO with its commands.
        "embedded_postgres": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Error reporting (optional) --------------------------------------------------------
# Errors of requests and tasks go to Sentry (or a compatible server) when a DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from lib.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
