"""Small helpers the apps' services share for writing plain fields."""

from __future__ import annotations


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
