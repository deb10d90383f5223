"""Case's URLs plus `POST /bench/signed-ping`: verify Slack's signature, answer at once."""

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
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


urlpatterns = [path("bench/signed-ping", signed_ping), *case_urlpatterns]
