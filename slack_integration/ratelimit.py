"""Per-user rate limit: 60 requests a minute, then a 5-minute block.

The original's limits, kept in Django's cache so every process shares them
when CACHE_URL is Redis. The minute is a sliding window approximated from two
fixed buckets (this minute's count plus the previous minute's, weighted by
how much of it still overlaps), counted atomically. Refused requests are not
counted.

This runs before every ack. On Redis (case_project/cache.py) the block, the
previous minute's count, the caller's other keys (`also_read`: the guard's
cached verdict on the person) and this minute's count are read and counted
in one round trip; a request that turns out to be blocked is then uncounted.
Elsewhere (local memory) they are read with `get_many`, then counted with
`add` + `incr`, only when not blocked.
"""

import contextlib
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    # The values of the caller's `also_read` keys (absent ones left out).
    read: Mapping[str, Any] = field(default_factory=dict, compare=False)

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


def _count(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS * 2)
        return 1


def _uncount(key: str) -> None:
    with contextlib.suppress(ValueError):  # already expired: nothing to take back
        cache.decr(key)


def rate_limit_hit(
    subject: str, now: float | None = None, *, also_read: Sequence[str] = ()
) -> RateLimitVerdict:
    """Count one request by `subject` (team:user) and say whether it may run.

    `also_read`: more cache keys to read in the same round trip; their
    values come back in the verdict's `read`.
    """
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    block_key = f"case:ratelimit:block:{subject}"
    previous_key = f"case:ratelimit:{subject}:{window - 1}"
    current_key = f"case:ratelimit:{subject}:{window}"
    keys = [block_key, previous_key, *also_read]
    count_and_get_many = getattr(cache, "count_and_get_many", None)
    if count_and_get_many is not None:
        current, known = count_and_get_many(current_key, keys, timeout=WINDOW_SECONDS * 2)
    else:
        current, known = None, cache.get_many(keys)
    read = {key: known[key] for key in also_read if key in known}
    blocked_until = known.get(block_key)
    if blocked_until is not None and blocked_until > now:
        if current is not None:
            _uncount(current_key)
        return RateLimitVerdict(allowed=False, retry_in=math.ceil(blocked_until - now), read=read)
    if current is None:
        current = _count(current_key)
    previous = known.get(previous_key, 0)
    overlap = 1 - (now - window * WINDOW_SECONDS) / WINDOW_SECONDS
    if previous * overlap + current > LIMIT:
        cache.set(block_key, now + BLOCK_SECONDS, BLOCK_SECONDS)
        return RateLimitVerdict(
            allowed=False, retry_in=BLOCK_SECONDS, just_blocked=True, read=read
        )
    return RateLimitVerdict(allowed=True, read=read)
