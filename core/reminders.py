"""More kinds of reminders for ``send_reminders``: apps register a sender in ready().

The command (in ``measures``) sends the measure reminders and then calls every
registered sender, so an app above ``measures`` adds its own without the command
knowing it by name (the same pattern as ``core.publishing`` listeners).
A sender is ``sender(*, today, base_url, dry_run) -> list[str]``: one line per
e-mail sent (or, with ``dry_run``, that would be sent).
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
