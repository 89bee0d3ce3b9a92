"""Writes to the organisation: units, process groups, their members and mandates.

``<thing>_create(*, actor, <parent>, data)``, ``<thing>_update(*, actor, <thing>,
data, expected_version=None)``, ``<thing>_delete(*, actor, <thing>)``, and
``mandate_item_set_status`` for the group's working page.

Units and groups are shown on public pages: the unit pages read them live, while
each plan's page shows the units, group and seats frozen in the adopted version it
publishes (``Adoption.snapshot``). So a change to what the public sees of them
moves the public content version (every cached page is stale at once) but changes
no published plan and no search entry: it says ``plan_ids=()``, and costs the same
on a site of one plan or of a thousand. Names of people, contacts, editors and the
mandate are not public: changes to them publish nothing.
"""

from __future__ import annotations

import re
import smtplib
from datetime import date

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.people import person_name
from core.publishing import public_content_changed
from core.services import history_user, row_create, row_delete, row_update
from organisation.models import MandateItem, Membership, ProcessGroup, Unit
from organisation.permissions import ROLE_ADMINISTRATOR, ROLE_EDITOR, ROLES
from organisation.selectors import email_taken

# What the unit and group pages show changed; no published plan did (see above).
NO_PLAN: tuple[int, ...] = ()

# What the public pages show of each (the rest is working material or personal data).
UNIT_PUBLIC_FIELDS = {"name", "slug", "kind", "parent", "description", "website"}
GROUP_PUBLIC_FIELDS = {"name", "kind", "purpose", "established_by", "established_on"}
MEMBERSHIP_PUBLIC_FIELDS = {"order", "role_title", "unit", "is_leader"}


def _published_if(changed, public_fields) -> None:
    if set(changed) & public_fields:
        public_content_changed(plan_ids=NO_PLAN)


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
    public_content_changed(plan_ids=NO_PLAN)


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
    public_content_changed(plan_ids=NO_PLAN)  # the unit pages list groups


# -- memberships ---------------------------------------------------------------------


@transaction.atomic
def membership_create(*, actor, group: ProcessGroup, data: dict) -> Membership:
    """Add a seat to a group: a role from a unit, optionally with a person's name."""
    membership = row_create(Membership(group=group), actor=actor, data=data)
    public_content_changed(plan_ids=NO_PLAN)
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
    public_content_changed(plan_ids=NO_PLAN)


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
def mandate_item_create(
    *, actor, group: ProcessGroup, data: dict, date_unknown: bool = False
) -> MandateItem:
    """Add a point to ``group``'s mandate; *done* records when (today unless given).

    ``date_unknown``: a point known to be done on a date nobody recorded (a record
    loaded from the municipality's texts) keeps no completion date.
    """
    data = data if date_unknown else _with_completion(data, None)
    return row_create(MandateItem(group=group), actor=actor, data=data)


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
    # Saved one by one: each seat's history records the erasure, by ``actor``.
    for seat in Membership.objects.filter(held):
        seat.person_name = ""
        seat._history_user = history_user(actor)
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


# People
# ------
# ``data`` for person_create/person_update: first_name, last_name, email, role (one of
# permissions.ROLES), units (the units they report for), editor_groups (the groups whose
# work they edit), seats (Membership rows they fill: empty ones or their own) and,
# optionally, a new seat: new_seat_group, new_seat_role_title, new_seat_unit.

# Planadministrator and Planredaktør work in the admin too (the plan lifecycle, new
# plans and measures are there); a Tiltaksansvarlig reports on Mine tiltak only.
ROLES_WITH_ADMIN_ACCESS = (ROLE_ADMINISTRATOR, ROLE_EDITOR)

_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


def _username_for(email: str, *, exclude_pk: int | None = None) -> str:
    """The username a person signs in with: their e-mail address in lower case.

    Characters a username cannot hold become "-"; an address taken as another
    account's username gets a number.
    """
    User = get_user_model()
    base = _USERNAME_UNSAFE.sub("-", email.strip().lower())[:140]
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exclude(pk=exclude_pk).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _person_values(data: dict, *, exclude_pk: int | None = None) -> dict:
    first_name = (data.get("first_name") or "").strip()
    last_name = (data.get("last_name") or "").strip()
    email = get_user_model().objects.normalize_email((data.get("email") or "").strip())
    errors = {}
    if not first_name:
        errors["first_name"] = _("Write the person's first name.")
    if not last_name:
        errors["last_name"] = _("Write the person's last name.")
    if not email:
        errors["email"] = _("Write the person's e-mail address.")
    elif email_taken(email, exclude_pk=exclude_pk):
        errors["email"] = _("Somebody already has the e-mail address %(email)s.") % {"email": email}
    if data.get("role") not in ROLES:
        errors["role"] = _("Choose one of the roles.")
    if bool(data.get("new_seat_group")) != bool((data.get("new_seat_role_title") or "").strip()):
        errors["new_seat_role_title"] = _(
            "A new seat needs both the group and the role title; leave both empty for none."
        )
    if errors:
        raise ValidationError(errors)
    return {"first_name": first_name, "last_name": last_name, "email": email}


def _with_actor(row, actor):
    # The history of units, groups and seats records who made the change.
    if actor is not None:
        row._history_user = actor
    return row


def _set_role(*, user, role: str) -> bool:
    current = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    if current == {role}:
        return False
    user.groups.remove(*Group.objects.filter(name__in=current - {role}))
    user.groups.add(Group.objects.get(name=role))
    user.__dict__.pop("_heimplan_roles", None)
    return True


def _set_units(*, actor, user, units) -> bool:
    wanted = {unit.pk for unit in units}
    current = set(user.units.values_list("pk", flat=True))
    for unit in Unit.objects.filter(pk__in=wanted ^ current).order_by("pk"):
        _with_actor(unit, actor)
        if unit.pk in wanted:
            unit.contacts.add(user)
        else:
            unit.contacts.remove(user)
    user.__dict__.pop("_heimplan_unit_ids", None)
    return wanted != current


def _set_editor_groups(*, actor, user, groups) -> bool:
    wanted = {group.pk for group in groups}
    current = set(user.editable_groups.values_list("pk", flat=True))
    for group in ProcessGroup.objects.filter(pk__in=wanted ^ current).order_by("pk"):
        _with_actor(group, actor)
        if group.pk in wanted:
            group.editors.add(user)
        else:
            group.editors.remove(user)
    user.__dict__.pop("_heimplan_group_ids", None)
    return wanted != current


def _set_seats(*, actor, user, seats, new_seat: tuple | None) -> bool:
    """Fill ``seats`` with ``user`` and empty the seats they leave; the seat itself stays.

    A seat filled by the person carries their name (the group's page shows it to
    the group); it follows a change of name.
    """
    wanted = {seat.pk for seat in seats}
    name = person_name(user)
    changed = False
    rows = Membership.objects.select_for_update().order_by("pk")
    for seat in rows.filter(user=user).exclude(pk__in=wanted):
        seat.user, seat.person_name = None, ""
        _with_actor(seat, actor).save(update_fields=["user", "person_name"])
        changed = True
    for seat in rows.filter(pk__in=wanted):
        if seat.user_id not in (None, user.pk):
            raise ValidationError(
                {
                    "seats": _("Somebody else was put in the seat “%(seat)s” meanwhile.")
                    % {"seat": seat}
                }
            )
        if seat.user_id != user.pk or seat.person_name != name:
            changed = changed or seat.user_id != user.pk
            seat.user, seat.person_name = user, name
            _with_actor(seat, actor).save(update_fields=["user", "person_name"])
    if new_seat is not None:
        group, role_title, unit = new_seat
        last = group.memberships.aggregate(last=Max("order"))["last"]
        seat = Membership(
            group=group,
            role_title=role_title,
            unit=unit,
            user=user,
            person_name=name,
            order=0 if last is None else last + 1,
        )
        seat.full_clean()
        _with_actor(seat, actor).save()
        # The group's seats (role and unit, never the name) are on public pages.
        public_content_changed(plan_ids=NO_PLAN)
        changed = True
    user.__dict__.pop("_heimplan_group_ids", None)
    return changed


def _new_seat(data: dict) -> tuple | None:
    group = data.get("new_seat_group")
    if not group:
        return None
    return group, data["new_seat_role_title"].strip(), data.get("new_seat_unit")


# Names of what changed, for the admin's history of the account (translated when shown).
LINK_LABELS = {
    "role": gettext_noop("role"),
    "units": gettext_noop("units they report for"),
    "editor_groups": gettext_noop("groups whose work they edit"),
    "seats": gettext_noop("seats in groups"),
}


def _set_links(*, actor, user, data: dict) -> list[str]:
    """Give ``user`` the role, units, groups and seats of ``data``; return what changed."""
    changed = {
        "role": _set_role(user=user, role=data["role"]),
        "units": _set_units(actor=actor, user=user, units=data.get("units") or []),
        "editor_groups": _set_editor_groups(
            actor=actor, user=user, groups=data.get("editor_groups") or []
        ),
        "seats": _set_seats(
            actor=actor, user=user, seats=data.get("seats") or [], new_seat=_new_seat(data)
        ),
    }
    return [LINK_LABELS[name] for name, did in changed.items() if did]


def _log(*, actor, user, flag: int, message) -> None:
    """Record in the admin's history of the account who changed it."""
    if actor is not None:
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[user],
            action_flag=flag,
            change_message=message,
            single_object=True,
        )


def person_invitation_link(*, user, base_url: str) -> str:
    """The link that lets ``user`` set a password (Django's password reset token).

    It works once, and for ``PASSWORD_RESET_TIMEOUT`` seconds.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def person_send_invitation(*, user, base_url: str) -> None:
    """E-mail ``user`` (in Norwegian) that they have an account, with the set-password link."""
    context = {
        "name": person_name(user),
        "username": user.get_username(),
        "link": person_invitation_link(user=user, base_url=base_url),
        "login_url": base_url + reverse("login"),
        "forgot_url": base_url + reverse("password_reset"),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "municipality_name": settings.HEIMPLAN_MUNICIPALITY,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("organisation/email/invitation_subject.txt", context).strip()
        body = render_to_string("organisation/email/invitation.txt", context)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except (smtplib.SMTPException, OSError) as error:
            raise ValidationError(
                _(
                    "The e-mail to %(email)s could not be sent, so nothing was saved. "
                    "Try again later, or ask IT to look at the e-mail settings."
                )
                % {"email": user.email}
            ) from error


@transaction.atomic
def person_create(*, actor, data: dict, base_url: str = ""):
    """Add a person with the role, units, groups and seats ``data`` gives.

    The account has no usable password: the person gets an e-mail with a link to set
    one, and cannot sign in before they have. Their username is their e-mail address.
    If the e-mail cannot be sent, nothing is saved.
    """
    values = _person_values(data)
    user = get_user_model()(
        username=_username_for(values["email"]),
        is_active=True,
        is_staff=data["role"] in ROLES_WITH_ADMIN_ACCESS,
        **values,
    )
    user.set_unusable_password()
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # The same address added twice at the same moment.
        raise ValidationError(
            {"email": _("Somebody already has the e-mail address %(email)s.") % values}
        ) from None
    _set_links(actor=actor, user=user, data=data)
    _log(actor=actor, user=user, flag=ADDITION, message=[{"added": {}}])
    person_send_invitation(user=user, base_url=base_url)
    return user


PERSON_CHANGE_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "email": "email address",
    "username": "username",
    "is_staff": "staff status",
}


@transaction.atomic
def person_update(*, actor, person, data: dict, expected_version: int | None = None):
    """Change a person's name, e-mail, role, units, groups and seats as ``data`` says.

    A username that was the old e-mail address follows the new one. An administrator
    cannot take their own administrator role away (they would lock themselves out of
    the people page in the middle of their work).
    """
    values = _person_values(data, exclude_pk=person.pk)
    if (
        actor is not None
        and actor.pk == person.pk
        and data["role"] != ROLE_ADMINISTRATOR
        and not person.is_superuser
    ):
        raise ValidationError(
            {"role": _("You cannot take away your own role as Planadministrator.")}
        )
    if values["email"].lower() != person.email.lower() and person.username == person.email.lower():
        values["username"] = _username_for(values["email"], exclude_pk=person.pk)
    if not person.is_superuser:
        values["is_staff"] = data["role"] in ROLES_WITH_ADMIN_ACCESS
    changed = [
        PERSON_CHANGE_LABELS[name]
        for name, value in values.items()
        if getattr(person, name) != value
    ]
    row_update(
        person,
        actor=actor,
        data=values,
        fields=list(PERSON_CHANGE_LABELS),
        expected_version=expected_version,
    )
    changed += _set_links(actor=actor, user=person, data=data)
    if changed:
        _log(actor=actor, user=person, flag=CHANGE, message=[{"changed": {"fields": changed}}])
    return person


@transaction.atomic
def person_set_active(*, actor, user, active: bool):
    """Let a person sign in again, or stop them (their reports, history and seats stay).

    People are never deleted: their name stays on what they wrote. Nobody can
    deactivate themselves.
    """
    if not active and actor is not None and actor.pk == user.pk:
        raise ValidationError(
            _("You cannot deactivate yourself. Ask another Planadministrator to do it.")
        )
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        _log(actor=actor, user=user, flag=CHANGE, message=[{"changed": {"fields": ["active"]}}])
    return user
