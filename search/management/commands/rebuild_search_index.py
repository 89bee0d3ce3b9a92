"""Rebuild the whole search index from the published content (recovery).

The index follows every publishing event by itself; run this after restoring a
database, or if a publishing listener failed (the log says so).
"""

from django.core.management.base import BaseCommand

from search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the published content of every plan."

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(f"Search index rebuilt: {count} entries.")
