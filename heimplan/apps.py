from django.apps import AppConfig


class HeimplanConfig(AppConfig):
    """The site: settings, URLs, its own pages, and the commands that span every app."""

    name = "heimplan"
    verbose_name = "heimplan"
