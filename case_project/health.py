"""GET /healthz: the database's and the broker's state, as JSON."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


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
        return {"ok": True, "mode": "in-process (no broker configured)"}
    from case_project.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.CELERY_PUBLISH_TIMEOUT)
    except Exception as error:
        return {"ok": False, "mode": "broker", "error": type(error).__name__}
    return {"ok": True, "mode": "broker"}


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers (a broker outage only degrades), else 503."""
    database = database_state()
    broker = broker_state()
    body = {"ok": database["ok"] and broker["ok"], "database": database, "broker": broker}
    return JsonResponse(body, status=200 if database["ok"] else 503)
