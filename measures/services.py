"""Writes to measures: every change of a measure's text or status goes through here."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heimplan.cache import public_content_changed
from heimplan.concurrency import save_versioned
from measures.models import Measure, StatusReport


@transaction.atomic
def measure_report_status(
    *,
    measure: Measure,
    status: str,
    text: str = "",
    reported_on: date | None = None,
    author=None,
) -> StatusReport:
    """Record a status report; the newest report decides the measure's status.

    A report dated before an existing newer one is kept as history without
    moving the status back.
    """
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("A status report cannot be dated in the future.")})
    report = StatusReport(
        measure=measure, status=status, text=text, reported_on=reported_on, author=author
    )
    report.full_clean()
    report.save()
    newest = measure.status_reports.order_by("-reported_on", "-id").only("pk").first()
    if newest.pk == report.pk and measure.status != status:
        measure.status = status
        measure.save(update_fields=["status", "updated_at"])
        public_content_changed()
    return report


@transaction.atomic
def measure_update(*, measure: Measure, data: dict, expected_version: int) -> Measure:
    """Change a measure's text and responsibility; refused on a locked plan or a stale version.

    ``data`` maps field names to new values (many-to-many as iterables). Raises
    ``ValidationError`` when the plan is not editable or a value is invalid, and
    ``heimplan.concurrency.EditConflict`` when someone saved the measure since
    ``expected_version``; in both cases nothing is written.
    """
    measure.plan.assert_editable()
    for name, value in data.items():
        if not isinstance(Measure._meta.get_field(name), models.ManyToManyField):
            setattr(measure, name, value)
    measure.full_clean(exclude=[n for n in ("partner_units", "target_groups") if n in data])
    save_versioned(measure, expected_version=expected_version, data=data)
    public_content_changed()
    return measure
