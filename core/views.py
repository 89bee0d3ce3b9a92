"""View helpers every app's pages share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.concurrency import EditConflict
from core.forms import add_validation_error


def edit_versioned(request, *, obj, form_class, service, template, success_url, context=None):
    """The shared edit flow of a row with ``edit_version``: one service writes.

    ``service(obj, data, expected_version)`` saves. A conflict keeps the person's input
    and shows the diff (409); a refusal is shown on the form (400). The caller has
    checked that the person may edit ``obj``.
    """
    form = form_class(request.POST or None, instance=obj)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    service(form.instance, form.model_data(), form.cleaned_data["loaded_version"])
            except EditConflict as conflict:
                form.mark_conflict(
                    current=conflict.current,
                    base_version=form.cleaned_data["loaded_version"],
                    changes=conflict.changes,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(success_url)
        status = 409 if form.conflict_changes else 400
    return render(
        request, template, {"form": form, "object": obj, **(context or {})}, status=status
    )
