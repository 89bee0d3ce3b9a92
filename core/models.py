"""The core's one table: uploaded files kept in the database (``core.storage``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
