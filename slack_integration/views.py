"""`POST /slack/events`: slash commands, interactivity and events, through Bolt."""

import json
import logging
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from slack_bolt import App
from slack_bolt.adapter.django import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from slack_integration.after_ack import AfterAckLazyListenerRunner
from slack_integration.blocks.replies import SLACK_NOT_CONFIGURED
from slack_integration.bolt_app import build_app
from slack_integration.client import slack_enabled

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _handler(app: App) -> SlackRequestHandler:
    handler = SlackRequestHandler(app)
    # The adapter installs its own lazy runner; keep Case's after-ack pool.
    app.listener_runner.lazy_listener_runner = AfterAckLazyListenerRunner(app.logger)
    return handler


@csrf_exempt  # Slack signs its requests; Bolt verifies the signature instead.
@require_POST
def slack_events(request: HttpRequest) -> HttpResponse:
    if not slack_enabled():
        return JsonResponse(
            {"ok": False, "error": "slack_not_configured", "message": SLACK_NOT_CONFIGURED},
            status=503,
        )
    try:
        return _handler(build_app()).handle(request)
    except json.JSONDecodeError:
        return _unparseable(request)


def _unparseable(request: HttpRequest) -> HttpResponse:
    """A body Bolt could not parse: it parses before it checks the signature,
    so check it here; unsigned is a 401 like any other, signed an empty 200."""
    verifier = SignatureVerifier(settings.SLACK_SIGNING_SECRET)
    if not verifier.is_valid_request(request.body, dict(request.headers)):
        return HttpResponse(status=401)
    logger.warning("slack.unparseable_body content_type=%s", request.content_type)
    return HttpResponse(status=200)
