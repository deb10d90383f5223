"""Shared fixtures: real services, a real Celery worker, commit-aware helpers."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import services

if TYPE_CHECKING:
    from slack_integration.fakes.slack_api import FakeSlack
    from tests.fakes.pagerduty import FakePagerDuty

ROOT = Path(__file__).resolve().parent.parent


def pytest_report_header(config: pytest.Config) -> list[str]:
    def line(name: str, url: str, problem: str | None) -> str:
        return f"{name}: {'using ' + url if problem is None else 'UNAVAILABLE: ' + problem}"

    return [
        line("PostgreSQL", services.POSTGRES_URL, services.POSTGRES_PROBLEM),
        line("Redis", services.REDIS_URL, services.REDIS_PROBLEM),
    ]


def pytest_sessionstart(session: pytest.Session) -> None:
    missing = [
        f"{name}: {problem}"
        for name, problem in (
            ("PostgreSQL", services.POSTGRES_PROBLEM),
            ("Redis", services.REDIS_PROBLEM),
        )
        if problem
    ]
    if missing and services.REQUIRED:
        pytest.exit("CASE_REQUIRE_SERVICES is set but " + "; ".join(missing), returncode=3)


# Fixtures that need a service: a test using one is skipped without it, marked or not.
SERVICE_FIXTURES = {
    "postgres": {"celery_worker_process"},
    "redis": {"redis_broker", "celery_worker_process"},
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reasons = {
        "postgres": None if services.POSTGRES_AVAILABLE else (
            f"needs PostgreSQL at {services.POSTGRES_URL}: {services.POSTGRES_PROBLEM}"
        ),
        "redis": None if services.REDIS_AVAILABLE else (
            f"needs Redis at {services.REDIS_URL}: {services.REDIS_PROBLEM}"
        ),
    }
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for marker, reason in reasons.items():
            needed = item.get_closest_marker(marker) or fixtures & SERVICE_FIXTURES[marker]
            if reason and needed:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int) -> None:
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        terminalreporter.write_line("No tests were collected: that is a failed run.", red=True)
    skipped = len(terminalreporter.stats.get("skipped", []))
    if skipped and not (services.POSTGRES_AVAILABLE and services.REDIS_AVAILABLE):
        terminalreporter.write_line(
            f"NOTE: {skipped} test(s) skipped because a service is missing "
            "(see the reasons above); start PostgreSQL and Redis to run them all.",
            yellow=True,
        )


@pytest.fixture
def redis_broker() -> Iterator[str]:
    """Point this process's Celery app at a real, empty Redis broker."""
    import redis

    from case_project.celery import app

    redis.Redis.from_url(services.REDIS_URL).flushdb()
    saved = app.conf.broker_url
    app.conf.task_always_eager = False
    celery_use_broker(services.REDIS_URL)
    try:
        yield services.REDIS_URL
    finally:
        app.conf.task_always_eager = True
        celery_use_broker(saved)


def celery_use_broker(url: str) -> None:
    """Aim this process's Celery app at `url`, dropping pooled connections."""
    from case_project.celery import app

    app.conf.broker_url = url
    # Drop (not close) the pools: a producer pool may still hold the old one.
    app._pool = None
    app.amqp._producer_pool = None


# Settings a test may aim at a loopback fake; the worker gets this process's values.
WORKER_SETTINGS = (
    "PAGERDUTY_ROUTING_KEY", "PAGERDUTY_EVENTS_URL", "PAGERDUTY_SEVERITY",
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_BASE_URL",
    "ISSUES_CHANNEL_ID", "INCIDENT_RESPONSE_GROUP_ID",
)
# Fixtures that change those settings: started before the worker copies them.
WORKER_FAKES = ("fake_pagerduty", "fake_slack")


def _worker_env(broker_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    from django.db import connection

    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="case_project.settings",
        DATABASE_URL=f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        CELERY_BROKER_URL=broker_url,
        DEBUG="true",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra or {})
    return env


@pytest.fixture
def celery_worker_process(
    redis_broker: str, settings, request: pytest.FixtureRequest
) -> Iterator[subprocess.Popen]:
    """A real `celery -A case_project worker` on the test database and Redis.

    Needs `django_db(transaction=True)`: the worker reads committed rows only.
    It runs with this process's WORKER_SETTINGS, so fakes the test uses
    (`fake_pagerduty`, `fake_slack`) are reached by the worker too.
    """
    for fake in WORKER_FAKES:
        if fake in request.fixturenames:
            request.getfixturevalue(fake)
    extra = {name: str(getattr(settings, name, "")) for name in WORKER_SETTINGS}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # One log per test database, so parallel runs from one checkout never share it.
    log = ROOT / "artifacts" / f"celery-worker-{settings.DATABASES['default']['NAME']}.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "case_project", "worker",
             "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=ROOT, env=_worker_env(redis_broker, extra), stdout=out,
            stderr=subprocess.STDOUT,
        )
    process.broker_url = redis_broker
    try:
        _wait_for_worker(process, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_worker(process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"celery worker exited early:\n{log.read_text()}")
        if "ready." in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"celery worker not ready after {timeout}s:\n{log.read_text()}")


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1) -> bool:
    """Poll `predicate` until it is true or `timeout` passes; return the last result."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() >= deadline:
            return bool(result)
        time.sleep(interval)


@pytest.fixture
def fake_slack(settings) -> Iterator["FakeSlack"]:
    """A seeded loopback Slack workspace; Case's settings aimed at it."""
    from slack_integration import client
    from slack_integration.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, seeded_workspace

    fake = seeded_workspace().start()
    settings.SLACK_BOT_TOKEN = BOT_TOKEN
    settings.SLACK_SIGNING_SECRET = SIGNING_SECRET
    settings.SLACK_API_BASE_URL = fake.api_url
    settings.ISSUES_CHANNEL_ID = "C0ISSUES01"
    settings.INCIDENT_RESPONSE_GROUP_ID = "S0RESPOND1"
    client._client.cache_clear()
    try:
        yield fake
    finally:
        fake.stop()
        client._client.cache_clear()


@pytest.fixture
def fake_pagerduty(settings) -> Iterator["FakePagerDuty"]:
    """A loopback PagerDuty Events API; paging enabled and aimed at it.

    Every event it receives is checked against the official schema; the test
    fails if any was invalid (a test that sends one on purpose clears
    `fake.invalid` after asserting on it).
    """
    from tests.fakes.pagerduty import ROUTING_KEY, SPEC_PATH, FakePagerDuty

    if not SPEC_PATH.exists():
        reason = f"../shared/ not found: {SPEC_PATH.resolve()} (the PagerDuty Events API schema)"
        if services.REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    fake = FakePagerDuty().start()
    settings.PAGERDUTY_ROUTING_KEY = ROUTING_KEY
    settings.PAGERDUTY_EVENTS_URL = fake.url
    try:
        yield fake
    finally:
        fake.stop()
    assert not fake.invalid, f"PagerDuty got events its schema refuses: {fake.invalid}"


# --- A real headless browser (Debian's chromium, driven by Selenium) ---------
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--window-size=1400,2000",
)


@pytest.fixture
def browser(tmp_path, monkeypatch):
    """Chromium through its chromedriver; nothing is downloaded.

    Selenium Manager is kept offline and given both paths. Skips where they
    are missing (`apt-get install chromium chromium-driver`), fails in CI.
    """
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        reason = (
            f"needs Debian's chromium and chromium-driver ({', '.join(missing)} missing): "
            "apt-get install chromium chromium-driver"
        )
        if services.REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
