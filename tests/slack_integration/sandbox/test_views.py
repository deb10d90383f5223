"""The sandbox pages: 404 unless running; every action signed and sent to /slack/events."""

import json

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from slack_integration.sandbox import platform
from slack_integration.sandbox.runtime import sandbox_register
from slack_integration.sandbox.workspace import ALICE, BOB, GENERAL_CHANNEL_ID, SUPPORT_CHANNEL_ID

pytestmark = pytest.mark.django_db

MODAL = {
    "type": "modal", "callback_id": "select_investigation_for_event",
    "private_metadata": "kept as sent",
    "title": {"type": "plain_text", "text": "Collect Evidence"},
    "submit": {"type": "plain_text", "text": "Add"},
    "blocks": [{"type": "input", "block_id": "investigation_select",
                "label": {"type": "plain_text", "text": "Investigation"},
                "element": {"type": "external_select", "action_id": "selected_investigation",
                            "min_query_length": 0}}],
}


def post(client, name: str, **body):
    return client.post(f"/sandbox/api/{name}", json.dumps(body), content_type="application/json")


def state(client, person: str = ALICE, channel: str = GENERAL_CHANNEL_ID, **extra) -> dict:
    response = client.get("/sandbox/api/state", {"person": person, "channel": channel, **extra})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("url", ["/sandbox/", "/sandbox/api/state?person=U0ALICE001&channel=C0GENERAL1"])
def test_pages_are_404_while_the_sandbox_is_off(client, settings, url):
    assert settings.SANDBOX_ENABLED is False
    assert client.get(url).status_code == 404
    settings.SANDBOX_ENABLED = True  # switched on, but no sandbox is running
    sandbox_register(None)
    assert client.get(url).status_code == 404


def test_api_posts_are_404_while_the_sandbox_is_off(client):
    assert post(client, "send", person=ALICE, channel=GENERAL_CHANNEL_ID, text="/case help").status_code == 404


def test_the_page_lists_people_and_channels_with_archived_marked(client, sandbox):
    page = client.get("/sandbox/")
    assert page.status_code == 200
    assert b"sandbox/sandbox.js" in page.content
    data = state(client)
    assert {"id": ALICE, "name": "Alice Archer", "kind": "member"} in data["people"]
    assert {p["kind"] for p in data["people"]} >= {"guest", "other organisation"}
    channels = {c["name"]: c for c in data["channels"]}
    assert channels["deploys-2023"]["archived"] is True
    assert channels["issues"]["archived"] is False


def test_a_command_is_signed_and_sent_to_slack_events(client, sandbox, stand_in_app):
    response = post(client, "send", person=ALICE, channel=GENERAL_CHANNEL_ID,
                    text="/case open API response times increasing")
    assert response.json() == {"ok": True, "error": "", "status": 200}
    [received] = stand_in_app.received
    assert received.path == "/slack/events"
    assert received.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert SignatureVerifier(sandbox.signing_secret).is_valid_request(received.body, received.headers)
    assert not SignatureVerifier("another-secret").is_valid_request(received.body, received.headers)
    form = received.form
    assert form["command"] == "/case"
    assert form["text"] == "open API response times increasing"
    assert (form["user_id"], form["channel_id"], form["channel_name"]) == (ALICE, GENERAL_CHANNEL_ID, "general")
    assert form["team_id"] == sandbox.team_id
    assert form["response_url"].startswith(sandbox.fake.base_url + "/response/")
    assert form["trigger_id"]


def test_an_ephemeral_reply_is_shown_only_to_its_person(client, sandbox, stand_in_app):
    stand_in_app.answer = lambda received: {"text": "Only *you* see this"}
    post(client, "send", person=ALICE, channel=GENERAL_CHANNEL_ID, text="/case help")
    [reply] = [m for m in state(client, ALICE)["messages"] if m["ephemeral"]]
    assert reply["html"] == '<div class="bk-text">Only <strong>you</strong> see this</div>'
    assert reply["author"] == "Case"
    assert not [m for m in state(client, BOB)["messages"] if "Only" in m["html"]]


def test_response_url_posts_show_in_channel_or_to_their_person(client, sandbox, stand_in_app):
    def answer_later(received):
        webhook = WebhookClient(received.form["response_url"])
        for body in ({"response_type": "in_channel", "text": "for everyone"}, {"text": "just for alice"}):
            assert webhook.send_dict(body).status_code == 200
        return ""

    stand_in_app.answer = answer_later
    post(client, "send", person=ALICE, channel=GENERAL_CHANNEL_ID, text="/case list")
    bob_sees = [m["html"] for m in state(client, BOB)["messages"]]
    alice_sees = [m["html"] for m in state(client, ALICE)["messages"]]
    assert any("for everyone" in html for html in bob_sees)
    assert not any("just for alice" in html for html in bob_sees)
    assert any("just for alice" in html for html in alice_sees)


def test_an_app_too_slow_to_answer_gets_slacks_error(client, sandbox, stand_in_app, monkeypatch):
    monkeypatch.setattr(platform, "ACK_TIMEOUT", 0.2)

    def slow(received):
        import time
        time.sleep(0.6)
        return ""

    stand_in_app.answer = slow
    response = post(client, "send", person=ALICE, channel=GENERAL_CHANNEL_ID, text="/case help")
    assert response.json()["error"] == "operation_timeout"
    [reply] = [m for m in state(client)["messages"] if m["ephemeral"]]
    assert reply["author"] == "Slackbot"
    assert reply["html"] == '<div class="bk-text">/case failed with the error "operation_timeout"</div>'


def test_plain_text_is_a_message_from_the_person(client, sandbox, stand_in_app):
    assert post(client, "send", person=BOB, channel=SUPPORT_CHANNEL_ID, text="on it").json() == {"ok": True}
    last = state(client, ALICE, SUPPORT_CHANNEL_ID)["messages"][-1]
    assert (last["author"], last["ephemeral"]) == ("Bob Baptiste", False)
    assert stand_in_app.received == []


def test_an_archived_channel_refuses_messages(client, sandbox):
    archived = next(c for c in sandbox.fake.channels.values() if c["is_archived"])["id"]
    assert post(client, "send", person=BOB, channel=archived, text="hello").json() == {
        "ok": False, "error": "is_archived"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"person": "U0NOBODY1", "channel": GENERAL_CHANNEL_ID, "text": "x"}, "No person 'U0NOBODY1'"),
        ({"person": "U0HELPER01", "channel": GENERAL_CHANNEL_ID, "text": "x"}, "No person 'U0HELPER01'"),
        ({"person": ALICE, "channel": "C0NOWHERE1", "text": "x"}, "No channel 'C0NOWHERE1'"),
        ({"person": ALICE, "channel": GENERAL_CHANNEL_ID, "text": "  "}, "Type a message"),
    ],
)
def test_bad_requests_say_what_is_wrong(client, sandbox, body, reason):
    response = post(client, "send", **body)
    assert response.status_code == 400
    assert response.json()["error"].startswith(reason)


def test_a_body_that_is_not_json_is_refused(client, sandbox):
    response = client.post("/sandbox/api/send", "{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"].startswith("The body is not JSON")


def test_other_slash_commands_are_not_installed(client, sandbox, stand_in_app):
    assert post(client, "send", person=ALICE, channel=GENERAL_CHANNEL_ID, text="/giphy cats").json() == {
        "ok": False, "error": "/giphy is not a valid command. This workspace has /case."}
    assert stand_in_app.received == []


def _open_modal_on_shortcut(sandbox, stand_in_app, replies: list):
    """The stand-in opens MODAL on the shortcut, then answers each later request from `replies`."""
    web = WebClient(token=sandbox.fake.token, base_url=sandbox.fake.api_url)

    def answer(received):
        payload = received.payload
        if payload["type"] == "message_action":
            web.views_open(trigger_id=payload["trigger_id"], view=MODAL)
            return ""
        return replies.pop(0)

    stand_in_app.answer = answer


def test_collect_evidence_opens_the_very_modal_the_app_sent(client, sandbox, stand_in_app):
    _open_modal_on_shortcut(sandbox, stand_in_app, [])
    ts = sandbox.fake.messages_in(SUPPORT_CHANNEL_ID)[0]["ts"]
    view = post(client, "shortcut", person=BOB, channel=SUPPORT_CHANNEL_ID, ts=ts).json()["view"]
    assert view["title"] == "Collect Evidence"
    assert view["submit"] == "Add"
    assert 'data-block-id="investigation_select"' in view["html"]
    [received] = stand_in_app.received
    assert SignatureVerifier(sandbox.signing_secret).is_valid_request(received.body, received.headers)
    payload = received.payload
    assert payload["callback_id"] == "add_event_to_investigation"
    assert (payload["user"]["id"], payload["channel"]["id"], payload["message_ts"]) == (BOB, SUPPORT_CHANNEL_ID, ts)
    assert payload["message"]["user"] == "U0CAROL001"


def test_the_external_select_asks_the_app_for_options(client, sandbox, stand_in_app):
    options = {"options": [{"text": {"type": "plain_text", "text": "case-api-a3f"}, "value": "7"}]}
    _open_modal_on_shortcut(sandbox, stand_in_app, [options])
    ts = sandbox.fake.messages_in(SUPPORT_CHANNEL_ID)[0]["ts"]
    view = post(client, "shortcut", person=BOB, channel=SUPPORT_CHANNEL_ID, ts=ts).json()["view"]
    found = post(client, "suggest", person=BOB, view_id=view["id"], block_id="investigation_select",
                 action_id="selected_investigation", value="api").json()
    assert found == {"options": [{"text": "case-api-a3f", "value": "7", "group": ""}]}
    payload = stand_in_app.received[-1].payload
    assert (payload["type"], payload["value"], payload["action_id"]) == ("block_suggestion", "api", "selected_investigation")
    assert payload["view"]["id"] == view["id"]


def test_submitting_shows_errors_then_closes(client, sandbox, stand_in_app):
    errors = {"response_action": "errors", "errors": {"investigation_select": "That case was closed."}}
    _open_modal_on_shortcut(sandbox, stand_in_app, [errors, ""])
    ts = sandbox.fake.messages_in(SUPPORT_CHANNEL_ID)[0]["ts"]
    view = post(client, "shortcut", person=BOB, channel=SUPPORT_CHANNEL_ID, ts=ts).json()["view"]
    chosen = {"investigation_select": {"value": "7", "text": "case-api-a3f"}}
    assert post(client, "submit", person=BOB, view_id=view["id"], values=chosen).json() == {
        "action": "errors", "errors": {"investigation_select": "That case was closed."}}
    assert post(client, "submit", person=BOB, view_id=view["id"], values=chosen).json() == {"action": "close"}
    submission = stand_in_app.received[-1].payload
    assert submission["type"] == "view_submission"
    assert submission["view"]["private_metadata"] == "kept as sent"
    assert submission["view"]["callback_id"] == "select_investigation_for_event"
    assert submission["view"]["state"]["values"]["investigation_select"]["selected_investigation"][
        "selected_option"]["value"] == "7"


def test_an_update_replaces_the_modal(client, sandbox, stand_in_app):
    updated = {"response_action": "update", "view": {
        "type": "modal", "title": {"type": "plain_text", "text": "Collected"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Done :white_check_mark:"}}]}}
    _open_modal_on_shortcut(sandbox, stand_in_app, [updated])
    ts = sandbox.fake.messages_in(SUPPORT_CHANNEL_ID)[0]["ts"]
    view = post(client, "shortcut", person=BOB, channel=SUPPORT_CHANNEL_ID, ts=ts).json()["view"]
    outcome = post(client, "submit", person=BOB, view_id=view["id"],
                   values={"investigation_select": {"value": "7", "text": "x"}}).json()
    assert outcome["action"] == "update"
    assert outcome["view"]["title"] == "Collected"
    assert "Done ✅" in outcome["view"]["html"]
    assert state(client, BOB, SUPPORT_CHANNEL_ID, view=view["id"])["view"]["title"] == "Collected"


def test_a_required_field_left_empty_is_not_sent(client, sandbox, stand_in_app):
    _open_modal_on_shortcut(sandbox, stand_in_app, [])
    ts = sandbox.fake.messages_in(SUPPORT_CHANNEL_ID)[0]["ts"]
    view = post(client, "shortcut", person=BOB, channel=SUPPORT_CHANNEL_ID, ts=ts).json()["view"]
    outcome = post(client, "submit", person=BOB, view_id=view["id"], values={}).json()
    assert outcome == {"action": "errors",
                       "errors": {"investigation_select": "Please complete this required field."}}
    assert len(stand_in_app.received) == 1  # the shortcut only


def test_a_shortcut_answered_without_a_modal_shows_the_reply(client, sandbox, stand_in_app):
    def no_cases(received):
        webhook = WebhookClient(received.payload["response_url"])
        assert webhook.send(text="No open investigations to add this to.").status_code == 200
        return ""

    stand_in_app.answer = no_cases
    ts = sandbox.fake.messages_in(SUPPORT_CHANNEL_ID)[0]["ts"]
    assert post(client, "shortcut", person=BOB, channel=SUPPORT_CHANNEL_ID, ts=ts).json() == {"view": None}
    [reply] = [m for m in state(client, BOB, SUPPORT_CHANNEL_ID)["messages"] if m["ephemeral"]]
    assert "No open investigations" in reply["html"]
