"""The workspace pages for indicators: list, add, change, values, import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_validation_error
from core.views import confirm_delete, render_form, save_form
from plans import selectors as plan_selectors
from results import importers, selectors, services
from results.forms import ImportForm, IndicatorForm, IndicatorValueForm
from results.models import Indicator, IndicatorValue

IMPORT_SALT = "results.import"


def _indicator(plan, pk) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("goal", "goal__plan"), pk=pk, goal__plan=plan
    )


def _indicator_url(plan, indicator) -> str:
    return reverse("results:indicator_update", args=[plan.slug, indicator.pk])


@login_required
def indicator_list(request, slug):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    indicators = list(selectors.indicators_for_plan(plan.pk))
    goals = plan_selectors.plan_editor_content(plan).goals
    by_goal: dict[int, list] = {}
    for indicator in indicators:
        by_goal.setdefault(indicator.goal_id, []).append(indicator)
    for main in goals:
        main.indicator_list = by_goal.get(main.pk, [])
        for sub in main.sub_goals:
            sub.indicator_list = by_goal.get(sub.pk, [])
    return render(request, "results/indicator_list.html", {"plan": plan, "goals": goals})


@login_required
def indicator_create(request, slug):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    initial = {}
    goal_id = request.GET.get("mal", "")
    if goal_id.isdigit() and plan.goals.filter(pk=int(goal_id)).exists():
        initial["goal"] = int(goal_id)
    form = IndicatorForm(request.POST or None, plan=plan, initial=initial)
    created = {}

    def write():
        data = form.model_data()
        created["indicator"] = services.indicator_create(
            actor=request.user, goal=data.pop("goal"), data=data
        )

    if request.method == "POST" and save_form(form, write):
        messages.success(request, _("Saved."))
        return redirect(_indicator_url(plan, created["indicator"]))
    return render_form(
        request,
        "results/indicator_form.html",
        {"plan": plan, "heading": _("New indicator")},
        form=form,
    )


@login_required
def indicator_update(request, slug, pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    indicator = _indicator(plan, pk)
    form = IndicatorForm(request.POST or None, instance=indicator, plan=plan)
    if request.method == "POST" and save_form(
        form,
        lambda: services.indicator_update(
            actor=request.user, indicator=indicator, data=form.model_data()
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect(_indicator_url(plan, indicator))
    return render_form(
        request,
        "results/indicator_form.html",
        _indicator_context(plan, indicator, heading=indicator.name),
        form=form,
    )


def _indicator_context(plan, indicator, **extra) -> dict:
    return {
        "plan": plan,
        "indicator": indicator,
        "follow_up": selectors.indicator_with_latest_values(indicator),
        "value_form": extra.pop("value_form", None) or IndicatorValueForm(),
        "import_form": extra.pop("import_form", None) or ImportForm(),
        **extra,
    }


@login_required
def indicator_delete(request, slug, pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    indicator = _indicator(plan, pk)
    return confirm_delete(
        request,
        obj=indicator,
        delete=lambda: services.indicator_delete(actor=request.user, indicator=indicator),
        success_url=reverse("results:indicator_list", args=[plan.slug]),
    )


@login_required
@require_POST
def value_create(request, slug, pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    indicator = _indicator(plan, pk)
    form = IndicatorValueForm(request.POST, instance=IndicatorValue(indicator=indicator))
    if save_form(
        form,
        lambda: services.indicator_value_create(
            actor=request.user, indicator=indicator, data=form.model_data()
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect(_indicator_url(plan, indicator) + "#values")
    context = _indicator_context(plan, indicator, heading=indicator.name, value_form=form)
    context["form"] = IndicatorForm(instance=indicator, plan=plan)
    return render(request, "results/indicator_form.html", context, status=400)


@login_required
def value_delete(request, slug, pk):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator__goal"), pk=pk, indicator__goal__plan=plan
    )
    indicator = value.indicator
    return confirm_delete(
        request,
        obj=value,
        delete=lambda: services.indicator_value_delete(actor=request.user, indicator_value=value),
        success_url=_indicator_url(plan, indicator) + "#values",
    )


def _rows_from(result: importers.ImportResult) -> list:
    return [
        [r.line, r.date.isoformat(), r.period, str(r.value), r.note, r.source] for r in result.rows
    ]


def _result_from(rows) -> importers.ImportResult:
    return importers.ImportResult(
        rows=[
            importers.ParsedRow(line, date.fromisoformat(day), period, Decimal(value), note, source)
            for line, day, period, value, note, source in rows
        ]
    )


@login_required
@require_POST
def value_import(request, slug, pk):
    """Upload → preview (nothing written) → apply (all rows or none)."""
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    indicator = _indicator(plan, pk)
    if "apply" in request.POST:
        try:
            rows = signing.loads(request.POST.get("rows", ""), salt=IMPORT_SALT, max_age=3600)
            result = _result_from(rows)
        except (signing.BadSignature, ValueError, TypeError, ArithmeticError):
            messages.error(request, _("The preview has expired. Upload the file again."))
            return redirect(_indicator_url(plan, indicator) + "#import")
        try:
            with transaction.atomic():
                preview = services.indicator_values_import(
                    actor=request.user, indicator=indicator, result=result
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_indicator_url(plan, indicator) + "#import")
        messages.success(
            request,
            _("Imported: %(new)s new and %(changed)s changed values.")
            % {"new": len(preview.new), "changed": len(preview.changed)},
        )
        return redirect(_indicator_url(plan, indicator) + "#values")

    form = ImportForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importers.read_file(upload.name, upload.read())
        except importers.ImportFileError as error:
            add_validation_error(form, ValidationError(str(error)))
    if result is None:
        context = _indicator_context(plan, indicator, heading=indicator.name, import_form=form)
        context["form"] = IndicatorForm(instance=indicator, plan=plan)
        return render(request, "results/indicator_form.html", context, status=400)
    preview = services.indicator_import_preview(indicator=indicator, result=result)
    return render(
        request,
        "results/import_preview.html",
        {
            "plan": plan,
            "indicator": indicator,
            "result": result,
            "preview": preview,
            "rows": signing.dumps(_rows_from(result), salt=IMPORT_SALT, compress=True)
            if result.ok
            else "",
        },
        status=200 if result.ok else 400,
    )
