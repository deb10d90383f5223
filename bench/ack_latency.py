"""How fast Case acknowledges Slack: signed `/case list`, `status`, `open` to `/slack/events`.

Starts the loopback fake Slack (every Web API call answered after
`--slack-latency`, 200 ms by default: Slack's own), gunicorn with
gunicorn.conf.py on a PostgreSQL database of its own and Redis as the cache
(and as the broker `/case open` publishes to), then sends signed slash
commands at each concurrency level. Baselines on the same server, in the
same run: a signed no-op Django view, and Bolt acking from a listener that
does nothing, in Bolt's default mode and with process_before_response=True.

    .venv/bin/python -m bench.ack_latency                # 1, 8, 32 concurrent
    .venv/bin/python -m bench.ack_latency --requests 300 --levels 1,8

Loopback only; bounded by --requests per level and target, and --max-seconds.
Part of `python -m bench` (docs/benchmarks.md).
"""

import argparse
import http.client
import itertools
import os
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    ARTIFACTS,
    REDIS_URL,
    ROOT,
    Deadline,
    database_create,
    django_env,
    free_port,
    manage,
    median,
    percentile,
    redis_answers,
    redis_command,
)

DATABASE = "case_bench_ack"
USERS = 400  # the per-user rate limit (60 a minute) must never be what is measured
STATUS_CHANNEL = "CBENCHSTAT1"
# (label, path, /case text): baselines first.
TARGETS = (
    ("signed no-op view", "/bench/signed-ping", "help"),
    ("Bolt default mode, ack only", "/bench/bolt-default", "help"),
    ("Bolt inline ack, ack only", "/bench/bolt-inline", "help"),
    ("/case list", "/slack/events", "list"),
    ("/case status", "/slack/events", "status"),
    ("/case open", "/slack/events", "open Bench ack {n}"),
)
BASELINE = "signed no-op view"


@dataclass
class Result:
    name: str
    concurrency: int
    latencies: list[float]
    errors: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        ms = [latency * 1000 for latency in self.latencies]
        return {
            "name": self.name, "concurrency": self.concurrency, "requests": len(ms) + self.errors,
            "p50": median(ms), "p95": percentile(ms, 0.95), "p99": percentile(ms, 0.99),
            "errors": self.errors,
            "throughput": len(ms) / self.seconds if self.seconds else 0.0,
        }


class Sender:
    """One keep-alive connection per client thread; signed requests."""

    def __init__(self, port: int, fake_base: str) -> None:
        from slack_integration.fakes.slack_api import SIGNING_SECRET

        self.port, self.fake_base, self.secret = port, fake_base, SIGNING_SECRET
        self.local = threading.local()
        self.users = itertools.cycle([f"U0BENCH{n:04d}" for n in range(USERS)])
        self.numbers = itertools.count()
        self.lock = threading.Lock()

    def body(self, text: str, user_id: str | None = None) -> str:
        from slack_integration.fakes.requests import slash_command_body

        with self.lock:
            user_id = user_id or next(self.users)
            n = next(self.numbers)
        channel = STATUS_CHANNEL if text == "status" else "C0GENERAL1"
        return slash_command_body(
            text=text.format(n=n), user_id=user_id, channel_id=channel,
            response_url=f"{self.fake_base}/response/bench-{uuid.uuid4().hex}",
        )

    def send(self, path: str, body: str) -> tuple[float, int, bytes]:
        from slack_integration.fakes.requests import FORM, signed_headers

        headers = signed_headers(body, self.secret) | {"Content-Type": FORM}
        started = time.perf_counter()
        for attempt in (1, 2):
            if getattr(self.local, "conn", None) is None:
                self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self.local.conn.request("POST", path, body=body.encode(), headers=headers)
                response = self.local.conn.getresponse()
                return time.perf_counter() - started, response.status, response.read()
            except (OSError, http.client.HTTPException):
                self.local.conn.close()
                self.local.conn = None
                if attempt == 2:
                    return time.perf_counter() - started, 0, b""
        raise AssertionError("unreachable")


def _answered(status: int, content: bytes, text: str) -> bool:
    """A 200 whose body is the real answer (not an error, not a deferred empty ack)."""
    if status != 200 or not content:
        return False
    return b"went wrong" not in content and b"Rate limit" not in content and (
        not text.startswith("status") or b"Bench status" in content
    )


def run_level(sender: Sender, name: str, path: str, text: str, concurrency: int,
              requests: int, deadline: Deadline) -> Result:
    def one(_: int) -> tuple[float, bool] | None:
        if deadline.passed():
            return None
        latency, status, content = sender.send(path, sender.body(text))
        return latency, _answered(status, content, text)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        outcomes = [o for o in pool.map(one, range(requests)) if o is not None]
    return Result(name=name, concurrency=concurrency,
                  latencies=[latency for latency, ok in outcomes if ok],
                  errors=sum(1 for _, ok in outcomes if not ok),
                  seconds=time.perf_counter() - started)


def _seed(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v", "0")
    script = (
        "from investigations import services\n"
        "from investigations.models import Investigation\n"
        "for i in range(20 - Investigation.objects.filter(status='investigating').count()):\n"
        "    inv = services.investigation_open(title=f'Bench list {i}', opened_by='U0ALICE001')\n"
        "    services.investigation_set_channel(investigation_id=inv.pk, channel_id=f'CBENCHL{i:04d}',"
        " channel_url='')\n"
        "    services.investigation_activate(investigation_id=inv.pk)\n"
        f"if not Investigation.objects.filter(channel_id='{STATUS_CHANNEL}').exists():\n"
        "    inv = services.investigation_open(title='Bench status', opened_by='U0ALICE001')\n"
        f"    services.investigation_set_channel(investigation_id=inv.pk, channel_id='{STATUS_CHANNEL}',"
        " channel_url='')\n"
        "    services.investigation_activate(investigation_id=inv.pk)\n"
    )
    manage(env, "shell", "-c", script)


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int,
                   log: Path) -> subprocess.Popen:
    env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers),
                 "GUNICORN_THREADS": str(threads)}
    out = log.open("wb")
    # gunicorn.conf.py's logging writes one access line per request, as in
    # production (to `log` here); an --access-logfile option would not stop it.
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    import socket

    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"gunicorn did not listen on {port}:\n{log.read_text()}")


def _cpu_seconds(pid: int) -> float | None:
    """CPU time of a process and its children so far (Linux /proc); None elsewhere."""
    ticks = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0
        for one in (str(pid), *children):
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return None
    return total / ticks


def settle(pid: int, timeout: float = 60.0, interval: float = 0.25) -> float:
    """Wait until gunicorn (`pid` and its workers) is idle; the seconds it took (bounded)."""
    started = time.monotonic()
    before = _cpu_seconds(pid)
    if before is None:
        time.sleep(2.0)  # no /proc: a fixed pause
        return time.monotonic() - started
    while time.monotonic() - started < timeout:
        time.sleep(interval)
        after = _cpu_seconds(pid)
        if after is None or after - before < 0.05 * interval:  # under 5 % of one core
            break
        before = after
    return time.monotonic() - started


def measure(*, requests: int, levels: list[int], slack_latency: float, workers: int,
            threads: int, max_seconds: float) -> dict[str, Any]:
    """Every target at every level; results as dicts, with ratios to the no-op view."""
    sys.path.insert(0, str(ROOT))
    from slack_integration.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, seeded_workspace

    if not redis_answers(REDIS_URL):
        raise RuntimeError(f"Redis does not answer at {REDIS_URL} (BENCH_REDIS_URL)")
    redis_command(REDIS_URL, "FLUSHDB")  # rate-limit counters and queued tasks of an earlier run
    fake = seeded_workspace(latency=slack_latency)
    for n in range(USERS):
        fake.add_user(f"U0BENCH{n:04d}", name=f"bench{n}")
    fake.start()
    database_create(DATABASE)
    # The production settings of docs/installation.md that apply without a
    # proxy: persistent, health-checked connections, Redis cache and broker,
    # LOG_LEVEL=INFO.
    env = django_env(
        DATABASE, DJANGO_SETTINGS_MODULE="bench.settings", CONN_MAX_AGE="60", LOG_LEVEL="INFO",
        CACHE_URL=REDIS_URL, CELERY_BROKER_URL=REDIS_URL, SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_BASE_URL=fake.api_url,
        ISSUES_CHANNEL_ID="C0ISSUES01",
    )
    _seed(env)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_gunicorn(env, port, workers, threads, ARTIFACTS / "ack-gunicorn.log")
    results: list[dict[str, Any]] = []
    try:
        sender = Sender(port, fake.base_url)
        # Each person is looked up once (users.info, after the ack); from then
        # on their commands are answered inline, which is what is measured.
        for n in range(USERS):
            sender.send("/slack/events", sender.body("help", user_id=f"U0BENCH{n:04d}"))
        warm_by = time.monotonic() + 120
        while len(fake.responses) < USERS and time.monotonic() < warm_by:
            time.sleep(0.2)
        deadline = Deadline(max_seconds)
        for level in levels:
            for name, path, text in TARGETS:
                # Warm each keep-alive connection and code path, untimed.
                run_level(sender, name, path, text, level, level, deadline)
                result = run_level(sender, name, path, text, level, requests, deadline).as_dict()
                # Work left after the acks (/case open's transaction and publish run
                # in the same processes) must not slow the next target down.
                result["settle_seconds"] = settle(server.pid)
                results.append(result)
                print(f"  ack {name:<28} c={level:<3} p50={result['p50']:6.1f} "
                      f"p99={result['p99']:6.1f} ms {result['throughput']:6.0f}/s "
                      f"errors={result['errors']} settled in {result['settle_seconds']:.1f} s",
                      flush=True)
        slack_calls_before_ack = _calls_during(fake)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        fake.stop()
        redis_command(REDIS_URL, "FLUSHDB")
    for result in results:
        base = next(r for r in results
                    if r["name"] == BASELINE and r["concurrency"] == result["concurrency"])
        result["p99_ratio"] = result["p99"] / base["p99"] if base["p99"] else 0.0
        result["throughput_ratio"] = (result["throughput"] / base["throughput"]
                                      if base["throughput"] else 0.0)
    return {"results": results, "slack_latency": slack_latency, "workers": workers,
            "threads": threads, "requests": requests, "slack_calls": slack_calls_before_ack}


def _calls_during(fake: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for call in fake.calls:
        counts[call.method] = counts.get(call.method, 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=600, help="requests per level and target")
    parser.add_argument("--levels", default="1,8,32", help="concurrency levels")
    parser.add_argument("--slack-latency", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    args = parser.parse_args()
    measure(requests=args.requests, levels=[int(v) for v in args.levels.split(",")],
            slack_latency=args.slack_latency, workers=args.workers, threads=args.threads,
            max_seconds=args.max_seconds)


if __name__ == "__main__":
    main()
