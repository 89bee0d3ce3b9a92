"""The process group's working pages under /arbeid/ (login required).

Thin: check permission, call a selector or a service, render. Refused access
for a signed-in user is a 403 page; anonymous visitors are sent to log in.
"""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import form_status, render_failed, render_form, save_form
from organisation import permissions
from plans.models import Plan
from stakeholders import exports, forms, selectors, services
from stakeholders.models import Activity, Finding, ParticipationInput, Stakeholder


def _analysis_for_editor(request, pk):
    analysis = selectors.analysis_get(pk=pk)
    if not permissions.can_edit_analysis(request.user, analysis):
        raise PermissionDenied
    return analysis


def _form_page(request, *, analysis, form, save, saved, back, title, **extra):
    """Show ``form`` on the form page; on a valid POST call ``save`` (a service) and go ``back``.

    A ``ValidationError`` from the service is shown on the form, field by field (400).
    """
    if request.method == "POST" and save_form(form, lambda: save(form.cleaned_data)):
        messages.success(request, saved)
        return redirect(back)
    return render_form(
        request,
        "stakeholders/form_page.html",
        {"analysis": analysis, "title": title, **extra},
        form=form,
    )


def _analysis_page(request, analysis, *, done_form=None, activity_pk=None):
    """The analysis page; ``done_form``: activity ``activity_pk``'s form shown again."""
    context = selectors.analysis_page(analysis)
    context["labels_form"] = forms.QuadrantLabelsForm(instance=analysis)
    context["done_form"] = done_form or forms.ActivityDoneForm()
    context["done_form_pk"] = activity_pk
    status = form_status(done_form) if done_form is not None else 200
    return render(request, "stakeholders/analysis_detail.html", context, status=status)


@login_required
def analysis_detail(request, pk):
    return _analysis_page(request, _analysis_for_editor(request, pk))


@login_required
def stakeholder_edit(request, pk, stakeholder_pk=None):
    analysis = _analysis_for_editor(request, pk)
    stakeholder = None
    if stakeholder_pk is not None:
        stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_pk, analysis=analysis)
    form = forms.StakeholderForm(request.POST or None, instance=stakeholder, analysis=analysis)

    def save(data):
        values = {name: data[name] for name in form.Meta.fields}
        if stakeholder is None:
            services.stakeholder_create(actor=request.user, analysis=analysis, data=values)
        else:
            services.stakeholder_update(actor=request.user, stakeholder=stakeholder, data=values)

    return _form_page(
        request,
        analysis=analysis,
        form=form,
        save=save,
        saved=(
            _("The stakeholder was added.")
            if stakeholder is None
            else _("The stakeholder was saved.")
        ),
        back=_analysis_url(analysis),
        title=_("New stakeholder") if stakeholder is None else _("Edit stakeholder"),
    )


@login_required
def quadrant_labels_edit(request, pk):
    analysis = _analysis_for_editor(request, pk)
    form = forms.QuadrantLabelsForm(request.POST or None, instance=analysis)
    return _form_page(
        request,
        analysis=analysis,
        form=form,
        save=lambda data: services.analysis_update(
            actor=request.user, analysis=analysis, data={f: data[f] for f in form.Meta.fields}
        ),
        saved=_("The quadrant names were saved."),
        back=_analysis_url(analysis),
        title=_("Names of the grid's quadrants"),
    )


@login_required
def activity_edit(request, pk, activity_pk=None):
    analysis = _analysis_for_editor(request, pk)
    activity = None
    if activity_pk is not None:
        activity = get_object_or_404(Activity, pk=activity_pk, analysis=analysis)
    initial = {}
    stakeholder_id = request.GET.get("stakeholder", "")
    if activity is None and stakeholder_id.isascii() and stakeholder_id.isdigit():
        initial["stakeholders"] = [int(stakeholder_id)]
    if activity is None and request.GET.get("kind") in Activity.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = forms.ActivityForm(
        request.POST or None, instance=activity, analysis=analysis, initial=initial
    )

    def save(data):
        values = {f: data[f] for f in form.Meta.fields}
        if activity is None:
            services.activity_create(actor=request.user, analysis=analysis, data=values)
        else:
            services.activity_update(actor=request.user, activity=activity, data=values)

    return _form_page(
        request,
        analysis=analysis,
        form=form,
        save=save,
        saved=_("The activity was saved."),
        back=_analysis_url(analysis),
        title=_("New activity") if activity is None else _("Edit activity"),
    )


@login_required
@require_POST
def activity_done(request, pk, activity_pk):
    analysis = _analysis_for_editor(request, pk)
    activity = get_object_or_404(Activity, pk=activity_pk, analysis=analysis)
    back = f"{_analysis_url(analysis)}#activity-{activity.pk}"
    if request.POST.get("undo"):
        services.activity_set_done(actor=request.user, activity=activity, completed_on=None)
        messages.success(request, _("“%(title)s” is planned again.") % {"title": activity.title})
        return redirect(back)
    form = forms.ActivityDoneForm(request.POST)
    if save_form(
        form,
        lambda: services.activity_set_done(
            actor=request.user, activity=activity, completed_on=form.cleaned_data["completed_on"]
        ),
    ):
        messages.success(request, _("“%(title)s” is marked as done.") % {"title": activity.title})
        return redirect(back)
    return _analysis_page(request, analysis, done_form=form, activity_pk=activity.pk)


def _analysis_url(analysis) -> str:
    return reverse("stakeholders:analysis_detail", kwargs={"pk": analysis.pk})


@login_required
def participation_create(request, pk):
    analysis = _analysis_for_editor(request, pk)
    if analysis.plan_id is None:
        messages.error(request, _("Participation inputs belong to a plan; this analysis has none."))
        return redirect("stakeholders:analysis_detail", pk=analysis.pk)
    return _form_page(
        request,
        analysis=analysis,
        form=forms.ParticipationInputForm(request.POST or None, analysis=analysis),
        save=lambda data: services.participation_input_create(
            actor=request.user,
            plan=analysis.plan,
            data={"analysis": analysis, **_participation_values(data)},
        ),
        saved=_("The participation input was saved."),
        back=_analysis_url(analysis),
        title=_("New participation input"),
    )


def _participation_values(data) -> dict:
    return {
        name: data[name] for name in ("source", "summary", "received_on", "stakeholder", "measures")
    }


@login_required
def finding_create(request, pk):
    analysis = _analysis_for_editor(request, pk)
    return _form_page(
        request,
        analysis=analysis,
        form=forms.FindingForm(request.POST or None),
        save=lambda data: services.finding_create(actor=request.user, analysis=analysis, data=data),
        saved=_("The finding was saved."),
        back=f"{_analysis_url(analysis)}#findings",
        title=_("New strength or weakness"),
    )


def _csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_name(analysis) -> str:
    return slugify(analysis.title.replace("ø", "o").replace("æ", "ae").replace("å", "a"))[:60]


@login_required
def register_csv(request, pk):
    analysis = _analysis_for_editor(request, pk)
    return _csv_response(
        exports.register_csv(analysis), f"{_export_name(analysis)}-interessenter.csv"
    )


@login_required
def activities_csv(request, pk):
    analysis = _analysis_for_editor(request, pk)
    return _csv_response(
        exports.activities_csv(analysis), f"{_export_name(analysis)}-aktiviteter.csv"
    )


@login_required
def analysis_pdf(request, pk):
    analysis = _analysis_for_editor(request, pk)
    try:
        pdf = exports.analysis_pdf(analysis)
    except exports.ExportError:
        return render_failed(request, back_url=_analysis_url(analysis), back_title=analysis.title)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_export_name(analysis)}.pdf"'
    return response


def _confirm_delete(request, *, analysis, obj, kind, delete, refusal=None, anchor=""):
    """GET: ask; POST: delete through ``delete`` (a service call), back to the analysis.

    A refusal known beforehand is shown instead of the button; one the service
    raises is shown on the confirmation form. Either way a POST gets a 400.
    """
    back = f"{_analysis_url(analysis)}{anchor}"
    form = django_forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if refusal is not None:
            form.add_error(None, refusal)
        elif save_form(form, delete):
            messages.success(request, _("“%(name)s” was deleted.") % {"name": obj})
            return redirect(back)
    return render_form(
        request,
        "stakeholders/confirm_delete.html",
        {"analysis": analysis, "object": obj, "kind": kind, "refusal": refusal, "back": back},
        form=form,
    )


@login_required
def stakeholder_delete(request, pk, stakeholder_pk):
    analysis = _analysis_for_editor(request, pk)
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_pk, analysis=analysis)
    return _confirm_delete(
        request,
        analysis=analysis,
        obj=stakeholder,
        kind=_("stakeholder"),
        delete=lambda: services.stakeholder_delete(actor=request.user, stakeholder=stakeholder),
        refusal=services.stakeholder_delete_refusal(stakeholder),
        anchor="#register",
    )


@login_required
def activity_delete(request, pk, activity_pk):
    analysis = _analysis_for_editor(request, pk)
    activity = get_object_or_404(Activity, pk=activity_pk, analysis=analysis)
    return _confirm_delete(
        request,
        analysis=analysis,
        obj=activity,
        kind=_("activity"),
        delete=lambda: services.activity_delete(actor=request.user, activity=activity),
        anchor="#activities",
    )


@login_required
def participation_edit(request, pk, participation_pk):
    analysis = _analysis_for_editor(request, pk)
    participation = get_object_or_404(
        ParticipationInput.objects.select_related("plan"), pk=participation_pk, analysis=analysis
    )
    form = forms.ParticipationInputForm(
        request.POST or None, instance=participation, analysis=analysis
    )
    return _form_page(
        request,
        analysis=analysis,
        form=form,
        save=lambda data: services.participation_input_update(
            actor=request.user,
            participation_input=participation,
            data=_participation_values(data),
        ),
        saved=_("The participation input was saved."),
        back=f"{_analysis_url(analysis)}#participation",
        title=_("Edit participation input"),
        locked=not participation.plan.is_editable,
    )


@login_required
def participation_delete(request, pk, participation_pk):
    analysis = _analysis_for_editor(request, pk)
    participation = get_object_or_404(
        ParticipationInput.objects.select_related("plan"), pk=participation_pk, analysis=analysis
    )
    refusal = None
    if not participation.plan.is_editable:
        refusal = _("The plan's text is locked. Start a revision to change it.")
    return _confirm_delete(
        request,
        analysis=analysis,
        obj=participation,
        kind=_("participation input"),
        delete=lambda: services.participation_input_delete(
            actor=request.user, participation_input=participation
        ),
        refusal=refusal,
        anchor="#participation",
    )


@login_required
def finding_edit(request, pk, finding_pk):
    analysis = _analysis_for_editor(request, pk)
    finding = get_object_or_404(Finding, pk=finding_pk, analysis=analysis)
    form = forms.FindingForm(request.POST or None, instance=finding)
    return _form_page(
        request,
        analysis=analysis,
        form=form,
        save=lambda data: services.finding_update(
            actor=request.user, finding=finding, data={f: data[f] for f in form.Meta.fields}
        ),
        saved=_("The finding was saved."),
        back=f"{_analysis_url(analysis)}#findings",
        title=_("Edit strength or weakness"),
    )


@login_required
def finding_delete(request, pk, finding_pk):
    analysis = _analysis_for_editor(request, pk)
    finding = get_object_or_404(Finding, pk=finding_pk, analysis=analysis)
    return _confirm_delete(
        request,
        analysis=analysis,
        obj=finding,
        kind=_("strength or weakness"),
        delete=lambda: services.finding_delete(actor=request.user, finding=finding),
        anchor="#findings",
    )


@login_required
def analysis_create(request):
    """Start a stakeholder analysis for a process group or a plan the person may edit."""
    groups = selectors.groups_for_user(request.user)
    plans = selectors.plans_for_user(request.user).exclude(status=Plan.Status.RETIRED)
    if not permissions.is_editor(request.user) or not (groups.exists() or plans.exists()):
        raise PermissionDenied
    form = forms.AnalysisCreateForm(request.POST or None, groups=groups, plans=plans)
    created = []

    def save():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        created.append(services.analysis_create(actor=request.user, data=data))

    if request.method == "POST" and save_form(form, save):
        messages.success(request, _("The analysis was created. Add its stakeholders."))
        return redirect("stakeholders:analysis_detail", pk=created[0].pk)
    return render_form(request, "stakeholders/analysis_create.html", {}, form=form)
