"""Sending e-mail that may fail: one clear line per address, never a lost record.

The mail server being away (refused, timed out, an address refused) is an ordinary
failure for every sender in the portal (reminders, receipts): the caller keeps what
was done, does not mark the e-mail as sent, and tries again on the next run.
``MAIL_ERRORS`` are the exceptions that mean "not sent, try later"; ``describe``
turns one into a line for a log or a command's output.
"""

from __future__ import annotations

import smtplib
import socket

# OSError covers refused and unreachable connections and socket timeouts.
MAIL_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)


def describe(exc: BaseException) -> str:
    """One line saying why an e-mail was not sent (no traceback, no credentials)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the address"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "the mail server refused the sign-in (check DJANGO_EMAIL_HOST_USER/PASSWORD)"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "the mail server did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "the mail server refused the connection"
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
