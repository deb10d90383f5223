"""Bolt global middleware: each repeated delivery acted on once; each person guarded.

Both run after Bolt's signature check, before any listener. Neither calls
Slack before the ack: a person the guard has not judged yet is looked up
after the ack, and their request is then dispatched again through the app
(its reply posted to the response_url), or refused there.
"""

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

from slack_integration.after_ack import run_after_ack
from slack_integration.blocks.replies import ephemeral_body, refusal_view
from slack_integration.client import slack_client
from slack_integration.dedup import delivery_receipt_take
from slack_integration.guard import check_request
from slack_integration.ids import REFUSAL_MODAL_CALLBACK_ID
from slack_integration.payloads import Actor, actor_from, delivery_key, request_kind
from slack_integration.responses import response_post

logger = logging.getLogger(__name__)

# Set on a request Case dispatches again after the guard looked its person up.
REDISPATCHED = "case_redispatched"
# The answer must be in the HTTP response, so the person is looked up at once.
ANSWER_INLINE_KINDS = frozenset({"view_submission", "block_suggestion"})


def dedup_middleware(body: dict[str, Any], context: BoltContext, next: Callable) -> Any:
    if context.get(REDISPATCHED):
        return next()
    key = delivery_key(body)
    if key is not None and not delivery_receipt_take(key=key, kind=request_kind(body)):
        logger.info("slack.duplicate_delivery key=%s", key)
        return BoltResponse(status=200, body="")
    return next()


def _refusal_after_ack(body: dict[str, Any], actor: Actor, message: str) -> None:
    """Show a refusal where the person acted: response_url, else a modal."""
    if response_post(body.get("response_url") or "", ephemeral_body(message)):
        return
    trigger_id = body.get("trigger_id")
    if trigger_id:
        slack_client().views_open(
            trigger_id=trigger_id,
            view=refusal_view(message, callback_id=REFUSAL_MODAL_CALLBACK_ID),
        )
    else:
        logger.info("slack.refusal_unshown user=%s kind=%s", actor.user_id, actor.kind)


def refusal_response(body: dict[str, Any], actor: Actor, message: str) -> BoltResponse:
    """The ack of a refused request, with the refusal where Slack can show it."""
    if actor.kind == "slash_command":
        return BoltResponse(status=200, body=ephemeral_body(message))
    if actor.kind == "view_submission":
        view = refusal_view(message, callback_id=REFUSAL_MODAL_CALLBACK_ID)
        return BoltResponse(status=200, body={"response_action": "update", "view": view})
    if actor.kind == "block_suggestion":
        return BoltResponse(status=200, body={"options": []})
    run_after_ack(lambda: _refusal_after_ack(body, actor, message))
    return BoltResponse(status=200, body="")


def _forward(body: dict[str, Any], response: BoltResponse) -> None:
    """Post a re-dispatched command's ack reply to its response_url."""
    if response.status != 200 or not response.body or not body.get("response_url"):
        return
    try:
        reply = json.loads(response.body)
    except ValueError:
        reply = {"text": response.body}
    response_post(body["response_url"], reply)


def _judge_then_dispatch(app: App, request: BoltRequest, actor: Actor) -> None:
    body = request.body
    verdict = check_request(actor, lookup=True, count=False)
    if not verdict.allowed:
        if actor.kind == "slash_command":
            response_post(body.get("response_url") or "", ephemeral_body(verdict.message))
        else:
            _refusal_after_ack(body, actor, verdict.message)
        return
    again = BoltRequest(
        body=request.raw_body if request.mode == "http" else body,
        query=request.query,
        headers=request.headers,
        context={REDISPATCHED: True},
        mode=request.mode,
    )
    _forward(body, app.dispatch(again))


def guard_middleware_for(app: App) -> Callable[..., Any]:
    """The guard as Bolt middleware (it needs the app to dispatch a request again)."""

    def guard_middleware(
        req: BoltRequest, body: dict[str, Any], context: BoltContext, next: Callable
    ) -> Any:
        actor = actor_from(body)
        if actor is None or context.get(REDISPATCHED):
            return next()
        verdict = check_request(actor, lookup=actor.kind in ANSWER_INLINE_KINDS)
        if verdict.allowed:
            return next()
        if verdict.pending:
            run_after_ack(lambda: _judge_then_dispatch(app, req, actor))
            return BoltResponse(status=200, body="")
        return refusal_response(body, actor, verdict.message)

    return guard_middleware
