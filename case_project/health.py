"""GET /healthz: what on-call alerts on, as JSON; 503 only when the database is down.

Every part is {"ok": bool, …, "problem": "…" when not ok}; the top-level
"degraded" lists the parts that are not ok. The figures: the database and the
broker, the outbox backlog (pending rows, the age of the oldest, failed
deliveries), open incidents whose PagerDuty page failed, whether a Celery
worker and beat were seen recently (case_project/heartbeat.py), and the Slack
installation's problems.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min, Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from case_project.heartbeat import cache_is_shared, heartbeat_get

logger = logging.getLogger(__name__)

IN_PROCESS = "in-process (no broker configured)"


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        logger.warning("health.database_unreachable error=%s", type(error).__name__)
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_state() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": IN_PROCESS}
    from case_project.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.CELERY_PUBLISH_TIMEOUT)
    except Exception as error:
        return {"ok": False, "mode": "broker", "error": type(error).__name__}
    return {"ok": True, "mode": "broker"}


def outbox_state() -> dict:
    """The backlog and the failures; degraded past OUTBOX_ALERT_AGE or on a recent failure."""
    from investigations.models import OutboxMessage

    now = timezone.now()
    pending, failed = OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED
    window_start = now - timedelta(seconds=settings.OUTBOX_FAILED_ALERT_WINDOW)
    figures = OutboxMessage.objects.filter(status__in=[pending, failed]).aggregate(
        pending=Count("id", filter=Q(status=pending)),
        oldest=Min("created_at", filter=Q(status=pending)),
        failed=Count("id", filter=Q(status=failed)),
        failed_recent=Count("id", filter=Q(status=failed, failed_at__gte=window_start)),
    )
    oldest = figures["oldest"]
    age = round((now - oldest).total_seconds(), 1) if oldest else 0.0
    state: dict[str, Any] = {
        "pending": figures["pending"],
        "oldest_pending_age_seconds": age,
        "failed": figures["failed"],
        "failed_recent": figures["failed_recent"],
        "failed_window_seconds": settings.OUTBOX_FAILED_ALERT_WINDOW,
    }
    problems = []
    if age > settings.OUTBOX_ALERT_AGE:
        problems.append(
            f"the oldest pending message has waited {age:.0f} s "
            f"(limit {settings.OUTBOX_ALERT_AGE:.0f} s)"
        )
    if figures["failed_recent"]:
        problems.append(f"{figures['failed_recent']} delivery(ies) failed for good recently")
    return _with_problems(state, problems)


def pagerduty_state() -> dict:
    """Open incidents whose page failed: nobody may have been woken."""
    from investigations.models import Incident

    failed = Incident.objects.filter(
        pagerduty_state=Incident.PagerDutyState.FAILED, resolved_at__isnull=True
    ).count()
    problems = [f"{failed} open incident(s) whose PagerDuty page failed"] if failed else []
    return _with_problems({"open_incidents_page_failed": failed}, problems)


def heartbeat_state(component: str) -> dict:
    """Whether `component` ("worker", "beat") was seen within HEARTBEAT_MAX_AGE."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": IN_PROCESS}
    beat = heartbeat_get(component)
    age = beat.age()
    state: dict[str, Any] = {
        "age_seconds": None if age is None else round(age, 1),
        "host": beat.host or None,
        "max_age_seconds": settings.HEARTBEAT_MAX_AGE,
    }
    if beat.is_fresh():
        return _with_problems(state, [])
    problem = "never seen" if age is None else f"last seen {age:.0f} s ago"
    if not cache_is_shared():
        problem += " (the cache is process-local: set CACHE_URL to Redis to see other processes)"
    return _with_problems(state, [problem])


def slack_state() -> dict:
    """Installation problems Slack reported (invalid token, bot removed from a channel)."""
    from slack_integration.installation import installation_problems_open

    problems = installation_problems_open()
    return _with_problems(
        {"installation_problems": [problem.as_dict() for problem in problems]},
        [problem.summary for problem in problems],
    )


def _with_problems(state: dict, problems: list[str]) -> dict:
    result = {"ok": not problems, **state}
    if problems:
        result["problem"] = "; ".join(problems)
    return result


def _guarded(name: str, read: Callable[[], dict]) -> dict:
    """A part that cannot be read is reported as such, never as a 500."""
    try:
        return read()
    except Exception as error:
        logger.warning("health.part_failed part=%s error=%s", name, type(error).__name__)
        return {"ok": False, "problem": f"could not be read: {type(error).__name__}"}


def health_snapshot() -> dict:
    """Every part's state, and which are degraded."""
    parts: dict[str, dict] = {"database": database_state(), "broker": broker_state()}
    if parts["database"]["ok"]:  # the database-backed parts need the database
        parts["outbox"] = _guarded("outbox", outbox_state)
        parts["pagerduty"] = _guarded("pagerduty", pagerduty_state)
        parts["slack"] = _guarded("slack", slack_state)
    parts["worker"] = _guarded("worker", lambda: heartbeat_state("worker"))
    parts["beat"] = _guarded("beat", lambda: heartbeat_state("beat"))
    degraded = [name for name, part in parts.items() if not part["ok"]]
    return {"ok": not degraded, "degraded": degraded, **parts}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers (anything else only degrades), else 503."""
    body = health_snapshot()
    return JsonResponse(body, status=200 if body["database"]["ok"] else 503)
