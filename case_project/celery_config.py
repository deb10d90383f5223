"""Celery configuration derived from Django settings (lowercase Celery names)."""

from django.conf import settings

broker_url = settings.CELERY_BROKER_URL or "memory://"
task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
task_eager_propagates = False
task_ignore_result = True
# Ack after the task ran, so a worker killed mid-task leaves the message to be
# re-delivered (after the visibility timeout) instead of losing it.
task_acks_late = True
task_reject_on_worker_lost = True
worker_prefetch_multiplier = 1
broker_connection_retry_on_startup = True
broker_transport_options = {
    "visibility_timeout": settings.CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": settings.CELERY_PUBLISH_TIMEOUT,
    # Also bounds each reply: a broker that accepts the connection but never
    # answers (hung, failing over) must not hold a Slack ack past its 3 s.
    # Consumers are not affected: kombu reads BRPOP only once its socket is
    # readable, and checks those connections itself (health_check_interval).
    "socket_timeout": settings.CELERY_PUBLISH_TIMEOUT,
    # A publish tries to connect once (kombu would retry for ~2 s): a request
    # must not wait on a dead broker, the outbox's sweeper re-sends instead.
    "max_retries": 0,
}
broker_connection_timeout = settings.CELERY_PUBLISH_TIMEOUT
timezone = "UTC"
beat_schedule = {
    "outbox-sweep": {
        "task": "investigations.outbox_sweep",
        "schedule": settings.OUTBOX_SWEEP_INTERVAL,
    },
    # Proves beat ticks (the publish) and a worker consumes (the run): /healthz.
    "heartbeat": {
        "task": "case_project.heartbeat",
        "schedule": settings.HEARTBEAT_INTERVAL,
        "options": {"expires": settings.HEARTBEAT_MAX_AGE},
    },
    "housekeeping": {
        "task": "case_project.housekeeping",
        "schedule": settings.HOUSEKEEPING_INTERVAL,
    },
    # Token, issues channel, response group, scopes (skipped while Slack is off).
    "slack-installation-check": {
        "task": "slack_integration.installation_check",
        "schedule": settings.SLACK_HEALTH_CHECK_INTERVAL,
        "options": {"expires": settings.SLACK_HEALTH_CHECK_INTERVAL},
    },
    # All-time report figures, so /case stats and the dashboard need not scan history.
    "reporting-all-time-snapshot": {
        "task": "reporting.refresh_all_time_snapshot",
        "schedule": settings.REPORTING_SNAPSHOT_INTERVAL,
        "options": {"expires": settings.REPORTING_SNAPSHOT_INTERVAL},
    },
}
# Keep Django's LOGGING (stdout, one line, secrets redacted) in workers and beat.
worker_hijack_root_logger = False
