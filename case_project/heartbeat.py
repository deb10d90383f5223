"""When a Celery worker and beat were last seen, kept in the shared cache.

Beat publishes the `case_project.heartbeat` task every HEARTBEAT_INTERVAL
seconds: the publish itself stamps "beat" (in the beat process), and the task,
run by whichever worker takes it, stamps "worker". A worker also stamps when it
starts. So "worker seen" means a worker is consuming the queue, not merely
running, and a long queue shows up as a stale worker heartbeat.

The stamps live in the Django cache because every process (web, worker, beat)
can reach it when CACHE_URL is Redis, writes every 30 s cost nothing there, and
no table churns; with a process-local cache the web process cannot see them,
which /healthz reports and check case.W001 warns about.
"""

import socket
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

HEARTBEAT_TASK = "case_project.heartbeat"
COMPONENTS = ("worker", "beat")
# Outlives any sensible HEARTBEAT_MAX_AGE, so "never seen" means never.
STAMP_TTL_SECONDS = 7 * 24 * 3600


def _key(component: str) -> str:
    return f"case:heartbeat:{component}"


def heartbeat_record(component: str, *, host: str | None = None, at: float | None = None) -> None:
    """Stamp `component` ("worker" or "beat") as seen now."""
    if component not in COMPONENTS:
        raise ValueError(f"unknown heartbeat component {component!r}")
    stamp = {"at": time.time() if at is None else at, "host": host or socket.gethostname()}
    cache.set(_key(component), stamp, timeout=STAMP_TTL_SECONDS)


@dataclass(frozen=True)
class Heartbeat:
    component: str
    last_seen: float | None  # epoch seconds
    host: str

    def age(self, now: float | None = None) -> float | None:
        if self.last_seen is None:
            return None
        return max((time.time() if now is None else now) - self.last_seen, 0.0)

    def is_fresh(self, now: float | None = None) -> bool:
        age = self.age(now)
        return age is not None and age <= settings.HEARTBEAT_MAX_AGE


def heartbeat_get(component: str) -> Heartbeat:
    """The last stamp of `component`; a cache that cannot answer counts as never seen."""
    try:
        stamp = cache.get(_key(component))
    except Exception:  # e.g. Redis down: the health view says "not seen", never 500
        stamp = None
    if not isinstance(stamp, dict):
        return Heartbeat(component, None, "")
    return Heartbeat(component, float(stamp.get("at", 0.0)), str(stamp.get("host", "")))


def cache_is_shared() -> bool:
    from case_project.deploy_checks import PROCESS_LOCAL_CACHES

    return settings.CACHES.get("default", {}).get("BACKEND", "") not in PROCESS_LOCAL_CACHES


def on_task_published(sender: str | None = None, **kwargs: Any) -> None:
    """after_task_publish: beat sending the heartbeat task proves beat is ticking."""
    if sender == HEARTBEAT_TASK:
        heartbeat_record("beat")


def on_worker_ready(sender: Any = None, **kwargs: Any) -> None:
    """worker_ready: a worker that just started is seen before its first heartbeat task."""
    heartbeat_record("worker", host=getattr(sender, "hostname", None))


def connect_signals() -> None:
    """Connect the Celery signal receivers (from CaseProjectConfig.ready)."""
    from celery import signals

    signals.after_task_publish.connect(on_task_published, dispatch_uid="case.heartbeat.beat")
    signals.worker_ready.connect(on_worker_ready, dispatch_uid="case.heartbeat.worker")
