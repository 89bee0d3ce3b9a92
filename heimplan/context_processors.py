import datetime

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from organisation import permissions

# The public pages that name their own address (canonical link, og:url). Only these:
# on any other page (an error, a sign-in link) the address is whatever was asked for.
CANONICAL_PAGES = frozenset(
    {
        "home",
        "plans:plan_list",
        "plans:plan_detail",
        "plans:version_list",
        "plans:version_detail",
        "organisation:unit_list",
        "organisation:unit_detail",
        "search:search",
        "accessibility",
    }
)
# The contact details the footer shows, in this order; empty ones are left out.
_CONTACT_FIELDS = ("address", "phone", "email", "website")


def _account_menu(user) -> dict:
    """What the signed-in menu offers ``user``: only pages they may open."""
    return {
        "my_measures": permissions.is_staff_member(user),
        "new_plan": permissions.is_editor(user),
    }


def _contact() -> dict:
    """The municipality's contact details from settings, without the empty ones.

    ``feedback_url`` is where a visitor reports a problem: the feedback link if one is
    set, otherwise the contact e-mail (as mailto:) or the website, or empty.
    """
    configured = getattr(settings, "HEIMPLAN_CONTACT", {}) or {}
    contact = {name: str(configured.get(name) or "").strip() for name in _CONTACT_FIELDS}
    contact = {name: value for name, value in contact.items() if value}
    feedback = str(configured.get("feedback_url") or "").strip()
    if not feedback and contact.get("email"):
        feedback = f"mailto:{contact['email']}"
    contact["feedback_url"] = feedback or contact.get("website", "")
    if "phone" in contact:
        contact["phone_href"] = "tel:" + "".join(
            c for c in contact["phone"] if c.isdigit() or c == "+"
        )
    return contact


def _reviewed_on() -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(settings.HEIMPLAN_ACCESSIBILITY_REVIEWED_ON)
    except (AttributeError, TypeError, ValueError):
        return None


def _canonical_url(request) -> str:
    """The page's address without its query, for the public pages above only."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in CANONICAL_PAGES:
        return ""
    return request.build_absolute_uri(request.path)


def site(request):
    """Values every page shows: the municipality, its logo and contact details, its
    accessibility statement, and the menu."""
    return {
        "municipality_name": settings.HEIMPLAN_MUNICIPALITY,
        "municipality_logo": getattr(settings, "HEIMPLAN_LOGO", ""),
        "contact": _contact(),
        "accessibility_statement_url": settings.HEIMPLAN_ACCESSIBILITY_STATEMENT_URL,
        "accessibility_reviewed_on": _reviewed_on(),
        "site_canonical_url": SimpleLazyObject(lambda: _canonical_url(request)),
        # Lazy: a page that shows no menu (the PDF, an error page) asks nothing.
        "account_menu": SimpleLazyObject(lambda: _account_menu(request.user)),
    }
