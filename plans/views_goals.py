"""The plan editor's goals: add, change, move and delete main goals and sub-goals."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import confirm_delete, edit_plan_text, move_and_return, posted_direction
from plans import selectors, services
from plans.forms import GoalEditorForm
from plans.models import Goal

PAGE = "includes/plan_text_page.html"


def _goal(plan, pk):
    return get_object_or_404(Goal.objects.select_related("plan"), pk=pk, plan=plan)


@login_required
def goal_create(request, slug):
    plan = selectors.plan_for_editor(slug=slug, user=request.user)
    form = GoalEditorForm(request.POST or None, instance=Goal(plan=plan))

    def write():
        data = form.model_data()
        data["order"] = services.goal_next_order(plan, data.get("parent"))
        services.goal_create(actor=request.user, plan=plan, data=data)

    return edit_plan_text(
        request,
        form=form,
        write=write,
        template=PAGE,
        success_url=plan.get_editor_url("goals"),
        context={"plan": plan, "heading": _("New goal")},
    )


@login_required
def goal_update(request, slug, pk):
    plan = selectors.plan_for_editor(slug=slug, user=request.user)
    goal = _goal(plan, pk)
    old_parent = goal.parent_id
    form = GoalEditorForm(request.POST or None, instance=goal)

    def write():
        data = form.model_data()
        parent = data.get("parent")
        if (parent.pk if parent else None) != old_parent:
            data["order"] = services.goal_next_order(plan, parent)
        services.goal_update(actor=request.user, goal=goal, data=data)

    return edit_plan_text(
        request,
        form=form,
        write=write,
        template=PAGE,
        success_url=plan.get_editor_url(f"goal-{goal.pk}"),
        context={
            "plan": plan,
            "object": goal,
            "heading": _("Edit goal: %(title)s") % {"title": goal.title},
        },
    )


@login_required
def goal_delete(request, slug, pk):
    plan = selectors.plan_for_editor(slug=slug, user=request.user)
    goal = _goal(plan, pk)
    refusal = services.plan_text_refusal_for(plan)
    if refusal is None and (goal.children.exists() or goal.indicators.exists()):
        refusal = _("Delete or move this goal's sub-goals and indicators first.")
    return confirm_delete(
        request,
        obj=goal,
        delete=lambda: services.goal_delete(actor=request.user, goal=goal),
        refusal=refusal,
        success_url=plan.get_editor_url("goals"),
    )


@login_required
@require_POST
def goal_move(request, slug, pk):
    plan = selectors.plan_for_editor(slug=slug, user=request.user)
    goal = _goal(plan, pk)
    direction = posted_direction(request)
    return move_and_return(
        request,
        move=lambda: services.goal_move(actor=request.user, goal=goal, direction=direction),
        refusal=services.plan_text_refusal_for(plan),
        success_url=plan.get_editor_url(f"goal-{goal.pk}"),
    )
