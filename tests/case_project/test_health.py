"""GET /healthz reports the database and the broker."""

import pytest
from django.db import connection

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
