"""Public pages of plans. Thin: a selector reads, a template renders."""

from django.shortcuts import render

from plans import selectors


def home(request):
    plans = selectors.plan_list_public()
    return render(request, "plans/home.html", {"plans": plans})


def plan_list(request):
    plans = list(selectors.plan_list_public())
    in_force = [p for p in plans if p.status != p.Status.RETIRED]
    retired = [p for p in plans if p.status == p.Status.RETIRED]
    return render(request, "plans/plan_list.html", {"plans": in_force, "retired_plans": retired})


def plan_detail(request, slug):
    plan = selectors.plan_get_for_viewer(slug=slug, user=request.user)
    document, adoption = selectors.plan_document_for_viewer(plan=plan, user=request.user)
    return render(
        request,
        "plans/plan_detail.html",
        {"plan": plan, "doc": document, "adoption": adoption},
    )
