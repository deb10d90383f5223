"""The same app over Socket Mode: envelopes in, acks out, redeliveries acted on once."""

from urllib.parse import parse_qsl

import pytest
from django.core.management import CommandError, call_command
from slack_sdk.socket_mode.request import SocketModeRequest

from investigations.models import Investigation
from slack_integration.fakes.requests import slash_command_body
from slack_integration.socket_mode import socket_mode_handler
from tests.slack_integration.conftest import ALICE, GENERAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def socket(slack):
    """A Socket Mode handler that never connects; its acks are recorded."""
    handler = socket_mode_handler("xapp-1-A0CASEAPP1-test")
    sent = []
    handler.client.send_socket_mode_response = sent.append
    yield handler, sent
    handler.client.close()


def envelope(slack, text: str, *, trigger_id: str, envelope_id: str, retry: int | None = None):
    payload = dict(parse_qsl(slash_command_body(
        text=text, user_id=ALICE, channel_id=GENERAL, trigger_id=trigger_id,
        response_url=slack.fake.response_url(),
    )))
    message = {"type": "slash_commands", "envelope_id": envelope_id, "payload": payload,
               "accepts_response_payload": True}
    if retry is not None:
        message |= {"retry_attempt": retry, "retry_reason": "timeout"}
    return SocketModeRequest.from_dict(message)


def test_a_command_is_answered_with_the_envelopes_id(slack, socket):
    handler, sent = socket
    handler.handle(handler.client, envelope(slack, "help", trigger_id="t-1", envelope_id="e-1"))
    handler.handle(handler.client, envelope(slack, "help", trigger_id="t-2", envelope_id="e-2"))
    assert [ack.envelope_id for ack in sent] == ["e-1", "e-2"]
    assert "Collect Evidence" in sent[1].payload["text"]


def test_a_redelivered_envelope_does_not_repeat_the_open(
    slack, socket, django_capture_on_commit_callbacks
):
    handler, sent = socket
    handler.handle(handler.client, envelope(slack, "help", trigger_id="t-0", envelope_id="e-0"))
    with django_capture_on_commit_callbacks(execute=True):
        handler.handle(handler.client,
                       envelope(slack, "open Queue stuck", trigger_id="t-9", envelope_id="e-9"))
        handler.handle(handler.client, envelope(
            slack, "open Queue stuck", trigger_id="t-9", envelope_id="e-10", retry=1))
    assert sent[1].payload["text"].startswith("⏳ Opening an investigation: Queue stuck")
    assert sent[2].envelope_id == "e-10"
    assert sent[2].payload is None  # acknowledged, nothing done
    investigation = Investigation.objects.get()
    assert investigation.status == Investigation.Status.INVESTIGATING
    assert len(slack.fake.calls_to("conversations.create")) == 1


def test_the_runner_refuses_to_start_without_an_app_token(slack, settings):
    settings.SLACK_APP_TOKEN = ""
    with pytest.raises(CommandError, match="xapp-"):
        call_command("slack_socket_mode")


def test_the_runner_refuses_to_start_when_slack_is_not_configured(settings):
    settings.SLACK_BOT_TOKEN = ""
    settings.SLACK_APP_TOKEN = "xapp-1-x"
    with pytest.raises(CommandError, match="SLACK_BOT_TOKEN"):
        call_command("slack_socket_mode")
