"""A Django storage that keeps uploaded files in the database (``core.models.StoredFile``).

For a deployment with several app servers and no object storage
(``HEIMPLAN_MEDIA_STORAGE=database``): every server reads the same table, so an
attachment uploaded through one is served by any other, and no server keeps local
state. Files are served through the app's own views (after the publication rules),
and ``url()`` is only an address under MEDIA_URL that nothing serves.
"""

from __future__ import annotations

import os
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri


@deconstructible(path="core.storage.DatabaseStorage")
class DatabaseStorage(Storage):
    def _model(self):
        from core.models import StoredFile

        return StoredFile

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode:
            raise ValueError("DatabaseStorage files are written with save(), not open().")
        content = self._model().objects.filter(name=name).values_list("content", flat=True)
        found = content.first()
        if found is None:
            raise FileNotFoundError(name)
        file = ContentFile(bytes(found), name=name)
        file.mode = mode
        return file

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        if isinstance(data, str):
            data = data.encode()
        while True:
            try:
                with transaction.atomic():
                    self._model().objects.create(name=name, content=data, size=len(data))
                return name
            except IntegrityError:
                # Another server took the name between exists() and this write.
                name = self.get_alternative_name(*os.path.splitext(name))

    def delete(self, name):
        self._model().objects.filter(name=name).delete()

    def exists(self, name):
        return self._model().objects.filter(name=name).exists()

    def size(self, name):
        size = self._model().objects.filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return size

    def listdir(self, path):
        prefix = f"{path.rstrip('/')}/" if path else ""
        names = self._model().objects.filter(name__startswith=prefix).values_list("name", flat=True)
        directories, files = set(), []
        for name in names:
            rest = name[len(prefix) :]
            if "/" in rest:
                directories.add(rest.split("/", 1)[0])
            else:
                files.append(rest)
        return sorted(directories), sorted(files)

    def url(self, name):
        # As FileSystemStorage: an address under MEDIA_URL that nothing serves; the
        # app's own views serve files, after the publication rules.
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
