"""Who Case is installed as (auth.test), cached: the team, its URL, the bot.

Read by the guard (a Slack Connect user's team differs from this one) and by
the channel handler (a channel's browser link is the workspace URL plus
`archives/<id>`). Cached in Django's cache for an hour, keyed by the token,
so a reinstall with a new token is seen at once.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from slack_integration.client import slack_client

CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Installation:
    team_id: str
    url: str
    enterprise_id: str = ""
    bot_user_id: str = ""
    bot_id: str = ""

    def channel_url(self, channel_id: str) -> str:
        """A link to the channel that works in a browser."""
        return f"{self.url.rstrip('/')}/archives/{channel_id}" if self.url else ""

    def has_member(self, person: Mapping[str, Any]) -> bool:
        """Whether a users.info `user` is of this workspace or its Grid org."""
        if person.get("team_id") == self.team_id:
            return True
        enterprise = (person.get("enterprise_user") or {}).get("enterprise_id", "")
        return bool(self.enterprise_id) and enterprise == self.enterprise_id


def _cache_key() -> str:
    token = hashlib.sha256(settings.SLACK_BOT_TOKEN.encode()).hexdigest()[:16]
    return f"case:slack:installation:{token}"


def installation_cached() -> Installation | None:
    """The cached identity, or None; never calls Slack."""
    data = cache.get(_cache_key())
    return Installation(**data) if data else None


def installation_identity() -> Installation:
    """The installation's identity, from the cache or auth.test.

    Raises slack_sdk's errors when Slack cannot say; callers decide what that
    means for them (the guard refuses, a handler retries).
    """
    cached = installation_cached()
    if cached is not None:
        return cached
    answer = slack_client().auth_test()
    identity = Installation(
        team_id=answer.get("team_id") or "",
        url=answer.get("url") or "",
        enterprise_id=answer.get("enterprise_id") or "",
        bot_user_id=answer.get("user_id") or "",
        bot_id=answer.get("bot_id") or "",
    )
    cache.set(_cache_key(), asdict(identity), CACHE_SECONDS)
    return identity
