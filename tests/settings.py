"""Test settings: the real settings, on PostgreSQL when it answers."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production")

from case_project.settings import *  # noqa: F403
from case_project.settings import DATABASES, env
from tests.services import POSTGRES_AVAILABLE, POSTGRES_URL

if POSTGRES_AVAILABLE:
    DATABASES["default"] = env.db_url_config(POSTGRES_URL)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A distinct name per checkout lets parallel runs share one server.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_case")}
else:
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
# A retry timer would outlive the test that started it (see test_tasks.py).
OUTBOX_EAGER_RETRY = False
# Deliver inline at commit, so a test sees the effects when its call returns.
OUTBOX_EAGER_BACKGROUND = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages render without `collectstatic` (production uses the manifest storage).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = True

# No test reaches the internet: a test that forgets its fake hits a closed
# loopback port (a transient failure), never slack.com or PagerDuty.
SLACK_API_BASE_URL = "http://127.0.0.1:9/api/"
PAGERDUTY_EVENTS_URL = "http://127.0.0.1:9/v2/enqueue"
