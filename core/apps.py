from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: text, history, concurrency, forms, admin base, publishing.

    Imports no domain app (an import-linter contract in ``.ci/run`` keeps it so).
    """

    name = "core"
    verbose_name = "core"

    def ready(self):
        from core import lookups

        lookups.register()
