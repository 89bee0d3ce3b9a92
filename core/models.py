"""The little data ``core`` keeps itself: the public content version."""

from django.db import models


class PublicContentVersion(models.Model):
    """The one row holding the public content version (``core.publishing``).

    It lives in the database, next to the content it stands for, and not in the cache:
    a cache that restarted empty, or that could not be reached when a change was
    published, can never make the number go back to one it had before.
    """

    number = models.BigIntegerField()

    class Meta:
        verbose_name = "public content version"

    def __str__(self) -> str:
        return str(self.number)
