"""POST /slack/events: signatures, the 503 when unconfigured, and 200s for everything else."""

import json
import time

import pytest

from investigations.models import Investigation
from slack_integration.fakes.requests import (
    block_suggestion_body,
    signed_headers,
    view_submission_body,
)
from slack_integration.fakes.slack_api import SIGNING_SECRET
from slack_integration.models import SlackDeliveryReceipt
from tests.slack_integration.conftest import reply_of, text_of

pytestmark = pytest.mark.django_db

FIVE_MINUTES = 5 * 60


def _unchanged() -> bool:
    return not Investigation.objects.exists() and not SlackDeliveryReceipt.objects.exists()


@pytest.mark.parametrize(
    ("secret", "skew"),
    [
        ("not-the-signing-secret", 0),
        (SIGNING_SECRET, -(FIVE_MINUTES + 5)),  # stale
        (SIGNING_SECRET, FIVE_MINUTES + 5),  # from the future
    ],
    ids=["wrong-secret", "stale", "future"],
)
def test_bad_or_out_of_window_signature_is_401_and_changes_nothing(slack, secret, skew):
    body = slack.command_body("open Checkout is down")
    response = slack.post(body, secret=secret, timestamp=int(time.time()) + skew)
    assert response.status_code == 401
    assert _unchanged()
    assert slack.fake.calls == []


def test_signature_inside_the_window_is_accepted_both_ways(slack):
    for skew in (-(FIVE_MINUTES - 10), FIVE_MINUTES - 10):
        response = slack.post(slack.command_body("help"), timestamp=int(time.time()) + skew)
        assert response.status_code == 200


def test_missing_signature_headers_are_401(slack, client):
    body = slack.command_body("open Checkout is down")
    response = client.post("/slack/events", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 401
    assert _unchanged()


def test_a_body_altered_after_signing_is_401(slack, client):
    body = slack.command_body("help")
    headers = signed_headers(body, SIGNING_SECRET)
    response = client.post(
        "/slack/events", data=body.replace("help", "open x"),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_SLACK_REQUEST_TIMESTAMP=headers["X-Slack-Request-Timestamp"],
        HTTP_X_SLACK_SIGNATURE=headers["X-Slack-Signature"],
    )
    assert response.status_code == 401
    assert _unchanged()


def test_verification_stays_on_with_debug(slack, settings):
    settings.DEBUG = True
    response = slack.post(slack.command_body("help"), secret="wrong")
    assert response.status_code == 401


def test_unconfigured_slack_answers_503_saying_what_to_set(client, settings):
    settings.SLACK_BOT_TOKEN = ""
    settings.SLACK_SIGNING_SECRET = ""
    response = client.post("/slack/events", data="x=1",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 503
    payload = response.json()
    assert payload["error"] == "slack_not_configured"
    assert "SLACK_BOT_TOKEN" in payload["message"]
    assert "SLACK_SIGNING_SECRET" in payload["message"]


def test_get_is_not_allowed(slack, client):
    assert client.get("/slack/events").status_code == 405


def test_an_unexpected_error_is_a_200_with_a_generic_message(slack, monkeypatch, caplog):
    def broken() -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("slack_integration.commands.listing.investigation_list_open", broken)
    slack.command("help")  # the person is looked up once; this reply is not the point
    response = slack.command("list")
    reply = reply_of(response)
    assert reply["response_type"] == "ephemeral"
    assert "Something went wrong" in reply["text"]
    assert "database on fire" not in reply["text"]
    assert "slack.command_failed" in caplog.text


def test_an_exception_outside_the_router_is_still_a_200(slack, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    slack.command("help")
    monkeypatch.setattr("slack_integration.listeners.commands.router.acknowledge", broken)
    reply = reply_of(slack.command("list"))
    assert "Something went wrong" in reply["text"]


def test_another_slash_command_is_told_which_one_case_answers(slack):
    slack.command("help")
    body = slack.command_body("help").replace("command=%2Fcase", "command=%2Fother")
    reply = reply_of(slack.post(body))
    assert "/case" in reply["text"]


def test_an_interaction_nobody_handles_is_acknowledged_with_an_empty_200(slack):
    body = block_suggestion_body(user_id="U0ALICE001", action_id="nobody", block_id="b", value="x")
    slack.command("help")  # the person's verdict is cached by then
    response = slack.post(body)
    assert response.status_code == 200


def test_url_verification_is_answered_with_the_challenge(slack):
    body = json.dumps({"type": "url_verification", "token": "t", "challenge": "c-123"})
    response = slack.post(body, content_type="application/json")
    assert response.status_code == 200
    assert json.loads(response.content)["challenge"] == "c-123"


def test_help_answers_inline_once_the_person_is_known(slack):
    slack.command("help")
    calls_before = len(slack.fake.calls)
    reply = reply_of(slack.command("help"))
    assert "Collect Evidence" in text_of(reply)
    assert len(slack.fake.calls) == calls_before  # no Slack call before that ack


def _crash(*args, **kwargs):
    raise RuntimeError("database on fire")


def test_a_crash_in_the_shortcut_is_a_200_and_said_on_its_response_url(slack, monkeypatch):
    slack.command("help")  # the person is known
    monkeypatch.setattr("slack_integration.listeners.evidence.investigation_list_open", _crash)
    response = slack.shortcut()
    assert reply_of(response) == {}
    assert "Something went wrong" in slack.fake.responses[-1]["text"]
    assert "database on fire" not in slack.fake.responses[-1]["text"]


def test_a_crash_in_a_modal_submission_is_a_200_shown_in_the_modal(slack, monkeypatch):
    slack.command("help")
    monkeypatch.setattr("slack_integration.listeners.evidence.CollectedMessage.from_metadata",
                        _crash)
    body = view_submission_body(
        user_id="U0ALICE001", values={},
        view={"type": "modal", "callback_id": "select_investigation_for_event"},
    )
    reply = reply_of(slack.post(body))
    assert reply["response_action"] == "update"
    shown = json.dumps(reply["view"], ensure_ascii=False)
    assert "Something went wrong" in shown
    assert "database on fire" not in shown


def test_the_app_is_built_once_per_configuration_and_building_it_calls_nobody(fake_slack):
    from slack_integration.bolt_app import build_app

    app = build_app()  # this fake's port is new, so this builds
    assert build_app() is app
    assert app.client.base_url == fake_slack.api_url.rstrip("/") + "/"
    assert fake_slack.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("payload=not-json", "application/x-www-form-urlencoded"),
     ("{not json", "application/json")],
    ids=["form-payload", "json"],
)
def test_a_body_that_cannot_be_parsed_is_401_unsigned_and_an_empty_200_signed(
    slack, client, body, content_type
):
    unsigned = client.post("/slack/events", data=body, content_type=content_type)
    assert unsigned.status_code == 401
    signed = slack.post(body, content_type=content_type)
    assert (signed.status_code, signed.content) == (200, b"")
    stale = slack.post(body, content_type=content_type, timestamp=int(time.time()) - 400)
    assert stale.status_code == 401
    assert _unchanged()
