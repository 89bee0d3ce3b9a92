"""The mechanics every app's services share when they write a row (one write path).

An app service keeps the domain rules (a plan's locked text, which plans' public
content changed, what may be linked to what) and leaves the rest to these helpers,
so every write behaves the same way:

- ``data`` maps field names to values (model instances or keys for foreign keys,
  iterables for many-to-many fields). A name the caller may not write (unknown,
  not editable, or outside the service's ``fields``) is a ``TypeError``: a bug in
  the caller, not the user's input;
- the row is validated with ``full_clean()`` before it is saved; many-to-many
  links are set after the row;
- ``actor`` (the signed-in user; ``None`` for a command or loader) is what
  django-simple-history records as the change's ``history_user``, for deletes too;
- a row with ``edit_version`` is saved only if nobody saved it since the version the
  caller loaded (``core.concurrency.save_versioned``), else ``EditConflict``;
- an update that changes nothing writes nothing (no history, no version move).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.concurrency import save_versioned


def history_user(actor):
    """The user history records for ``actor``: a signed-in user, else nobody."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def writable_fields(model) -> dict[str, models.Field]:
    """The fields a service's ``data`` may set by default: the editable ones, links included."""
    fields = {}
    for field in model._meta.get_fields():
        if field.auto_created or not (field.concrete or field.many_to_many):
            continue
        if field.editable and not field.primary_key:
            fields[field.name] = field
    return fields


def _split(model, data: dict, fields: Iterable[str] | None) -> tuple[dict, dict]:
    allowed = writable_fields(model)
    if fields is not None:
        allowed = {name: model._meta.get_field(name) for name in fields}
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"{model.__name__}: unknown fields {', '.join(sorted(unknown))}")
    plain, links = {}, {}
    for name, value in data.items():
        (links if allowed[name].many_to_many else plain)[name] = value
    return plain, links


def _key(value):
    return value.pk if isinstance(value, models.Model) else value


def _stored_value(field, value):
    """``value`` as the database row holds it, to compare with the stored row."""
    if field.is_relation:
        return _key(value)
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or ""
    return field.to_python(value) if value is not None else None


def _assign(obj, plain: dict) -> None:
    for name, value in plain.items():
        field = obj._meta.get_field(name)
        if isinstance(field, models.FileField):
            field.save_form_data(obj, value)  # None keeps the file, False clears it
        elif field.is_relation and not isinstance(value, models.Model):
            setattr(obj, field.attname, value)
        else:
            setattr(obj, name, value)


def _plain_changes(obj, plain: dict) -> list[str]:
    """The names in ``plain`` whose value differs from the stored row's."""
    if not plain:
        return []
    model = type(obj)
    fields = {name: model._meta.get_field(name) for name in plain}
    stored = (
        model._default_manager.filter(pk=obj.pk)
        .values(*(field.attname for field in fields.values()))
        .first()
    )
    if stored is None:
        raise ValidationError(_("This was deleted while you were editing."))
    changed = []
    for name, field in fields.items():
        value = plain[name]
        if isinstance(field, models.FileField) and value is None:
            continue  # no new file: the stored one stays
        if stored[field.attname] != _stored_value(field, value):
            changed.append(name)
    return changed


def _link_changes(obj, links: dict) -> dict:
    """The many-to-many values in ``links`` that differ from the stored links."""
    changed = {}
    for name, values in links.items():
        values = list(values)
        stored = set(getattr(obj, name).values_list("pk", flat=True))
        if stored != {_key(value) for value in values}:
            changed[name] = values
    return changed


def _set_links(obj, links: dict) -> None:
    for name, values in links.items():
        getattr(obj, name).set(values)


def is_versioned(model) -> bool:
    return any(field.name == "edit_version" for field in model._meta.concrete_fields)


@transaction.atomic
def row_create(obj, *, actor, data: dict, fields: Iterable[str] | None = None):
    """Fill the unsaved ``obj`` from ``data``, validate it, insert it, then set its links.

    ``obj`` comes with what the service decides (its parent); ``data`` with the rest.
    Returns ``obj``. Raises ``ValidationError`` (and writes nothing) when it is invalid.
    """
    plain, links = _split(type(obj), data, fields)
    _assign(obj, plain)
    obj.full_clean()
    obj._history_user = history_user(actor)
    obj.save()
    _set_links(obj, links)
    return obj


@transaction.atomic
def row_update(
    obj,
    *,
    actor,
    data: dict,
    expected_version: int | None = None,
    fields: Iterable[str] | None = None,
) -> list[str]:
    """Write the values of ``data`` that differ from the stored row; return their names.

    Compared with the database, not with ``obj``'s attributes, so a row a model form
    has already changed is written all the same. Nothing is written when nothing
    differs. A row with ``edit_version`` is saved only if it still has
    ``expected_version`` (default: the version ``obj`` was loaded at), else
    ``EditConflict``; ``expected_version`` for another model is a ``TypeError``.
    Raises ``ValidationError`` (and writes nothing) when the result is invalid.
    """
    model = type(obj)
    versioned = is_versioned(model)
    if expected_version is not None and not versioned:
        raise TypeError(f"{model.__name__} has no edit version")
    plain, links = _split(model, data, fields)
    changed = _plain_changes(obj, plain)
    changed_links = _link_changes(obj, links)
    if not changed and not changed_links and expected_version is None:
        return []
    _assign(obj, {name: plain[name] for name in changed})
    obj.full_clean()
    obj._history_user = history_user(actor)
    if versioned:
        version = obj.edit_version if expected_version is None else expected_version
        submitted = {name: plain[name] for name in changed} | changed_links
        save_versioned(obj, expected_version=version, data=submitted)
    else:
        if changed:
            automatic = [
                field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", 0)
            ]
            obj.save(update_fields=[*changed, *automatic])
        _set_links(obj, changed_links)
    return [*changed, *changed_links]


@transaction.atomic
def row_delete(obj, *, actor) -> None:
    """Delete ``obj``; its history's deletion record names ``actor``."""
    obj._history_user = history_user(actor)
    obj.delete()


UP, DOWN = "up", "down"
DIRECTIONS = (UP, DOWN)


def rows_renumber(rows, *, actor) -> None:
    """Give ``rows`` (in their new order) the dense ``order`` 1, 2, 3, … writing only changes."""
    for position, row in enumerate(rows, start=1):
        if row.order != position:
            row_update(row, actor=actor, data={"order": position})


def rows_move(rows, row, *, actor, direction: str) -> None:
    """Move ``row`` one place up or down among its siblings ``rows``; order stays dense.

    At the top (or bottom) already, the move changes nothing but the numbering.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}")
    rows = list(rows)
    index = next(i for i, other in enumerate(rows) if other.pk == row.pk)
    target = index - 1 if direction == UP else index + 1
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    rows_renumber(rows, actor=actor)
