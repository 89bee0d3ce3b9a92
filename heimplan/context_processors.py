from django.conf import settings


def site(request):
    """Values every page shows: the municipality and its accessibility statement."""
    return {
        "municipality_name": settings.HEIMPLAN_MUNICIPALITY,
        "accessibility_statement_url": settings.HEIMPLAN_ACCESSIBILITY_STATEMENT_URL,
    }
