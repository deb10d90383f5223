"""GET /healthz: the database, the broker, the outbox, pages, heartbeats, Slack; 503 only without a database."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from case_project.heartbeat import heartbeat_record
from investigations import services
from investigations.models import Incident, OutboxMessage
from investigations.outbox import outbox_deliver, outbox_record
from investigations.outbox_test_handlers import ECHO
from slack_integration.installation import installation_problem_record
from tests import factories

pytestmark = pytest.mark.django_db


def test_healthy_in_process_mode(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"]["ok"] is True
    assert body["broker"]["mode"].startswith("in-process")


def test_database_down_is_503(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def test_unreachable_broker_degrades_but_stays_200(client, settings):
    from tests.conftest import celery_use_broker

    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_use_broker("redis://127.0.0.1:9/0")
    try:
        response = client.get("/healthz")
    finally:
        celery_use_broker("memory://")
    assert response.status_code == 200
    assert response.json()["broker"]["ok"] is False


@pytest.mark.redis
def test_reachable_broker_is_ok(client, settings, redis_broker):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert client.get("/healthz").json()["broker"] == {"ok": True, "mode": "broker"}


# --- the figures on-call alerts on -------------------------------------------------

def echo(key: str, *, age_seconds: float = 0.0, **payload) -> OutboxMessage:
    """A pending outbox row recorded `age_seconds` ago (left undelivered: no commit)."""
    message = outbox_record(kind=ECHO, key=key, payload=payload)
    created = timezone.now() - timedelta(seconds=age_seconds)
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=created, next_attempt_at=created)
    return message


def test_empty_outbox_is_healthy(client):
    body = client.get("/healthz").json()
    assert body["outbox"] == {
        "ok": True, "pending": 0, "oldest_pending_age_seconds": 0.0, "failed": 0,
        "failed_recent": 0, "failed_window_seconds": 86400.0,
    }
    assert body["ok"] is True
    assert body["degraded"] == []


def test_backlog_and_age_of_the_oldest_pending_row(client, settings):
    settings.OUTBOX_ALERT_AGE = 300
    echo("young", age_seconds=10)
    echo("old", age_seconds=120)
    outbox = client.get("/healthz").json()["outbox"]
    assert outbox["pending"] == 2
    assert 119 <= outbox["oldest_pending_age_seconds"] < 130
    assert outbox["ok"] is True


def test_a_stuck_backlog_degrades_but_stays_200(client, settings):
    settings.OUTBOX_ALERT_AGE = 60
    echo("stuck", age_seconds=600)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["ok"] is False
    assert body["degraded"] == ["outbox"]
    assert "oldest pending message has waited 600 s (limit 60 s)" in body["outbox"]["problem"]


def test_a_recent_failed_delivery_degrades_an_old_one_is_only_counted(client, settings):
    settings.OUTBOX_FAILED_ALERT_WINDOW = 3600
    old = echo("refused-long-ago", permanent=True)
    assert outbox_deliver(old.pk).status == "failed"
    OutboxMessage.objects.filter(pk=old.pk).update(
        failed_at=timezone.now() - timedelta(hours=2)
    )
    outbox = client.get("/healthz").json()["outbox"]
    assert (outbox["ok"], outbox["failed"], outbox["failed_recent"]) == (True, 1, 0)

    recent = echo("refused-now", permanent=True)
    assert outbox_deliver(recent.pk).status == "failed"
    body = client.get("/healthz").json()
    assert (body["outbox"]["failed"], body["outbox"]["failed_recent"]) == (2, 1)
    assert body["degraded"] == ["outbox"]
    assert "1 delivery(ies) failed for good recently" in body["outbox"]["problem"]


def test_an_open_incident_whose_page_failed_degrades(client):
    investigation = factories.investigation_escalated()
    services.incident_set_pagerduty_state(
        investigation_id=investigation.pk, state=Incident.PagerDutyState.FAILED,
        error="HTTP 400: invalid routing key",
    )
    body = client.get("/healthz").json()
    assert body["pagerduty"]["open_incidents_page_failed"] == 1
    assert "pagerduty" in body["degraded"]

    services.incident_resolve(investigation_id=investigation.pk, actor="U0000000002")
    assert client.get("/healthz").json()["pagerduty"] == {
        "ok": True, "open_incidents_page_failed": 0,
    }


def test_worker_and_beat_are_not_applicable_without_a_broker(client):
    body = client.get("/healthz").json()
    assert body["worker"] == {"ok": True, "mode": "in-process (no broker configured)"}
    assert body["beat"] == {"ok": True, "mode": "in-process (no broker configured)"}


def test_fresh_heartbeats_are_healthy_stale_ones_degrade(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.HEARTBEAT_MAX_AGE = 120
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "health-heartbeats"}}
    heartbeat_record("worker", host="celery@w1")
    heartbeat_record("beat", at=timezone.now().timestamp() - 600)
    body = client.get("/healthz").json()
    worker, beat = (body[name] for name in ("worker", "beat"))
    assert worker["ok"] is True
    assert worker["host"] == "celery@w1"
    assert worker["age_seconds"] < 5
    assert beat["ok"] is False
    assert beat["problem"].startswith("last seen 600 s ago")
    # The test cache is process-local: the problem says why others can't be seen.
    assert "set CACHE_URL" in beat["problem"]


def test_never_seen_worker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "health-never"}}
    worker = client.get("/healthz").json()["worker"]
    assert worker["ok"] is False
    assert worker["problem"].startswith("never seen")
    assert worker["age_seconds"] is None


def test_an_installation_problem_degrades_and_says_what_to_do(client, settings):
    settings.ISSUES_CHANNEL_ID = "C0ISSUES01"
    installation_problem_record(code="not_in_channel", method="chat.postMessage",
                                channel="C0ISSUES01")
    body = client.get("/healthz").json()
    assert body["degraded"] == ["slack"]
    (problem,) = body["slack"]["installation_problems"]
    assert (problem["code"], problem["subject"]) == ("not_in_channel", "C0ISSUES01")
    assert "/invite @Case" in body["slack"]["problem"]


def test_database_down_reports_the_rest_and_skips_database_parts(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    body = client.get("/healthz").json()
    assert body["degraded"] == ["database"]
    assert "outbox" not in body
    assert body["worker"]["ok"] is True


def test_a_part_that_cannot_be_read_is_reported_not_raised(client, monkeypatch):
    from case_project import health

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(health, "pagerduty_state", broken)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["pagerduty"] == {"ok": False, "problem": "could not be read: RuntimeError"}


def test_health_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_an_unreachable_postgresql_is_503_in_a_real_process():
    """No mock: a process whose DATABASE_URL points at a port nothing listens on."""
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, json.dumps(r.json()['database']))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env.update(DJANGO_SETTINGS_MODULE="case_project.settings", DEBUG="true",
               DATABASE_URL="postgres://postgres@127.0.0.1:9/case")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env,
        capture_output=True, text=True, timeout=60, check=True,
    )
    status, database = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(database) == {"ok": False, "error": "OperationalError"}
