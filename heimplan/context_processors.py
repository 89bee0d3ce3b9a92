from django.conf import settings
from django.utils.functional import SimpleLazyObject

from organisation import permissions


def _account_menu(user) -> dict:
    """What the signed-in menu offers ``user``: only pages they may open."""
    return {
        "my_measures": permissions.is_staff_member(user),
        "new_plan": permissions.is_editor(user),
    }


def site(request):
    """Values every page shows: the municipality, its accessibility statement, the menu."""
    return {
        "municipality_name": settings.HEIMPLAN_MUNICIPALITY,
        "accessibility_statement_url": settings.HEIMPLAN_ACCESSIBILITY_STATEMENT_URL,
        # Lazy: a page that shows no menu (the PDF, an error page) asks nothing.
        "account_menu": SimpleLazyObject(lambda: _account_menu(request.user)),
    }
