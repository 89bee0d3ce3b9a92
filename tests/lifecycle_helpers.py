"""Helpers shared by the lifecycle, PDF and version tests (issue 3)."""

from __future__ import annotations

from django.contrib.auth.models import Group

from organisation.permissions import ROLE_EDITOR
from plans.models import Plan
from tests.factories import (
    FocusAreaFactory,
    MeasureFactory,
    MembershipFactory,
    PlanFactory,
    PlanSectionFactory,
    UserFactory,
)


def plan_with_content(measures: int = 2, **kwargs) -> Plan:
    """A draft with two sections, a focus area, a working group and ``measures`` measures."""
    plan = PlanFactory(period_start=2024, period_end=2027, **kwargs)
    PlanSectionFactory(plan=plan, order=1, title="Bakgrunn", body="Opprinnelig bakgrunnstekst.")
    PlanSectionFactory(plan=plan, order=2, title="Mål", body="Barn skal ha det *trygt*.")
    MembershipFactory(group=plan.process_group, role_title="Enhetsleder helsestasjon")
    area = FocusAreaFactory(plan=plan, title="Tidlig innsats")
    for n in range(measures):
        MeasureFactory(plan=plan, focus_area=area, title=f"Tiltak nummer {n + 1}")
    return plan


def editor_of(plan: Plan, username: str = "redaktor"):
    """A Planredaktør who edits ``plan``'s process group (and nothing else)."""
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=ROLE_EDITOR))
    plan.process_group.editors.add(user)
    return user
