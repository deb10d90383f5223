"""GET /metrics: the health figures in Prometheus' text format."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from case_project.heartbeat import heartbeat_record
from investigations.models import OutboxMessage
from investigations.outbox import outbox_record
from investigations.outbox_test_handlers import ECHO

pytestmark = pytest.mark.django_db

SAMPLE = re.compile(r'^([a-z_]+)(?:\{([^}]*)\})? (\S+)$')


def scrape(client) -> dict[str, float]:
    """{'name{labels}': value}, after checking every line is valid exposition."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    samples, described = {}, set()
    for line in response.content.decode().splitlines():
        if line.startswith("# HELP "):
            described.add(line.split()[2])
            continue
        if line.startswith("# TYPE "):
            assert line.split()[3] == "gauge"
            continue
        match = SAMPLE.match(line)
        assert match, f"not exposition format: {line!r}"
        name, labels, value = match.groups()
        assert name in described, f"{name} has no HELP"
        samples[f"{name}{{{labels}}}" if labels else name] = float(value)
    return samples


def test_outbox_figures(client):
    message = outbox_record(kind=ECHO, key="metrics-1")
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(seconds=42)
    )
    samples = scrape(client)
    assert samples["case_outbox_pending"] == 1
    assert 41 <= samples["case_outbox_oldest_pending_age_seconds"] < 50
    assert samples["case_outbox_failed"] == 0
    assert samples["case_database_up"] == 1
    assert samples['case_part_ok{part="outbox"}'] == 1
    assert samples["case_slack_installation_problems"] == 0
    assert samples["case_up"] == 1


def test_heartbeat_ages_and_never_seen(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "metrics-heartbeats"}}
    heartbeat_record("worker", at=timezone.now().timestamp() - 30)
    samples = scrape(client)
    assert 29 <= samples['case_heartbeat_age_seconds{component="worker"}'] < 40
    # Never seen: no sample at all rather than a made-up age.
    assert 'case_heartbeat_age_seconds{component="beat"}' not in samples
    assert samples['case_part_ok{part="beat"}'] == 0
    assert samples["case_up"] == 0


def test_database_down_still_scrapes(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    samples = scrape(client)
    assert samples["case_database_up"] == 0
    assert "case_outbox_pending" not in samples
