"""What every benchmark shares: the machine, databases, Redis, subprocesses, percentiles."""

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "bench"
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")


def database_url(name: str) -> str:
    return f"{PG_URL.rstrip('/')}/{name}"


def _admin_connect():
    import psycopg

    return psycopg.connect(database_url("postgres").replace("postgres://", "postgresql://", 1),
                           autocommit=True)


def database_exists(name: str) -> bool:
    with _admin_connect() as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def database_create(name: str) -> None:
    if not database_exists(name):
        with _admin_connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(name: str) -> None:
    with _admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def psql(name: str, sql: str, params: list | None = None) -> list[tuple]:
    import psycopg

    url = database_url(name).replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def django_env(database: str, **extra: str) -> dict[str, str]:
    """The environment for a Case process (manage.py, gunicorn, celery) on `database`."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="case_project.settings", PYTHONPATH=str(ROOT), DEBUG="false",
        DJANGO_SECRET_KEY="bench-secret-key-not-for-production",  # noqa: S106  (loopback only)
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url(database), LOG_LEVEL="WARNING", SECURE_COOKIES="false",
        CELERY_BROKER_URL="", CACHE_URL="",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          stdout=subprocess.PIPE if capture else None, text=True)
    return done.stdout or ""


def probe(env: dict[str, str], command: str, *args: str, timeout: float = 1800) -> dict:
    """Run `bench.probe` (Django inside) and return the JSON it prints last."""
    done = subprocess.run([sys.executable, "-m", "bench.probe", command, *args], cwd=ROOT, env=env,
                          check=True, stdout=subprocess.PIPE, text=True, timeout=timeout)
    return json.loads(done.stdout.strip().splitlines()[-1])


def redis_answers(url: str = REDIS_URL) -> bool:
    return redis_command(url, "PING") == "+PONG"


def redis_command(url: str, *words: str) -> str:
    """One Redis command over a raw socket (RESP); the first line of the answer."""
    parsed = urlparse(url)
    db = (parsed.path or "/0").lstrip("/") or "0"
    request = b""
    for command in (("SELECT", db), words):
        request += f"*{len(command)}\r\n".encode()
        for word in command:
            request += f"${len(word.encode())}\r\n{word}\r\n".encode()
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2) as conn:
            conn.sendall(request)
            answer = b""
            while answer.count(b"\r\n") < 2:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                answer += chunk
    except OSError:
        return ""
    lines = answer.split(b"\r\n")
    return lines[1].decode() if len(lines) > 1 else ""


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, PostgreSQL and Python versions, date, commit."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal:")), 0)
    try:
        pg = psql("postgres", "SHOW server_version")[0][0]
        settings = {name: psql("postgres", f"SHOW {name}")[0][0]
                    for name in ("shared_buffers", "work_mem", "max_parallel_workers_per_gather")}
    except Exception as error:
        pg, settings = f"unavailable ({error})", {}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip()
    return {
        "date": datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "cpu": cpu,
        "postgresql": pg + "".join(f", {k}={v}" for k, v in settings.items()),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "commit": commit or "unknown",
    }


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


class Deadline:
    """A bound in time for a whole run: every load loop checks it."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def passed(self) -> bool:
        return time.monotonic() >= self.end
