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
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict
from core.forms import add_validation_error
from core.services import DIRECTIONS
from core.text import MARKDOWN_MAX_LENGTH, render_markdown

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


# -- the plan editor's forms: Preview or Save, and Delete after a confirmation ----------

PREVIEW = "preview"


def _too_long_message() -> str:
    return _("The text is too long to preview (at most %(limit)s characters).") % {
        "limit": MARKDOWN_MAX_LENGTH
    }


def markdown_previews(form) -> dict:
    """The sanitised HTML of each Markdown field of the bound ``form``, as typed."""
    previews = {}
    for name in getattr(form, "markdown_fields", ()):
        if name not in form.fields or form.fields[name].disabled:
            continue
        source = form.data.get(form.add_prefix(name), "")
        if len(source) > MARKDOWN_MAX_LENGTH:
            previews[name] = _too_long_message()
        else:
            previews[name] = render_markdown(source)
    form.previews = previews
    return previews


def edit_plan_text(request, *, form, write, template, success_url, context=None):
    """The editor's form flow: Preview shows the rendered Markdown and keeps the input;
    Save calls ``write()`` (a service) through ``save_form`` and goes back to the editor."""
    if request.method == "POST" and PREVIEW in request.POST:
        markdown_previews(form)
        return render(request, template, {"form": form, **(context or {})})
    if request.method == "POST" and save_form(form, write):
        messages.success(request, _("Saved."))
        return redirect(success_url)
    return render_form(request, template, context or {}, form=form)


def confirm_delete(request, *, obj, delete, success_url, refusal=None, context=None):
    """Ask before deleting ``obj``; on POST call ``delete()`` (a service).

    ``refusal`` (why it cannot be deleted now) is shown instead of the button; a
    service's refusal on POST is shown too (400) and nothing is deleted.
    """
    status = 200
    if request.method == "POST" and refusal is None:
        try:
            with transaction.atomic():
                delete()
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("“%(title)s” was deleted.") % {"title": obj})
            return redirect(success_url)
    if request.method == "POST":
        status = INVALID
    return render(
        request,
        "includes/confirm_delete.html",
        {"object": obj, "refusal": refusal, "back_url": success_url, **(context or {})},
        status=status,
    )


@login_required
@require_POST
def markdown_preview(request):
    """The sanitised HTML of the posted ``text``, as the public pages will show it."""
    source = request.POST.get("text", "")
    if len(source) > MARKDOWN_MAX_LENGTH:
        return HttpResponse(_too_long_message(), status=INVALID, content_type="text/plain")
    response = HttpResponse(render_markdown(source), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def posted_direction(request) -> str:
    """The ``direction`` of an up/down button ("up" or "down"); anything else is not found."""
    direction = request.POST.get("direction")
    if direction not in DIRECTIONS:
        raise Http404
    return direction


def move_and_return(request, *, move, success_url, refusal=None):
    """Call ``move()`` (a service) unless refused; either way back to the editor."""
    if refusal:
        messages.error(request, refusal)
    else:
        try:
            with transaction.atomic():
                move()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Moved."))
    return redirect(success_url)
