"""Small helpers the apps' services share for writing plain fields and idempotent upserts."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


def assign_fields(obj, values: dict, allowed) -> list[str]:
    """Set ``values`` on ``obj``; return the names that changed. Unknown names are a TypeError."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def update_fields(obj, values: dict, allowed):
    """Set ``values`` on ``obj`` and, if any changed, validate it and save only those fields."""
    changed = assign_fields(obj, values, allowed)
    if changed:
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj


@contextmanager
def acting_as(actor):
    """Attribute the history records written inside the block to ``actor``.

    As simple-history's middleware does for a request's user; for writes made outside a
    request (management commands). ``None`` leaves the attribution as it is.
    """
    if actor is None:
        yield
        return
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=actor)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


def values_differing(obj, values: dict) -> dict:
    """The entries of ``values`` that ``obj`` does not have; many-to-many compared as sets."""
    differing = {}
    for name, value in values.items():
        if obj._meta.get_field(name).many_to_many:
            if set(getattr(obj, name).all()) != set(value):
                differing[name] = list(value)
        elif getattr(obj, name) != value:
            differing[name] = value
    return differing


def get_or_create_updated(model, *, lookup: dict, values: dict, create, update):
    """The row ``lookup`` finds, brought to ``values``; returns ``(row, written)``.

    ``create(**lookup, **values)`` makes a missing row; ``update(row, differing)`` gets
    only the values that differ, and is not called when none do, so an unchanged row
    gets no write and no history record.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return create(**lookup, **values), True
    differing = values_differing(obj, values)
    if differing:
        obj = update(obj, differing) or obj
    return obj, bool(differing)


def upsert(model, *, lookup: dict, values: dict, allowed):
    """``get_or_create_updated`` with plain writes: validate, then save the fields that differ.

    For rows without a write service of their own. Returns ``(row, written)``.
    """
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]

    def split(fields: dict) -> tuple[dict, dict]:
        m2m = {n: v for n, v in fields.items() if model._meta.get_field(n).many_to_many}
        return {n: v for n, v in fields.items() if n not in m2m}, m2m

    def create(**fields):
        plain, m2m = split(fields)
        obj = model(**plain)
        obj.full_clean()
        obj.save()
        for name, rows in m2m.items():
            getattr(obj, name).set(rows)
        return obj

    def update(obj, differing: dict):
        plain, m2m = split(differing)
        if plain:
            for name, value in plain.items():
                setattr(obj, name, value)
            obj.full_clean()
            obj.save(update_fields=[*plain, *auto_now])
        for name, rows in m2m.items():
            getattr(obj, name).set(rows)
        return obj

    return get_or_create_updated(model, lookup=lookup, values=values, create=create, update=update)
