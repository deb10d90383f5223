"""Handing rows to a broker that is down: fast, once per burst, rows kept."""

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from case_project.celery import app
from investigations import outbox
from tests.conftest import celery_use_broker

pytestmark = pytest.mark.redis


@pytest.fixture
def silent_broker() -> Iterator[str]:
    """A loopback port that accepts connections and never answers (a hung Redis)."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        server.close()
        for connection in accepted:
            connection.close()


@pytest.fixture
def broker_at(redis_broker, monkeypatch):
    """Aim publishing at a URL, with 0.3 s socket timeouts."""
    saved = app.conf.broker_transport_options
    app.conf.broker_transport_options = {
        **saved, "socket_timeout": 0.3, "socket_connect_timeout": 0.3,
    }
    monkeypatch.setattr(outbox, "_broker_down_until", {})
    try:
        yield celery_use_broker
    finally:
        app.conf.broker_transport_options = saved
        celery_use_broker(redis_broker)


def test_a_hung_broker_costs_one_timeout_per_burst(broker_at, silent_broker):
    broker_at(silent_broker)
    started = time.monotonic()

    handed = [outbox.outbox_dispatch(message_id) for message_id in range(1, 6)]

    assert handed == [False] * 5
    # One 0.3 s timeout, not five.
    assert time.monotonic() - started < 1.0


def test_a_refusing_broker_fails_at_once(broker_at):
    broker_at("redis://127.0.0.1:9/0")
    started = time.monotonic()
    assert outbox.outbox_dispatch(1) is False
    assert time.monotonic() - started < 0.5


def test_the_broker_is_asked_again_after_the_pause(broker_at, redis_broker, monkeypatch):
    monkeypatch.setattr(outbox, "BROKER_DOWN_SECONDS", 0.2)
    broker_at("redis://127.0.0.1:9/0")
    assert outbox.outbox_dispatch(1) is False
    broker_at(redis_broker)  # another broker is not held against
    assert outbox.outbox_dispatch(2) is True
    broker_at("redis://127.0.0.1:9/0")
    time.sleep(0.25)
    started = time.monotonic()
    assert outbox.outbox_dispatch(3) is False
    assert "redis://127.0.0.1:9/0" in outbox._broker_down_until  # tried again, failed again
    assert time.monotonic() - started < 0.5
