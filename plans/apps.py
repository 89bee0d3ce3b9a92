from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans")

    def ready(self):
        from core.publishing import register_listener
        from plans.published import published_on_public_change

        register_listener(published_on_public_change)
