"""One publishing event per transaction: "public content changed".

Services that change what the public sees call ``public_content_changed()`` (with
the plans it concerns, when they know them). Within one transaction the calls are
merged, and once the transaction commits the event happens once:

1. the public content version moves, so every server process treats the pages it
   cached as stale on its very next request. The number is a database row
   (``core.models.PublicContentVersion``), read on every public request: never in
   process memory, and never only in the cache, which may restart empty or be
   unreachable when the change is published (``core.cache``) and must then still
   never serve a page rendered before the change;
2. the listeners that apps registered in their ``AppConfig.ready()`` run, each
   in its own transaction, outside the writer's (the search index, and whatever
   comes later). This module knows none of them by name.

Nothing runs when the transaction rolls back. The version moves only after the
commit: a process that read the new number reads committed content, so no page
rendered from the old content can be stored under the new number.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import F

logger = logging.getLogger(__name__)

_VERSION_ROW = 1


@dataclass
class PublicChange:
    """What one transaction changed. ``plan_ids`` is None when any plan may have changed."""

    plan_ids: set[int] | None = field(default_factory=set)
    callback: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    @property
    def everything(self) -> bool:
        return self.plan_ids is None

    def merge(self, *, plan_ids: Iterable[int] | None) -> None:
        if self.plan_ids is None:
            return
        if plan_ids is None:
            self.plan_ids = None
        else:
            self.plan_ids.update(int(pk) for pk in plan_ids if pk is not None)


Listener = Callable[[PublicChange], None]
_listeners: list[Listener] = []


def register_listener(listener: Listener) -> Listener:
    """Run ``listener(change)`` after every committed public change. Idempotent."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def registered_listeners() -> tuple[Listener, ...]:
    return tuple(_listeners)


def _fresh_version() -> int:
    # The first number, when the row does not exist yet (a new or flushed database):
    # taken from the clock, so it is never one handed out before and entries stored
    # under an old number can never look current again.
    return time.time_ns() // 1000


def _versions():
    from core.models import PublicContentVersion

    return PublicContentVersion.objects


def public_content_version() -> int:
    """The current public content version (one primary-key query)."""
    number = _versions().filter(pk=_VERSION_ROW).values_list("number", flat=True).first()
    if number is None:
        return _create_version()
    return number


def _create_version() -> int:
    try:
        with transaction.atomic():
            row, _created = _versions().get_or_create(
                pk=_VERSION_ROW, defaults={"number": _fresh_version()}
            )
    except IntegrityError:  # another process made it first
        row = _versions().get(pk=_VERSION_ROW)
    return row.number


def _new_version() -> None:
    if not _versions().filter(pk=_VERSION_ROW).update(number=F("number") + 1):
        _create_version()


# The change being collected in the open transaction, per database connection.
_PENDING_ATTR = "_heimplan_pending_public_change"


def public_content_changed(*, plan_ids: Iterable[int] | None = None, using=DEFAULT_DB_ALIAS):
    """Say that the current transaction changes what the public sees.

    ``plan_ids``: the plans whose public content changed; None (the default) when
    the change may touch any plan (a unit renamed, a legal basis edited). Call it
    from services only; the event happens once per transaction, after commit.
    """
    connection = connections[using]
    pending: PublicChange | None = getattr(connection, _PENDING_ATTR, None)
    if pending is None or not _scheduled(connection, pending):
        # None yet in this transaction, or the one collected was rolled back with
        # its savepoint or transaction (Django dropped its on-commit callback).
        pending = PublicChange(plan_ids=set())
        pending.merge(plan_ids=plan_ids)
        setattr(connection, _PENDING_ATTR, pending)
        pending.callback = lambda: _publish(connection, pending)
        # Outside a transaction (autocommit) this runs at once.
        transaction.on_commit(pending.callback, using=using)
    else:
        pending.merge(plan_ids=plan_ids)


def _scheduled(connection, pending: PublicChange) -> bool:
    callback = getattr(pending, "callback", None)
    return any(func is callback for _sids, func, _robust in connection.run_on_commit)


def _publish(connection, change: PublicChange) -> None:
    if getattr(connection, _PENDING_ATTR, None) is change:
        setattr(connection, _PENDING_ATTR, None)
    publish_now(change)


def publish_now(change: PublicChange, *, strict: bool = False) -> None:
    """Move the version and run every listener for ``change`` (after a commit, or a command).

    ``strict``: a failing listener raises (a command), instead of being logged (a request
    whose write is already committed).
    """
    _new_version()
    for listener in _listeners:
        try:
            with transaction.atomic():
                listener(change)
        except Exception:
            if strict:
                raise
            # The write is committed; a listener that failed leaves derived data
            # (the search index) behind, which `manage.py rebuild_search_index` repairs.
            logger.exception(
                "Publishing listener %s failed", getattr(listener, "__name__", listener)
            )
