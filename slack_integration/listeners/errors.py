"""What Slack gets when something goes wrong: a 200 with a message, never a 500."""

import logging
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.error import BoltUnhandledRequestError

from slack_integration.after_ack import run_after_ack
from slack_integration.blocks.replies import SOMETHING_WENT_WRONG, ephemeral_body, refusal_view
from slack_integration.ids import COMMAND, REFUSAL_MODAL_CALLBACK_ID
from slack_integration.installation import installation_reply
from slack_integration.payloads import request_kind, response_url_of
from slack_integration.responses import response_post

logger = logging.getLogger(__name__)


def _unhandled(body: dict[str, Any]) -> BoltResponse:
    kind = request_kind(body)
    # A link button's click, a closed modal…: nothing to do, and Slack wants a 200.
    logger.info("slack.unhandled_request kind=%s", kind)
    if kind == "slash_command":
        return BoltResponse(
            status=200, body=ephemeral_body(f"⚠️ Case answers only `{COMMAND}`.")
        )
    return BoltResponse(status=200, body="")


def handle_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """Bolt's global error handler: listeners' and middleware's exceptions end here."""
    if isinstance(error, BoltUnhandledRequestError):
        return _unhandled(body or {})
    body = body or {}
    kind = request_kind(body)
    logger.error("slack.request_failed kind=%s", kind, exc_info=error)
    # A broken installation (revoked token, bot removed…): "tell your admin".
    message = installation_reply(error) or SOMETHING_WENT_WRONG
    if kind == "slash_command":
        return BoltResponse(status=200, body=ephemeral_body(message))
    if kind == "view_submission":
        view = refusal_view(message, callback_id=REFUSAL_MODAL_CALLBACK_ID)
        return BoltResponse(status=200, body={"response_action": "update", "view": view})
    url = response_url_of(body)
    if url:
        run_after_ack(lambda: response_post(url, ephemeral_body(message)))
    return BoltResponse(status=200, body="")
