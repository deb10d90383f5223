"""A loopback fake of PagerDuty's Events API v2 that checks every event.

A loopback server (`case_project.loopback`); point PAGERDUTY_EVENTS_URL at
`fake.url`. Every POST is validated against the request-body schema of
`/enqueue` in the official OpenAPI document (`../shared/pagerduty-events-v2/
openapiv3.json`, `$ref`s resolved within it), plus the documented rules the
schema leaves to prose. An invalid event is answered 400, as PagerDuty would,
and kept in `fake.invalid`; the `fake_pagerduty` fixture fails the test if
any arrived. Valid events get the scripted replies (`fake.script(...)`) in
order, then 202.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from case_project.loopback import LoopbackHandler, LoopbackServer

SPEC_PATH = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "pagerduty-events-v2" / "openapiv3.json"
)
SPEC_URI = "urn:pagerduty-events-v2:openapiv3"
ENQUEUE_SCHEMA_POINTER = "/paths/~1enqueue/post/requestBody/content/application~1json/schema"
ENQUEUE_PATH = "/v2/enqueue"
ROUTING_KEY = "e93facc04764012d7bfb002500d5d1a6"  # the fake's own 32-character key
# Documented (developer.pagerduty.com, "Send an Alert Event") but not in the schema.
SUMMARY_LIMIT = 1024
DEDUP_KEY_LIMIT = 255
ROUTING_KEY_LENGTH = 32


def _format_checker() -> jsonschema.FormatChecker:
    """The spec's `url` and `date-time` formats, checked without extra packages."""
    checker = jsonschema.FormatChecker()

    @checker.checks("url", raises=ValueError)
    def is_url(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return parts.scheme in {"http", "https"} and bool(parts.netloc)

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        # RFC 3339 needs a "T" (or space) and an offset; fromisoformat checks the rest.
        return "T" in value.upper() and datetime.fromisoformat(value).tzinfo is not None

    return checker


def enqueue_validator(spec_path: Path = SPEC_PATH) -> Validator:
    """A validator for `/enqueue` request bodies; FileNotFoundError without the spec."""
    spec = json.loads(spec_path.read_text())
    registry = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT4)
    )
    # A $ref into the whole document keeps "#/components/..." resolvable.
    schema = {"$ref": f"{SPEC_URI}#{ENQUEUE_SCHEMA_POINTER}"}
    return jsonschema.Draft4Validator(schema, registry=registry, format_checker=_format_checker())


def event_problems(validator: Validator, event: Any) -> list[str]:
    """Every reason PagerDuty would refuse `event`; empty when it is valid."""
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(event)'}: {error.message}"
        for error in sorted(validator.iter_errors(event), key=lambda e: list(e.absolute_path))
    ]
    if not isinstance(event, dict):
        return problems
    action, payload = event.get("event_action"), event.get("payload")
    key = event.get("routing_key")
    if isinstance(key, str) and len(key) != ROUTING_KEY_LENGTH:
        problems.append(f"routing_key: must be {ROUTING_KEY_LENGTH} characters")
    if action == "trigger" and not isinstance(payload, dict):
        problems.append("payload: required for a trigger")
    if action in {"acknowledge", "resolve"} and not event.get("dedup_key"):
        problems.append(f"dedup_key: required for {action}")
    dedup_key = event.get("dedup_key")
    if isinstance(dedup_key, str) and len(dedup_key) > DEDUP_KEY_LIMIT:
        problems.append(f"dedup_key: longer than {DEDUP_KEY_LIMIT} characters")
    summary = payload.get("summary") if isinstance(payload, dict) else None
    if isinstance(summary, str) and len(summary) > SUMMARY_LIMIT:
        problems.append(f"payload/summary: longer than {SUMMARY_LIMIT} characters")
    return problems


@dataclass(frozen=True)
class Reply:
    """A scripted answer: a status, optional JSON body and headers, optional delay."""

    status: int = 202
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Received:
    """One POST as the fake saw it, and the status it answered."""

    event: Any
    headers: dict[str, str]
    status: int
    valid: bool
    at: float


class FakePagerDuty:
    """The Events API endpoint: validates, records, answers as scripted."""

    def __init__(self, validator: Validator | None = None) -> None:
        self.validator = validator or enqueue_validator()
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.invalid: list[tuple[Any, list[str]]] = []
        self._script: list[Reply] = []
        self.server: LoopbackServer | None = None

    # --- lifecycle -------------------------------------------------------
    def start(self) -> "FakePagerDuty":
        self.server = LoopbackServer(_Handler, fake=self)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    @property
    def url(self) -> str:
        assert self.server is not None, "start() the fake first"
        return f"{self.server.origin}{ENQUEUE_PATH}"

    # --- scripting and inspection ----------------------------------------
    def script(self, *replies: Reply) -> None:
        """Answer the next valid events with `replies`, in order; then 202."""
        with self.lock:
            self._script.extend(replies)

    def fail(self, status: int, times: int = 1, **reply: Any) -> None:
        self.script(*[Reply(status, **reply)] * times)

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every valid event received, accepted or not, in arrival order."""
        with self.lock:
            return [r.event for r in self.received if r.valid]

    def accepted(self, action: str | None = None) -> list[dict[str, Any]]:
        """The events answered 202 (optionally only one `event_action`)."""
        with self.lock:
            return [
                r.event for r in self.received
                if r.status == 202 and (action is None or r.event.get("event_action") == action)
            ]

    def statuses(self) -> list[int]:
        with self.lock:
            return [r.status for r in self.received]

    # --- the endpoint ------------------------------------------------------
    def handle(self, raw: bytes, headers: dict[str, str]) -> tuple[Reply, Any]:
        try:
            event = json.loads(raw)
        except ValueError:
            event = raw.decode(errors="replace")
        problems = event_problems(self.validator, event)
        if "application/json" not in headers.get("content-type", ""):
            problems.append("Content-Type: must be application/json")
        with self.lock:
            if problems:
                self.invalid.append((event, problems))
                reply = Reply(400, {"status": "invalid event",
                                    "message": "Event object is invalid", "errors": problems})
            else:
                reply = self._script.pop(0) if self._script else Reply(202)
            self.received.append(
                Received(event, headers, reply.status, not problems, time.monotonic())
            )
        if reply.body is None and 200 <= reply.status < 300:
            dedup_key = event.get("dedup_key") or f"fake-{len(self.received)}"
            reply = Reply(reply.status, {"status": "success", "message": "Event processed",
                                         "dedup_key": dedup_key}, reply.headers, reply.delay)
        elif reply.body is None:
            reply = Reply(reply.status, {"status": "error", "message": f"scripted {reply.status}"},
                          reply.headers, reply.delay)
        return reply, event


class _Handler(LoopbackHandler):
    fake: FakePagerDuty

    def do_POST(self) -> None:  # noqa: N802  (http.server calls it by this name)
        raw = self.body()
        if self.path != ENQUEUE_PATH:
            self._send(404, {}, {"status": "not found", "message": self.path})
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply, _ = self.fake.handle(raw, headers)
        if reply.delay:
            time.sleep(reply.delay)  # a slow PagerDuty, for client timeouts
        self._send(reply.status, reply.headers, reply.body or {})

    def _send(self, status: int, headers: dict[str, str], body: dict[str, Any]) -> None:
        self.reply(status, json.dumps(body).encode(), content_type="application/json",
                   headers=headers)
