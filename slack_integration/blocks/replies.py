"""Short replies: refusals, the generic failure, a refusal shown in a modal."""

from typing import Any

from slack_integration.blocks.base import clamp, code, escape, plain, section

SOMETHING_WENT_WRONG = (
    "⚠️ Something went wrong on Case's side (it has been logged). Please try again in a moment."
)
SLACK_NOT_CONFIGURED = (
    "Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
    "(README, \"Connect to Slack\"); then `manage.py check` names anything else missing."
)


def warning_text(message: str) -> str:
    """A refusal as shown: the message with one ⚠️ in front."""
    return message if message.startswith("⚠️") else f"⚠️ {message}"


def unknown_subcommand_text(name: str) -> str:
    return f"⚠️ Unknown command {code(name[:40])}. Use `/case help` to see what Case can do."


def ephemeral_body(text: str, *blocks: dict[str, Any]) -> dict[str, Any]:
    """The JSON of an ephemeral reply (ack body or response_url post)."""
    body: dict[str, Any] = {"response_type": "ephemeral", "text": clamp(text, 3000)}
    if blocks:
        body["blocks"] = list(blocks)
    return body


def refusal_view(message: str, *, callback_id: str) -> dict[str, Any]:
    """A one-section modal explaining why Case will not act."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain("Case", 24),
        "close": plain("Close", 24),
        "blocks": [section(escape(message))],
    }
