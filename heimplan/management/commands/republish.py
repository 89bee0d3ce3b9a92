"""Run every publishing listener for every plan: the published read model and the search index.

Both follow each publishing event by themselves. Run this after `migrate` on an
existing database (a new listener starts empty), after restoring a backup, or if
the log says a listener failed.
"""

from django.core.management.base import BaseCommand

from core.publishing import PublicChange, publish_now, registered_listeners


class Command(BaseCommand):
    help = "Rebuild everything derived from the published plans (read model, search index)."

    def handle(self, *args, **options):
        publish_now(PublicChange(plan_ids=None), strict=True)
        names = ", ".join(listener.__name__ for listener in registered_listeners())
        self.stdout.write(f"Republished every plan ({names}).")
