"""Writes to measures: every change of a measure's text or status goes through here."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import save_versioned
from core.history import record_restore
from core.publishing import public_content_changed
from core.services import acting_as, assign_fields, get_or_create_updated, upsert
from measures.models import FocusArea, Measure, StatusReport, TargetGroup
from organisation.models import Unit
from plans.services import plan_row_restore_check


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
    ``core.concurrency.EditConflict`` when someone saved the measure since
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


def _restore_check(measure: Measure) -> None:
    plan_row_restore_check(measure)
    if (
        measure.responsible_unit_id
        and not Unit.objects.filter(pk=measure.responsible_unit_id).exists()
    ):
        raise ValidationError(_("The responsible unit has been deleted; restore it first."))


@transaction.atomic
def measure_restore(*, history_id: int, actor=None) -> Measure:
    """Bring back a deleted measure with its links and the status reports deleted with it.

    Refused (``ValidationError``) when it exists again, its plan is gone or locked,
    or its responsible unit is gone.
    """
    measure, record = record_restore(
        model=Measure, history_id=history_id, check=_restore_check, actor=actor
    )
    reports = StatusReport.history.filter(
        # Deleted with it: the cascade writes their records just before the measure's.
        measure_id=measure.pk,
        history_type="-",
        history_date__gte=record.history_date - timedelta(minutes=1),
    ).exclude(id__in=StatusReport.objects.values("pk"))
    User = get_user_model()
    for report_record in reports:
        report = report_record.instance
        if report.author_id and not User.objects.filter(pk=report.author_id).exists():
            report.author = None
        report.save(force_insert=True)
    public_content_changed(plan_ids=[measure.plan_id])


MEASURE_FIELDS = (
    "focus_area",
    "order",
    "description",
    "responsible_unit",
    "responsible_role",
    "partner_units",
    "target_groups",
    "prevention_level",
    "start_date",
    "deadline",
    "timing",
    "resources",
)


@transaction.atomic
def target_group_upsert(*, slug: str, name: str, actor=None, **values) -> TargetGroup:
    """The target group with ``slug``, created or brought to these values; a change publishes."""
    with acting_as(actor):
        group, written = upsert(
            TargetGroup,
            lookup={"slug": slug},
            values={"name": name, **values},
            allowed=("name", "description"),
        )
    if written:
        public_content_changed()
    return group


@transaction.atomic
def focus_area_upsert(*, plan, title: str, actor=None, **values) -> FocusArea:
    """The focus area ``title`` of ``plan``, created or brought to these values (order,
    description); refused on a locked plan when anything would change."""
    with acting_as(actor):
        area, written = upsert(
            FocusArea,
            lookup={"plan": plan, "title": title},
            values=values,
            allowed=("order", "description"),
        )
    if written:
        public_content_changed()
    return area


@transaction.atomic
def measure_create(*, plan, title: str, responsible_unit, actor=None, **values) -> Measure:
    """Add a measure to ``plan`` (only while its text may be edited); status starts as
    not started and moves through ``measure_report_status``."""
    plan.assert_editable()
    m2m = {n: values.pop(n) for n in ("partner_units", "target_groups") if n in values}
    measure = Measure(plan=plan, title=title, responsible_unit=responsible_unit)
    assign_fields(measure, values, MEASURE_FIELDS)
    measure.full_clean()
    with acting_as(actor):
        measure.save()
        for name, rows in m2m.items():
            getattr(measure, name).set(rows)
    public_content_changed()
    return measure


@transaction.atomic
def measure_upsert(*, plan, title: str, actor=None, **values) -> Measure:
    """The measure ``title`` of ``plan``, through ``measure_create`` or ``measure_update``."""
    with acting_as(actor):
        measure, _written = get_or_create_updated(
            Measure,
            lookup={"plan": plan, "title": title},
            values=values,
            create=measure_create,
            update=lambda measure, differing: measure_update(
                measure=measure, data=differing, expected_version=measure.edit_version
            ),
        )
    return measure
