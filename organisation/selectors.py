"""Reads of units and groups for the public pages, and of people for the people page."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from organisation.models import MandateItem, Membership, ProcessGroup, Unit
from organisation.permissions import ROLES


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


def _with_roles_and_links(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=ROLES), to_attr="role_groups"),
        Prefetch("units", queryset=Unit.objects.order_by("name")),
        Prefetch("editable_groups", queryset=ProcessGroup.objects.order_by("name")),
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("group", "unit").order_by(
                "group__name", "order", "id"
            ),
        ),
    )


def people_list() -> list:
    """Every account, active first, by name; each with ``roles``, units, groups and seats.

    A fixed number of queries however many people there are.
    """
    people = list(
        _with_roles_and_links(get_user_model().objects.all()).order_by(
            "-is_active", "first_name", "last_name", "username"
        )
    )
    for person in people:
        person.roles = [group.name for group in person.role_groups]
    return people


def person_get(*, pk: int):
    person = get_object_or_404(_with_roles_and_links(get_user_model().objects.all()), pk=pk)
    person.roles = [group.name for group in person.role_groups]
    return person


def person_role(person) -> str | None:
    """The person's role; with several (made in the admin), the one that gives most."""
    names = set(person.groups.filter(name__in=ROLES).values_list("name", flat=True))
    return next((role for role in ROLES if role in names), None)


def email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another account has ``email`` (compared without regard to case)."""
    others = get_user_model().objects.filter(email__iexact=email.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def seats_to_fill(person=None) -> QuerySet[Membership]:
    """Seats ``person`` may be put in: the empty ones, and their own."""
    empty = Q(user__isnull=True)
    if person is not None and person.pk:
        empty |= Q(user=person)
    return (
        Membership.objects.filter(empty)
        .select_related("group", "unit")
        .order_by("group__name", "order", "id")
    )


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
