"""Who may do what: the object-level rules every view, admin and export asks.

Roles are Django groups (created by a migration):
- Planadministrator: everything, including registering adoption and managing users.
- Planredaktør: edits plans, measures and analyses of the process groups the user is a
  member or editor of, and nothing else.
- Tiltaksansvarlig: reports status on the measures of the units the user is a contact
  for; reads the rest.
Anonymous visitors read published plans only (see plans.selectors).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

ROLE_ADMINISTRATOR = "Planadministrator"
ROLE_EDITOR = "Planredaktør"
ROLE_MEASURE_OWNER = "Tiltaksansvarlig"
ROLES = (ROLE_ADMINISTRATOR, ROLE_EDITOR, ROLE_MEASURE_OWNER)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, role: str) -> bool:
    if not _active(user):
        return False
    cached = getattr(user, "_heimplan_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._heimplan_roles = cached
    return role in cached


def is_plan_admin(user) -> bool:
    return _active(user) and (user.is_superuser or has_role(user, ROLE_ADMINISTRATOR))


def is_editor(user) -> bool:
    return is_plan_admin(user) or has_role(user, ROLE_EDITOR)


def is_measure_owner(user) -> bool:
    return has_role(user, ROLE_MEASURE_OWNER)


def is_staff_member(user) -> bool:
    """Anybody with a role: may read unpublished plans' existence in working pages."""
    return is_editor(user) or is_measure_owner(user)


def editable_group_ids(user) -> set[int]:
    """Process groups whose work ``user`` may edit as a Planredaktør."""
    from organisation.models import ProcessGroup

    if not has_role(user, ROLE_EDITOR):
        return set()
    cached = getattr(user, "_heimplan_group_ids", None)
    if cached is None:
        cached = set(
            ProcessGroup.objects.filter(Q(memberships__user=user) | Q(editors=user)).values_list(
                "pk", flat=True
            )
        )
        user._heimplan_group_ids = cached
    return cached


def unit_ids(user) -> set[int]:
    """Units ``user`` is a contact for (their measures are the user's to report on)."""
    if not _active(user):
        return set()
    cached = getattr(user, "_heimplan_unit_ids", None)
    if cached is None:
        cached = set(user.units.values_list("pk", flat=True))
        user._heimplan_unit_ids = cached
    return cached


def can_edit_plan(user, plan) -> bool:
    if is_plan_admin(user):
        return True
    return plan.process_group_id is not None and plan.process_group_id in editable_group_ids(user)


def can_view_unpublished_plan(user, plan) -> bool:
    """Drafts are read by those who may edit them, and by measure owners with a measure in them."""
    if can_edit_plan(user, plan):
        return True
    if is_measure_owner(user):
        return plan.measures.filter(responsible_unit_id__in=unit_ids(user)).exists()
    return False


def can_register_adoption(user, plan) -> bool:
    return is_plan_admin(user)


def can_edit_group(user, group) -> bool:
    return is_plan_admin(user) or group.pk in editable_group_ids(user)


def can_edit_analysis(user, analysis) -> bool:
    if is_plan_admin(user):
        return True
    groups = editable_group_ids(user)
    if analysis.process_group_id in groups:
        return True
    return analysis.plan_id is not None and analysis.plan.process_group_id in groups


def can_report_on_measure(user, measure) -> bool:
    if is_plan_admin(user) or can_edit_plan(user, measure.plan):
        return True
    return is_measure_owner(user) and measure.responsible_unit_id in unit_ids(user)


def plans_editable_by(user, queryset: QuerySet) -> QuerySet:
    """Narrow a Plan queryset to those ``user`` may edit."""
    if is_plan_admin(user):
        return queryset
    return queryset.filter(process_group_id__in=editable_group_ids(user))


def can_manage_people(user) -> bool:
    """The people page: add people, change their role, units and groups, deactivate them."""
    return is_plan_admin(user)


def can_manage_person(user, person) -> bool:
    """A superuser (IT's own account) is managed by superusers only."""
    return can_manage_people(user) and (user.is_superuser or not person.is_superuser)
