"""One retry policy for every handler: the outbox's countdowns, never a sleep.

A task or listener that sleeps holds a worker (or Slack's 3 s) hostage; the
outbox retries with `self.retry(countdown=…)` instead. These checks keep it so
as code is added: no sleep call in the code tasks and listeners run, and no
Slack SDK retry handler (they sleep between tries) on Case's clients.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("case_project", "investigations", "reporting", "slack_integration")
# Not run by tasks or listeners: the loopback fake Slack (a test double) and
# the sandbox's stand-in for Slack's own client, which waits for the app as
# Slack's servers do.
NOT_TASKS_OR_LISTENERS = (
    ROOT / "slack_integration" / "fakes",
    ROOT / "slack_integration" / "sandbox" / "platform.py",
)
SLEEPS = {("time", "sleep"), ("asyncio", "sleep")}


def app_modules() -> list[Path]:
    return sorted(
        path for app in APPS for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and not any(path == skip or skip in path.parents for skip in NOT_TASKS_OR_LISTENERS)
    )


def sleep_calls(source: str) -> list[int]:
    """Lines calling time.sleep / asyncio.sleep, however imported."""
    tree = ast.parse(source)
    # `from time import sleep [as pause]` makes a bare name a sleep too.
    bare = {
        alias.asname or alias.name
        for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        for alias in node.names if (node.module, alias.name) in SLEEPS
    }
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if (func.value.id, func.attr) in SLEEPS:
                lines.append(node.lineno)
        elif isinstance(func, ast.Name) and func.id in bare:
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "source",
    ["import time\ntime.sleep(1)\n", "from time import sleep\nsleep(1)\n",
     "from time import sleep as pause\npause(1)\n", "import asyncio\nasyncio.sleep(1)\n"],
)
def test_the_scan_sees_every_spelling_of_a_sleep(source):
    assert sleep_calls(source) == [2]


def test_the_scan_reads_the_code_tasks_and_listeners_run():
    names = {str(path.relative_to(ROOT)) for path in app_modules()}
    assert {"investigations/outbox.py", "investigations/tasks.py",
            "slack_integration/listeners/commands.py", "slack_integration/handlers/closing.py",
            "investigations/pagerduty/handlers.py"} <= names


def test_no_task_handler_or_listener_sleeps():
    found = {
        str(path.relative_to(ROOT)): lines
        for path in app_modules() if (lines := sleep_calls(path.read_text()))
    }
    assert not found, f"retry with the outbox's countdown instead of sleeping: {found}"


@pytest.mark.django_db
def test_slack_clients_carry_no_sdk_retry_handlers(fake_slack):
    # slack_sdk's retry handlers sleep between tries, in the worker or before an ack.
    from slack_integration.bolt_app import build_app
    from slack_integration.client import slack_client

    assert slack_client().retry_handlers == []
    assert slack_client(timeout=2).retry_handlers == []
    assert build_app().client.retry_handlers == []


# Handlers someone is waiting on give up sooner and say so: the opener of a
# channel, the requester of an export.
TOLD_SOONER = {"slack.open_channel", "slack.export_csv"}


def test_every_handler_keeps_trying_through_a_half_hour_outage():
    from investigations.outbox import _HANDLERS, retry_delay

    kinds = {kind for kind in _HANDLERS if not kind.startswith("outbox.")}  # not test doubles
    assert {"slack.archive_channel", "slack.refresh_announcement", "pagerduty.trigger"} <= kinds
    for kind in kinds - TOLD_SOONER:
        budget = sum(retry_delay(n) for n in range(1, _HANDLERS[kind].max_attempts))
        assert 29 * 60 < budget <= 30 * 60, (kind, budget)


def test_the_handlers_that_give_up_sooner_tell_someone():
    from investigations.outbox import _HANDLERS

    for kind in TOLD_SOONER:
        assert _HANDLERS[kind].on_give_up is not None, kind
