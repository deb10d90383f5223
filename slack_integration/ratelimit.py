"""Per-user rate limit: 60 requests a minute, then a 5-minute block.

The original's limits, kept in Django's cache so every process shares them
when CACHE_URL is Redis. The minute is a sliding window approximated from two
fixed buckets (this minute's count plus the previous minute's, weighted by
how much of it still overlaps), counted atomically: on Redis with the cache's
`count()` (one round trip, case_project/cache.py), elsewhere with
`cache.add` + `cache.incr` (under a lock in local memory). Refused requests
are not counted.
"""

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

LIMIT = 60
WINDOW_SECONDS = 60
BLOCK_SECONDS = 300


@dataclass(frozen=True)
class RateLimitVerdict:
    allowed: bool
    retry_in: int = 0  # seconds until the block ends
    just_blocked: bool = False

    @property
    def message(self) -> str:
        if self.allowed:
            return ""
        if self.just_blocked:
            return (
                f"⚠️ Rate limit exceeded: more than {LIMIT} requests in a minute. "
                f"Please wait {BLOCK_SECONDS // 60} minutes before trying again."
            )
        return f"⚠️ Rate limit exceeded. Please wait {self.retry_in} seconds before trying again."


ALLOWED = RateLimitVerdict(allowed=True)


def _count(key: str) -> int:
    count = getattr(cache, "count", None)
    if count is not None:
        return count(key, WINDOW_SECONDS * 2)
    cache.add(key, 0, WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS * 2)
        return 1


def rate_limit_keys(subject: str, now: float) -> tuple[str, str]:
    """The cache keys `rate_limit_hit` reads first: the block, the previous minute's count.

    A caller that reads them itself (with other keys, in one round trip)
    passes what it found as `known`.
    """
    window = int(now // WINDOW_SECONDS)
    return f"case:ratelimit:block:{subject}", f"case:ratelimit:{subject}:{window - 1}"


def rate_limit_hit(subject: str, now: float | None = None,
                   known: Mapping[str, Any] | None = None) -> RateLimitVerdict:
    """Count one request by `subject` (team:user) and say whether it may run.

    `known`: the values of `rate_limit_keys(subject, now)` already read
    from the cache (absent keys left out), or None to read them here.
    """
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    block_key, previous_key = rate_limit_keys(subject, now)
    if known is None:
        known = cache.get_many([block_key, previous_key])
    blocked_until = known.get(block_key)
    if blocked_until is not None and blocked_until > now:
        return RateLimitVerdict(allowed=False, retry_in=math.ceil(blocked_until - now))
    current = _count(f"case:ratelimit:{subject}:{window}")
    previous = known.get(previous_key, 0)
    overlap = 1 - (now - window * WINDOW_SECONDS) / WINDOW_SECONDS
    if previous * overlap + current > LIMIT:
        cache.set(block_key, now + BLOCK_SECONDS, BLOCK_SECONDS)
        return RateLimitVerdict(allowed=False, retry_in=BLOCK_SECONDS, just_blocked=True)
    return ALLOWED
