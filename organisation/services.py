"""Writes to the organisation: units, groups and their members, mandate follow-up."""

from __future__ import annotations

from datetime import date

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.publishing import public_content_changed
from core.services import acting_as, update_fields, upsert
from organisation.models import MandateItem, Membership, ProcessGroup, Unit


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


UNIT_FIELDS = ("name", "kind", "parent", "description", "website")
PROCESS_GROUP_FIELDS = ("name", "kind", "purpose", "established_by", "established_on")
MEMBERSHIP_FIELDS = ("order", "unit", "person_name", "user", "is_leader")


@transaction.atomic
def unit_upsert(*, slug: str, name: str, kind: str, actor=None, **values) -> Unit:
    """The unit with ``slug``, created or brought to these values (only what differs is written).

    Units are on the public pages: a change publishes.
    """
    with acting_as(actor):
        unit, written = upsert(
            Unit,
            lookup={"slug": slug},
            values={"name": name, "kind": kind, **values},
            allowed=UNIT_FIELDS,
        )
    if written:
        public_content_changed()
    return unit


@transaction.atomic
def process_group_upsert(*, slug: str, name: str, kind: str, actor=None, **values) -> ProcessGroup:
    """The group with ``slug``, created or brought to these values; a change publishes
    (plan pages show the group that wrote them)."""
    with acting_as(actor):
        group, written = upsert(
            ProcessGroup,
            lookup={"slug": slug},
            values={"name": name, "kind": kind, **values},
            allowed=PROCESS_GROUP_FIELDS,
        )
    if written:
        public_content_changed()
    return group


@transaction.atomic
def membership_upsert(*, group: ProcessGroup, role_title: str, actor=None, **values) -> Membership:
    """The seat for ``role_title`` in ``group``, created or brought to these values.

    Plan pages list the roles and units (never the names): a change publishes.
    """
    with acting_as(actor):
        membership, written = upsert(
            Membership,
            lookup={"group": group, "role_title": role_title},
            values=values,
            allowed=MEMBERSHIP_FIELDS,
        )
    if written:
        public_content_changed()
    return membership


@transaction.atomic
def mandate_item_upsert(*, group: ProcessGroup, order: int, actor=None, **values) -> MandateItem:
    """Point number ``order`` of ``group``'s mandate, created or brought to these values.

    Unlike ``mandate_item_set_status`` it stores the status and completion date as
    given: a loader records *done* without a date when its source gives none.
    """
    with acting_as(actor):
        item, _written = upsert(
            MandateItem,
            lookup={"group": group, "order": order},
            values=values,
            allowed=(*MANDATE_ITEM_FIELDS, "status", "completed_on"),
        )
    return item


def erased_username(user) -> str:
    """The anonymous placeholder an erased person's account goes by."""
    return f"slettet-{user.pk}"


@transaction.atomic
def person_erase(*, user, actor=None):
    """Erase a person's name from current rows and from history (the right to erasure).

    The account stays, as the key that history records, status reports and adoptions
    point to, but it is renamed to ``erased_username(user)``, its names and e-mail are
    blanked and it can no longer sign in. The free-text person name of every seat that
    held this person's name (a seat linked to the account, or named with a name the
    person went by in a seat linked to it or with the account's full name) is blanked
    in the current rows and in every historical record. Sign-in logs and the admin's
    log of changes to the account get the placeholder too. Returns the account.
    """
    user = type(user)._default_manager.select_for_update().get(pk=user.pk)
    old_username, placeholder = user.get_username(), erased_username(user)
    history = Membership.history.model.objects
    names = {user.get_full_name()}
    names |= set(Membership.objects.filter(user=user).values_list("person_name", flat=True))
    names |= set(history.filter(user=user).values_list("person_name", flat=True))
    named = Q(pk__in=[])
    for name in filter(None, (name.strip() for name in names)):
        named |= Q(person_name__iexact=name)
    # A seat linked to another account holds that person's name, even if it is the same.
    held = (Q(user=user) | (named & Q(user__isnull=True))) & ~Q(person_name="")
    with acting_as(actor):
        # Saved one by one: each seat's history records the erasure, by ``actor``.
        for seat in Membership.objects.filter(held):
            seat.person_name = ""
            seat.save(update_fields=["person_name"])
    history.filter(held).update(person_name="")

    setattr(user, user.USERNAME_FIELD, placeholder)
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    for log in (AccessAttempt, AccessFailureLog, AccessLog):
        log.objects.filter(username=old_username).update(username=placeholder)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    ).update(object_repr=placeholder)
    return user
