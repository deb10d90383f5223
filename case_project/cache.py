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
  `count_and_get_many()` also reads other keys in the same MULTI/EXEC: the
  rate limit's block and previous minute, and the guard's verdict on the
  person, so a Slack request costs one round trip to Redis before its ack.
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

    def count_and_get_many(
        self, key: str, timeout: int | None, keys: list[str]
    ) -> tuple[int, dict[str, Any]]:
        if timeout == 0:
            raise ValueError("a counter that expires at once counts nothing; give a timeout")
        pipeline = self.get_client(key, write=True).pipeline(transaction=True)
        if keys:
            pipeline.mget(keys)
        pipeline.set(key, 0, ex=timeout, nx=True)  # ex=None: no expiry
        pipeline.incr(key)
        replies = pipeline.execute()
        found = {k: self._serializer.loads(v)
                 for k, v in zip(keys, replies[0] if keys else [], strict=True) if v is not None}
        return int(replies[-1]), found


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count(self, key: str, timeout: float | None = DEFAULT_TIMEOUT,
              version: int | None = None) -> int:
        """Add one to the integer at `key` (created at 0 with `timeout` if absent); the new value."""
        return self.count_and_get_many(key, [], timeout, version=version)[0]

    def count_and_get_many(
        self, key: str, keys: list[str], timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """`count(key, timeout)` and `get_many(keys)` (read first) in one round trip."""
        made = {self.make_and_validate_key(k, version=version): k for k in keys}
        counted, found = self._cache.count_and_get_many(
            self.make_and_validate_key(key, version=version),
            self.get_backend_timeout(timeout),
            list(made),
        )
        return counted, {made[k]: value for k, value in found.items()}
