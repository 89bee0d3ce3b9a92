"""The site's own pages: the workspace index, accessibility, and error pages in Norwegian."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.middleware import cache_public_page
from organisation import permissions
from stakeholders import selectors


@cache_public_page
def accessibility(request):
    """How the portal meets WCAG 2.1, with the link to the official statement."""
    return render(request, "accessibility.html")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors beyond the request: the failure may be in one of them.
    return render(request, "500.html", status=500)


@login_required
def workspace(request):
    """The signed-in editor's index of their analyses, groups and plans."""
    user = request.user
    if not permissions.is_editor(user):
        raise PermissionDenied
    return render(
        request,
        "workspace.html",
        {
            "analyses": selectors.analyses_for_user(user),
            "groups": selectors.groups_for_user(user),
            "plans": selectors.plans_for_user(user),
        },
    )
