"""Runaway work: one slow query cannot hold a web worker.

Web requests run with a PostgreSQL ``statement_timeout`` of
``HEIMPLAN_STATEMENT_TIMEOUT_MS`` (0 turns it off). It is set on each new database
connection of a web process (``heimplan/wsgi.py`` calls ``limit_web_statements``: gunicorn
and runserver); migrations and management commands never import the WSGI module and run
without it. A query the server cancels ends in a clear 503 page
(``QueryCanceledMiddleware``), not a 500; gunicorn's worker timeout
(``gunicorn.conf.py``) is the bound on everything else a request does.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import OperationalError
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

# PostgreSQL's SQLSTATE for a statement cancelled (by statement_timeout or by hand).
QUERY_CANCELED = "57014"
QUERY_CANCELED_STATUS = 503


def apply_statement_timeout(connection) -> None:
    """Set the web statement timeout on ``connection`` (PostgreSQL only)."""
    milliseconds = int(settings.HEIMPLAN_STATEMENT_TIMEOUT_MS)
    if connection.vendor != "postgresql" or milliseconds <= 0:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {milliseconds}")


def _on_connection_created(sender, connection, **kwargs):
    apply_statement_timeout(connection)


def limit_web_statements() -> None:
    """Give every database connection this process opens from now on the web timeout."""
    connection_created.connect(_on_connection_created, dispatch_uid="heimplan-statement-timeout")


def is_query_canceled(exc: BaseException) -> bool:
    """Whether ``exc`` (Django's wrapper or the driver's error) is a cancelled statement."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        code = getattr(exc, "pgcode", None) or getattr(exc, "sqlstate", None)
        if code == QUERY_CANCELED:
            return True
        exc = exc.__cause__
    return False


class QueryCanceledMiddleware:
    """A request whose query the database cancelled answers 503 with a clear page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and is_query_canceled(exception)):
            return None
        logger.warning(
            "A query took longer than HEIMPLAN_STATEMENT_TIMEOUT_MS (%s ms) and was cancelled: "
            "%s %s",
            settings.HEIMPLAN_STATEMENT_TIMEOUT_MS,
            request.method,
            request.path[:200],
        )
        try:
            response = render(request, "503.html", status=QUERY_CANCELED_STATUS)
        except Exception:  # the page itself needs the database; say it plainly
            logger.exception("The 503 page could not be rendered")
            response = HttpResponse(
                "503", status=QUERY_CANCELED_STATUS, content_type="text/plain; charset=utf-8"
            )
        response["Retry-After"] = "30"
        return response
