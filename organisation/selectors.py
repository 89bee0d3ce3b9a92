"""Reads of units and groups for the public pages."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from organisation.models import MandateItem, Membership, ProcessGroup, Unit


def unit_get_public(*, slug: str) -> Unit:
    return get_object_or_404(Unit.objects.select_related("parent"), slug=slug)


def groups_for_unit(unit: Unit) -> QuerySet[ProcessGroup]:
    """Groups in which ``unit`` holds a seat, with those seats (roles only)."""
    return (
        ProcessGroup.objects.filter(memberships__unit=unit)
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(unit=unit).order_by("order"),
                to_attr="unit_memberships",
            )
        )
    )


def group_get(*, slug: str) -> ProcessGroup:
    return get_object_or_404(ProcessGroup, slug=slug)


def group_page(group: ProcessGroup) -> dict:
    """A group's mandate items (overdue flagged by the template), members and plans."""
    items = list(MandateItem.objects.filter(group=group).order_by("order", "id"))
    return {
        "group": group,
        "mandate_items": items,
        "memberships": list(group.memberships.select_related("unit", "user").order_by("order")),
        "plans": list(group.plans.order_by("title")),
    }


def mandate_items_with_deadline(groups: QuerySet[ProcessGroup], *, today) -> list[MandateItem]:
    """Mandate items of ``groups`` that have a deadline and are not done, soonest first.

    Each has ``overdue`` (its deadline is before ``today``). One query.
    """
    items = list(
        MandateItem.objects.filter(group__in=groups, deadline__isnull=False)
        .exclude(status=MandateItem.Status.DONE)
        .select_related("group")
        .order_by("deadline", "group__name", "order")
    )
    for item in items:
        item.overdue = item.deadline < today
    return items
