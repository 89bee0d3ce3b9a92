"""``/helse/``: the load balancer's health check.

200 when the database answers, 503 when it does not; the cache's state is reported but
never fails the check, because the site serves without it (``core.cache``). JSON, never
cached, and nothing in it that an outsider could use (no addresses, versions or errors).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database did not answer", exc_info=True)
        return False
    return True


def _cache_ok() -> bool:
    ping = getattr(cache, "ping", None)
    if ping is not None:  # core.cache.ResilientRedisCache: asks Redis itself
        return ping()
    try:  # the database cache (or another backend): a read that must not raise
        cache.get("heimplan:health")
    except Exception:  # any backend's failure is "unavailable", not a failed check
        logger.warning("Health check: the cache did not answer", exc_info=True)
        return False
    return True


@never_cache
@require_safe
def health(request):
    database = _database_ok()
    cache_state = _cache_ok()
    return JsonResponse(
        {
            "status": OK if database else UNAVAILABLE,
            "database": OK if database else UNAVAILABLE,
            "cache": OK if cache_state else UNAVAILABLE,
        },
        status=200 if database else 503,
    )
