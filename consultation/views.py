"""Consultation pages: the public page, form and receipt, and the editors' handling.

Public pages read the published read model (``plans.published``) and the responses an
editor published; the form writes through ``consultation.services``.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultation import selectors, services
from consultation.forms import HandlingForm, ResponseForm
from consultation.throttle import response_allowed
from core.files import download_response
from core.forms import add_validation_error
from core.views import edit_versioned, form_status
from plans import published as plans_published
from plans.filters import filter_plan_measures
from plans.selectors import plan_for_editor

RECEIPT_SALT = "consultation.receipt"
RECEIPT_MAX_AGE = 7 * 24 * 3600
TOO_MANY = HTTPStatus.TOO_MANY_REQUESTS


def _page(request, plan, consultation, *, form=None, status=HTTPStatus.OK, throttled=False):
    today = timezone.localdate()
    is_open = consultation.is_open_on(today)
    closed = today > consultation.deadline
    return render(
        request,
        "consultation/consultation_page.html",
        {
            "plan": plan,
            "consultation": consultation,
            "is_open": is_open,
            "closed": closed,
            "form": form if form is not None else (ResponseForm() if is_open else None),
            "responses": selectors.public_responses(plan) if closed else [],
            "throttled": throttled,
        },
        status=status,
    )


def consultation_page(request, slug):
    """``/planer/<slug>/horing/``: the draft, the deadline, the form; the responses after."""
    plan = plans_published.published_plan_get(slug=slug)
    consultation = selectors.published_consultation(plan)
    if request.method != "POST":
        return _page(request, plan, consultation)
    form = ResponseForm(request.POST, request.FILES)
    if not consultation.is_open_on(timezone.localdate()):
        form.is_valid()
        form.add_error(None, _("The consultation is closed. Responses are no longer received."))
        return _page(request, plan, consultation, form=form, status=HTTPStatus.FORBIDDEN)
    if not response_allowed(request):
        return _page(request, plan, consultation, form=form, status=TOO_MANY, throttled=True)
    if form.is_valid():
        try:
            response = services.response_create(consultation=consultation, data=form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            page_url = request.build_absolute_uri(reverse("consultation:page", args=[plan.slug]))
            mailed = services.send_receipt(response, plan_title=plan.title, page_url=page_url)
            token = signing.dumps(
                {"ref": response.reference, "mailed": mailed}, salt=RECEIPT_SALT, compress=True
            )
            return redirect(reverse("consultation:receipt", args=[plan.slug]) + f"?k={token}")
    return _page(request, plan, consultation, form=form, status=form_status(form))


def receipt(request, slug):
    """The receipt after a response: its reference number, nothing of what was written."""
    plan = plans_published.published_plan_get(slug=slug)
    consultation = selectors.published_consultation(plan)
    try:
        data = signing.loads(
            request.GET.get("k", "")[:500], salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE
        )
    except signing.BadSignature:
        raise Http404 from None
    return render(
        request,
        "consultation/receipt.html",
        {
            "plan": plan,
            "consultation": consultation,
            "reference": str(data.get("ref", ""))[:20],
            "mailed": bool(data.get("mailed")),
        },
    )


def draft_page(request, slug):
    """The consultation draft as a web page: what a revision offers beside its adopted version."""
    plan = plans_published.published_plan_get(slug=slug)
    selectors.published_consultation(plan)
    if plan.is_consultation_draft:
        return redirect(plan.get_absolute_url(), permanent=False)
    document, measure_filter = filter_plan_measures(
        plans_published.consultation_snapshot(plan), request.GET
    )
    return render(
        request,
        "consultation/draft_page.html",
        {
            "plan": plan,
            "doc": document,
            "adoption": None,
            "working_copy": False,
            "can_edit": False,
            "measure_filter": measure_filter,
            "consultation_draft_view": True,
        },
    )


def draft_pdf(request, slug):
    """The consultation draft as PDF: the bytes frozen when it was sent out."""
    plan = plans_published.published_plan_get(slug=slug)
    consultation = plans_published.published_consultation_pdf(plan)
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
    return response


# -- the workspace -----------------------------------------------------------------


@login_required
def response_list(request, slug):
    plan = plan_for_editor(slug=slug, user=request.user)
    responses = list(selectors.responses_for_plan(plan))
    return render(
        request,
        "consultation/response_list.html",
        {
            "plan": plan,
            "responses": responses,
            "counts": selectors.kind_counts(responses),
            "consultations": plan.consultations.defer("pdf", "snapshot").order_by("-round"),
        },
    )


@login_required
def response_handle(request, slug, pk):
    plan = plan_for_editor(slug=slug, user=request.user)
    response = selectors.response_for_plan(plan, pk)

    class Form(HandlingForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, plan=plan, **kwargs)

    return edit_versioned(
        request,
        obj=response,
        form_class=Form,
        service=lambda data, expected_version: services.response_update(
            actor=request.user,
            consultation_response=response,
            data=data,
            expected_version=expected_version,
        ),
        template="consultation/response_handle.html",
        success_url=reverse("consultation:response_list", args=[plan.slug]),
        context={"plan": plan, "response": response},
    )


@login_required
@require_POST
def response_erase(request, slug, pk):
    plan = plan_for_editor(slug=slug, user=request.user)
    response = selectors.response_for_plan(plan, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("consultation:response_handle", plan.slug, response.pk)
    services.response_erase(actor=request.user, consultation_response=response)
    messages.success(
        request,
        _("The respondent's name, e-mail, text and attachment are erased (%(reference)s).")
        % {"reference": response.reference},
    )
    return redirect("consultation:response_list", plan.slug)


@login_required
def response_attachment(request, slug, pk):
    plan = plan_for_editor(slug=slug, user=request.user)
    response = selectors.response_for_plan(plan, pk)
    if not response.attachment:
        raise Http404
    suffix = response.attachment.name.rsplit(".", 1)[-1].lower()
    return download_response(response.attachment, filename=f"{response.reference}.{suffix}")


@login_required
def invitations(request, slug):
    """The councils and partners of the plan's group, and the invitations e-mailed to them."""
    plan = plan_for_editor(slug=slug, user=request.user)
    units = selectors.invitation_candidates(plan)
    status = HTTPStatus.OK
    if request.method == "POST":
        page_url = request.build_absolute_uri(reverse("consultation:page", args=[plan.slug]))
        chosen = {str(pk) for pk in request.POST.getlist("unit")}
        try:
            invited, sent = services.invitations_send(
                actor=request.user,
                plan=plan,
                units=[u for u in units if str(u.pk) in chosen],
                page_url=page_url,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = HTTPStatus.BAD_REQUEST
        else:
            messages.success(
                request,
                _("Invitations sent to %(units)s councils or partners (%(emails)s e-mails).")
                % {"units": invited, "emails": sent},
            )
            return redirect("consultation:invitations", plan.slug)
    consultation = plan.consultations.defer("pdf", "snapshot").order_by("-round").first()
    return render(
        request,
        "consultation/invitations.html",
        {
            "plan": plan,
            "units": units,
            "consultation": consultation,
            "is_open": bool(consultation and consultation.is_open_on(timezone.localdate())),
        },
        status=status,
    )
