"""Reads of units and groups for the public pages."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from measures.models import Measure
from organisation.models import Membership, ProcessGroup, Unit
from plans.models import Plan


def unit_list_public() -> QuerySet[Unit]:
    """Units with the number of measures in published plans they are responsible for."""
    public = Q(responsible_for__plan__status__in=Plan.PUBLIC_STATUSES)
    return (
        Unit.objects.select_related("parent")
        .annotate(public_measure_count=Count("responsible_for", filter=public, distinct=True))
        .order_by("kind", "name")
    )


def unit_get_public(*, slug: str) -> Unit:
    return get_object_or_404(Unit.objects.select_related("parent"), slug=slug)


def measures_for_unit_public(unit: Unit) -> QuerySet[Measure]:
    """Measures in published plans that ``unit`` is responsible for or a partner in."""
    return (
        Measure.objects.filter(plan__status__in=Plan.PUBLIC_STATUSES)
        .filter(Q(responsible_unit=unit) | Q(partner_units=unit))
        .distinct()
        .select_related("plan", "focus_area", "responsible_unit")
        .order_by("plan__title", "focus_area__order", "order", "id")
    )


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
