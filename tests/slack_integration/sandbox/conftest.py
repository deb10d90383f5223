"""Fixtures for the sandbox: a running sandbox, and a stand-in app behind /slack/events."""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import pytest

from case_project.loopback import LoopbackHandler, LoopbackServer
from slack_integration.sandbox.runtime import Sandbox, sandbox_register, sandbox_settings
from slack_integration.sandbox.workspace import sandbox_workspace


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body))

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.form["payload"])


@dataclass
class StandInApp:
    """A loopback HTTP server in Case's place: records requests, answers per `answer`."""

    answer: Callable[[Received], dict | str | None] = lambda received: None
    received: list[Received] = field(default_factory=list)
    server: LoopbackServer | None = None

    @property
    def url(self) -> str:
        return f"{self.server.origin}/slack/events"


class _StandInHandler(LoopbackHandler):
    app: StandInApp

    def do_POST(self) -> None:  # noqa: N802  (http.server calls it by this name)
        received = Received(self.path, dict(self.headers.items()), self.body().decode())
        self.app.received.append(received)
        reply = self.app.answer(received)
        body = (json.dumps(reply) if isinstance(reply, dict) else reply or "").encode()
        # A sandbox that gave up waiting, as Slack does, is no error for `reply`.
        content_type = "application/json" if isinstance(reply, dict) else "text/plain"
        self.reply(200, body, content_type=content_type)


@pytest.fixture
def stand_in_app() -> Iterator[StandInApp]:
    app = StandInApp()
    app.server = LoopbackServer(_StandInHandler, app=app)
    yield app
    app.server.stop()


def start_sandbox(settings, events_url: str) -> Sandbox:
    """Register a sandbox as `manage.py case_sandbox` does, with its settings."""
    fake = sandbox_workspace().start()
    sandbox = Sandbox(fake=fake, events_url=events_url)
    for name, value in sandbox_settings(fake, sandbox.signing_secret).items():
        setattr(settings, name, value)
    sandbox_register(sandbox)
    return sandbox


@pytest.fixture
def sandbox(settings, stand_in_app) -> Iterator[Sandbox]:
    """A running sandbox whose /slack/events is the stand-in app."""
    running = start_sandbox(settings, stand_in_app.url)
    yield running
    sandbox_register(None)
    running.fake.stop()
