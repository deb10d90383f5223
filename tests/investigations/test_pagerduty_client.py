"""The Events API client over real HTTP: answers, refusals, silence."""

import socket
from datetime import UTC, datetime

import pytest

from investigations.pagerduty import client
from investigations.pagerduty.payloads import resolve_event
from tests.fakes.pagerduty import ROUTING_KEY, Reply

EVENT = resolve_event(routing_key=ROUTING_KEY, public_id="0b8d3c52-8f5e-4a53-9d59-2f1b8a9d6c01")


def closed_port_url() -> str:
    """A loopback URL where nothing listens (the port was just released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v2/enqueue"


def test_accepted_event_returns_pagerdutys_answer(fake_pagerduty):
    answer = client.events_enqueue(EVENT, url=fake_pagerduty.url)
    assert answer.accepted is True
    assert answer.status == 202
    assert answer.body["dedup_key"] == EVENT["dedup_key"]
    assert fake_pagerduty.events == [EVENT]
    assert fake_pagerduty.received[0].headers["content-type"] == "application/json"


def test_refusal_carries_pagerdutys_message_and_errors(fake_pagerduty):
    fake_pagerduty.fail(400, body={"status": "invalid event", "message": "Event object is invalid",
                                   "errors": ["'payload' is missing"]})
    answer = client.events_enqueue(EVENT, url=fake_pagerduty.url)
    assert answer.accepted is False
    assert answer.reason == (
        "PagerDuty answered 400: invalid event: Event object is invalid: 'payload' is missing"
    )


def test_retry_after_header_is_read(fake_pagerduty):
    fake_pagerduty.fail(429, headers={"Retry-After": "7"})
    answer = client.events_enqueue(EVENT, url=fake_pagerduty.url)
    assert (answer.status, answer.retry_after) == (429, 7.0)


def test_an_answer_that_is_not_json_still_gives_a_reason(fake_pagerduty):
    fake_pagerduty.script(Reply(502, body={}))
    answer = client.events_enqueue(EVENT, url=fake_pagerduty.url)
    assert answer.reason == "PagerDuty answered 502"


def test_redirects_are_not_followed(fake_pagerduty):
    fake_pagerduty.script(Reply(302, headers={"Location": "http://127.0.0.1:9/elsewhere"}))
    answer = client.events_enqueue(EVENT, url=fake_pagerduty.url)
    assert answer.status == 302
    assert len(fake_pagerduty.received) == 1


def test_nothing_listening_is_unreachable():
    with pytest.raises(client.PagerDutyUnreachableError, match="could not be reached"):
        client.events_enqueue(EVENT, url=closed_port_url(), timeout=2)


def test_a_silent_pagerduty_times_out(fake_pagerduty):
    fake_pagerduty.script(Reply(202, delay=1.0))
    with pytest.raises(client.PagerDutyUnreachableError, match="did not answer in time"):
        client.events_enqueue(EVENT, url=fake_pagerduty.url, timeout=0.2)


def test_non_http_urls_are_refused_before_sending():
    with pytest.raises(ValueError, match="must be an http"):
        client.events_enqueue(EVENT, url="file:///etc/passwd")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("12", 12.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        ("Wed, 04 Mar 2026 05:06:37 GMT", 30.0),
        ("Wed, 04 Mar 2026 05:00:00 GMT", 0.0),
        ("soon", None),
        ("nan", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_accepts_seconds_and_http_dates(header, seconds):
    now = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert client.retry_after_seconds(header, now=now) == seconds


def test_long_reasons_are_shortened():
    answer = client.PagerDutyAnswer(400, {"message": "x" * 2000})
    assert len(answer.reason) == client.REASON_LIMIT
    assert answer.reason.endswith("…")
