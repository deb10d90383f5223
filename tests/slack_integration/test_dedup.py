"""A delivery Slack repeats is acted on once, and answered 200."""

import json

import pytest

from investigations.models import Investigation
from slack_integration.models import SlackDeliveryReceipt
from tests.slack_integration.conftest import reply_of

pytestmark = pytest.mark.django_db


def test_a_repeated_command_delivery_does_not_open_twice(slack, django_capture_on_commit_callbacks):
    slack.command("help")
    body = slack.command_body("open Payments failing", trigger_id="1.2.repeated-trigger")
    with django_capture_on_commit_callbacks(execute=True):
        first = reply_of(slack.post(body))
        repeat = slack.post(body, headers={"X-Slack-Retry-Num": "1",
                                           "X-Slack-Retry-Reason": "http_timeout"})
    assert first["text"].startswith("⏳ Opening")
    assert repeat.status_code == 200
    assert repeat.content == b""
    assert Investigation.objects.count() == 1
    assert len([c for c in slack.fake.channels.values() if c["name"].startswith("case-")]) == 1
    assert SlackDeliveryReceipt.objects.filter(key="trigger:1.2.repeated-trigger").count() == 1


def test_a_repeated_event_is_acknowledged_once(slack):
    event = json.dumps({
        "type": "event_callback", "team_id": "T0CASE0001", "api_app_id": "A0CASEAPP1",
        "event_id": "Ev0REPEAT01", "event_time": 1700000000,
        "event": {"type": "app_mention", "user": "U0ALICE001", "text": "hi", "ts": "1.1",
                  "channel": "C0GENERAL1"},
    })
    for retry in ("", "1", "2"):
        headers = {"X-Slack-Retry-Num": retry} if retry else {}
        response = slack.post(event, content_type="application/json", headers=headers)
        assert response.status_code == 200
    assert list(SlackDeliveryReceipt.objects.values_list("key", "kind")) == [
        ("event:Ev0REPEAT01", "event_callback")
    ]


def test_different_deliveries_of_the_same_command_text_both_count(slack):
    slack.command("help")
    first = reply_of(slack.command("help"))
    second = reply_of(slack.command("help"))
    assert first == second
    assert first["text"]
