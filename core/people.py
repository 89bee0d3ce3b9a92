"""How a person is named on pages, in e-mails and in the admin."""

from __future__ import annotations


def person_name(user) -> str:
    """``user``'s full name; their username only when no name is recorded.

    Reads the row's own fields: no query, so lists of people cost nothing extra.
    """
    if user is None:
        return ""
    full = f"{user.first_name} {user.last_name}".strip()
    return full or user.get_username()
