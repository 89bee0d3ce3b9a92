from django.apps import AppConfig


class HeimplanConfig(AppConfig):
    name = "heimplan"
    verbose_name = "heimplan"

    def ready(self):
        from heimplan import checks  # noqa: F401  (checks register themselves)
