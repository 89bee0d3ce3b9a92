"""The little data ``core`` keeps itself: the public content version, and uploaded
files kept in the database (``core.storage``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class StoredFile(models.Model):
    """The bytes of one uploaded file, for a site without object storage.

    With ``HEIMPLAN_MEDIA_STORAGE=database`` every app server reads and writes
    attachments here, so none keeps a file on its own disk.
    """

    name = models.CharField(_("name"), max_length=500, unique=True)
    content = models.BinaryField(_("content"))
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self):
        return self.name
