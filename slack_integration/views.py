"""`POST /slack/events`: slash commands, interactivity and events, through Bolt."""

from functools import lru_cache

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from slack_bolt import App
from slack_bolt.adapter.django import SlackRequestHandler

from slack_integration.after_ack import AfterAckLazyListenerRunner
from slack_integration.blocks.replies import SLACK_NOT_CONFIGURED
from slack_integration.bolt_app import build_app
from slack_integration.client import slack_enabled


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
    return _handler(build_app()).handle(request)
