"""Django settings for Case, read from the environment and an optional `.env`.

Nothing here raises on a bad or missing value: problems are reported by the
system checks in `case_project/checks.py`, so `manage.py check` lists them all.
"""

import secrets

from case_project.env import BASE_DIR, env, env_bool, env_float, env_int, env_list, env_str
from case_project.logs import logging_config
from case_project.security_settings import proxy_ssl_header
from case_project.sentry import sentry_init

env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env_bool("DEBUG", default=False)

# Required unless DEBUG; a missing key is the system check case.E001, not a
# crash, so `manage.py check` can report it alongside everything else.
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or f"insecure-unset-{secrets.token_urlsafe(32)}"
SECRET_KEY_FROM_ENV = bool(env_str("DJANGO_SECRET_KEY"))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or (["*"] if DEBUG else ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "case_project.apps.CaseProjectConfig",
    "investigations",
    "slack_integration",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves STATIC_ROOT (admin CSS, dashboard) with DEBUG off; see docs/installation.md.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "case_project.urls"
WSGI_APPLICATION = "case_project.wsgi.application"

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
            ],
        },
    },
]

# The embedded default is a SQLite file beside manage.py; postgres:// and
# postgresql:// URLs both select psycopg 3.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
SUPPORTED_DATABASE_ENGINES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")
DATABASE_URL_PROBLEM = ""
try:
    _database = env.db_url_config(DATABASE_URL)
except Exception as error:  # reported by check case.E002, never raised here
    _database, DATABASE_URL_PROBLEM = {}, str(error)
if not DATABASE_URL_PROBLEM and _database.get("ENGINE") not in SUPPORTED_DATABASE_ENGINES:
    DATABASE_URL_PROBLEM = f"unsupported engine {_database.get('ENGINE')!r}"
if DATABASE_URL_PROBLEM:
    # Keep Django importable so `manage.py check` can say what is wrong.
    _database = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
DATABASES = {"default": _database}
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("CONN_MAX_AGE", default=0))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": env.cache_url_config(CACHE_URL)
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Django's Redis backend with one client per server and a one-round-trip
# counter for the rate limit; same keys and values (case_project/cache.py).
if CACHES["default"].get("BACKEND") == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "case_project.cache.RedisCache"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_str("STATIC_ROOT") or str(BASE_DIR / "staticfiles")
# `manage.py collectstatic` fills STATIC_ROOT with hashed, compressed copies that
# whitenoise serves with far-future cache headers (check case.W002 if missing).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Celery. With no broker configured, tasks run in-process: set explicitly so
# Celery never falls back to its silent default broker (amqp://localhost).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# How long a publish may wait for the broker before the outbox row is left for
# the sweeper: a request must never hang on a dead broker.
CELERY_PUBLISH_TIMEOUT = env_float("CELERY_PUBLISH_TIMEOUT", default=1.0)
# Redis re-delivers an unacknowledged task after this many seconds; tasks ack
# late so a killed worker's task comes back (see README, "Workers").
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", default=3600)
OUTBOX_SWEEP_INTERVAL = env_float("OUTBOX_SWEEP_INTERVAL", default=30.0)
OUTBOX_SWEEP_GRACE = env_float("OUTBOX_SWEEP_GRACE", default=60.0)
# With no broker (eager tasks) a transient failure is retried by a timer
# thread in this process, since no beat runs; the tests turn it off.
OUTBOX_EAGER_RETRY = True
# With no broker, deliver on a background thread after the request (True), or
# inline at commit (False: deterministic tests).
OUTBOX_EAGER_BACKGROUND = env_bool("OUTBOX_EAGER_BACKGROUND", default=True)

# Slack (used by slack_integration; enabled when both are set).
SLACK_BOT_TOKEN = env_str("SLACK_BOT_TOKEN")
SLACK_SIGNING_SECRET = env_str("SLACK_SIGNING_SECRET")
SLACK_APP_TOKEN = env_str("SLACK_APP_TOKEN")
SLACK_API_BASE_URL = env_str("SLACK_API_BASE_URL", "https://slack.com/api/")
# Seconds one Slack Web API call may take before it counts as a transient failure.
SLACK_API_TIMEOUT = env_int("SLACK_API_TIMEOUT", default=10)
ISSUES_CHANNEL_ID = env_str("ISSUES_CHANNEL_ID")
INCIDENT_RESPONSE_GROUP_ID = env_str("INCIDENT_RESPONSE_GROUP_ID")
ALLOWED_WORKSPACE_IDS = env_list("ALLOWED_WORKSPACE_IDS")
EXPORT_AUTHORIZED_USERS = env_list("EXPORT_AUTHORIZED_USERS")
# Turned on only by `manage.py case_sandbox`, which wires Case to a built-in
# fake workspace; the /sandbox/ pages answer 404 while it is off.
SANDBOX_ENABLED = False
# Seconds a user's guest / Slack Connect verdict (from users.info) is cached.
SLACK_USER_CACHE_SECONDS = env_int("SLACK_USER_CACHE_SECONDS", default=600)
# Threads per process for the work Slack requests do after the ack.
SLACK_AFTER_ACK_THREADS = env_int("SLACK_AFTER_ACK_THREADS", default=8)
# Run that work in the request's thread, after the listener (tests only).
SLACK_AFTER_ACK_INLINE = env_bool("SLACK_AFTER_ACK_INLINE", default=False)

# PagerDuty Events API v2 (enabled when the routing key is set).
PAGERDUTY_ROUTING_KEY = env_str("PAGERDUTY_ROUTING_KEY")
PAGERDUTY_EVENTS_URL = env_str("PAGERDUTY_EVENTS_URL", "https://events.pagerduty.com/v2/enqueue")
PAGERDUTY_SEVERITY = env_str("PAGERDUTY_SEVERITY", "critical")

# stdout, secrets redacted, one line per event unless DEBUG (case_project/logs.py).
LOGGING = logging_config(level=env_str("LOG_LEVEL", "INFO"), one_line=not DEBUG)

# --- Production: proxy and HTTPS, Sentry, alarms, housekeeping ---------------
# (docs/installation.md). HTTPS-only switches are off by default because local
# and sandbox runs use plain http; the guide's production env turns them on.
# The proxy's header that says the original request was HTTPS, e.g.
# X-Forwarded-Proto; set it only if the proxy overwrites any client-sent copy.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER"))
# Empty (as copied from .env.example) means the default, never "off".
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = (
    env_bool("SECURE_COOKIES") if env_str("SECURE_COOKIES") else not DEBUG
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
# A load balancer probes over plain http: health and metrics never redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENABLED = sentry_init(
    dsn=SENTRY_DSN,
    environment=env_str("SENTRY_ENVIRONMENT", "production"),
    traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)

# What /healthz and /metrics call degraded (seconds).
HEARTBEAT_INTERVAL = env_float("HEARTBEAT_INTERVAL", default=30.0)
HEARTBEAT_MAX_AGE = env_float("HEARTBEAT_MAX_AGE", default=120.0)
OUTBOX_ALERT_AGE = env_float("OUTBOX_ALERT_AGE", default=300.0)
OUTBOX_FAILED_ALERT_WINDOW = env_float("OUTBOX_FAILED_ALERT_WINDOW", default=86400.0)
# Delivered outbox rows and Slack dedup keys older than this are deleted.
OUTBOX_RETENTION_DAYS = env_int("OUTBOX_RETENTION_DAYS", default=30)
HOUSEKEEPING_INTERVAL = env_float("HOUSEKEEPING_INTERVAL", default=3600.0)
# How often a worker asks Slack whether the installation still works.
SLACK_HEALTH_CHECK_INTERVAL = env_float("SLACK_HEALTH_CHECK_INTERVAL", default=300.0)

# Reporting: how often beat recomputes the all-time figures (a full scan of
# history), and how old they may be before a report computes them live.
REPORTING_SNAPSHOT_INTERVAL = env_float("REPORTING_SNAPSHOT_INTERVAL", default=300.0)
REPORTING_SNAPSHOT_MAX_AGE = env_float(
    "REPORTING_SNAPSHOT_MAX_AGE", default=3 * REPORTING_SNAPSHOT_INTERVAL
)
