"""The files a browser or crawler asks for at the site's root: robots.txt, favicon.ico."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Pages only signed-in people can open: nothing there for a crawler.
_DISALLOWED = ("/admin/", "/arbeid/", "/logg-inn/", "/mine/", "/oversikt/")
FAVICON = settings.BASE_DIR / "static" / "img" / "favicon.ico"


@require_GET
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in _DISALLOWED), f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=7 * 86400)
def favicon_ico(request):
    return HttpResponse(FAVICON.read_bytes(), content_type="image/vnd.microsoft.icon")
