"""Django's Redis cache, cheaper per call: one client per server, and a one-round-trip counter.

The settings swap it in for `django.core.cache.backends.redis.RedisCache`
(what a `redis://` CACHE_URL selects); it stores and reads exactly the same
keys and values, so processes running either backend share one cache.

- Django builds a new `redis.Redis` for every cache call, and each one fills
  a table of some 170 response callbacks: about a tenth of a millisecond of
  CPU per call, several per Slack request (rate limit, the guard's verdict).
  A client is safe to share between threads (a command takes a connection
  from the pool for its own use), so one per server is kept.
- `count()` is the rate limit's counter: create the key at 0 with its expiry
  unless it exists, then add one, in one MULTI/EXEC (one round trip, atomic)
  instead of `add()` + `incr()` (three: SET NX, EXISTS, INCRBY).
"""

from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: str | None = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            # Two threads may both build one; either is fine, the pool is shared.
            client = self._clients.setdefault(
                index, self._client(connection_pool=self._get_connection_pool(write))
            )
        return client

    def count(self, key: str, timeout: int | None) -> int:
        if timeout == 0:
            raise ValueError("a counter that expires at once counts nothing; give a timeout")
        pipeline = self.get_client(key, write=True).pipeline(transaction=True)
        pipeline.set(key, 0, ex=timeout, nx=True)  # ex=None: no expiry
        pipeline.incr(key)
        return int(pipeline.execute()[-1])


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count(self, key: str, timeout: float | None = DEFAULT_TIMEOUT,
              version: int | None = None) -> int:
        """Add one to the integer at `key` (created at 0 with `timeout` if absent); the new value."""
        key = self.make_and_validate_key(key, version=version)
        return self._cache.count(key, self.get_backend_timeout(timeout))
