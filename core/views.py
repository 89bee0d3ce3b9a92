"""How every page answers a write: one form flow, one mapping of failures to status codes.

The mapping, for the working pages and the admin alike:

=====================================================================  ======
What happened                                                          Status
=====================================================================  ======
A form shown again: invalid input, or a service refused it             400
(its ``ValidationError`` shown on the form by ``add_validation_error``)
Not allowed (raise ``PermissionDenied``)                               403
Not found (raise ``Http404``, ``get_object_or_404``)                   404
An edit conflict (``EditConflict``): the form shows the other version  409
A PDF could not be made (``render_failed``)                            503
=====================================================================  ======

``form_status`` and ``render_failed`` apply it; 403 and 404 are Django's own
answers to the exceptions, with the site's pages (``heimplan.views``).
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.concurrency import EditConflict
from core.forms import add_validation_error

INVALID = HTTPStatus.BAD_REQUEST
NOT_ALLOWED = HTTPStatus.FORBIDDEN
NOT_FOUND = HTTPStatus.NOT_FOUND
CONFLICT = HTTPStatus.CONFLICT
RENDER_FAILED = HTTPStatus.SERVICE_UNAVAILABLE


def form_status(form, *, invalid: bool = False) -> int:
    """The status of a page that shows ``form``.

    409 when it shows an edit conflict, 400 when it shows errors (``invalid``: the
    page shows errors elsewhere, e.g. in an admin inline), 200 otherwise.
    """
    if getattr(form, "conflict_changes", None):
        return CONFLICT
    if invalid or (form.is_bound and form.errors):
        return INVALID
    return HTTPStatus.OK


def save_form(form, write) -> bool:
    """Validate ``form``; if valid, call ``write()`` (the service) in one transaction.

    A service's ``ValidationError`` is shown on the form, an ``EditConflict`` too,
    with the other person's version (the form is a ``VersionedModelForm``); nothing
    is saved then. Returns whether ``write()`` went through.
    """
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            write()
    except EditConflict as conflict:
        form.mark_conflict(
            current=conflict.current,
            base_version=form.cleaned_data["loaded_version"],
            changes=conflict.changes,
        )
    except ValidationError as error:
        add_validation_error(form, error)
    else:
        return True
    return False


def render_form(request, template: str, context: dict, *, form):
    """Render a page showing ``form``, with the status that says how it went."""
    return render(request, template, {"form": form, **context}, status=form_status(form))


def render_failed(request, *, back_url: str, back_title: str):
    """The page for a PDF that could not be made (the failure is logged where it happened)."""
    return render(
        request,
        "pdf/render_failed.html",
        {"back_url": back_url, "back_title": back_title},
        status=RENDER_FAILED,
    )


def edit_versioned(request, *, obj, form_class, service, template, success_url, context=None):
    """The shared edit flow of a row with ``edit_version``: one service writes.

    ``service(data=…, expected_version=…)`` saves ``obj``. A conflict keeps the
    person's input and shows the diff (409); a refusal is shown on the form (400).
    The caller has checked that the person may edit ``obj``.
    """
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and save_form(
        form,
        lambda: service(
            data=form.model_data(), expected_version=form.cleaned_data["loaded_version"]
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect(success_url)
    return render_form(request, template, {"object": obj, **(context or {})}, form=form)
