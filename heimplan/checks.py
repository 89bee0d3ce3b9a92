"""Deployment invariants checked at start-up, so a wrong deployment fails loudly."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_secret_key_is_not_development_key(app_configs, **kwargs):
    if not settings.DEBUG and settings.SECRET_KEY == settings.INSECURE_DEV_SECRET_KEY:
        return [
            Error(
                "DJANGO_SECRET_KEY is not set while DJANGO_DEBUG is off.",
                hint="Set DJANGO_SECRET_KEY to a long random value in production.",
                id="heimplan.E001",
            )
        ]
    return []
