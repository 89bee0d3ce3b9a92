from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from core.publishing import register_listener
        from search.services import search_index_on_public_change

        register_listener(search_index_on_public_change)
