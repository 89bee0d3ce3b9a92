"""A rate limit per visitor address for the public consultation form.

The address is the proxy-aware one the sign-in throttle uses
(``core.login.client_ip_address``, ``HEIMPLAN_TRUSTED_PROXY_COUNT``). Counts live in
the shared cache, so every server process sees the same ones.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from core.login import client_ip_address


def _key(address: str, window: int) -> str:
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"consultation-rate:{digest}:{int(time.time()) // window}"


def response_allowed(request) -> bool:
    """Count one posted response from the request's address; False once over the limit."""
    limit = settings.HEIMPLAN_CONSULTATION_RATE_LIMIT
    window = settings.HEIMPLAN_CONSULTATION_RATE_WINDOW_SECONDS
    address = client_ip_address(request) or "unknown"
    key = _key(address, window)
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this one as the first
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit
