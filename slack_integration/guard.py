"""Who may use Case: the workspace allow-list, guests, Slack Connect, rate limits.

Applied to every command, shortcut, modal submission and block action by
`slack_integration.middleware.guard_middleware`; listeners never see a refused
request. A person is judged by `users.info` (scope `users:read`), not by the
shape of their id: guests (`is_restricted`, `is_ultra_restricted`) and people
from other organisations (`is_stranger`, or a team that is neither the
installation's nor in its Enterprise Grid org) are refused; `W…` ids are
Grid members like any other. The verdict is cached for
SLACK_USER_CACHE_SECONDS, so looking it up is rare, and `check_request(...,
lookup=False)` says `pending` rather than call Slack before an ack.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from slack_sdk.errors import SlackApiError, SlackClientError

from slack_integration.client import slack_client, slack_error_code
from slack_integration.installation import installation_reply
from slack_integration.payloads import Actor
from slack_integration.ratelimit import rate_limit_hit
from slack_integration.workspace import Installation, installation_identity

logger = logging.getLogger(__name__)

NOT_THIS_WORKSPACE = "⚠️ Case is not available in this workspace."
NO_CONTEXT = (
    "⚠️ Slack did not say who you are or which workspace this is, so Case cannot act on it."
)
GUEST = (
    "⚠️ Case is not available to guest accounts. "
    "Ask a full member of this workspace to run it for you."
)
STRANGER = (
    "⚠️ Case is only available to members of this workspace's organisation; "
    "people from other organisations (Slack Connect) cannot use it."
)
UNKNOWN_USER = "⚠️ Case could not find your Slack account, so it cannot act for you."
LOOKUP_FAILED = (
    "⚠️ Case could not check your account with Slack just now. Please try again in a minute."
)


@dataclass(frozen=True)
class Verdict:
    """allowed, or refused with the message to show, or pending a users.info lookup."""

    allowed: bool
    message: str = ""
    reason: str = ""
    pending: bool = False


ALLOWED = Verdict(allowed=True)
PENDING = Verdict(allowed=False, pending=True, reason="lookup_needed")


def _refuse(actor: Actor, reason: str, message: str) -> Verdict:
    logger.info(
        "slack.refused reason=%s user=%s team=%s kind=%s",
        reason, actor.user_id, actor.team_id, actor.kind,
    )
    return Verdict(allowed=False, message=message, reason=reason)


def workspace_verdict(actor: Actor) -> Verdict:
    """ALLOWED_WORKSPACE_IDS (empty = every workspace); a Grid org id also counts."""
    if not actor.user_id or not actor.team_id:
        return _refuse(actor, "no_context", NO_CONTEXT)
    allowed = settings.ALLOWED_WORKSPACE_IDS
    if allowed and not ({actor.team_id, actor.enterprise_id} & set(allowed)):
        return _refuse(actor, "workspace", NOT_THIS_WORKSPACE)
    return ALLOWED


def _user_cache_key(user_id: str) -> str:
    return f"case:slack:user-verdict:{user_id}"


def _classify(user: dict[str, Any], installation: Installation) -> tuple[str, str]:
    """(reason, message) for a refused person; ("", "") for a member."""
    if user.get("deleted"):
        return "deactivated", UNKNOWN_USER
    if user.get("is_restricted") or user.get("is_ultra_restricted"):
        return "guest", GUEST
    if user.get("is_stranger"):
        return "stranger", STRANGER
    if not installation.has_member(user):
        return "other_team", STRANGER
    return "", ""


def _look_up(user_id: str) -> tuple[str, str] | None:
    """Ask Slack; None when Slack could not say (not cached, asked again next time)."""
    try:
        installation = installation_identity()
        user = slack_client().users_info(user=user_id)["user"]
    except SlackApiError as error:
        if slack_error_code(error) in {"user_not_found", "user_not_visible"}:
            return "unknown_user", UNKNOWN_USER
        installation_reply(error)  # records a revoked token or inactive account
        logger.warning("slack.guard_lookup_failed user=%s error=%s", user_id, slack_error_code(error))
        return None
    except (SlackClientError, OSError) as error:
        logger.warning("slack.guard_lookup_failed user=%s error=%s", user_id, error)
        return None
    return _classify(user, installation)


_UNREAD = object()


def identity_verdict(actor: Actor, *, lookup: bool, cached: Any = _UNREAD) -> Verdict:
    """Member, guest or outsider, from the cache or (when `lookup`) users.info.

    `cached`: the person's cached verdict when the caller has read it already
    (None: not cached).
    """
    if cached is _UNREAD:
        cached = cache.get(_user_cache_key(actor.user_id))
    if cached is None:
        if not lookup:
            return PENDING
        found = _look_up(actor.user_id)
        if found is None:
            return _refuse(actor, "lookup_failed", installation_reply() or LOOKUP_FAILED)
        cached = {"reason": found[0], "message": found[1]}
        cache.set(_user_cache_key(actor.user_id), cached, settings.SLACK_USER_CACHE_SECONDS)
    if cached["reason"]:
        return _refuse(actor, cached["reason"], cached["message"])
    return ALLOWED


def check_request(actor: Actor, *, lookup: bool, count: bool = True) -> Verdict:
    """The whole guard: workspace, then the rate limit, then the person.

    The rate limit comes before the person so a flood costs no users.info
    calls. `count=False` re-checks a request already counted once. The
    person's cached verdict is read with the rate limit's keys (one round
    trip on Redis).
    """
    verdict = workspace_verdict(actor)
    if not verdict.allowed:
        return verdict
    if not count:
        return identity_verdict(actor, lookup=lookup)
    person_key = _user_cache_key(actor.user_id)
    limited = rate_limit_hit(f"{actor.team_id}:{actor.user_id}", also_read=[person_key])
    if not limited.allowed:
        return _refuse(actor, "rate_limited", limited.message)
    return identity_verdict(actor, lookup=lookup, cached=limited.read.get(person_key))
