"""Slack payloads parsed: command text, people, delivery keys, Slack's text tokens."""

import json
from urllib.parse import parse_qsl

import pytest

from slack_integration.fakes.requests import (
    message_shortcut_body,
    slash_command_body,
    view_submission_body,
)
from slack_integration.payloads import (
    actor_from,
    command_text_from,
    delivery_key,
    plain_text_from_slack,
    request_kind,
)


def form(body: str) -> dict:
    return dict(parse_qsl(body))


def interactive(body: str) -> dict:
    return json.loads(form(body)["payload"])


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [("", "", ""), ("   ", "", ""), ("LIST", "list", ""),
     ("open  API\n down ", "open", "API\n down"), ("Open (x)", "open", "(x)")],
)
def test_command_text_splits_off_a_lower_cased_subcommand(text, name, args):
    parsed = command_text_from(text)
    assert (parsed.name, parsed.args) == (name, args)


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("<@U0BOB00001|bob> and <@W0DAVE0001>", "@bob and @W0DAVE0001"),
        ("see <#C0GENERAL1|general>", "see #general"),
        ("<!here> <!channel> <!everyone>", "@here @channel @everyone"),
        ("<!subteam^S0RESPOND1|@oncall> paged", "@oncall paged"),
        ("<https://x.example/a?b=1&amp;c=2|docs> and <https://y.example>",
         "docs and https://y.example"),
        ("<mailto:a@b.example|a@b.example>", "a@b.example"),
        ("a &lt;b&gt; &amp; c", "a &lt;b&gt; &amp; c"),  # entities are undone later, once
    ],
)
def test_slack_tokens_become_what_the_person_saw(sent, typed):
    assert plain_text_from_slack(sent) == typed


def test_the_person_and_delivery_of_each_payload_shape():
    command = form(slash_command_body(text="help", user_id="U1", channel_id="D1",
                                      response_url="https://r", trigger_id="tr-1"))
    shortcut = interactive(message_shortcut_body(user_id="U2", channel_id="C1",
                                                 message_ts="1.1", response_url="https://r",
                                                 trigger_id="tr-2"))
    submission = interactive(view_submission_body(user_id="U3", view={}, values={},
                                                  trigger_id="tr-3"))
    assert [request_kind(b) for b in (command, shortcut, submission)] == [
        "slash_command", "message_action", "view_submission"
    ]
    assert [actor_from(b).user_id for b in (command, shortcut, submission)] == ["U1", "U2", "U3"]
    assert actor_from(shortcut).user_team_id == "T0CASE0001"
    assert [delivery_key(b) for b in (command, shortcut, submission)] == [
        "trigger:tr-1", "trigger:tr-2", "trigger:tr-3"
    ]
    assert delivery_key({"type": "event_callback", "event_id": "Ev1"}) == "event:Ev1"
    assert delivery_key({"type": "block_suggestion", "value": "x"}) is None
    assert actor_from({"type": "event_callback"}) is None
