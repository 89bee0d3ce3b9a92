"""Writes to indicators and their values. Indicators are follow-up, not plan text:
they change without a new adoption, and every change refreshes the public pages of
the plan (``public_content_changed``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.publishing import public_content_changed
from core.services import history_user, row_create, row_delete, row_update, rows_move
from plans.models import Goal, Plan
from results import reports
from results.importers import ImportResult, ParsedRow
from results.models import Indicator, IndicatorValue, YearlyReport

# -- indicators --------------------------------------------------------------------------


def _indicators_of(goal_id: int):
    return Indicator.objects.filter(goal_id=goal_id).order_by("order", "id")


def indicator_next_order(goal: Goal) -> int:
    return (_indicators_of(goal.pk).aggregate(last=Max("order"))["last"] or 0) + 1


@transaction.atomic
def indicator_create(*, actor, goal: Goal, data: dict) -> Indicator:
    """Add an indicator to a goal (at any stage of the plan: it is follow-up)."""
    data = {"order": indicator_next_order(goal), **data}
    indicator = row_create(Indicator(goal=goal), actor=actor, data=data)
    public_content_changed(plan_ids=[goal.plan_id])
    return indicator


@transaction.atomic
def indicator_update(
    *, actor, indicator: Indicator, data: dict, expected_version: int | None = None
) -> Indicator:
    """Change an indicator's definition, source, baseline or target; it may move to
    another goal of the same plan only."""
    old_goal = indicator.goal
    if "goal" in data:
        new_goal = data["goal"]
        new_plan = new_goal.plan_id if isinstance(new_goal, Goal) else None
        if new_plan is None:
            new_plan = Goal.objects.filter(pk=new_goal).values_list("plan_id", flat=True).first()
        if new_plan != old_goal.plan_id:
            raise ValidationError({"goal": _("Choose a goal of the same plan.")})
    if row_update(indicator, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=[old_goal.plan_id])
    return indicator


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> None:
    """Delete an indicator with its values."""
    plan_id = indicator.goal.plan_id
    row_delete(indicator, actor=actor)
    public_content_changed(plan_ids=[plan_id])


@transaction.atomic
def indicator_move(*, actor, indicator: Indicator, direction: str) -> None:
    rows_move(_indicators_of(indicator.goal_id), indicator, actor=actor, direction=direction)
    public_content_changed(plan_ids=[indicator.goal.plan_id])


# -- values ------------------------------------------------------------------------------


@transaction.atomic
def indicator_value_create(*, actor, indicator: Indicator, data: dict) -> IndicatorValue:
    """Enter one value; a second value for the same date is refused."""
    value = IndicatorValue(indicator=indicator, entered_by=history_user(actor))
    value = row_create(value, actor=actor, data=data)
    public_content_changed(plan_ids=[indicator.goal.plan_id])
    return value


@transaction.atomic
def indicator_value_update(
    *, actor, indicator_value: IndicatorValue, data: dict, expected_version: int | None = None
) -> IndicatorValue:
    if row_update(indicator_value, actor=actor, data=data, expected_version=expected_version):
        IndicatorValue.objects.filter(pk=indicator_value.pk).update(entered_by=history_user(actor))
        public_content_changed(plan_ids=[indicator_value.indicator.goal.plan_id])
    return indicator_value


@transaction.atomic
def indicator_value_delete(*, actor, indicator_value: IndicatorValue) -> None:
    plan_id = indicator_value.indicator.goal.plan_id
    row_delete(indicator_value, actor=actor)
    public_content_changed(plan_ids=[plan_id])


@dataclass
class ImportPreview:
    """What applying an import would do: rows to add, rows to change, rows already so."""

    new: list[ParsedRow]
    changed: list[tuple[ParsedRow, IndicatorValue]]
    unchanged: list[ParsedRow]

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed)


def _differs(row: ParsedRow, stored: IndicatorValue) -> bool:
    return (
        stored.value != row.value
        or stored.period != row.period
        or stored.note != row.note
        or stored.source != row.source
    )


def indicator_import_preview(*, indicator: Indicator, result: ImportResult) -> ImportPreview:
    """Compare the rows read from a file with the indicator's stored values (one query)."""
    stored = {v.date: v for v in IndicatorValue.objects.filter(indicator=indicator)}
    preview = ImportPreview([], [], [])
    for row in result.rows:
        existing = stored.get(row.date)
        if existing is None:
            preview.new.append(row)
        elif _differs(row, existing):
            preview.changed.append((row, existing))
        else:
            preview.unchanged.append(row)
    return preview


@transaction.atomic
def indicator_values_import(*, actor, indicator: Indicator, result: ImportResult) -> ImportPreview:
    """Apply a file's rows to ``indicator``: all of them or, if any row is bad, none.

    New periods are added and changed ones overwritten; values not in the file stay.
    Raises ``ValidationError`` listing the bad rows (nothing is written then).
    """
    if result.errors:
        raise ValidationError(result.errors)
    if not result.rows:
        raise ValidationError(_("The file has no values to import."))
    # Lock the indicator so two imports into it cannot interleave.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    preview = indicator_import_preview(indicator=indicator, result=result)
    user = history_user(actor)
    now = timezone.now()
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                indicator=indicator,
                date=row.date,
                period=row.period,
                value=row.value,
                note=row.note,
                source=row.source,
                entered_by=user,
                entered_at=now,
            )
            for row in preview.new
        ],
        batch_size=1000,
    )
    changed = []
    for row, stored in preview.changed:
        stored.value, stored.period, stored.note, stored.source = (
            row.value,
            row.period,
            row.note,
            row.source,
        )
        stored.entered_by, stored.entered_at = user, now
        changed.append(stored)
    IndicatorValue.objects.bulk_update(
        changed,
        ["value", "period", "note", "source", "entered_by", "entered_at"],
        batch_size=1000,
    )
    if preview.has_changes:
        public_content_changed(plan_ids=[indicator.goal.plan_id])
    return preview


# -- yearly reports ----------------------------------------------------------------------


def _default_period(data: dict) -> dict:
    year = data.get("year")
    if year and not data.get("period_start"):
        data["period_start"] = date(int(year), 1, 1)
    if year and not data.get("period_end"):
        data["period_end"] = date(int(year), 12, 31)
    return data


@transaction.atomic
def yearly_report_create(*, actor, plan: Plan, data: dict) -> YearlyReport:
    """Start a draft report on ``plan`` for a year (the whole year unless a period is given)."""
    data = _default_period(dict(data))
    fields = ["year", "period_start", "period_end", "went_well", "went_badly", "changes"]
    return row_create(YearlyReport(plan=plan), actor=actor, data=data, fields=fields)


@transaction.atomic
def yearly_report_update(
    *, actor, yearly_report: YearlyReport, data: dict, expected_version: int | None = None
) -> YearlyReport:
    """Change a draft report's period or narrative; refused once the report is final."""
    if yearly_report.is_final:
        raise ValidationError(_("The report is final and its content is frozen."))
    fields = ["year", "period_start", "period_end", "went_well", "went_badly", "changes"]
    row_update(
        yearly_report, actor=actor, data=data, expected_version=expected_version, fields=fields
    )
    return yearly_report


@transaction.atomic
def yearly_report_delete(*, actor, yearly_report: YearlyReport) -> None:
    """Delete a draft report (a final one is a record and stays)."""
    if yearly_report.is_final:
        raise ValidationError(_("A final report cannot be deleted."))
    row_delete(yearly_report, actor=actor)


@transaction.atomic
def yearly_report_finalise(*, actor, yearly_report: YearlyReport) -> YearlyReport:
    """Freeze the report: its content (snapshot) and PDF are written once, then published.

    Raises ``ValidationError`` when it is final already or the plan has no adopted
    version, and ``plans.pdf.PdfRenderError`` when the PDF cannot be made (nothing is
    written then).
    """
    report = (
        YearlyReport.objects.select_for_update().select_related("plan").get(pk=yearly_report.pk)
    )
    if report.is_final:
        raise ValidationError(_("The report is final already."))
    document = reports.yearly_report_document(report)
    rendered = reports.render_report_pdf(document, created=timezone.localdate().isoformat())
    report.snapshot = document
    report.pdf = rendered.content
    report.pdf_sha256 = rendered.sha256
    report.status = YearlyReport.Status.FINAL
    report.finalised_at = timezone.now()
    report.finalised_by = history_user(actor)
    report.edit_version += 1
    report._history_user = history_user(actor)
    report.save(
        update_fields=[
            "snapshot",
            "pdf",
            "pdf_sha256",
            "status",
            "finalised_at",
            "finalised_by",
            "edit_version",
        ]
    )
    public_content_changed(plan_ids=[report.plan_id])
    yearly_report.__dict__.update(
        {k: getattr(report, k) for k in ("snapshot", "pdf", "pdf_sha256", "status", "edit_version")}
    )
    return report


@transaction.atomic
def yearly_report_register_consideration(
    *, actor, yearly_report: YearlyReport, data: dict
) -> YearlyReport:
    """Record that a political body considered the final report (body, date, case number)."""
    if not yearly_report.is_final:
        raise ValidationError(_("Make the report final before registering its consideration."))
    if row_update(
        yearly_report,
        actor=actor,
        data=data,
        fields=["considered_by", "considered_on", "case_number"],
    ):
        public_content_changed(plan_ids=[yearly_report.plan_id])
    return yearly_report
