"""Signed requests to /slack/events, as Slack sends them, against the fake Slack."""

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from slack_integration.fakes.requests import (
    FORM,
    message_shortcut_body,
    signed_headers,
    slash_command_body,
)
from slack_integration.fakes.slack_api import SIGNING_SECRET, TEAM_ID, FakeSlack

ALICE = "U0ALICE001"
GENERAL = "C0GENERAL1"
ISSUES = "C0ISSUES01"


@dataclass
class SlackRequests:
    """Sends what Slack would send, signed; reads back what the person sees."""

    client: Client
    fake: FakeSlack

    def post(self, body: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET,
             content_type: str = FORM, headers: dict[str, str] | None = None):
        signed = signed_headers(body, secret, timestamp)
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value
                 for name, value in {**signed, **(headers or {})}.items()}
        return self.client.post("/slack/events", data=body, content_type=content_type, **extra)

    def command_body(self, text: str, *, user_id: str = ALICE, channel_id: str = GENERAL,
                     team_id: str = TEAM_ID, trigger_id: str | None = None) -> str:
        return slash_command_body(
            text=text, user_id=user_id, channel_id=channel_id, team_id=team_id,
            response_url=self.fake.response_url(channel_id=channel_id, user_id=user_id),
            trigger_id=trigger_id,
        )

    def command(self, text: str, **kwargs):
        return self.post(self.command_body(text, **kwargs))

    def shortcut(self, *, user_id: str = ALICE, channel_id: str = GENERAL, team_id: str = TEAM_ID):
        body = message_shortcut_body(
            user_id=user_id, channel_id=channel_id, message_ts="1700000000.000100",
            response_url=self.fake.response_url("shortcut"), team_id=team_id,
        )
        return self.post(body)


def reply_of(response) -> dict:
    """The ack's JSON body ({} when Slack would show nothing)."""
    assert response.status_code == 200, response.content
    return json.loads(response.content) if response.content else {}


def text_of(reply: dict) -> str:
    """Everything the person reads: fallback text and every block's text."""
    parts = [reply.get("text", "")]
    for block in reply.get("blocks", []):
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(field["text"] for field in block.get("fields", []))
        parts.extend(element.get("text", "") for element in block.get("elements", []))
    return "\n".join(parts)


@pytest.fixture
def slack(fake_slack: FakeSlack, settings, client: Client) -> Iterator[SlackRequests]:
    """Signed requests to /slack/events; after-ack work runs inline (deterministic)."""
    settings.SLACK_AFTER_ACK_INLINE = True
    settings.ALLOWED_WORKSPACE_IDS = []
    cache.clear()
    yield SlackRequests(client=client, fake=fake_slack)
    cache.clear()
