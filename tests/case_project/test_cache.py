"""Case's Redis cache: Django's, with one client per server and a one-round-trip counter."""

import threading
import uuid

import pytest
import redis
from django.core.cache import caches

from case_project.cache import RedisCache
from tests import services
from tests.case_project.test_settings import settings_value


class CountingConnection(redis.Connection):
    """A real connection that notes every write to the socket (one per round trip)."""

    writes: list[bytes] = []

    def send_packed_command(self, command, check_health=True):
        CountingConnection.writes.append(command)
        return super().send_packed_command(command, check_health)


def redis_cache_settings(**options) -> dict:
    """CACHES["default"] for Case's backend on the test Redis, round trips counted."""
    return {"BACKEND": "case_project.cache.RedisCache", "LOCATION": services.REDIS_URL,
            "OPTIONS": {"connection_class": CountingConnection, **options}}


@pytest.fixture
def redis_caches(settings):
    """Case's backend and Django's own, on the same Redis database."""
    settings.CACHES = {
        "default": redis_cache_settings(),
        "django": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                   "LOCATION": services.REDIS_URL},
    }
    yield caches["default"], caches["django"]
    caches["default"].clear()


def test_a_redis_cache_url_selects_cases_backend_and_locmem_stays_the_default():
    backend = "settings.CACHES['default']['BACKEND']"
    assert settings_value(backend, CACHE_URL="redis://127.0.0.1:6379/1") == (
        "case_project.cache.RedisCache"
    )
    assert settings_value(backend, CACHE_URL="") == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.redis
def test_count_starts_a_missing_key_at_one_with_its_expiry_and_adds_one_after(redis_caches):
    ours, django = redis_caches
    key = f"count-{uuid.uuid4().hex}"
    assert [ours.count(key, 120) for _ in range(3)] == [1, 2, 3]
    raw = redis.Redis.from_url(services.REDIS_URL)
    assert 0 < raw.ttl(ours.make_key(key)) <= 120
    # Stored as Django stores integers: Django's own backend reads and counts on.
    assert django.get(key) == 3
    assert django.incr(key) == 4
    assert ours.count(key, 120) == 5


@pytest.mark.redis
def test_count_is_one_round_trip_and_may_read_other_keys_in_it(redis_caches):
    ours, django = redis_caches
    ours.get("warm-the-connection")
    CountingConnection.writes.clear()
    key = f"count-{uuid.uuid4().hex}"
    ours.count(key, 60)
    assert len(CountingConnection.writes) == 1
    django.set_many({"block": 1234.5, "verdict": {"reason": ""}}, 60)
    counted, found = ours.count_and_get_many(key, ["block", "verdict", "absent", key])
    assert len(CountingConnection.writes) == 2
    # Read before counting: the counter's own value is the one before this count.
    assert (counted, found) == (2, {"block": 1234.5, "verdict": {"reason": ""}, key: 1})


@pytest.mark.redis
def test_count_from_many_threads_loses_nothing(redis_caches):
    ours, _ = redis_caches
    key = f"count-{uuid.uuid4().hex}"
    results: list[int] = []
    lock = threading.Lock()

    def spend() -> None:
        mine = [ours.count(key, 60) for _ in range(50)]
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=spend) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == list(range(1, 401))


@pytest.mark.redis
def test_a_counter_that_expires_at_once_is_refused(redis_caches):
    ours, _ = redis_caches
    with pytest.raises(ValueError, match="give a timeout"):
        ours.count("never", 0)


@pytest.mark.redis
def test_one_client_serves_every_call_and_values_cross_backends(redis_caches):
    ours, django = redis_caches
    assert isinstance(ours, RedisCache)
    assert ours._cache.get_client("a") is ours._cache.get_client("b", write=True)
    ours.set("shared", {"reason": "", "message": ""}, 60)
    assert django.get("shared") == {"reason": "", "message": ""}
    django.set_many({"x": 1, "y": [2]}, 60)
    assert ours.get_many(["x", "y", "z"]) == {"x": 1, "y": [2]}
