"""The header's language switch (bokmål/nynorsk)."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


# Exempt from CSRF: a token in the header's form would set the CSRF cookie on every public
# page and keep them all out of the page cache, and a forged switch can do nothing but
# change the language.
@csrf_exempt
@require_POST
def set_language(request):
    """Django's ``set_language`` (the cookie), then back to the page the form was on.

    The form sends no ``next``: it would echo the page's address into every page (also
    into a 404 for an address somebody made up). Django goes back to the Referer, which
    the site's same-origin referrer policy sends; without one, to the front page.
    """
    response = django_set_language(request)
    if response.status_code == 204:
        redirect = HttpResponseRedirect(reverse("home"))
        redirect.cookies = response.cookies
        return redirect
    return response
