"""Fixtures for the sandbox: a running sandbox, and a stand-in app behind /slack/events."""

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest

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
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/slack/events"


@pytest.fixture
def stand_in_app() -> Iterator[StandInApp]:
    app = StandInApp()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            received = Received(self.path, dict(self.headers.items()), raw)
            app.received.append(received)
            reply = app.answer(received)
            body = (json.dumps(reply) if isinstance(reply, dict) else reply or "").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json" if isinstance(reply, dict)
                             else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError):  # the sandbox gave up, as Slack does
                self.wfile.write(body)

    app.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=app.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield app
    app.server.shutdown()
    app.server.server_close()


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
