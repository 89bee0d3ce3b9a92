"""Sign-in helpers."""


def axes_username(request, credentials=None) -> str:
    """The username django-axes records for a failed sign-in, cut to its 255-character column.

    Uncut, a long posted username made PostgreSQL refuse the row: a 500 on /logg-inn/.
    """
    source = credentials if credentials is not None else request.POST
    return str(source.get("username") or "")[:255]
