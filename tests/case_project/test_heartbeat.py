"""Real worker and beat processes: heartbeats reach /healthz; task logs name the investigation."""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction

from case_project.heartbeat import heartbeat_get
from case_project.settings import env
from investigations.models import OutboxMessage
from investigations.outbox import outbox_record
from investigations.outbox_test_handlers import ECHO
from tests import factories
from tests.conftest import _worker_env, wait_until

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def start(args: list[str], env_vars: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "case_project", *args],
            cwd=ROOT, env=env_vars, stdout=out, stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def worker_and_beat(redis_broker: str, settings, tmp_path: Path) -> Iterator[dict[str, Path]]:
    """A worker and beat sharing a Redis cache with this process, DEBUG off."""
    settings.CACHES = {"default": env.cache_url_config(redis_broker)}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.clear()
    variables = _worker_env(redis_broker) | {
        "CACHE_URL": redis_broker, "HEARTBEAT_INTERVAL": "1", "DEBUG": "false",
    }
    logs = {"worker": tmp_path / "worker.log", "beat": tmp_path / "beat.log"}
    processes = [
        start(["worker", "--pool=solo", "--loglevel=INFO", "--without-gossip",
               "--without-mingle", "--without-heartbeat"], variables, logs["worker"]),
        start(["beat", "--loglevel=INFO", f"--schedule={tmp_path / 'beat-schedule'}"],
              variables, logs["beat"]),
    ]
    try:
        yield logs
    finally:
        for process in processes:
            stop(process)


def test_worker_and_beat_are_seen_through_the_shared_cache(worker_and_beat, client):
    seen = wait_until(
        lambda: heartbeat_get("worker").is_fresh() and heartbeat_get("beat").is_fresh(),
        timeout=45,
    )
    assert seen, {name: path.read_text() for name, path in worker_and_beat.items()}
    # Stamped again later: by the beat-sent heartbeat task, not only at start-up.
    started = time.time()
    assert wait_until(lambda: (heartbeat_get("worker").last_seen or 0) > started, timeout=15)
    assert wait_until(lambda: (heartbeat_get("beat").last_seen or 0) > started, timeout=15)
    body = client.get("/healthz").json()
    assert body["broker"]["ok"] is True
    assert body["worker"]["ok"] is True
    assert body["worker"]["host"].startswith("celery@")
    assert body["beat"]["ok"] is True
    assert "worker" not in body["degraded"]
    assert "beat" not in body["degraded"]


def test_task_logs_carry_the_investigation_public_id(worker_and_beat):
    investigation = factories.investigation_opened()
    with transaction.atomic():
        message = outbox_record(kind=ECHO, key="refused-in-worker", investigation=investigation,
                                payload={"permanent": True})
    assert wait_until(
        lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.FAILED,
        timeout=45,
    ), worker_and_beat["worker"].read_text()
    lines = [line for line in worker_and_beat["worker"].read_text().splitlines()
             if "outbox.failed" in line and f"id={message.pk} " in line]
    assert len(lines) == 1, worker_and_beat["worker"].read_text()
    assert lines[0].endswith(f"investigation={investigation.public_id} outbox_id={message.pk}")
