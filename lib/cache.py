"""The Redis cache, forgiving an outage.

Redis holds nothing here that a request needs to succeed: throttle counters, link-miss
counters, wake-up markers, the workers' heartbeat and cached figures. While it is down
(restarting, say) a request goes on without them, as if the cache were empty: a throttle
lets the request through, a counter starts again, a cached figure is computed. Failing
the request instead would turn a Redis restart into lost answers. /healthz still says
that Redis is failing (ping), and a warning is logged, at most every LOG_EVERY seconds.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
LOG_EVERY = 10.0
_last_logged = 0.0


def _forgiving(method, fallback):
    @wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            _warn(method.__name__, error)
            return fallback(*args, **kwargs)

    return call


def _warn(operation: str, error: RedisError) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY:
        _last_logged = now
        log.warning("Redis unavailable (%s: %s); going on without the cache", operation, error)


def _default(key, default=None, version=None):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _counted(key, delta=1, version=None):
    return delta  # as if the counter had just started


class SharedClientRedisCacheClient(RedisCacheClient):
    """One redis.Redis per connection pool, made once. Django makes one per call, and
    each builds its table of some 170 reply callbacks: a millisecond of every request
    that touches the cache. A client is safe to share between threads; its pool resets
    itself in a forked process."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shared = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._shared.get(id(pool))
        if client is None:
            client = self._shared[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    get = _forgiving(RedisCache.get, _default)
    set = _forgiving(RedisCache.set, _nothing)
    add = _forgiving(RedisCache.add, _false)  # "taken": a lock is not acquired in an outage
    touch = _forgiving(RedisCache.touch, _false)
    delete = _forgiving(RedisCache.delete, _false)
    incr = _forgiving(RedisCache.incr, _counted)
    has_key = _forgiving(RedisCache.has_key, _false)
    get_many = _forgiving(RedisCache.get_many, lambda keys, version=None: {})
    set_many = _forgiving(RedisCache.set_many, lambda data, *args, **kwargs: list(data))
    delete_many = _forgiving(RedisCache.delete_many, _nothing)

    def ping(self) -> bool:
        """True, or the outage's error: for the health check, which must not forgive."""
        return self._cache.get_client().ping()
