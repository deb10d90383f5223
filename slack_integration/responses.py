"""Telling one person something after the ack: their response_url, else a DM.

A response_url (from a command, shortcut or action) shows the reply where
the person acted, ephemerally; Slack accepts five posts to it within 30
minutes. When it has expired or been used up, the reply goes to a DM with the
bot instead (`im:write` to open it, `chat:write` to post).
"""

import logging
from typing import Any

from django.conf import settings
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

from slack_integration.client import slack_client

logger = logging.getLogger(__name__)


def response_post(response_url: str, body: dict[str, Any]) -> bool:
    """POST `body` (text, blocks, response_type) to a response_url; True if Slack took it."""
    if not response_url:
        return False
    body = {"response_type": "ephemeral", **body}
    try:
        answer = WebhookClient(response_url, timeout=settings.SLACK_API_TIMEOUT).send_dict(body)
    except (SlackClientError, OSError) as error:
        logger.warning("slack.response_url_failed error=%s", error)
        return False
    if answer.status_code != 200:
        logger.info("slack.response_url_refused status=%s body=%s", answer.status_code, answer.body)
        return False
    return True


def direct_message(user_id: str, content: dict[str, Any]) -> bool:
    """Post `content` (text, blocks) in the bot's DM with the person."""
    try:
        api = slack_client()
        dm = api.conversations_open(users=user_id)["channel"]["id"]
        api.chat_postMessage(channel=dm, **content)
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.warning("slack.dm_failed user=%s error=%s", user_id, error)
        return False
    return True


def user_notify(*, user_id: str, content: dict[str, Any], response_url: str = "") -> str:
    """Tell one person: "response_url", "dm", or "" when neither worked (logged)."""
    body = {key: value for key, value in content.items() if key in {"text", "blocks"}}
    if response_post(response_url, body):
        return "response_url"
    if user_id and direct_message(user_id, body):
        return "dm"
    return ""
