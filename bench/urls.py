"""Case's URLs plus the baselines of the ack benchmark, all signed by the Slack secret.

- `POST /bench/signed-ping`: verify the signature, answer JSON: the floor.
- `POST /bench/bolt-default`, `/bench/bolt-inline`: a Bolt app whose `/case`
  listener only acks (no database), in Bolt's default mode
  (`process_before_response=False`: the listener runs in a pool and the
  request polls for its ack) and with `process_before_response=True` (the
  ack is the response), the issue's known figures.
"""

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from slack_bolt import App
from slack_bolt.adapter.django import SlackRequestHandler
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from case_project.urls import urlpatterns as case_urlpatterns


@lru_cache(maxsize=1)
def _verifier(secret: str) -> SignatureVerifier:
    return SignatureVerifier(secret)


@csrf_exempt
def signed_ping(request: HttpRequest) -> HttpResponse:
    """The least a Slack endpoint can do: check the signature and reply."""
    if not _verifier(settings.SLACK_SIGNING_SECRET).is_valid_request(request.body, request.headers):
        return HttpResponse(status=401)
    return JsonResponse({"response_type": "ephemeral", "text": "pong"})


@lru_cache(maxsize=2)
def _bolt_handler(process_before_response: bool) -> SlackRequestHandler:
    def authorize(enterprise_id: str | None, team_id: str | None,
                  user_id: str | None) -> AuthorizeResult:
        # From settings, like Case's app: no auth.test call, no network at all.
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
                               bot_token=settings.SLACK_BOT_TOKEN, bot_user_id="U0CASEBOT1")

    app = App(
        signing_secret=settings.SLACK_SIGNING_SECRET, authorize=authorize,
        client=WebClient(base_url=settings.SLACK_API_BASE_URL),
        process_before_response=process_before_response,
    )

    @app.command("/case")
    def ack_only(ack) -> None:
        ack(text="pong")

    return SlackRequestHandler(app)


@csrf_exempt
def bolt_default(request: HttpRequest) -> HttpResponse:
    return _bolt_handler(False).handle(request)


@csrf_exempt
def bolt_inline(request: HttpRequest) -> HttpResponse:
    return _bolt_handler(True).handle(request)


urlpatterns = [
    path("bench/signed-ping", signed_ping),
    path("bench/bolt-default", bolt_default),
    path("bench/bolt-inline", bolt_inline),
    *case_urlpatterns,
]
