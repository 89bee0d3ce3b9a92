"""History (django-simple-history): what the models record, and deleted rows brought back.

Models take ``HistoricalRecords`` from here. Many-to-many fields named in its
``m2m_fields`` are recorded too: each historical record keeps the links the row had
then (simple-history's historical through tables), and a change of links writes a
record of its own (on ``m2m_changed``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords as _HistoricalRecords


class HistoricalRecords(_HistoricalRecords):
    """simple-history's ``HistoricalRecords``, also when links change from the other side.

    simple-history 3.13 records a tracked many-to-many change made from the model's
    own side (``measure.partner_units.add(unit)``), but one made from the other side
    (``unit.partner_in.add(measure)``) raised AttributeError (django-simple-history
    issue 1048). Here such a change writes a record for each row of the model it touched.
    """

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return None
        model = kwargs["model"]  # the model with the tracked field; pk_set holds its keys
        key = (model._meta.label, attr)
        if action == "pre_clear":
            cleared = instance.__dict__.setdefault("_history_reverse_cleared", {})
            cleared[key] = set(
                model._default_manager.filter(**{attr: instance}).values_list("pk", flat=True)
            )
            return None
        if action == "post_clear":
            pks = instance.__dict__.get("_history_reverse_cleared", {}).pop(key, set())
        elif action in ("post_add", "post_remove"):
            pks = pk_set or set()
        else:
            return None
        for row in model._default_manager.filter(pk__in=pks).order_by("pk"):
            if not hasattr(row, "skip_history_when_saving"):
                self.create_historical_record(row, "~")
        return None


def m2m_history_fields(model) -> list:
    """The many-to-many fields of ``model`` whose links its history records."""
    return list(getattr(model.history.model, "_history_m2m_fields", []))


def m2m_history_model(field):
    """The historical through model that keeps m2m ``field``'s links per historical record."""
    return _HistoricalRecords.m2m_models[field]


def m2m_linked_ids(record, field) -> set:
    """The keys of the rows historical ``record`` was linked to through m2m ``field``."""
    return set(getattr(record, field.name).values_list(field.m2m_reverse_field_name(), flat=True))


def m2m_link_names(model, records: list) -> dict:
    """The links each historical record keeps: ``{history_id: {field: {pk: name}}}``.

    One query per many-to-many field of ``model`` that its history records (the
    linked rows' names come in the same query); rows deleted since are named from
    their own history, which costs a query only when there are such rows.
    """
    links: dict = {record.history_id: {} for record in records}
    if not records:
        return links
    for field in m2m_history_fields(model):
        target = field.m2m_reverse_field_name()
        target_attname = f"{target}_id"
        rows = (
            m2m_history_model(field)
            .objects.filter(history_id__in=list(links))
            .select_related(target)
        )
        missing: dict = {}
        for row in rows:
            pk = getattr(row, target_attname)
            linked = getattr(row, target)
            names = links[row.history_id].setdefault(field.name, {})
            names[pk] = str(linked) if linked is not None else None
            if linked is None:
                missing.setdefault(pk, []).append(names)
        if missing:
            known = _names_from_history(field.related_model, list(missing))
            for pk, name_maps in missing.items():
                for names in name_maps:
                    names[pk] = known.get(pk, f"#{pk}")
    return links


def _names_from_history(model, pks: list) -> dict:
    """Names of deleted rows of ``model``, from their last historical record if it has one."""
    history = getattr(model, "history", None)
    if history is None:
        return {}
    names = {}
    for record in history.filter(id__in=pks).order_by("id", "-history_date", "-history_id"):
        names.setdefault(record.id, str(record.instance))
    return names


def m2m_changes(model, links: dict, newer, older) -> list[dict]:
    """The link changes from ``older`` to ``newer``: field name, names before and after."""
    changes = []
    for field in m2m_history_fields(model):
        before = links.get(older.history_id, {}).get(field.name, {})
        after = links.get(newer.history_id, {}).get(field.name, {})
        if set(before) != set(after):
            changes.append(
                {
                    "field": str(field.verbose_name),
                    "before": sorted(before.values(), key=str.casefold),
                    "after": sorted(after.values(), key=str.casefold),
                }
            )
    return changes


def m2m_history_backfill(apps, schema_editor, *, app_label: str, model_name: str, fields) -> None:
    """Give the existing historical records of live rows the links the rows have now.

    For the migrations that start recording ``fields``. Earlier link changes were never
    recorded, so the nearest truth is "unchanged": no made-up change appears between
    old records, and a row deleted later comes back with the links it has today.
    """
    model = apps.get_model(app_label, model_name)
    history = apps.get_model(app_label, f"Historical{model_name}")
    for name in fields:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        m2m_history = apps.get_model(app_label, f"Historical{model_name}_{name}")
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links: dict = {}
        for pk, source_id, target_id in through.objects.values_list(
            "pk", f"{source}_id", f"{target}_id"
        ).iterator():
            links.setdefault(source_id, []).append((pk, target_id))
        batch = []
        records = history.objects.filter(id__in=list(links)).values_list("history_id", "id")
        for history_id, row_id in records.iterator():
            for pk, target_id in links[row_id]:
                batch.append(
                    m2m_history(
                        history_id=history_id,
                        id=pk,
                        **{f"{source}_id": row_id, f"{target}_id": target_id},
                    )
                )
            if len(batch) >= 1000:
                m2m_history.objects.bulk_create(batch)
                batch = []
        m2m_history.objects.bulk_create(batch)


def deleted_records(model, *, limit: int = 200) -> list:
    """The deletion record of each row of ``model`` that is gone, newest deletion first."""
    history = model.history.model
    newest = (
        history.objects.values("id").annotate(last=Max("history_id")).values_list("last", flat=True)
    )
    records = (
        history.objects.filter(history_id__in=list(newest), history_type="-")
        .exclude(id__in=model.objects.values("pk"))
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    return list(records)


@transaction.atomic
def record_restore(*, model, history_id: int, check=None, actor=None):
    """Bring back the row a deletion record describes, as it was when deleted.

    It comes back with the many-to-many links its history keeps, to the rows that
    still exist. ``check(instance)`` runs before the row is written and refuses with
    ``ValidationError`` (the app's rule: the plan's text is locked, the plan is gone).
    Foreign keys to rows deleted since: an optional one is cleared, a required one
    refuses. Returns the restored row and its deletion record. Publishing is the
    caller's (an app service's) business.
    """
    history = model.history.model
    record = history.objects.filter(history_id=history_id, history_type="-").first()
    if record is None:
        raise ValidationError(_("There is no such deletion to undo."))
    if model.objects.filter(pk=record.id).exists():
        raise ValidationError(_("This has already been restored."))
    instance = record.instance
    if check is not None:
        check(instance)
    for field in model._meta.concrete_fields:
        if not field.many_to_one or getattr(instance, field.attname) is None:
            continue
        try:
            getattr(instance, field.name)
        except ObjectDoesNotExist:
            if not field.null:
                raise ValidationError(
                    _("“%(field)s” it pointed to has been deleted; restore that first.")
                    % {"field": field.verbose_name}
                ) from None
            setattr(instance, field.name, None)
    if actor is not None:
        instance._history_user = actor
    instance.full_clean(validate_unique=True, validate_constraints=True)
    instance.save(force_insert=True)
    _links_restore(model, instance, record)
    return instance, record


def _links_restore(model, instance, record) -> None:
    """Give a restored row back the m2m links it had when ``record`` deleted it.

    The deletion record keeps no links (the database removed them first), so its own
    links come from the record before it. Links kept on the other side (a participation
    input's measures) come from each such row's last record up to the deletion: no one
    can have unlinked a row that no longer existed. Rows deleted since are left out.
    """
    fields = m2m_history_fields(model)
    before = fields and (
        model.history.filter(id=record.id, history_date__lte=record.history_date)
        .exclude(history_id=record.history_id)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if before:
        for field in fields:
            ids = m2m_linked_ids(before, field)
            if ids:
                getattr(instance, field.name).add(
                    *field.related_model._default_manager.filter(pk__in=ids)
                )
    for field, m2m_history in _HistoricalRecords.m2m_models.items():
        if field.related_model is not model or field.model is model:
            continue
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        linked = dict(
            m2m_history.objects.filter(**{target: instance.pk}).values_list("history_id", source)
        )
        if not linked:
            continue
        owner_history = field.model.history.filter(
            id__in=set(linked.values()), history_date__lte=record.history_date
        ).order_by("id", "-history_date", "-history_id")
        latest: dict = {}
        for owner_record in owner_history.only("id", "history_id", "history_date"):
            latest.setdefault(owner_record.id, owner_record.history_id)
        owner_ids = [pk for pk, history_id in latest.items() if history_id in linked]
        for owner in field.model._default_manager.filter(pk__in=owner_ids).order_by("pk"):
            getattr(owner, field.name).add(instance)
