from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results")

    def ready(self):
        from core.reminders import register_sender
        from results.reminders import send_followup_reminders

        register_sender(send_followup_reminders)
