"""Follow-up pages behind login: Mine tiltak, the plan dashboard and the edit forms.

Thin: check the object rule, call a selector or a service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_validation_error
from core.views import (
    CONFLICT,
    INVALID,
    confirm_delete,
    edit_plan_text,
    edit_versioned,
    form_status,
    move_and_return,
    posted_direction,
    save_form,
)
from measures import charts, selectors, services
from measures.forms import (
    BulkStatusFormSet,
    FocusAreaEditorForm,
    MeasureEditorForm,
    MeasureForm,
    StatusReportForm,
)
from measures.models import FocusArea, Measure
from organisation import permissions
from plans import selectors as plan_selectors
from plans.models import Plan
from plans.services import plan_text_refusal


def _report_form(measure, data=None):
    return StatusReportForm(data, measure=measure, prefix=f"m{measure.pk}")


@login_required
def mine(request):
    """The measures of the user's units, with a status report form on each."""
    measures = selectors.measures_for_user(request.user)
    bound = None
    if request.method == "POST":
        try:
            measure_id = int(request.POST.get("measure", ""))
        except ValueError:
            measure_id = None
        measure = next((m for m in measures if m.pk == measure_id), None)
        if measure is None:
            measure = get_object_or_404(Measure.objects.select_related("plan"), pk=measure_id or 0)
        if not permissions.can_report_on_measure(request.user, measure):
            raise PermissionDenied
        bound = _report_form(measure, request.POST)
        if save_form(
            bound,
            lambda: services.measure_report_status(
                actor=request.user, measure=measure, **bound.cleaned_data
            ),
        ):
            messages.success(
                request, _("Status reported for “%(title)s”.") % {"title": measure.title}
            )
            return redirect(f"{reverse('measures:mine')}#measure-{measure.pk}")
    for measure in measures:
        if bound is not None and bound.prefix == f"m{measure.pk}":
            measure.report_form = bound
        else:
            measure.report_form = _report_form(measure)
    plans = list(selectors.plans_for_dashboard(request.user))
    bulk_plans = sorted({m.plan for m in measures} | set(plans), key=lambda p: (p.title, p.pk))
    return render(
        request,
        "measures/mine.html",
        {
            "measures": measures,
            "plans": plans,
            "bulk_plans": bulk_plans,
        },
        status=form_status(bound) if bound is not None else 200,
    )


@login_required
def plan_dashboard(request, slug):
    plan = get_object_or_404(
        Plan.objects.select_related("process_group").prefetch_related("sections"), slug=slug
    )
    if not permissions.can_edit_plan(request.user, plan):
        raise PermissionDenied
    dashboard = selectors.plan_dashboard(plan)
    chart = charts.stacked_bars(
        [(area.title or _("Other measures"), area.counts) for area in dashboard.by_area]
    )
    return render(
        request,
        "measures/plan_dashboard.html",
        {"plan": plan, "dashboard": dashboard, "chart": chart},
    )


@login_required
def measure_edit(request, pk):
    measure = get_object_or_404(Measure.objects.select_related("plan"), pk=pk)
    if not permissions.can_edit_plan(request.user, measure.plan):
        raise PermissionDenied
    return edit_versioned(
        request,
        obj=measure,
        context={"plan": measure.plan, "locked": not measure.plan.is_editable},
        form_class=MeasureForm,
        service=lambda data, expected_version: services.measure_update(
            actor=request.user, measure=measure, data=data, expected_version=expected_version
        ),
        template="measures/measure_edit.html",
        success_url=f"{reverse('measures:plan_dashboard', args=[measure.plan.slug])}",
    )


@login_required
def bulk_status(request, slug):
    """Report status on many of a plan's measures at once: changed rows only, all or none."""
    plan = get_object_or_404(Plan, slug=slug)
    measures = {m.pk: m for m in selectors.measures_for_bulk_status(request.user, plan)}
    if not measures:
        raise PermissionDenied
    status = 200
    if request.method != "POST":
        formset = BulkStatusFormSet(measures=measures)
    else:
        # Mutable, so a row refused for a newer report can carry that report's id.
        formset = BulkStatusFormSet(request.POST.copy(), measures=measures)
        if formset.unknown_ids() - {None}:
            raise PermissionDenied
        status = INVALID
        if formset.is_valid():
            rows = formset.changed_forms()
            if not rows:
                messages.info(request, _("Nothing was changed, so nothing was saved."))
                return redirect("measures:bulk_status", slug=plan.slug)
            try:
                services.measures_report_status(
                    actor=request.user, reports=[form.report() for form in rows]
                )
            except services.ReportsRefused as refused:
                for index, error in refused.errors.items():
                    add_validation_error(rows[index], error)
                for index, report in refused.newer.items():
                    rows[index].data[rows[index].add_prefix("last_report")] = str(report.pk)
                    status = CONFLICT
            else:
                messages.success(
                    request,
                    _("Status reported for %(count)d measures.") % {"count": len(rows)},
                )
                return redirect("measures:bulk_status", slug=plan.slug)
        # Nothing was saved: show the measures as they are stored.
        stored = {m.pk: m for m in selectors.measures_for_bulk_status(request.user, plan)}
        for form in formset.forms:
            form.measure = stored.get(form.measure.pk, form.measure) if form.measure else None
    return render(
        request,
        "measures/bulk_status.html",
        {
            "plan": plan,
            "formset": formset,
            "can_edit_plan": permissions.can_edit_plan(request.user, plan),
        },
        status=status,
    )


# -- the plan editor: focus areas and measures ------------------------------------------

PAGE = "includes/plan_text_page.html"


def _focus_area(plan, pk):
    return get_object_or_404(FocusArea.objects.select_related("plan"), pk=pk, plan=plan)


def _measure(plan, pk):
    return get_object_or_404(Measure.objects.select_related("plan"), pk=pk, plan=plan)


@login_required
def focus_area_create(request, slug):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    form = FocusAreaEditorForm(request.POST or None, instance=FocusArea(plan=plan))
    return edit_plan_text(
        request,
        form=form,
        write=lambda: services.focus_area_create(
            actor=request.user,
            plan=plan,
            data={**form.model_data(), "order": services.focus_area_next_order(plan)},
        ),
        template=PAGE,
        success_url=plan.get_editor_url("focus-areas"),
        context={"plan": plan, "heading": _("New focus area")},
    )


@login_required
def focus_area_update(request, slug, pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    area = _focus_area(plan, pk)
    form = FocusAreaEditorForm(request.POST or None, instance=area)
    return edit_plan_text(
        request,
        form=form,
        write=lambda: services.focus_area_update(
            actor=request.user, focus_area=area, data=form.model_data()
        ),
        template=PAGE,
        success_url=plan.get_editor_url(f"area-{area.pk}"),
        context={
            "plan": plan,
            "object": area,
            "heading": _("Edit focus area: %(title)s") % {"title": area.title},
        },
    )


@login_required
def focus_area_delete(request, slug, pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    area = _focus_area(plan, pk)
    refusal = plan_text_refusal(area)
    if refusal is None and area.measures.exists():
        refusal = _("Move or delete the measures in this focus area first.")
    return confirm_delete(
        request,
        obj=area,
        delete=lambda: services.focus_area_delete(actor=request.user, focus_area=area),
        refusal=refusal,
        success_url=plan.get_editor_url("focus-areas"),
    )


@login_required
@require_POST
def focus_area_move(request, slug, pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    area = _focus_area(plan, pk)
    direction = posted_direction(request)
    return move_and_return(
        request,
        move=lambda: services.focus_area_move(
            actor=request.user, focus_area=area, direction=direction
        ),
        refusal=plan_text_refusal(area),
        success_url=plan.get_editor_url(f"area-{area.pk}"),
    )


@login_required
def measure_create(request, slug, area_pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    area = _focus_area(plan, area_pk)
    form = MeasureEditorForm(
        request.POST or None,
        instance=Measure(plan=plan, focus_area=area),
        initial={"focus_area": area.pk},
    )

    def write():
        data = form.model_data()
        data["order"] = services.measure_next_order(plan, data.get("focus_area"))
        services.measure_create(actor=request.user, plan=plan, data=data)

    return edit_plan_text(
        request,
        form=form,
        write=write,
        template=PAGE,
        success_url=plan.get_editor_url(f"area-{area.pk}"),
        context={
            "plan": plan,
            "heading": _("New measure in %(title)s") % {"title": area.title},
        },
    )


@login_required
def measure_update(request, slug, pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    measure = _measure(plan, pk)
    old_area_id = measure.focus_area_id
    form = MeasureEditorForm(request.POST or None, instance=measure)

    def write():
        data = form.model_data()
        new_area = data.pop("focus_area")
        # The model form has set the new area on the instance; the move decides it.
        measure.focus_area_id = old_area_id
        services.measure_update(
            actor=request.user,
            measure=measure,
            data=data,
            expected_version=form.cleaned_data["loaded_version"],
        )
        if new_area is not None and new_area.pk != old_area_id:
            services.measure_move(actor=request.user, measure=measure, focus_area=new_area)

    return edit_plan_text(
        request,
        form=form,
        write=write,
        template=PAGE,
        success_url=plan.get_editor_url(f"measure-{measure.pk}"),
        context={
            "plan": plan,
            "object": measure,
            "heading": _("Edit measure: %(title)s") % {"title": measure.title},
        },
    )


@login_required
def measure_delete(request, slug, pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    measure = _measure(plan, pk)
    return confirm_delete(
        request,
        obj=measure,
        delete=lambda: services.measure_delete(actor=request.user, measure=measure),
        refusal=plan_text_refusal(measure),
        success_url=plan.get_editor_url("focus-areas"),
    )


@login_required
@require_POST
def measure_move(request, slug, pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    measure = _measure(plan, pk)
    direction = posted_direction(request)
    return move_and_return(
        request,
        move=lambda: services.measure_move(
            actor=request.user, measure=measure, direction=direction
        ),
        refusal=plan_text_refusal(measure),
        success_url=plan.get_editor_url(f"measure-{measure.pk}"),
    )
