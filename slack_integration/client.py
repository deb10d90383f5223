"""The Slack Web API client, and Slack's errors sorted into retry or not.

Every call Case makes to Slack goes through `slack_client()`; outbox handlers
wrap their calls in `slack_errors_as_delivery_errors()` so a rate limit or an
outage is retried by the outbox and a refusal is recorded with its reason.
"""

import logging
import urllib.error
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from investigations.outbox import PermanentDeliveryError, TransientDeliveryError

logger = logging.getLogger(__name__)

# Slack error codes worth another try; any other error code is final.
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
     "team_added_to_org"}
)
# Errors that mean the installation itself is broken, not just this call.
INSTALLATION_ERRORS = frozenset(
    {"invalid_auth", "account_inactive", "token_revoked", "token_expired", "not_authed",
     "missing_scope", "no_permission", "team_access_not_granted"}
)


def slack_enabled() -> bool:
    """Slack is on when both the bot token and the signing secret are set."""
    return bool(settings.SLACK_BOT_TOKEN and settings.SLACK_SIGNING_SECRET)


def api_base_url() -> str:
    """SLACK_API_BASE_URL with exactly one trailing slash (the SDK appends the method)."""
    return settings.SLACK_API_BASE_URL.rstrip("/") + "/"


@lru_cache(maxsize=4)
def _client(token: str, base_url: str, timeout: int) -> WebClient:
    # No SDK retry handlers: retries belong to the outbox (with backoff), and
    # a listener must not sleep before answering Slack.
    return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[])


def slack_client(*, timeout: int | None = None) -> WebClient:
    """The bot's WebClient, aimed at SLACK_API_BASE_URL.

    `timeout` (seconds) overrides SLACK_API_TIMEOUT for a call that must
    finish before an ack, inside Slack's 3 s.
    """
    return _client(
        settings.SLACK_BOT_TOKEN, api_base_url(), timeout or settings.SLACK_API_TIMEOUT
    )


def slack_error_code(error: SlackApiError) -> str:
    return str(error.response.get("error", "")) if error.response is not None else ""


def retry_after_seconds(error: SlackApiError) -> float | None:
    headers = getattr(error.response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return float(value if not isinstance(value, list) else value[0])
            except (TypeError, ValueError):
                return None
    return None


def is_transient(error: SlackApiError) -> bool:
    status = getattr(error.response, "status_code", 200)
    return status == 429 or status >= 500 or slack_error_code(error) in TRANSIENT_ERRORS


@contextmanager
def slack_errors_as_delivery_errors(method: str = "") -> Iterator[None]:
    """Turn Slack failures into the outbox's Transient/PermanentDeliveryError."""
    try:
        yield
    except SlackApiError as error:
        code = slack_error_code(error) or f"HTTP {getattr(error.response, 'status_code', '?')}"
        where = f"{method}: " if method else ""
        if is_transient(error):
            raise TransientDeliveryError(
                f"{where}{code}", retry_after=retry_after_seconds(error)
            ) from error
        if code in INSTALLATION_ERRORS:
            logger.error("slack.installation_problem method=%s error=%s", method, code)
        # A token or issues-channel refusal: have a worker check the installation
        # (its findings are recorded; this delivery's writes roll back). Imported
        # here because the check, like everything else, calls Slack through this module.
        from slack_integration.installation_check import installation_check_soon

        installation_check_soon(code)
        raise PermanentDeliveryError(f"{where}{code}") from error
    except (TimeoutError, SlackClientError, urllib.error.URLError, ConnectionError) as error:
        where = f"{method}: " if method else ""
        raise TransientDeliveryError(f"{where}{type(error).__name__}: {error}") from error
