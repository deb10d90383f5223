"""The Bolt app, built lazily from settings: nothing at import, no network at build.

One app serves HTTP (`views.slack_events`) and Socket Mode
(`manage.py slack_socket_mode`). Choices, and why:

- `process_before_response=True`: the listener runs in the request's thread
  and its `ack()` is the HTTP response, returned as soon as the listener
  returns. Bolt's default (False) runs the listener in a pool and polls for
  the ack every 10 ms, which measured 86 ms p50 against 14 ms inline. Since
  the ack then waits for the listener, listeners do only quick, local work
  before it (parse, read or write the database, render); anything that calls
  Slack runs after it (`after_ack.run_after_ack`, or a domain service's
  outbox effect, delivered by Celery).
- `authorize` answers from settings instead of Bolt's default `auth.test`,
  which would call Slack on the first request, before its ack.
- Request verification is always on (DEBUG too): a missing, bad, stale or
  future signature (more than 5 minutes either way) is a 401, before
  anything is parsed or written.
- `raise_error_for_unhandled_request=True` and `listeners.errors.handle_error`
  make every outcome but a bad signature a 200 with a message.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from slack_integration.after_ack import AfterAckLazyListenerRunner
from slack_integration.client import api_base_url
from slack_integration.listeners import register_listeners
from slack_integration.listeners.errors import handle_error
from slack_integration.middleware import dedup_middleware, guard_middleware_for
from slack_integration.workspace import Installation, installation_cached


@dataclass(frozen=True)
class _Config:
    bot_token: str
    signing_secret: str
    api_base_url: str
    timeout: int


def _config() -> _Config:
    return _Config(
        bot_token=settings.SLACK_BOT_TOKEN,
        signing_secret=settings.SLACK_SIGNING_SECRET,
        api_base_url=api_base_url(),
        timeout=settings.SLACK_API_TIMEOUT,
    )


def _authorizer(bot_token: str) -> Callable[..., AuthorizeResult]:
    # The bot's ids (for Bolt's ignoring of the bot's own events) belong to
    # the token, and an app is built per token: once the cache has them, they
    # are kept here rather than read from Redis before every ack.
    found: list[Installation] = []

    # Bolt passes what the inner function's parameter names ask for.
    def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        known = found[0] if found else installation_cached()
        if known is not None and not found:
            found.append(known)
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_token=bot_token,
            bot_user_id=known.bot_user_id if known else None,
            bot_id=known.bot_id if known else None,
            user_id=user_id,
        )

    return authorize


@lru_cache(maxsize=4)
def _build(config: _Config) -> App:
    app = App(
        name="case",
        logger=logging.getLogger("slack_integration.bolt"),
        signing_secret=config.signing_secret,
        # No token here: `authorize` supplies it per request. No SDK retries:
        # retries belong to the outbox, never before an ack.
        client=WebClient(base_url=config.api_base_url, timeout=config.timeout, retry_handlers=[]),
        authorize=_authorizer(config.bot_token),
        process_before_response=True,
        raise_error_for_unhandled_request=True,
        request_verification_enabled=True,
    )
    app.listener_runner.lazy_listener_runner = AfterAckLazyListenerRunner(app.logger)
    app.use(dedup_middleware)
    app.use(guard_middleware_for(app))
    app.error(handle_error)
    register_listeners(app)
    return app


def build_app() -> App:
    """The app for the current settings (cached per configuration)."""
    return _build(_config())
