"""HTTP for public pages: compression, validators and cache headers, Permissions-Policy.

``PublicHttpMiddleware`` sits above the public page cache (``core.middleware``), so it
sees both a page served from that cache and one just rendered. For an anonymous
visitor's GET of a page the cache may keep (``X-Heimplan-Cache: hit`` or ``miss``):

- ``ETag`` (a hash of the page) and ``Last-Modified`` (when it was rendered; both are
  stored with the cached page by ``PublicPageCacheMiddleware``) are set, and a revisit carrying
  ``If-None-Match`` or ``If-Modified-Since`` that still matches gets ``304 Not
  Modified`` without a body;
- ``Cache-Control: public, max-age=0, must-revalidate`` lets the browser (and a proxy)
  keep the page but ask each time, so a change shows at once; ``Vary: Cookie`` keeps a
  signed-in person's page apart;
- the HTML is gzip-compressed when the browser accepts it (the ETag then weak, as
  Django's GZipMiddleware does). Compressed copies of recent pages are kept per
  process by ETag, so a cache hit is not compressed again.

Anything else (a signed-in person, a page that sets a cookie, a page the cache refuses
such as a search that found nothing) is never marked public: without a Cache-Control of
its own it gets ``private, no-cache``. Every response gets a ``Permissions-Policy``
that turns off the browser features the site never uses.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.regex_helper import _lazy_re_compile

from core.middleware import _PERSONAL_COOKIES, CACHE_HEADER, mark_rendered

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate"
PRIVATE_CACHE_CONTROL = "private, no-cache"
_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
_COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml")
MIN_COMPRESS_BYTES = 200


class _CompressedCopies:
    """A small per-process LRU of gzip bodies by ETag (the ETag names the exact bytes)."""

    MAX_ENTRIES = 256

    def __init__(self):
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, etag: str, content: bytes) -> bytes:
        with self._lock:
            body = self._entries.get(etag)
            if body is not None:
                self._entries.move_to_end(etag)
                return body
        body = gzip.compress(content, compresslevel=6, mtime=0)
        with self._lock:
            self._entries[etag] = body
            while len(self._entries) > self.MAX_ENTRIES:
                self._entries.popitem(last=False)
        return body


class PublicHttpMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.compressed = _CompressedCopies()

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Permissions-Policy"):
            response["Permissions-Policy"] = PERMISSIONS_POLICY
        if self._is_public(request, response):
            return self._public(request, response)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response

    @staticmethod
    def _is_public(request, response) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and response.get(CACHE_HEADER) in ("hit", "miss")
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(name in request.COOKIES for name in _PERSONAL_COOKIES)
        )

    def _public(self, request, response):
        mark_rendered(response)  # a page cached before this middleware existed
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = PUBLIC_CACHE_CONTROL
        patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
        etag = response["ETag"]
        compress = self._compressible(request, response)
        if compress:
            response["ETag"] = "W/" + etag.removeprefix("W/")
        conditional = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )
        if conditional is not response:
            return conditional
        if compress:
            response.content = self.compressed.get_or_make(etag, response.content)
            response["Content-Length"] = str(len(response.content))
            response["Content-Encoding"] = "gzip"
        return response

    @staticmethod
    def _compressible(request, response) -> bool:
        return (
            not response.has_header("Content-Encoding")
            and len(response.content) >= MIN_COMPRESS_BYTES
            and response.get("Content-Type", "").startswith(_COMPRESSIBLE)
            and bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        )
