"""Writes to the organisation: units, process groups, their members and mandates.

``<thing>_create(*, actor, <parent>, data)``, ``<thing>_update(*, actor, <thing>,
data, expected_version=None)``, ``<thing>_delete(*, actor, <thing>)``, and
``mandate_item_set_status`` for the group's working page.

Units and groups are shown on public pages (the unit pages, and each plan's page
names its group and the roles and units of its members). This app sits below the
plans and does not know which plans show a unit or a group, so a change to what
the public sees of them says "any plan" (``plan_ids=None``). Names of people,
contacts, editors and the mandate are not public: changes to them publish nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.publishing import public_content_changed
from core.services import row_create, row_delete, row_update
from organisation.models import MandateItem, Membership, ProcessGroup, Unit

# What the public pages show of each (the rest is working material or personal data).
UNIT_PUBLIC_FIELDS = {"name", "slug", "kind", "parent", "description", "website"}
GROUP_PUBLIC_FIELDS = {"name", "kind", "purpose", "established_by", "established_on"}
MEMBERSHIP_PUBLIC_FIELDS = {"order", "role_title", "unit", "is_leader"}


def _published_if(changed, public_fields) -> None:
    if set(changed) & public_fields:
        public_content_changed(plan_ids=None)


# -- units ---------------------------------------------------------------------------


@transaction.atomic
def unit_create(*, actor, data: dict) -> Unit:
    """Add a unit of the municipality or an outside partner (nothing refers to it yet)."""
    return row_create(Unit(), actor=actor, data=data)


@transaction.atomic
def unit_update(*, actor, unit: Unit, data: dict, expected_version: int | None = None) -> Unit:
    """Change a unit; a change the public sees updates the pages that name it."""
    changed = row_update(unit, actor=actor, data=data, expected_version=expected_version)
    _published_if(changed, UNIT_PUBLIC_FIELDS)
    return unit


@transaction.atomic
def unit_delete(*, actor, unit: Unit) -> None:
    """Delete a unit no measure or seat depends on (they protect it); partner links go."""
    row_delete(unit, actor=actor)
    public_content_changed(plan_ids=None)


# -- process groups ------------------------------------------------------------------


@transaction.atomic
def process_group_create(*, actor, data: dict) -> ProcessGroup:
    """Set up a process or working group (no plan is written by it yet)."""
    return row_create(ProcessGroup(), actor=actor, data=data)


@transaction.atomic
def process_group_update(
    *, actor, process_group: ProcessGroup, data: dict, expected_version: int | None = None
) -> ProcessGroup:
    """Change a group; its name, kind and purpose are on its plans' and units' pages."""
    changed = row_update(process_group, actor=actor, data=data, expected_version=expected_version)
    _published_if(changed, GROUP_PUBLIC_FIELDS)
    return process_group


@transaction.atomic
def process_group_delete(*, actor, process_group: ProcessGroup) -> None:
    """Delete a group that has written no plan (its plans protect it), with its seats."""
    row_delete(process_group, actor=actor)
    public_content_changed(plan_ids=[])  # no plan, but the unit pages list groups


# -- memberships ---------------------------------------------------------------------


@transaction.atomic
def membership_create(*, actor, group: ProcessGroup, data: dict) -> Membership:
    """Add a seat to a group: a role from a unit, optionally with a person's name."""
    membership = row_create(Membership(group=group), actor=actor, data=data)
    public_content_changed(plan_ids=None)
    return membership


@transaction.atomic
def membership_update(
    *, actor, membership: Membership, data: dict, expected_version: int | None = None
) -> Membership:
    changed = row_update(membership, actor=actor, data=data, expected_version=expected_version)
    _published_if(changed, MEMBERSHIP_PUBLIC_FIELDS)
    return membership


@transaction.atomic
def membership_delete(*, actor, membership: Membership) -> None:
    row_delete(membership, actor=actor)
    public_content_changed(plan_ids=None)


# -- the mandate ---------------------------------------------------------------------


def mandate_item_completion(*, status: str, completed_on: date | None) -> date | None:
    """The completion date an item in ``status`` gets; refuses unknown statuses and future dates."""
    if status not in MandateItem.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status != MandateItem.Status.DONE:
        return None
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("Completion cannot be in the future.")})
    return completed_on


def _with_completion(data: dict, item: MandateItem | None) -> dict:
    """``data`` with the completion date its status implies (today for *done* unless given)."""
    if "status" not in data and "completed_on" not in data:
        return data
    status = data.get("status", item.status if item else MandateItem.Status.NOT_STARTED)
    completed_on = data.get("completed_on", item.completed_on if item else None)
    return data | {
        "status": status,
        "completed_on": mandate_item_completion(status=status, completed_on=completed_on),
    }


def mandate_item_check(*, group: ProcessGroup, data: dict) -> None:
    """What the mandate services refuse in ``data``: an unknown status, a future completion."""
    _with_completion(data, None)


@transaction.atomic
def mandate_item_create(*, actor, group: ProcessGroup, data: dict) -> MandateItem:
    """Add a point to ``group``'s mandate; *done* records when (today unless given)."""
    return row_create(MandateItem(group=group), actor=actor, data=_with_completion(data, None))


@transaction.atomic
def mandate_item_update(
    *, actor, mandate_item: MandateItem, data: dict, expected_version: int | None = None
) -> MandateItem:
    """Change a mandate item; a new status sets or clears its completion date."""
    row_update(
        mandate_item,
        actor=actor,
        data=_with_completion(data, mandate_item),
        expected_version=expected_version,
    )
    return mandate_item


@transaction.atomic
def mandate_item_set_status(
    *, actor, mandate_item: MandateItem, status: str, completed_on: date | None = None
) -> MandateItem:
    """Move a mandate item to ``status``; *done* records when (today unless given)."""
    return mandate_item_update(
        actor=actor,
        mandate_item=mandate_item,
        data={"status": status, "completed_on": completed_on},
    )


@transaction.atomic
def mandate_item_delete(*, actor, mandate_item: MandateItem) -> None:
    row_delete(mandate_item, actor=actor)
