"""Work that runs after Slack has its acknowledgement: a bounded thread pool.

Bolt's lazy listeners and Case's own deferred work (a refusal posted to a
response_url, a guard lookup) go through `run_after_ack`. Each job gets a
fresh view of Django's database connections, since pool threads are not
request threads and Django would never close theirs.

With SLACK_AFTER_ACK_INLINE (tests) a job runs at once in the caller's
thread, in the caller's transaction, so a test sees its effects
deterministically; the real threaded path has its own tests.
"""

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache

from django.conf import settings
from django.db import close_old_connections, connections
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_bolt.lazy_listener.internals import build_runnable_function
from slack_bolt.request import BoltRequest

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _executor(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="case-after-ack")


def release_connections() -> None:
    """Django's per-request connection hygiene, for threads Django does not manage.

    Skipped inside a transaction (a test's), which closing would break.
    """
    if not any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        close_old_connections()


def _run_in_pool(job: Callable[[], None]) -> None:
    release_connections()
    try:
        job()
    except Exception:
        logger.exception("slack.after_ack_failed job=%s", getattr(job, "__name__", job))
    finally:
        release_connections()


def run_after_ack(job: Callable[[], None]) -> Future | None:
    """Run `job` after the ack: in the pool, or inline when configured (tests)."""
    if settings.SLACK_AFTER_ACK_INLINE:
        try:
            job()
        except Exception:
            logger.exception("slack.after_ack_failed job=%s", getattr(job, "__name__", job))
        return None
    return _executor(settings.SLACK_AFTER_ACK_THREADS).submit(_run_in_pool, job)


class AfterAckLazyListenerRunner(LazyListenerRunner):
    """Bolt's lazy listeners on Case's after-ack pool (HTTP and Socket Mode alike)."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        run_after_ack(build_runnable_function(func=function, logger=self.logger, request=request))
