"""One version number for everything the public pages show.

Public pages are cached together with this number. Every write that
changes public content calls ``public_content_changed()``, which bumps it, so
every server process sees the change on its very next request (the number
lives in the shared cache, not in process memory).
"""

import time

from django.core.cache import cache
from django.db import transaction

PUBLIC_VERSION_KEY = "heimplan:public-content-version"


def _fresh_version() -> int:
    # A number never handed out before, even if the cache lost the key (Redis
    # restarted, database cache culled): entries stored under an old number can
    # never look current again.
    return time.time_ns() // 1000


def public_content_version() -> int:
    version = cache.get(PUBLIC_VERSION_KEY)
    if version is None:
        # add() so two processes starting at once agree on the first number.
        first = _fresh_version()
        cache.add(PUBLIC_VERSION_KEY, first, timeout=None)
        version = cache.get(PUBLIC_VERSION_KEY, first)
    return version


def _new_version() -> None:
    try:
        cache.incr(PUBLIC_VERSION_KEY)
    except ValueError:
        cache.add(PUBLIC_VERSION_KEY, _fresh_version(), timeout=None)


def public_content_changed() -> None:
    """Call after any write that changes what the public sees.

    Moves the shared version (cached pages of every process go stale at once) and
    rebuilds the search index from the published content.

    The version moves twice: now, and again once the write's transaction commits.
    Between the two, another process may render the old, still committed content
    and store it under the first new version; the second move makes that page
    unreachable. The move after commit also covers the database cache, whose incr()
    is a read and a write: if two moves collide and land on the same number, both
    read the old number after this write had committed, so no page rendered before
    the commit can carry the new number. (Inside a test's transaction only the first
    move happens.)
    """
    from search.services import search_index_rebuild  # search depends on plans, which use us

    _new_version()
    transaction.on_commit(_new_version)
    search_index_rebuild()
