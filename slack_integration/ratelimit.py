"""Per-user rate limit: 60 requests a minute, then a 5-minute block.

The original's limits, kept in Django's cache so every process shares them
when CACHE_URL is Redis. The minute is a sliding window approximated from two
fixed buckets (this minute's count plus the previous minute's, weighted by
how much of it still overlaps), counted with `cache.add` + `cache.incr`,
which are atomic on Redis and under a lock in local memory. Refused requests
are not counted.
"""

import math
import time
from dataclasses import dataclass

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
    cache.add(key, 0, WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS * 2)
        return 1


def rate_limit_hit(subject: str, now: float | None = None) -> RateLimitVerdict:
    """Count one request by `subject` (team:user) and say whether it may run."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    block_key = f"case:ratelimit:block:{subject}"
    previous_key = f"case:ratelimit:{subject}:{window - 1}"
    known = cache.get_many([block_key, previous_key])  # one round trip before every ack
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
