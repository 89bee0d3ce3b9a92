"""The site's own pages: the start page behind login, accessibility, and error pages in Norwegian."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core.middleware import cache_public_page
from measures import selectors as measure_selectors
from organisation import permissions
from organisation import selectors as organisation_selectors
from results.reminders import follow_up_due_for_user
from stakeholders import selectors


@cache_public_page
def accessibility(request):
    """How the portal meets WCAG 2.1, with the link to the official statement."""
    return render(request, "accessibility.html")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors beyond the request: the failure may be in one of them.
    return render(request, "500.html", status=500)


@login_required
def workspace(request):
    """The start page of everybody signed in: their plans, what is due, what they may do.

    Plans of the person's groups in every status (drafts too), consultation deadlines,
    mandate items with deadlines, late or silent measures, and the shortcuts their
    role allows. A fixed number of queries whatever the amount of data.
    """
    user = request.user
    today = timezone.localdate()
    groups = selectors.groups_for_user(user)
    plans = list(selectors.plans_for_user(user))
    return render(
        request,
        "workspace.html",
        {
            "today": today,
            "plans": plans,
            "consultations": sorted(
                (plan for plan in plans if plan.consultation_deadline),
                key=lambda plan: plan.consultation_deadline,
            ),
            "groups": list(groups),
            "mandate_items": organisation_selectors.mandate_items_with_deadline(
                groups, today=today
            ),
            "measures_due": measure_selectors.measures_due_for_user(user, today=today),
            "followup_due": follow_up_due_for_user(user, today=today),
            "analyses": list(selectors.analyses_for_user(user)),
            "can_create_plan": permissions.is_editor(user),
            "is_plan_admin": permissions.is_plan_admin(user),
            "is_measure_owner": permissions.is_measure_owner(user),
        },
    )
