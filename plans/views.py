"""Pages of plans: the public ones, and the plan's workspace behind login.

Thin: a selector reads, a service writes, a template renders.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.files import download_response
from core.middleware import cache_public_page, skip_public_cache
from core.paging import PAGE_PARAM, page_of, split
from core.views import (
    confirm_delete,
    edit_plan_text,
    edit_versioned,
    form_status,
    move_and_return,
    posted_direction,
    render_failed,
    render_form,
    save_form,
)
from organisation import permissions
from plans import forms, published, selectors, services
from plans.compare import compare_documents
from plans.filters import FILTERS, filter_plan_measures
from plans.forms import PlanAttachmentForm, PlanSectionForm, SectionEditorForm
from plans.fragments import published_page_document, with_area_html
from plans.lifecycle_forms import AdoptionForm, ConfirmForm, ConsultationForm
from plans.models import Plan, PlanAttachment, PlanSection, WorkingModelStep
from plans.pdf import PdfRenderError, render_plan_pdf

logger = logging.getLogger(__name__)


# Plans in force on the front page; past this many it links to the plan list.
FRONT_PAGE_PLANS = 12


@cache_public_page
def home(request):
    in_force_count, retired_count = published.published_plan_counts()
    return render(
        request,
        "plans/home.html",
        {
            "plans": published.front_page_plans(limit=FRONT_PAGE_PLANS),
            "in_force_count": in_force_count,
            "retired_count": retired_count,
        },
    )


# Plans on one page of the plan list (in force first, then retired).
PLANS_PER_PAGE = 200


@cache_public_page(params=(PAGE_PARAM,))
def plan_list(request):
    in_force_count, retired_count = published.published_plan_counts()
    page = page_of(request, count=in_force_count + retired_count, per_page=PLANS_PER_PAGE)
    in_force_rows, retired_rows = split(page, in_force_count)
    in_force, retired = published.published_plans_page(in_force=in_force_rows, retired=retired_rows)
    response = render(
        request,
        "plans/plan_list.html",
        {"plans": in_force, "retired_plans": retired, "page": page},
    )
    if not page.asked_as(request):
        skip_public_cache(response)
    return response


def _working_plan(request, slug):
    """The live plan, for a signed-in person who may read it unpublished; else None.

    Everybody else gets the published read model (``plans.published``) and nothing
    of the live rows, so a page cannot show them a draft by accident.
    """
    if not request.user.is_authenticated:
        return None
    plan = selectors.plan_by_slug(slug)
    if plan is None or not selectors.user_can_see_unpublished(request.user, plan):
        return None
    return plan


@cache_public_page(params=tuple(FILTERS))
def plan_detail(request, slug):
    plan = _working_plan(request, slug)
    if plan is not None:
        document, adoption = selectors.plan_document_for_editor(plan=plan)
        document = published.with_status_reports(document, plan_id=plan.pk)
        document = selectors.with_goal_names(document)
        working_copy = adoption is None or plan.is_editable
        can_edit = permissions.can_edit_plan(request.user, plan)
    else:
        plan = published.published_plan_get(slug=slug)
        document, adoption = published_page_document(plan), plan.adoption
        working_copy, can_edit = False, False
    document, measure_filter = filter_plan_measures(document, request.GET)
    document = with_area_html(document)  # the kept measure HTML of a published page
    response = render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "doc": document,
            "adoption": adoption,
            "working_copy": working_copy,
            "can_edit": can_edit,
            "measure_filter": measure_filter,
        },
    )
    if measure_filter.invalid:
        skip_public_cache(response)  # only real choices are kept in the shared cache
    return response


# -- PDF -----------------------------------------------------------------------


def _render_failed(request, plan):
    return render_failed(request, back_url=plan.get_absolute_url(), back_title=plan.title)


def _stored_pdf_response(request, plan, adoption):
    """The exact bytes stored at adoption, with their SHA-256 as ETag."""
    if adoption is None:
        raise Http404
    if not adoption.pdf:
        # Adopted before PDFs were stored: render it once, through the one write path.
        try:
            adoption = services.adoption_store_missing_pdf(actor=request.user, adoption=adoption)
        except PdfRenderError:
            return _render_failed(request, plan)
    etag = f'"{adoption.pdf_sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    response = HttpResponse(bytes(adoption.pdf), content_type="application/pdf")
    response["ETag"] = etag
    response["Content-Disposition"] = (
        f'inline; filename="{plan.slug}-versjon-{adoption.version_number}.pdf"'
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def stored_consultation_pdf_response(request, plan, consultation):
    """The consultation draft's bytes as frozen when it was sent out, SHA-256 as ETag."""
    if consultation is None or not consultation.pdf:
        raise Http404
    etag = f'"{consultation.pdf_sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    response = HttpResponse(bytes(consultation.pdf), content_type="application/pdf")
    response["ETag"] = etag
    response["Content-Disposition"] = (
        f'inline; filename="{plan.slug}-horingsutkast-{consultation.round}.pdf"'
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def plan_pdf(request, slug):
    """The plan's PDF: the adopted version's stored bytes, or a draft rendered for editors."""
    plan = _working_plan(request, slug)
    if plan is None:
        public = published.published_plan_get(slug=slug)
        if public.is_consultation_draft:
            return stored_consultation_pdf_response(
                request, public, published.published_consultation_pdf(public)
            )
        return _stored_pdf_response(request, public, published.published_pdf(public))
    if plan.is_editable:
        try:
            rendered = render_plan_pdf(
                selectors.build_plan_document(plan),
                status_display=str(plan.get_status_display()),
                draft=True,
            )
        except PdfRenderError:
            return _render_failed(request, plan)
        response = HttpResponse(rendered.content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{plan.slug}-utkast.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
    adoption = selectors.adoption_pdf(plan)
    if adoption is None:
        raise Http404
    return _stored_pdf_response(request, plan, adoption)


def attachment_download(request, slug, pk):
    """An attachment of the plan, always as a download (never shown inline)."""
    plan = _working_plan(request, slug)
    if plan is None:
        attachment = published.published_attachment(published.published_plan_get(slug=slug), pk)
    else:
        attachment = get_object_or_404(
            PlanAttachment.objects.select_related("plan"), pk=pk, plan=plan
        )
    if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
        raise Http404
    response = download_response(attachment.file, filename=attachment.download_name)
    response["Cache-Control"] = "private, no-store" if plan is not None else "public, max-age=3600"
    return response


# -- adopted versions ----------------------------------------------------------


def _number(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 100_000 else None


def version_list(request, slug):
    plan = _working_plan(request, slug)
    if plan is None:
        plan = published.published_plan_get(slug=slug)
        adoptions, can_compare = list(published.published_versions(plan)), False
    else:
        adoptions = list(selectors.adoption_list(plan))
        can_compare = permissions.can_edit_plan(request.user, plan) and (
            len(adoptions) > 1 or (plan.is_editable and bool(adoptions))
        )
    return render(
        request,
        "plans/version_list.html",
        {"plan": plan, "adoptions": adoptions, "can_compare": can_compare},
    )


def version_detail(request, slug, number):
    plan = _working_plan(request, slug)
    if plan is None:
        plan = published.published_plan_get(slug=slug)
        adoption, can_edit = published.published_version_get(plan, number), False
    else:
        adoption = selectors.adoption_get(plan, number)
        can_edit = permissions.can_edit_plan(request.user, plan)
    return render(
        request,
        "plans/version_detail.html",
        {
            "plan": plan,
            "doc": adoption.snapshot,
            "adoption": adoption,
            "version_view": True,
            "can_edit": can_edit,
        },
    )


def adopted_document(request, slug, number):
    """The document the council actually adopted for version ``number``, as uploaded."""
    plan = _working_plan(request, slug)
    if plan is None:
        adoption = published.published_version_get(published.published_plan_get(slug=slug), number)
    else:
        adoption = selectors.adoption_get(plan, number, with_snapshot=False)
    if not adoption.adopted_document:
        raise Http404
    suffix = adoption.adopted_document.name.rsplit(".", 1)[-1].lower()
    return download_response(
        adoption.adopted_document, filename=f"{slug}-vedtatt-versjon-{number}.{suffix}"
    )


def version_pdf(request, slug, number):
    plan = _working_plan(request, slug)
    if plan is None:
        plan = published.published_plan_get(slug=slug)
        adoption = published.published_pdf(plan, number)
    else:
        adoption = selectors.adoption_pdf(plan, number)
    if adoption is None:
        raise Http404
    return _stored_pdf_response(request, plan, adoption)


def _editor_plan(request, slug):
    """The plan at ``slug`` for a page only its editors may see."""
    plan = selectors.plan_get_for_viewer(slug=slug, user=request.user)
    if not permissions.can_edit_plan(request.user, plan):
        if not request.user.is_authenticated:
            raise Http404
        raise PermissionDenied
    return plan


DRAFT = "utkast"


def version_compare(request, slug):
    """Editors: what changed between two adopted versions (?fra=1&til=2).

    During a revision, ``til=utkast`` compares an adopted version with the draft.
    """
    plan = _editor_plan(request, slug)
    adoptions = list(selectors.adoption_list(plan))
    numbers = [a.version_number for a in adoptions]
    draft_available = plan.is_editable and bool(numbers)
    context = {
        "plan": plan,
        "adoptions": adoptions,
        "draft_available": draft_available,
        "changes": None,
        "error": "",
    }
    status = 200
    if "fra" in request.GET or "til" in request.GET:
        old = _number(request.GET.get("fra"))
        wants_draft = request.GET.get("til") == DRAFT and draft_available
        new = DRAFT if wants_draft else _number(request.GET.get("til"))
    elif len(numbers) >= 2:
        old, new = numbers[1], numbers[0]
    elif draft_available:
        old, new = numbers[0], DRAFT
    else:
        old = new = None
        context["error"] = _("There is only one adopted version, so nothing to compare yet.")
    if old in numbers and (new in numbers or new == DRAFT):
        older = selectors.adoption_get(plan, old)
        if new == DRAFT:
            newer, new_document = None, selectors.build_plan_document(plan)
        else:
            newer = selectors.adoption_get(plan, new)
            new_document = newer.snapshot
        context.update(
            older=older,
            newer=newer,
            new_key=new,
            changes=compare_documents(older.snapshot, new_document),
        )
    elif not context["error"]:
        context["error"] = _("Choose two adopted versions of this plan to compare.")
        status = 400
    return render(request, "plans/version_compare.html", context, status=status)


def plan_history(request, slug):
    """Editors: every recorded change to the plan, its sections, focus areas and measures."""
    plan = _editor_plan(request, slug)
    return render(
        request,
        "plans/plan_history.html",
        {"plan": plan, "entries": selectors.plan_history(plan)},
    )


def _plan_work_page(request, plan, *, step_form=None, step_pk=None):
    """The plan's work page; ``step_form``: the form of step ``step_pk`` shown again."""
    steps = selectors.plan_steps(plan)
    return render(
        request,
        "plans/plan_work.html",
        {
            "plan": plan,
            "steps": steps,
            "done_count": sum(1 for state in steps if state.is_done),
            "analyses": list(plan.stakeholder_analyses.order_by("title")),
            "step_form": step_form,
            "step_form_pk": step_pk,
            "moves": lifecycle_moves_for(request.user, plan),
            "adoptions": list(selectors.adoption_list(plan)),
        },
        status=form_status(step_form) if step_form is not None else 200,
    )


@login_required
def plan_work(request, slug):
    plan = selectors.plan_get(slug=slug)
    if not permissions.can_edit_plan(request.user, plan):
        raise PermissionDenied
    return _plan_work_page(request, plan)


@login_required
@require_POST
def plan_step_progress(request, slug, step_pk):
    plan = selectors.plan_get(slug=slug)
    if not permissions.can_edit_plan(request.user, plan):
        raise PermissionDenied
    step = get_object_or_404(WorkingModelStep, pk=step_pk, model_id=plan.working_model_id)
    form = forms.StepProgressForm(request.POST)
    if save_form(
        form,
        lambda: services.plan_step_set_progress(
            actor=request.user,
            plan=plan,
            step=step,
            completed_on=form.cleaned_data["completed_on"],
            note=form.cleaned_data["note"],
        ),
    ):
        messages.success(request, _("Step %(number)s was saved.") % {"number": step.number})
        return redirect(f"{reverse('plans:plan_work', kwargs={'slug': plan.slug})}#step-{step.pk}")
    return _plan_work_page(request, plan, step_form=form, step_pk=step.pk)


@login_required
def plan_step_edit(request, slug, step_pk):
    """Rename or describe a step of the plan's working model (shared by every plan using it)."""
    plan = selectors.plan_get(slug=slug)
    if not permissions.can_edit_plan(request.user, plan):
        raise PermissionDenied
    step = get_object_or_404(WorkingModelStep, pk=step_pk, model_id=plan.working_model_id)
    form = forms.WorkingModelStepForm(request.POST or None, instance=step)
    if request.method == "POST" and save_form(
        form,
        lambda: services.working_model_step_update(
            actor=request.user,
            working_model_step=step,
            data={f: form.cleaned_data[f] for f in form.Meta.fields},
        ),
    ):
        messages.success(request, _("Step %(number)s was saved.") % {"number": step.number})
        return redirect(f"{reverse('plans:plan_work', kwargs={'slug': plan.slug})}#step-{step.pk}")
    return render_form(
        request,
        "plans/step_form.html",
        {"plan": plan, "step": step, "shared_with": selectors.plans_sharing_working_model(plan)},
        form=form,
    )


@login_required
def section_edit(request, pk):
    section = get_object_or_404(PlanSection.objects.select_related("plan"), pk=pk)
    if not permissions.can_edit_plan(request.user, section.plan):
        raise PermissionDenied
    return edit_versioned(
        request,
        obj=section,
        context={"plan": section.plan, "locked": not section.plan.is_editable},
        form_class=PlanSectionForm,
        service=lambda data, expected_version: services.section_update(
            actor=request.user, section=section, data=data, expected_version=expected_version
        ),
        template="plans/section_edit.html",
        success_url=reverse("measures:plan_dashboard", args=[section.plan.slug]),
    )


# -- the plan editor: chapters, and the list of everything in the plan ---------------


def _plan_content_page(request, plan, *, attachment_form=None):
    return render(
        request,
        "plans/plan_content.html",
        {
            "plan": plan,
            "content": selectors.plan_editor_content(plan),
            "locked_reason": services.plan_text_refusal_for(plan),
            "attachment_form": attachment_form or PlanAttachmentForm(),
        },
        status=form_status(attachment_form) if attachment_form is not None else 200,
    )


@login_required
def plan_content(request, slug):
    """The plan editor: chapters, focus areas and measures in order, and attachments."""
    return _plan_content_page(request, selectors.plan_for_editor(slug=slug, user=request.user))


@login_required
def section_create(request, slug):
    plan = selectors.plan_for_editor(slug=slug, user=request.user)
    form = SectionEditorForm(request.POST or None, instance=PlanSection(plan=plan))
    return edit_plan_text(
        request,
        form=form,
        write=lambda: services.section_create(
            actor=request.user,
            plan=plan,
            data={**form.model_data(), "order": services.section_next_order(plan)},
        ),
        template="includes/plan_text_page.html",
        success_url=plan.get_editor_url("chapters"),
        context={"plan": plan, "heading": _("New chapter")},
    )


def _section(plan, pk):
    return get_object_or_404(PlanSection.objects.select_related("plan"), pk=pk, plan=plan)


@login_required
def section_update(request, slug, pk):
    plan = selectors.plan_for_editor(slug=slug, user=request.user)
    section = _section(plan, pk)
    form = SectionEditorForm(request.POST or None, instance=section)
    return edit_plan_text(
        request,
        form=form,
        write=lambda: services.section_update(
            actor=request.user,
            section=section,
            data=form.model_data(),
            expected_version=form.cleaned_data["loaded_version"],
        ),
        template="includes/plan_text_page.html",
        success_url=plan.get_editor_url(f"section-{section.pk}"),
        context={
            "plan": plan,
            "object": section,
            "heading": _("Edit chapter: %(title)s") % {"title": section.title},
        },
    )


@login_required
def section_delete(request, slug, pk):
    plan = selectors.plan_for_editor(slug=slug, user=request.user)
    section = _section(plan, pk)
    return confirm_delete(
        request,
        obj=section,
        delete=lambda: services.section_delete(actor=request.user, section=section),
        refusal=services.plan_text_refusal(section),
        success_url=plan.get_editor_url("chapters"),
    )


@login_required
@require_POST
def section_move(request, slug, pk):
    plan = selectors.plan_for_editor(slug=slug, user=request.user)
    section = _section(plan, pk)
    direction = posted_direction(request)
    return move_and_return(
        request,
        move=lambda: services.section_move(
            actor=request.user, section=section, direction=direction
        ),
        refusal=services.plan_text_refusal(section),
        success_url=plan.get_editor_url(f"section-{section.pk}"),
    )


# -- attachments on the plan editor ---------------------------------------------------


@login_required
@require_POST
def attachment_create(request, slug):
    """Upload a file to the plan; a refused file shows the form again with the title kept."""
    plan = selectors.plan_for_editor(slug=slug, user=request.user)
    form = PlanAttachmentForm(request.POST, request.FILES)
    if save_form(
        form,
        lambda: services.plan_attachment_create(
            actor=request.user,
            plan=plan,
            data={**form.cleaned_data, "order": services.attachment_next_order(plan)},
        ),
    ):
        messages.success(request, _("The attachment was uploaded."))
        return redirect(plan.get_editor_url("attachments"))
    return _plan_content_page(request, plan, attachment_form=form)


@login_required
def attachment_delete(request, slug, pk):
    plan = selectors.plan_for_editor(slug=slug, user=request.user)
    attachment = get_object_or_404(PlanAttachment, pk=pk, plan=plan)
    return confirm_delete(
        request,
        obj=attachment,
        delete=lambda: services.plan_attachment_delete(
            actor=request.user, plan_attachment=attachment
        ),
        success_url=plan.get_editor_url("attachments"),
    )


# -- the plan's workspace: new plan, metadata, lifecycle ------------------------


def _work_url(plan) -> str:
    return reverse("plans:plan_work", kwargs={"slug": plan.slug})


@login_required
def plan_new(request):
    """Editors: start a plan, from scratch or with the structure of another plan."""
    if not permissions.is_editor(request.user):
        raise PermissionDenied
    form = forms.NewPlanForm(request.POST or None, user=request.user)
    created = []

    def write():
        source = form.cleaned_data["copy_from"]
        data = form.model_data()
        if source is None:
            created.append(services.plan_create(actor=request.user, data=data))
        else:
            created.append(services.plan_copy(actor=request.user, source=source, data=data))

    if request.method == "POST" and save_form(form, write):
        messages.success(request, _("The plan was created as a draft."))
        return redirect(_work_url(created[0]))
    return render_form(request, "plans/plan_form.html", {"plan": None}, form=form)


@login_required
def plan_edit(request, slug):
    """Editors: the plan's metadata; its text fields read-only while the text is locked."""
    plan = selectors.plan_get(slug=slug)
    if not permissions.can_edit_plan(request.user, plan):
        raise PermissionDenied
    return edit_versioned(
        request,
        obj=plan,
        form_class=lambda *args, **kwargs: forms.PlanForm(*args, user=request.user, **kwargs),
        service=lambda data, expected_version: services.plan_update(
            actor=request.user, plan=plan, data=data, expected_version=expected_version
        ),
        template="plans/plan_form.html",
        success_url=_work_url(plan),
        context={"plan": plan},
    )


@dataclass(frozen=True)
class LifecycleMove:
    """A move on the plan's working page: its form, who may make it, from which statuses."""

    form_class: type
    title: str
    explanation: str
    allowed: Callable
    statuses: tuple
    write: Callable  # (user, plan, cleaned_data) -> the service's result


LIFECYCLE_MOVES = {
    "horing": LifecycleMove(
        ConsultationForm,
        gettext_lazy("Send out for consultation"),
        gettext_lazy(
            "The draft is published for consultation until the deadline, and anyone may "
            "respond. A plan under revision keeps its adopted version public meanwhile."
        ),
        permissions.can_edit_plan,
        (Plan.Status.DRAFT, Plan.Status.REVISION),
        lambda user, plan, data: services.plan_send_to_consultation(
            actor=user, plan=plan, deadline=data["deadline"]
        ),
    ),
    "vedtak": LifecycleMove(
        AdoptionForm,
        gettext_lazy("Register adoption"),
        gettext_lazy(
            "The plan is frozen as it stands now as a new adopted version with its PDF. "
            "That version is a record and never changes afterwards; the plan's text is "
            "locked until a revision is started."
        ),
        permissions.can_register_adoption,
        Plan.EDITABLE_STATUSES,
        lambda user, plan, data: services.plan_register_adoption(actor=user, plan=plan, **data),
    ),
    "revisjon": LifecycleMove(
        ConfirmForm,
        gettext_lazy("Start revision"),
        gettext_lazy(
            "The plan's text opens as a working copy for a new version. The adopted "
            "version stays in force and public until the new one is adopted."
        ),
        permissions.can_edit_plan,
        (Plan.Status.ADOPTED,),
        lambda user, plan, data: services.plan_start_revision(actor=user, plan=plan),
    ),
    "utgaatt": LifecycleMove(
        ConfirmForm,
        gettext_lazy("Retire plan"),
        gettext_lazy(
            "The plan is no longer in force. Its adopted versions stay readable as "
            "records; its text stays locked."
        ),
        permissions.can_register_adoption,
        (Plan.Status.ADOPTED, Plan.Status.REVISION),
        lambda user, plan, data: services.plan_retire(actor=user, plan=plan),
    ),
}


def lifecycle_moves_for(user, plan) -> list[tuple[str, LifecycleMove]]:
    """The moves ``user`` may make on ``plan`` in its status now, for the buttons."""
    return [
        (key, move)
        for key, move in LIFECYCLE_MOVES.items()
        if plan.status in move.statuses and move.allowed(user, plan)
    ]


@login_required
def plan_move(request, slug, move):
    """A lifecycle move's confirmation page: what will happen, then one deliberate POST."""
    plan = selectors.plan_get(slug=slug)
    lifecycle = LIFECYCLE_MOVES.get(move)
    if lifecycle is None:
        raise Http404
    if not (
        permissions.can_edit_plan(request.user, plan) and lifecycle.allowed(request.user, plan)
    ):
        raise PermissionDenied
    form = (
        lifecycle.form_class(request.POST, request.FILES)
        if request.method == "POST"
        else lifecycle.form_class()
    )
    if request.method == "POST":
        try:
            done = save_form(form, lambda: lifecycle.write(request.user, plan, form.cleaned_data))
        except PdfRenderError:
            return render_failed(request, back_url=_work_url(plan), back_title=plan.title)
        if done:
            messages.success(request, _("%(move)s: done.") % {"move": lifecycle.title})
            return redirect(_work_url(plan))
    return render_form(
        request,
        "plans/plan_move.html",
        {
            "plan": plan,
            "move": move,
            "lifecycle": lifecycle,
            "available": plan.status in lifecycle.statuses,
        },
        form=form,
    )
