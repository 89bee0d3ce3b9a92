"""Writes to measures: every change of a measure's text or status goes through here.

Focus areas, measures, status reports and target groups, from the admin, the
follow-up pages and the loaders alike: ``<thing>_create(*, actor, <parent>, data)``,
``<thing>_update(*, actor, <thing>, data, expected_version=None)``,
``<thing>_delete(*, actor, <thing>)``, and ``measure_report_status``.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import record_restore
from core.publishing import public_content_changed
from core.services import history_user, row_create, row_delete, row_update, rows_move, rows_renumber
from measures.models import FocusArea, Measure, MeasureStatus, StatusReport, TargetGroup
from organisation.models import Unit
from plans.models import Goal, Plan
from plans.services import plan_row_restore_check

# -- focus areas ---------------------------------------------------------------------


@transaction.atomic
def focus_area_create(*, actor, plan: Plan, data: dict) -> FocusArea:
    """Add a focus area (innsatsområde) to a plan whose text may be edited."""
    plan.assert_editable()
    area = row_create(FocusArea(plan=plan), actor=actor, data=data)
    public_content_changed(plan_ids=[plan.pk])
    return area


@transaction.atomic
def focus_area_update(
    *, actor, focus_area: FocusArea, data: dict, expected_version: int | None = None
) -> FocusArea:
    """Change a focus area; refused (``ValidationError``) while its plan's text is locked."""
    plan_id = focus_area.plan_id
    if row_update(focus_area, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=[plan_id, focus_area.plan_id])
    return focus_area


@transaction.atomic
def focus_area_delete(*, actor, focus_area: FocusArea) -> None:
    """Delete a focus area without measures, while its plan's text may be edited."""
    focus_area.plan.assert_editable()
    plan_id = focus_area.plan_id
    row_delete(focus_area, actor=actor)
    rows_renumber(_areas_of(plan_id), actor=actor)
    public_content_changed(plan_ids=[plan_id])


def _areas_of(plan_id: int):
    return FocusArea.objects.filter(plan_id=plan_id).order_by("order", "id")


def focus_area_next_order(plan: Plan) -> int:
    """The ``order`` that puts a new focus area last in ``plan``."""
    return (plan.focus_areas.aggregate(last=Max("order"))["last"] or 0) + 1


@transaction.atomic
def focus_area_move(*, actor, focus_area: FocusArea, direction: str) -> None:
    """Move a focus area one place up or down in its plan; the order stays dense."""
    focus_area.plan.assert_editable()
    rows_move(_areas_of(focus_area.plan_id), focus_area, actor=actor, direction=direction)
    public_content_changed(plan_ids=[focus_area.plan_id])


# -- measures ------------------------------------------------------------------------


def _check_goals(plan_id: int, data: dict) -> None:
    """A measure serves only goals of its own plan."""
    goals = data.get("goals")
    if goals is None:
        return
    ids = {goal.pk if hasattr(goal, "pk") else goal for goal in goals}
    if ids and Goal.objects.filter(pk__in=ids).exclude(plan_id=plan_id).exists():
        raise ValidationError({"goals": _("A measure can only serve goals of its own plan.")})


@transaction.atomic
def measure_create(*, actor, plan: Plan, data: dict) -> Measure:
    """Add a measure to a plan whose text may be edited. Its status starts as not started."""
    plan.assert_editable()
    _check_goals(plan.pk, data)
    measure = row_create(Measure(plan=plan), actor=actor, data=data)
    public_content_changed(plan_ids=[plan.pk])
    return measure


@transaction.atomic
def measure_update(
    *, actor, measure: Measure, data: dict, expected_version: int | None = None
) -> Measure:
    """Change a measure's text and responsibility; refused on a locked plan or a stale version.

    ``data`` maps field names to new values (many-to-many as iterables). Raises
    ``ValidationError`` when the plan is not editable or a value is invalid, and
    ``core.concurrency.EditConflict`` when someone saved the measure since
    ``expected_version``; in both cases nothing is written.
    """
    measure.plan.assert_editable()
    plan_id = measure.plan_id
    _check_goals(plan_id, data)
    if row_update(measure, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=[plan_id, measure.plan_id])
    return measure


@transaction.atomic
def measure_delete(*, actor, measure: Measure) -> None:
    """Delete a measure with its status reports, while its plan's text may be edited."""
    measure.plan.assert_editable()
    plan_id, area_id = measure.plan_id, measure.focus_area_id
    row_delete(measure, actor=actor)
    rows_renumber(_measures_in(plan_id, area_id), actor=actor)
    public_content_changed(plan_ids=[plan_id])


def _measures_in(plan_id: int, focus_area_id: int | None):
    """The measures of one focus area (or of none) of a plan, in order."""
    return Measure.objects.filter(plan_id=plan_id, focus_area_id=focus_area_id).order_by(
        "order", "id"
    )


def measure_next_order(plan: Plan, focus_area: FocusArea | None) -> int:
    """The ``order`` that puts a new measure last in ``focus_area`` of ``plan``."""
    rows = _measures_in(plan.pk, focus_area.pk if focus_area else None)
    return (rows.aggregate(last=Max("order"))["last"] or 0) + 1


@transaction.atomic
def measure_move(
    *,
    actor,
    measure: Measure,
    direction: str | None = None,
    focus_area: FocusArea | None = None,
) -> Measure:
    """Move a measure one place up or down in its focus area, or to the end of ``focus_area``.

    ``focus_area`` must belong to the measure's plan (``ValidationError`` otherwise, as
    on a locked plan); both areas close up, so the order stays dense.
    """
    measure.plan.assert_editable()
    if focus_area is not None:
        if focus_area.plan_id != measure.plan_id:
            raise ValidationError({"focus_area": _("The focus area belongs to another plan.")})
        old_area_id = measure.focus_area_id
        if focus_area.pk != old_area_id:
            row_update(
                measure,
                actor=actor,
                data={
                    "focus_area": focus_area,
                    "order": measure_next_order(measure.plan, focus_area),
                },
            )
            rows_renumber(_measures_in(measure.plan_id, old_area_id), actor=actor)
    elif direction is not None:
        rows = _measures_in(measure.plan_id, measure.focus_area_id)
        rows_move(rows, measure, actor=actor, direction=direction)
        measure.refresh_from_db()
    else:
        raise TypeError("measure_move needs a direction or a focus area")
    public_content_changed(plan_ids=[measure.plan_id])
    return measure


def _restore_check(measure: Measure) -> None:
    plan_row_restore_check(measure)
    if (
        measure.responsible_unit_id
        and not Unit.objects.filter(pk=measure.responsible_unit_id).exists()
    ):
        raise ValidationError(_("The responsible unit has been deleted; restore it first."))


@transaction.atomic
def measure_restore(*, actor, history_id: int) -> Measure:
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
        report._history_user = history_user(actor)
        report.save(force_insert=True)
    public_content_changed(plan_ids=[measure.plan_id])
    return measure


# -- status reports ------------------------------------------------------------------


def _newest_status(measure: Measure) -> str:
    newest = measure.status_reports.order_by("-reported_on", "-id").only("status").first()
    return newest.status if newest else MeasureStatus.NOT_STARTED


def _follow_newest_report(measure: Measure, *, actor) -> None:
    """Give ``measure`` the status of its newest report (not started without one)."""
    status = _newest_status(measure)
    if measure.status != status:
        measure.status = status
        measure._history_user = history_user(actor)
        measure.save(update_fields=["status", "updated_at"])
        public_content_changed(plan_ids=[measure.plan_id])


@transaction.atomic
def measure_report_status(
    *,
    actor,
    measure: Measure,
    status: str,
    text: str = "",
    reported_on: date | None = None,
) -> StatusReport:
    """Record a status report by ``actor`` (its author); the newest report decides the status.

    A report dated before an existing newer one is kept as history without
    moving the status back. Allowed whatever the plan's status: follow-up goes on
    after adoption.
    """
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("A status report cannot be dated in the future.")})
    report = row_create(
        StatusReport(measure=measure, author=history_user(actor)),
        actor=actor,
        data={"status": status, "text": text, "reported_on": reported_on},
    )
    _follow_newest_report(measure, actor=actor)
    return report


class ReportsRefused(Exception):
    """Some rows of a bulk status report were refused; nothing was saved.

    ``errors`` maps the index of each refused row to its ``ValidationError``;
    ``newer`` maps the index of each row refused because of a newer report to it.
    """

    def __init__(self, errors: dict[int, ValidationError], newer: dict[int, StatusReport]):
        super().__init__(errors)
        self.errors = errors
        self.newer = newer


def _newer_report_refusal(report: StatusReport) -> ValidationError:
    return ValidationError(
        _(
            "Someone else reported on this measure after you opened the page: "
            "“%(status)s” on %(date)s. %(text)s Check your report and save again."
        )
        % {
            "status": report.get_status_display(),
            "date": report.reported_on.strftime("%d.%m.%Y"),
            "text": report.text,
        }
    )


@transaction.atomic
def measures_report_status(*, actor, reports: list[dict]) -> list[StatusReport]:
    """Record several status reports at once (``measure_report_status`` for each): all or none.

    Each item holds ``measure``, ``status``, ``text``, ``reported_on`` and
    ``last_report_id``: the id of the measure's newest report when the person loaded
    it (``None`` for none). A measure that has got a newer report since then is
    refused, as is an invalid row; then nothing is saved and ``ReportsRefused`` says
    which rows and why. The caller has checked that ``actor`` may report on each.
    """
    measure_ids = [item["measure"].pk for item in reports]
    # Lock the measures so that no report slips in between the check and the writes.
    list(
        # No ordering: the default one joins the focus area, and PostgreSQL cannot lock the
        # nullable side of an outer join.
        Measure.objects.order_by()
        .select_for_update(of=("self",))
        .filter(pk__in=measure_ids)
        .values_list("pk")
    )
    newest_ids = dict(
        StatusReport.objects.filter(measure_id__in=measure_ids)
        .values("measure_id")
        .annotate(newest=Max("id"))
        .values_list("measure_id", "newest")
    )
    stale = {
        index: newest_ids[item["measure"].pk]
        for index, item in enumerate(reports)
        if newest_ids.get(item["measure"].pk) != (item.get("last_report_id") or None)
    }
    newer_reports = StatusReport.objects.in_bulk(stale.values())
    newer = {index: newer_reports[report_id] for index, report_id in stale.items()}
    errors = {index: _newer_report_refusal(report) for index, report in newer.items()}
    saved = []
    for index, item in enumerate(reports):
        if index in errors:
            continue
        try:
            saved.append(
                measure_report_status(
                    actor=actor,
                    measure=item["measure"],
                    status=item["status"],
                    text=item.get("text", ""),
                    reported_on=item.get("reported_on"),
                )
            )
        except ValidationError as error:
            errors[index] = error
    if errors:
        raise ReportsRefused(errors, newer)
    return saved


@transaction.atomic
def status_report_create(*, actor, measure: Measure, data: dict) -> StatusReport:
    """``measure_report_status`` with its values in ``data`` (status, text, reported_on)."""
    return measure_report_status(actor=actor, measure=measure, **data)


@transaction.atomic
def status_report_delete(*, actor, status_report: StatusReport) -> None:
    """Delete a report made in error; the measure takes the status of the newest one left."""
    measure = status_report.measure
    row_delete(status_report, actor=actor)
    _follow_newest_report(measure, actor=actor)


# -- target groups -------------------------------------------------------------------


def _plans_of(target_group: TargetGroup) -> list[int]:
    """The plans with measures for ``target_group``: their pages name it."""
    return list(
        Measure.objects.filter(target_groups=target_group)
        .values_list("plan_id", flat=True)
        .distinct()
    )


@transaction.atomic
def target_group_create(*, actor, data: dict) -> TargetGroup:
    """Add a target group (no measure is for it yet)."""
    return row_create(TargetGroup(), actor=actor, data=data)


@transaction.atomic
def target_group_update(
    *, actor, target_group: TargetGroup, data: dict, expected_version: int | None = None
) -> TargetGroup:
    """Rename or describe a target group; the plans with measures for it show the change."""
    if row_update(target_group, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=_plans_of(target_group))
    return target_group


@transaction.atomic
def target_group_delete(*, actor, target_group: TargetGroup) -> None:
    """Delete a target group; the measures that were for it no longer name it."""
    plan_ids = _plans_of(target_group)
    row_delete(target_group, actor=actor)
    public_content_changed(plan_ids=plan_ids)
