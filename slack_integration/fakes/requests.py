"""Requests shaped like Slack's documented payloads, signed as Slack signs them.

Slack signs `v0:{timestamp}:{raw body}` with HMAC-SHA256 and the app's signing
secret (https://api.slack.com/authentication/verifying-requests-from-slack).
"""

import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from slack_integration.fakes.slack_api import TEAM_DOMAIN, TEAM_ID

FORM = "application/x-www-form-urlencoded"


def signed_headers(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to every request it sends."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}


def new_trigger_id() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}"


def slash_command_body(
    *, text: str, user_id: str, channel_id: str, response_url: str,
    team_id: str = TEAM_ID, command: str = "/case", trigger_id: str | None = None,
    channel_name: str = "general", user_name: str = "",
) -> str:
    """A slash command as Slack posts it (form-encoded, `should_escape` on)."""
    return urlencode({
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A0CASEAPP1",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
    })


def _interactive(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def message_shortcut_body(
    *, user_id: str, channel_id: str, message_ts: str, response_url: str,
    team_id: str = TEAM_ID, callback_id: str = "add_event_to_investigation",
    trigger_id: str | None = None, channel_name: str = "general",
    message: dict[str, Any] | None = None,
) -> str:
    """A message shortcut (`type: message_action`) on `message` (Slack sends it whole)."""
    return _interactive({
        "type": "message_action",
        "token": "deprecated-verification-token",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "channel": {"id": channel_id, "name": channel_name},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id or new_trigger_id(),
        "response_url": response_url,
        "message_ts": message_ts,
        "message": message or {"type": "message", "user": "U0BOB00001", "ts": message_ts,
                               "text": ""},
    })


def view_submission_body(
    *, user_id: str, view: dict[str, Any], values: dict[str, Any], team_id: str = TEAM_ID,
    view_id: str = "V0000000001", trigger_id: str | None = None,
) -> str:
    """A modal's submission (`type: view_submission`) with its state values."""
    submitted = dict(view) | {"id": view_id, "team_id": team_id, "state": {"values": values}}
    return _interactive({
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "api_app_id": "A0CASEAPP1",
        "token": "deprecated-verification-token",
        "trigger_id": trigger_id or new_trigger_id(),
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
    })


def block_suggestion_body(
    *, user_id: str, action_id: str, block_id: str, value: str,
    view: dict[str, Any] | None = None, team_id: str = TEAM_ID,
) -> str:
    """An external select asking for options (`type: block_suggestion`)."""
    return _interactive({
        "type": "block_suggestion",
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "container": {"type": "view", "view_id": (view or {}).get("id", "V0000000001")},
        "api_app_id": "A0CASEAPP1",
        "token": "deprecated-verification-token",
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "view": view or {},
        "is_enterprise_install": False,
    })
