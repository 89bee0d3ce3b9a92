"""Deleted rows come back from history (django-simple-history), by an administrator."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from heimplan.cache import public_content_changed


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
def record_restore(*, model, history_id: int):
    """Bring back the row a deletion record describes, as it was when deleted.

    Measures come back with the status reports deleted with them. Refused
    (``ValidationError``) when the row exists again, when what it belonged to is
    gone, or when its plan's text is locked.
    """
    history = model.history.model
    record = history.objects.filter(history_id=history_id, history_type="-").first()
    if record is None:
        raise ValidationError(_("There is no such deletion to undo."))
    if model.objects.filter(pk=record.id).exists():
        raise ValidationError(_("This has already been restored."))
    instance = record.instance
    try:
        plan = instance.plan
    except ObjectDoesNotExist as error:
        raise ValidationError(_("The plan it belonged to has been deleted too.")) from error
    plan.assert_editable()
    for name in ("focus_area", "responsible_unit"):
        if hasattr(type(instance), name) and getattr(instance, f"{name}_id", None):
            try:
                getattr(instance, name)
            except ObjectDoesNotExist:
                if name == "focus_area":
                    instance.focus_area = None
                else:
                    raise ValidationError(
                        _("The responsible unit has been deleted; restore it first.")
                    ) from None
    instance.full_clean(validate_unique=True, validate_constraints=True)
    instance.save(force_insert=True)
    from measures.models import Measure, StatusReport

    if model is Measure:
        reports = StatusReport.history.filter(
            # Deleted with it: the cascade writes their records just before the measure's.
            measure_id=instance.pk,
            history_type="-",
            history_date__gte=record.history_date - timedelta(minutes=1),
        ).exclude(id__in=StatusReport.objects.values("pk"))
        for report_record in reports:
            report = report_record.instance
            if (
                report.author_id
                and not type(report)
                .author.field.related_model.objects.filter(pk=report.author_id)
                .exists()
            ):
                report.author = None
            report.save(force_insert=True)
    public_content_changed()
    return instance
