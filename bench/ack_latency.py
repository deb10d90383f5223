"""How fast Case acknowledges Slack: signed `/case list` and `/case help` over HTTP.

Starts the loopback fake Slack, a real web server on 127.0.0.1 (gunicorn with
gunicorn.conf.py when installed, else `manage.py runserver --noreload`) on a
PostgreSQL database of its own, then sends signed slash commands to
`/slack/events` at each concurrency level and prints p50/p95/p99 latency and
throughput, beside a baseline: a trivial view that only checks the signature.

    .venv/bin/python bench/ack_latency.py                 # 1, 8 and 32 concurrent
    .venv/bin/python bench/ack_latency.py --requests 300 --levels 1,8

Loopback only; bounded by --requests per level and --max-seconds overall.
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/case_bench,
created if missing); Redis (BENCH_CACHE_URL) lets several server processes share
the guard's cache, else one process serves.
"""

import argparse
import http.client
import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_integration.fakes.requests import signed_headers, slash_command_body  # noqa: E402
from slack_integration.fakes.slack_api import (  # noqa: E402
    BOT_TOKEN,
    SIGNING_SECRET,
    seeded_workspace,
)

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/case_bench")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/5")
USERS = 400  # the per-user rate limit (60 a minute) must never be what is measured


@dataclass
class Result:
    name: str
    concurrency: int
    latencies: list[float]
    failures: int
    deferred: int  # 200s with an empty body: answered later, not inline
    seconds: float

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def line(self) -> str:
        rate = len(self.latencies) / self.seconds if self.seconds else 0.0
        median = statistics.median(self.latencies) * 1000 if self.latencies else 0.0
        return (f"{self.name:<14} c={self.concurrency:<3} n={len(self.latencies):<5} "
                f"p50={median:7.1f} ms  p95={self.percentile(0.95):7.1f} ms  "
                f"p99={self.percentile(0.99):7.1f} ms  {rate:7.0f} req/s  "
                f"failed={self.failures} deferred={self.deferred}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def server_env(fake_api_url: str, cache_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings", PYTHONPATH=str(ROOT), DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + uuid.uuid4().hex, ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=DATABASE_URL, CONN_MAX_AGE="60", CACHE_URL=cache_url,
        CELERY_BROKER_URL="", SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_BASE_URL=fake_api_url, ISSUES_CHANNEL_ID="C0ISSUES01", LOG_LEVEL="WARNING",
        SECURE_COOKIES="false",
    )
    return env


def seed(env: dict[str, str], count: int = 20) -> None:
    """Migrate, and open `count` investigations so `list` has something to show."""
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)
    script = (
        "from investigations import services\n"
        "from investigations.models import Investigation\n"
        f"for i in range({count} - Investigation.objects.filter(status='investigating').count()):\n"
        "    inv = services.investigation_open(title=f'Bench case {i}', opened_by='U0ALICE001')\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", script],
                   cwd=ROOT, env=env, check=True)


def start_server(env: dict[str, str], port: int, workers: int, threads: int,
                 log: Path) -> subprocess.Popen:
    env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers),
                 "GUNICORN_THREADS": str(threads)}
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or _has("gunicorn"):
        command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                   "--access-logfile", "/dev/null"]
    else:
        command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    out = log.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    process.label = "gunicorn (gunicorn.conf.py)" if "gunicorn" in command else "runserver"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"the server did not listen on {port}:\n{log.read_text()}")


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


class Sender:
    """One keep-alive connection per client thread, signed requests."""

    def __init__(self, port: int, fake_base: str) -> None:
        self.port = port
        self.fake_base = fake_base
        self.local = threading.local()
        self.users = itertools.cycle([f"U0BENCH{n:04d}" for n in range(USERS)])
        self.lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        return self.local.conn

    def body(self, text: str, user_id: str | None = None) -> str:
        with self.lock:
            user_id = user_id or next(self.users)
        return slash_command_body(
            text=text, user_id=user_id, channel_id="C0GENERAL1",
            response_url=f"{self.fake_base}/response/bench-{uuid.uuid4().hex}",
            trigger_id=f"{time.time():.0f}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}",
        )

    def send(self, path: str, body: str) -> tuple[float, int, bytes]:
        headers = signed_headers(body, SIGNING_SECRET) | {
            "Content-Type": "application/x-www-form-urlencoded"}
        started = time.perf_counter()
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request("POST", path, body=body.encode(), headers=headers)
                response = conn.getresponse()
                content = response.read()
                return time.perf_counter() - started, response.status, content
            except (OSError, http.client.HTTPException):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    return time.perf_counter() - started, 0, b""
        raise AssertionError("unreachable")


def run(sender: Sender, name: str, path: str, text: str, concurrency: int, requests: int,
        deadline: float) -> Result:
    def one(_: int) -> tuple[float, int, bytes] | None:
        if time.monotonic() > deadline:
            return None
        return sender.send(path, sender.body(text))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        outcomes = [o for o in pool.map(one, range(requests)) if o is not None]
    seconds = time.perf_counter() - started
    return Result(
        name=name, concurrency=concurrency,
        latencies=[latency for latency, status, _ in outcomes if status == 200],
        failures=sum(1 for _, status, _ in outcomes if status != 200),
        deferred=sum(1 for _, status, content in outcomes if status == 200 and not content),
        seconds=seconds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=800, help="requests per level and target")
    parser.add_argument("--levels", default="1,8,32", help="concurrency levels")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]

    fake = seeded_workspace()
    for n in range(USERS):
        fake.add_user(f"U0BENCH{n:04d}", name=f"bench{n}")
    fake.start()
    cache_url = CACHE_URL if redis_answers(CACHE_URL) else ""
    workers = args.workers if cache_url else 1
    ensure_database(DATABASE_URL)
    env = server_env(fake.api_url, cache_url)
    seed(env)
    log = ROOT / "artifacts" / "bench-ack-latency-server.log"
    log.parent.mkdir(exist_ok=True)
    port = free_port()
    server = start_server(env, port, workers, args.threads, log)
    try:
        sender = Sender(port, fake.base_url)
        # Each person is looked up once (users.info, after the ack); from then
        # on their commands are answered inline, which is what is measured.
        for n in range(USERS):
            sender.send("/slack/events", sender.body("help", user_id=f"U0BENCH{n:04d}"))
        warm_by = time.monotonic() + 60
        while len(fake.responses) < USERS and time.monotonic() < warm_by:
            time.sleep(0.2)
        deadline = time.monotonic() + args.max_seconds
        print(f"server: {server.label}, workers={workers} threads={args.threads} "
              f"cache={'redis' if cache_url else 'local memory'}; cpus={os.cpu_count()}")
        for level in levels:
            for name, path, text in (("signed no-op", "/bench/signed-ping", "help"),
                                     ("/case help", "/slack/events", "help"),
                                     ("/case list", "/slack/events", "list")):
                print(run(sender, name, path, text, level, args.requests, deadline).line(),
                      flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        fake.stop()


if __name__ == "__main__":
    main()
