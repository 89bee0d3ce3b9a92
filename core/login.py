"""Sign-in helpers."""


def axes_username(request, credentials=None) -> str:
    """The username django-axes records for a failed sign-in, cut to its 255-character column.

    Uncut, a long posted username made PostgreSQL refuse the row: a 500 on /logg-inn/.
    """
    source = credentials if credentials is not None else request.POST
    return str(source.get("username") or "")[:255]


def client_ip_address(request) -> str | None:
    """The visitor's address as the outermost trusted proxy saw it, for django-axes.

    Behind the TLS-terminating proxy every request comes from the proxy's address, so
    locking out "username from this address" would lock the username out for everyone.
    With ``HEIMPLAN_TRUSTED_PROXY_COUNT`` = N proxies in front, each appending the
    address it saw to X-Forwarded-For, the client is the N-th entry from the right;
    entries further left are whatever the client claimed and are not trusted.
    """
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.HEIMPLAN_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote  # not through all the proxies: the direct peer is all we know
    return forwarded[-proxies][:45]  # 45: the longest textual IPv6 address
