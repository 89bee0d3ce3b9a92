"""Error pages in the site's own layout, in Norwegian."""

from django.shortcuts import render

from core.middleware import cache_public_page


@cache_public_page
def accessibility(request):
    """How the portal meets WCAG 2.1, with the link to the official statement."""
    return render(request, "accessibility.html")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors beyond the request: the failure may be in one of them.
    return render(request, "500.html", status=500)
