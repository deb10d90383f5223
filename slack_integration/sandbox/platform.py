"""Slack's side of the sandbox: what Slack sends Case, and what it shows of the reply.

Every request is built like Slack's documented payloads, signed with the
signing secret and POSTed over HTTP to this server's own `/slack/events`,
so it crosses exactly the path a real Slack request crosses (signature
check, dedup, rate limit, security guard, listeners). Replies are shown as
Slack shows them: a command's response body and its response_url posts are
ephemeral unless `in_channel`; a shortcut's modal is the view the app opened
with the shortcut's trigger_id.
"""

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from slack_integration.fakes.requests import (
    FORM,
    block_suggestion_body,
    message_shortcut_body,
    new_trigger_id,
    signed_headers,
    slash_command_body,
    view_submission_body,
)
from slack_integration.ids import COLLECT_EVIDENCE_CALLBACK_ID, COLLECT_EVIDENCE_NAME, COMMAND
from slack_integration.sandbox.blockkit import flat_options, missing_required, state_values
from slack_integration.sandbox.runtime import Sandbox
from slack_integration.sandbox.workspace import SLACKBOT

logger = logging.getLogger(__name__)

# Slack gives an app 3 seconds to answer, then shows the person an error.
ACK_TIMEOUT = 3.0
# The message shortcut as the manifest declares it.
EVIDENCE_SHORTCUT = (COLLECT_EVIDENCE_NAME, COLLECT_EVIDENCE_CALLBACK_ID)


@dataclass(frozen=True)
class Answer:
    """Case's HTTP answer to one request, or the error Slack would report."""

    status: int = 0
    body: dict[str, Any] | None = None
    text: str = ""
    error: str = ""  # Slack's own name for the failure, e.g. operation_timeout


def deliver(sandbox: Sandbox, body: str) -> Answer:
    """POST a form body to /slack/events, signed, as Slack does."""
    headers = signed_headers(body, sandbox.signing_secret) | {
        "Content-Type": FORM,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }
    request = urllib.request.Request(  # noqa: S310  (our own loopback URL)
        sandbox.events_url, data=body.encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=ACK_TIMEOUT) as response:  # noqa: S310
            status, raw = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        logger.warning("sandbox.delivery_refused status=%s", error.code)
        return Answer(status=error.code, error="http_service_error")
    except TimeoutError:
        return Answer(error="operation_timeout")
    except (urllib.error.URLError, ConnectionError) as error:
        logger.warning("sandbox.delivery_failed error=%s", error)
        return Answer(error="dispatch_failed")
    parsed = _json_object(raw)
    return Answer(status=status, body=parsed, text="" if parsed is not None else raw.strip())


def _json_object(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _slackbot_says(sandbox: Sandbox, channel_id: str, user_id: str, text: str) -> None:
    sandbox.fake.show_response(channel_id, user_id, {"text": text}, author=SLACKBOT)


def slash_command(sandbox: Sandbox, *, user_id: str, channel_id: str, text: str) -> Answer:
    """Run `/case <text>` as `user_id` in `channel_id`, and show the reply."""
    fake = sandbox.fake
    channel = fake.channels.get(channel_id, {})
    body = slash_command_body(
        text=text, user_id=user_id, channel_id=channel_id, team_id=sandbox.team_id,
        response_url=fake.response_url("commands", channel_id=channel_id, user_id=user_id),
        channel_name=channel.get("name", ""), user_name=fake.users.get(user_id, {}).get("name", ""),
        command=COMMAND,
    )
    answer = deliver(sandbox, body)
    if answer.error:
        _slackbot_says(sandbox, channel_id, user_id,
                       f'{COMMAND} failed with the error "{answer.error}"')
    elif answer.body is not None:
        fake.show_response(channel_id, user_id, answer.body)
    elif answer.text:
        fake.show_response(channel_id, user_id, {"text": answer.text})
    return answer


def message_shortcut(
    sandbox: Sandbox, *, user_id: str, channel_id: str, message_ts: str, wait: float = ACK_TIMEOUT
) -> dict[str, Any] | None:
    """Run Collect Evidence on a message; the modal it opened, if any.

    The app may instead answer through the shortcut's response_url (say,
    with nothing to collect into), which shows up in the channel.
    """
    fake = sandbox.fake
    trigger_id = new_trigger_id()
    response_url = fake.response_url("shortcuts", channel_id=channel_id, user_id=user_id)
    message = next((m for m in fake.messages_in(channel_id) if m["ts"] == message_ts), {})
    body = message_shortcut_body(
        user_id=user_id, channel_id=channel_id, message_ts=message_ts, team_id=sandbox.team_id,
        response_url=response_url, trigger_id=trigger_id, callback_id=EVIDENCE_SHORTCUT[1],
        channel_name=fake.channels.get(channel_id, {}).get("name", ""),
        message={"type": "message", "user": message.get("user", ""), "ts": message_ts,
                 "text": message.get("text", "")},
    )
    answer = deliver(sandbox, body)
    if answer.error:
        _slackbot_says(sandbox, channel_id, user_id,
                       f'{EVIDENCE_SHORTCUT[0]} failed with the error "{answer.error}"')
        return None
    # views.open may come just after the ack (within the trigger's 3 s).
    deadline = time.monotonic() + wait
    path = response_url.split("/response/", 1)[1]
    while time.monotonic() < deadline:
        view = fake.view_opened_for(trigger_id)
        if view is not None:
            return view
        if any(r["_url"].endswith(path) for r in list(fake.responses)):
            return None
        time.sleep(0.05)
    return None


def block_suggestion(
    sandbox: Sandbox, *, user_id: str, view: dict[str, Any], block_id: str, action_id: str,
    value: str,
) -> list[dict[str, str]]:
    """Ask the app for an external select's options, as Slack does while one types."""
    body = block_suggestion_body(
        user_id=user_id, action_id=action_id, block_id=block_id, value=value, view=view,
        team_id=sandbox.team_id,
    )
    answer = deliver(sandbox, body)
    return flat_options(answer.body or {})


def view_submission(
    sandbox: Sandbox, *, user_id: str, view: dict[str, Any], entered: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Submit a modal; what the modal does next, per the app's `response_action`.

    Returns {"action": "close"}, {"action": "errors", "errors": {block_id: msg}},
    {"action": "update", "view": {...}} or {"action": "failed", "message": ...}.
    """
    values = state_values(view, entered)
    required = missing_required(view, values)
    if required:
        return {"action": "errors", "errors": required}
    body = view_submission_body(
        user_id=user_id, view=view, values=values, view_id=view["id"], team_id=sandbox.team_id,
    )
    answer = deliver(sandbox, body)
    if answer.error or answer.status != 200:
        return {"action": "failed",
                "message": f"We had some trouble connecting ({answer.error or answer.status})."}
    reply = answer.body or {}
    action = reply.get("response_action")
    if action == "errors":
        return {"action": "errors", "errors": dict(reply.get("errors") or {})}
    if action in ("update", "push"):
        new_view = dict(reply.get("view") or {}) | {"id": view["id"]}
        with sandbox.fake.lock:
            sandbox.fake.views[view["id"]] = new_view
        return {"action": "update", "view": new_view}
    return {"action": "close"}
