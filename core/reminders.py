"""More kinds of reminders for ``send_reminders``: apps register a sender in ready().

The command (in ``measures``) sends the measure reminders and then calls every
registered sender, so an app above ``measures`` adds its own without the command
knowing it by name (the same pattern as ``core.publishing`` listeners).
A sender is ``sender(*, today, base_url, dry_run, on_failure) -> list[str]``: one line
per e-mail sent (or, with ``dry_run``, that would be sent). An e-mail the mail server
does not take is reported as ``on_failure(address, reason)`` and not marked as sent, so
the next run sends it (``core.mail``).
"""

from __future__ import annotations

from collections.abc import Callable

Sender = Callable[..., list[str]]
_senders: list[Sender] = []


def register_sender(sender: Sender) -> Sender:
    """Let ``send_reminders`` call ``sender`` too. Idempotent."""
    if sender not in _senders:
        _senders.append(sender)
    return sender


def registered_senders() -> list[Sender]:
    return list(_senders)
