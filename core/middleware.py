"""The public page cache.

Anonymous GETs of pages whose view is decorated with ``cache_public_page`` are
stored under a key made of the active language, the host, path and query (a
nynorsk page is never served to a bokmål visitor), together with the
public content version (``core.publishing``) they were rendered at. Any write
that changes public content bumps the version, so every server process treats
the old entries as misses on its very next request. The version is one
primary-key query to the database, where it is kept so that no cache outage or
restart can bring an old number back; the page is one read from the cache, and
a cache that cannot be reached is a miss (``core.cache``): the page is rendered.
The middleware sits near the top of the stack so that a hit skips the
session, authentication and CSRF machinery; "anonymous" is decided by the
absence of the session cookie, which signed-in editors always carry, so they
always get fresh pages.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from core.publishing import public_content_version

CACHE_HEADER = "X-Heimplan-Cache"
_MARK = "_heimplan_public_cache"
# Cookies that mean the response may be personal: the session and pending messages.
_PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def cache_public_page(view=None, *, params: tuple[str, ...] = ()):
    """Mark ``view`` as a public page that may be served from the shared cache.

    ``params`` names the query parameters the page reads. A request carrying any other
    parameter is answered but not stored: otherwise every random ``?x=`` would add an
    entry, and anybody could fill the cache (a database write each, without Redis).
    """

    allowed = frozenset(params)

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            setattr(response, _MARK, allowed)
            return response

        return wrapped

    return decorate(view) if view is not None else decorate


_SKIP = "_heimplan_public_cache_skip"


def skip_public_cache(response):
    """Do not store this response: the page was asked for with values that are not a
    valid choice (a filter naming nothing) or a query that found nothing. Anybody can
    send those, endlessly varied; only pages for real choices and hits are kept, so
    what the cache can hold is bounded by the published content."""
    setattr(response, _SKIP, True)
    return response


def page_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def mark_rendered(response) -> None:
    """Give a freshly rendered public page its validators: ``ETag`` (a hash of the
    bytes) and ``Last-Modified`` (now). They are stored with the page, so every hit
    answers with the same ones (``core.public_http`` answers revisits with 304)."""
    if not response.has_header("ETag"):
        response["ETag"] = page_etag(response.content)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date()


def _page_key(request) -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    language = translation.get_language() or settings.LANGUAGE_CODE
    raw = f"{language}\n{host}\n{request.get_full_path()}".encode("utf-8", "surrogateescape")
    return f"heimplan:page:{hashlib.sha256(raw).hexdigest()}"


class _RecentEntries:
    """A small, thread-safe LRU of entries this process read or wrote, by key.

    Only a copy: ``get`` returns an entry only if it carries the version the
    caller just read from the shared cache.
    """

    MAX_ENTRIES = 128
    MAX_BYTES = 64 * 1024 * 1024

    def __init__(self):
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, version: int):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        size = len(entry[1])
        if size > self.MAX_BYTES // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._entries[key] = entry
            self._bytes += size
            while len(self._entries) > self.MAX_ENTRIES or self._bytes > self.MAX_BYTES:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped[1])


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.recent = _RecentEntries()

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or any(
            name in request.COOKIES for name in _PERSONAL_COOKIES
        ):
            return self.get_response(request)
        key = _page_key(request)
        if key is None:
            return self.get_response(request)
        # The version is read from the database on every request; an entry
        # is only good if it was stored under that version. This process keeps
        # copies of recent entries so a hit on a large page does not move its
        # bytes out of the shared cache each time; they too are checked
        # against the current version, so no process ever serves stale content.
        try:
            version = public_content_version()
        except DatabaseError:
            # The database is away or the read was cancelled: the view answers (the
            # health check's 503, the error page); nothing is served from the cache.
            return self.get_response(request)
        stored = self.recent.get(key, version)
        if stored is None:
            stored = cache.get(key)
            if stored is not None and stored[0] == version:
                self.recent.put(key, stored)
        if stored is not None and stored[0] == version:
            _version, content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response[CACHE_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable(request, response):
            mark_rendered(response)
            headers = [(n, v) for n, v in response.items() if n.lower() != "set-cookie"]
            entry = (version, response.content, headers)
            cache.set(key, entry, settings.HEIMPLAN_PAGE_CACHE_SECONDS)
            self.recent.put(key, entry)
            response[CACHE_HEADER] = "miss"
        return response

    @staticmethod
    def _cacheable(request, response) -> bool:
        allowed = getattr(response, _MARK, None)
        return (
            allowed is not None
            and not getattr(response, _SKIP, False)
            and allowed.issuperset(request.GET.keys())
            # ?q=a&q=b names the same page as ?q=a in another key: not stored.
            and all(len(values) == 1 for _name, values in request.GET.lists())
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        )


class LanguageMiddleware:
    """Activate the visitor's chosen language (the cookie Django's ``set_language`` sets),
    else the municipality's default (``LANGUAGE_CODE`` from ``HEIMPLAN_LANGUAGE``).

    Unlike Django's LocaleMiddleware it ignores Accept-Language and URL prefixes: one URL
    per page, in the municipality's language unless the visitor chose the other one.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        # The same URL answers in either language, depending on the cookie.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class StripNulCharactersMiddleware:
    """Remove NUL characters from query parameters before any view reads them.

    A browser never sends one, but a crafted URL can, and PostgreSQL refuses strings
    holding NUL with an exception: a search box, the admin's autocomplete or a list
    filter would answer 500. Forms already refuse NUL in POSTed fields with a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
