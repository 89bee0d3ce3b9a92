"""One version number for everything the public pages show.

Public pages are cached under keys that include this number. Every write that
changes public content calls ``public_content_changed()``, which bumps it, so
every server process sees the change on its very next request (the number
lives in the shared cache, not in process memory).
"""

from django.core.cache import cache

PUBLIC_VERSION_KEY = "heimplan:public-content-version"


def public_content_version() -> int:
    version = cache.get(PUBLIC_VERSION_KEY)
    if version is None:
        # add() so two processes starting at once agree on the first number.
        cache.add(PUBLIC_VERSION_KEY, 1, timeout=None)
        version = cache.get(PUBLIC_VERSION_KEY, 1)
    return version


def public_content_changed() -> None:
    try:
        cache.incr(PUBLIC_VERSION_KEY)
    except ValueError:
        cache.add(PUBLIC_VERSION_KEY, 2, timeout=None)
