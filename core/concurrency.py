"""No lost edits: optimistic concurrency on models with an ``edit_version`` field.

Every form that edits such a row carries the version it was loaded at. A save
only goes through when the row still has that version (one conditional UPDATE,
so two saves racing cannot both win); the loser gets an ``EditConflict`` that
says what the other person changed, and their own input is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _


@dataclass
class FieldChange:
    name: str
    label: str
    base: str  # the value when this person started editing ("" if unknown)
    theirs: str  # the value saved meanwhile by someone else
    yours: str  # the value this person submitted


class EditConflict(Exception):
    """Someone saved the row after this person loaded it."""

    def __init__(self, *, current, changes: list[FieldChange] | None = None):
        self.current = current
        self.changes = changes or []
        super().__init__(_("Somebody else saved this in the meantime."))


def _display(field, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(field, models.ManyToManyField):
        return ", ".join(sorted(str(v) for v in value))
    if isinstance(field, models.ForeignKey):
        if isinstance(value, models.Model):
            return str(value)
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _value(obj, field):
    if isinstance(field, models.ManyToManyField):
        return list(getattr(obj, field.name).all())
    return getattr(obj, field.attname if isinstance(field, models.ForeignKey) else field.name)


def describe_changes(*, model, current, base_version: int, submitted: dict) -> list[FieldChange]:
    """Per field: the value at ``base_version`` (from history), the current one and the submitted one.

    Lists the fields the other person changed and the fields where the two
    versions disagree, so the person can re-apply what they meant.
    """
    base = None
    history = getattr(current, "history", None)
    if history is not None:
        base = history.filter(edit_version=base_version).order_by("-history_date").first()
    changes = []
    for name, yours in submitted.items():
        field = model._meta.get_field(name)
        theirs = _value(current, field)
        if isinstance(field, models.ForeignKey) and isinstance(yours, models.Model):
            yours = yours.pk
        theirs_text, yours_text = _display(field, theirs), _display(field, yours)
        base_text = ""
        if base is not None and not isinstance(field, models.ManyToManyField):
            base_text = _display(field, _value(base, field))
            changed_by_them = base_text != theirs_text
        else:
            changed_by_them = theirs_text != yours_text
        if changed_by_them or theirs_text != yours_text:
            changes.append(
                FieldChange(
                    name=name,
                    label=str(field.verbose_name),
                    base=base_text,
                    theirs=theirs_text,
                    yours=yours_text,
                )
            )
    return changes


@transaction.atomic
def save_versioned(obj, *, expected_version: int, data: dict) -> None:
    """Apply ``data`` to ``obj`` and save it, only if nobody saved it since ``expected_version``.

    ``data`` maps field names to values; many-to-many fields are set after the
    row. Raises ``EditConflict`` and changes nothing when the version moved on.
    Call ``full_clean`` before; this function only writes.
    """
    model = type(obj)
    bumped = model.objects.filter(pk=obj.pk, edit_version=expected_version).update(
        edit_version=F("edit_version") + 1
    )
    if not bumped:
        current = model.objects.get(pk=obj.pk)
        raise EditConflict(
            current=current,
            changes=describe_changes(
                model=model, current=current, base_version=expected_version, submitted=data
            ),
        )
    obj.edit_version = expected_version + 1
    m2m = {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            m2m[name] = value
        else:
            setattr(obj, name, value)
    # A full save writes the new version with the data; history records this state.
    obj.save()
    for name, value in m2m.items():
        getattr(obj, name).set(value)
