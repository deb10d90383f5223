"""A delivery Slack repeats is acted on once, and answered 200."""

import json

import pytest

from investigations.models import Investigation
from slack_integration.fakes.requests import message_shortcut_body
from slack_integration.models import SlackDeliveryReceipt
from tests.slack_integration.cases import case_opened_in_slack
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


def test_a_repeated_shortcut_delivery_opens_the_picker_once(slack, fake_slack):
    case_opened_in_slack(fake_slack)
    slack.command("help")
    body = message_shortcut_body(
        user_id="U0ALICE001", channel_id="C0GENERAL1", message_ts="1700000000.000100",
        response_url=fake_slack.response_url("shortcut"), trigger_id="1.2.shortcut-trigger",
    )
    for retry in ("", "1"):
        headers = {"X-Slack-Retry-Num": retry} if retry else {}
        assert slack.post(body, headers=headers).status_code == 200
    assert len(fake_slack.calls_to("views.open")) == 1
