"""The real threaded path: the ack returns before anything calls Slack."""

import time

import pytest

from investigations.models import Investigation
from tests.conftest import wait_until
from tests.slack_integration.conftest import reply_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LATENCY = 2.0  # how long the slow Slack methods take to answer


@pytest.fixture
def threaded(slack, settings):
    """After-ack work on the real thread pool, against a Slack slow to look people
    up and to create channels."""
    settings.SLACK_AFTER_ACK_INLINE = False
    slack.fake.latency_by_method.update({"users.info": LATENCY, "conversations.create": LATENCY})
    return slack


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_an_unknown_person_is_acked_at_once_and_answered_after_the_lookup(threaded):
    response, elapsed = timed(lambda: threaded.command("help"))
    assert reply_of(response) == {}
    assert elapsed < LATENCY  # users.info had not answered yet
    assert wait_until(lambda: threaded.fake.responses, timeout=10)
    assert "Collect Evidence" in threaded.fake.responses[0]["text"]


def test_open_acks_before_slack_is_called_and_the_channel_follows(threaded):
    threaded.command("help")
    assert wait_until(lambda: threaded.fake.responses, timeout=10)
    calls_at_ack = None

    def send():
        nonlocal calls_at_ack
        response = threaded.command("open Threaded path")
        calls_at_ack = len(threaded.fake.calls)
        return response

    response, elapsed = timed(send)
    assert reply_of(response)["text"].startswith("⏳ Opening an investigation: Threaded path")
    assert elapsed < LATENCY
    assert wait_until(
        lambda: Investigation.objects.filter(status=Investigation.Status.INVESTIGATING).exists(),
        timeout=30,
    )
    investigation = Investigation.objects.get()
    assert threaded.fake.channels[investigation.channel_id]["name"] == investigation.name
    assert wait_until(lambda: any(r["text"].startswith("✅") for r in threaded.fake.responses),
                      timeout=10)
    assert len(threaded.fake.calls) > calls_at_ack
