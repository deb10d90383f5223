"""Throughput of opening: investigations fully opened (channel made, announced) per second.

Real Celery workers (`celery -A case_project worker`, the README's command:
prefork, one process per core) on Redis, the fake Slack answering after
200 ms per call. Baseline, same run: the same Web API calls an opening makes
(create, topic, invite, two posts), made directly with slack_sdk from as
many threads as the workers have processes.
"""

import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.common import (
    ARTIFACTS,
    REDIS_URL,
    ROOT,
    database_create,
    django_env,
    manage,
    probe,
    psql,
    redis_answers,
    redis_command,
)

DATABASE = "case_bench_opening"


def _workers(env: dict[str, str], count: int) -> list[subprocess.Popen]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    processes = []
    for n in range(count):
        log = (ARTIFACTS / f"celery-worker-{n}.log").open("wb")
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "case_project", "worker", "--loglevel=INFO",
             f"--hostname=bench{n}@%h", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
    deadline = time.monotonic() + 60
    for n, process in enumerate(processes):
        while "ready." not in (ARTIFACTS / f"celery-worker-{n}.log").read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                _stop(processes)
                raise RuntimeError(f"celery worker {n} did not start; see artifacts/bench/")
            time.sleep(0.2)
    return processes


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _opened(prefix: str) -> int:
    return psql(DATABASE, (
        "SELECT COUNT(*) FROM investigations_investigation WHERE status = 'investigating' "
        "AND announcement_ts <> '' AND title LIKE %s"), [prefix + "%"])[0][0]


def _bare_calls(api_url: str, count: int, threads: int) -> float:
    """Openings per second if Case added nothing: the same five calls, straight."""
    from slack_sdk import WebClient

    from slack_integration.fakes.slack_api import BOT_TOKEN

    def one(n: int) -> None:
        api = WebClient(token=BOT_TOKEN, base_url=api_url)
        channel = api.conversations_create(name=f"bare-{uuid.uuid4().hex[:12]}")["channel"]["id"]
        api.conversations_setTopic(channel=channel, topic="bare")
        api.conversations_invite(channel=channel, users="U0ALICE001")
        api.chat_postMessage(channel="C0ISSUES01", text=f"bare {n}")
        api.chat_postMessage(channel=channel, text="welcome")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(count)))
    return count / (time.perf_counter() - started)


def measure(*, count: int, worker_counts: list[int], slack_latency: float,
            max_seconds: float) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    import os

    from slack_integration.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, seeded_workspace

    if not redis_answers(REDIS_URL):
        raise RuntimeError(f"Redis does not answer at {REDIS_URL} (BENCH_REDIS_URL)")
    fake = seeded_workspace(latency=slack_latency).start()
    database_create(DATABASE)
    env = django_env(DATABASE, CELERY_BROKER_URL=REDIS_URL, CACHE_URL=REDIS_URL,
                     SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                     SLACK_API_BASE_URL=fake.api_url, ISSUES_CHANNEL_ID="C0ISSUES01")
    manage(env, "migrate", "--noinput", "-v", "0")
    processes_per_worker = os.cpu_count() or 2
    results = []
    try:
        for workers in worker_counts:
            redis_command(REDIS_URL, "FLUSHDB")
            processes = _workers(env, workers)
            prefix = f"Bench opening {uuid.uuid4().hex[:6]}"
            try:
                started = time.perf_counter()
                probe(env, "open", "--count", str(count), "--prefix", prefix)
                deadline = time.monotonic() + max_seconds
                while (done := _opened(prefix)) < count and time.monotonic() < deadline:
                    time.sleep(0.1)
                seconds = time.perf_counter() - started
            finally:
                _stop(processes)
            bare = _bare_calls(fake.api_url, count, workers * processes_per_worker)
            rate = done / seconds
            results.append({"workers": workers, "processes": workers * processes_per_worker,
                            "opened": done, "of": count, "seconds": seconds, "per_s": rate,
                            "bare_per_s": bare, "ratio": rate / bare if bare else 0.0})
            print(f"  opening with {workers} worker(s): {done}/{count} in {seconds:.1f} s = "
                  f"{rate:.2f}/s; bare Slack calls {bare:.2f}/s; ratio {rate / bare:.2f}",
                  flush=True)
    finally:
        fake.stop()
        redis_command(REDIS_URL, "FLUSHDB")
    return {"results": results, "slack_latency": slack_latency}
