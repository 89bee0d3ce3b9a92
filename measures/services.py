"""Writes to measures: every change of a measure's status goes through here."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heimplan.cache import public_content_changed
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
