"""Redis as an accelerator, never a dependency: a cache that survives Redis being away.

``ResilientRedisCache`` is Django's ``RedisCache`` with every operation guarded: when
Redis cannot be reached (refused, timed out, restarting, a read-only replica) a read is
a miss, a write is dropped and a counter is zero, so the page is rendered from the
database instead of failing. The first failure opens a short back-off
(``RETRY_AFTER_SECONDS``) during which Redis is not tried at all, so a dead server costs
nothing per request; one warning is logged per ``LOG_INTERVAL_SECONDS`` while it lasts,
and one line when Redis answers again.

Nothing that must not be lost lives in the cache: sessions and the sign-in throttle are
in the database, and the public content version is a database row
(``core.publishing``), so pages cached before an outage can never be served after a
change made during it.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# Short timeouts: a Redis that does not answer costs milliseconds, not a worker.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}


def _redis_errors() -> tuple[type[BaseException], ...]:
    from redis import exceptions

    return (
        exceptions.ConnectionError,  # also BusyLoadingError: Redis restarting
        exceptions.TimeoutError,
        exceptions.ReadOnlyError,  # a replica after a failover
        OSError,
    )


class _Health:
    """Whether Redis answered lately; shared by the threads of one process."""

    RETRY_AFTER_SECONDS = 2.0
    LOG_INTERVAL_SECONDS = 60.0

    def __init__(self, location: str):
        self.location = location
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self._skip_until = 0.0
        self._logged_at: float | None = None
        self.failures = 0

    def should_try(self) -> bool:
        return self.down_since is None or time.monotonic() >= self._skip_until

    def failed(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self.failures += 1
            if self.down_since is None:
                self.down_since = now
            self._skip_until = now + self.RETRY_AFTER_SECONDS
            if self._logged_at is not None and now - self._logged_at < self.LOG_INTERVAL_SECONDS:
                return
            self._logged_at = now
            failures = self.failures
        logger.warning(
            "Cache unavailable (%s failed: %s: %s); pages are served without it "
            "(%d failed operations so far; next warning in %d s at the earliest)",
            operation,
            type(exc).__name__,
            str(exc)[:200],
            failures,
            self.LOG_INTERVAL_SECONDS,
        )

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            seconds = time.monotonic() - self.down_since
            self.down_since = None
            self._logged_at = None
            self.failures = 0
        logger.warning("Cache available again after %.1f s", seconds)

    @property
    def available(self) -> bool:
        return self.down_since is None


def _guarded(name: str, default_factory):
    method = getattr(RedisCache, name)

    @wraps(method)
    def guarded(self, *args, **kwargs):
        if not self.health.should_try():
            return default_factory(args, kwargs)
        try:
            result = method(self, *args, **kwargs)
        except self._errors as exc:
            self.health.failed(name, exc)
            return default_factory(args, kwargs)
        self.health.succeeded()
        return result

    return guarded


def _default(args, kwargs):
    # get(key, default=None): the caller's default; a miss otherwise.
    if len(args) > 1:
        return args[1]
    return kwargs.get("default")


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose failures to reach Redis are misses and no-ops (module docstring)."""

    def __init__(self, server, params):
        params = dict(params)
        params["OPTIONS"] = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, params)
        self._errors = _redis_errors()
        self.health = _Health(str(server))

    get = _guarded("get", _default)
    set = _guarded("set", lambda a, k: None)
    add = _guarded("add", lambda a, k: False)
    touch = _guarded("touch", lambda a, k: False)
    delete = _guarded("delete", lambda a, k: False)
    get_many = _guarded("get_many", lambda a, k: {})
    set_many = _guarded("set_many", lambda a, k: list(a[0]) if a else [])
    delete_many = _guarded("delete_many", lambda a, k: None)
    has_key = _guarded("has_key", lambda a, k: False)
    clear = _guarded("clear", lambda a, k: False)
    # get_or_set, decr and the *_many fallbacks are built on the methods above.

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be reached cannot be moved: as for a missing key.
        if not self.health.should_try():
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).")
        try:
            result = super().incr(key, delta, version)
        except self._errors as exc:
            self.health.failed("incr", exc)
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).") from exc
        self.health.succeeded()
        return result

    def ping(self) -> bool:
        """Ask Redis directly (the health page): True if it answered, whatever the back-off."""
        try:
            self._cache.get_client(write=True).ping()
        except self._errors as exc:
            self.health.failed("ping", exc)
            return False
        self.health.succeeded()
        return True
