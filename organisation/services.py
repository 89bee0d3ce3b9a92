"""Writes to the organisation: groups' mandate follow-up."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import update_fields
from organisation.models import MandateItem


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


@transaction.atomic
def mandate_item_set_status(
    *, item: MandateItem, status: str, completed_on: date | None = None
) -> MandateItem:
    """Move a mandate item to ``status``; *done* records when (today unless given)."""
    completed_on = mandate_item_completion(status=status, completed_on=completed_on)
    changed = []
    if item.status != status:
        item.status = status
        changed.append("status")
    if item.completed_on != completed_on:
        item.completed_on = completed_on
        changed.append("completed_on")
    if changed:
        item.full_clean()
        item.save(update_fields=changed)
    return item


MANDATE_ITEM_FIELDS = ("order", "text", "deadline")


@transaction.atomic
def mandate_item_create(
    *,
    group,
    text: str,
    deadline: date | None = None,
    order: int = 0,
    status: str = MandateItem.Status.NOT_STARTED,
    completed_on: date | None = None,
) -> MandateItem:
    """Add a point to ``group``'s mandate."""
    item = MandateItem(group=group, text=text, deadline=deadline, order=order)
    item.full_clean()
    item.save()
    return mandate_item_set_status(item=item, status=status, completed_on=completed_on)


@transaction.atomic
def mandate_item_update(
    *, item: MandateItem, status: str | None = None, completed_on: date | None = None, **values
) -> MandateItem:
    """Change a mandate item's text, deadline or order, and its status as ``set_status`` does."""
    update_fields(item, values, MANDATE_ITEM_FIELDS)
    if status is not None:
        mandate_item_set_status(item=item, status=status, completed_on=completed_on)
    return item


@transaction.atomic
def mandate_item_delete(*, item: MandateItem) -> None:
    item.delete()
