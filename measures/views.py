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

from core.forms import add_validation_error
from core.views import CONFLICT, INVALID, edit_versioned, form_status, save_form
from measures import charts, selectors, services
from measures.forms import BulkStatusFormSet, MeasureForm, StatusReportForm
from measures.models import Measure
from organisation import permissions
from plans.models import Plan


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
