"""Writes to stakeholder analyses: the working pages, the admin and loaders call these.

Stakeholders, activities and findings are the group's working material and not
shown to the public; participation inputs are (on the plan's page), so writes to
them go through the plan's edit check and bump the public content version.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.publishing import public_content_changed
from core.services import acting_as, assign_fields, get_or_create_updated, update_fields
from plans.models import Plan
from stakeholders.models import (
    Activity,
    Finding,
    ParticipationInput,
    Stakeholder,
    StakeholderAnalysis,
)

STAKEHOLDER_FIELDS = (
    "name",
    "role",
    "category",
    "unit",
    "target_group",
    "connection",
    "expectations",
    "attitude",
    "interest",
    "influence",
    "information_needs",
    "follow_up",
    "order",
)
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "channel",
    "message",
    "planned_for",
    "timing",
    "responsible_unit",
    "completed_on",
)
LABEL_FIELDS = (
    "label_manage_closely",
    "label_keep_satisfied",
    "label_keep_informed",
    "label_monitor",
)


def _create(obj, values: dict, allowed: tuple[str, ...]):
    """Set ``values`` on the unsaved ``obj``, validate it and insert it."""
    assign_fields(obj, values, allowed)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def stakeholder_create(*, analysis: StakeholderAnalysis, **values) -> Stakeholder:
    """Add a stakeholder to ``analysis`` (name unique within the analysis)."""
    return _create(Stakeholder(analysis=analysis), values, STAKEHOLDER_FIELDS)


@transaction.atomic
def stakeholder_update(*, stakeholder: Stakeholder, **values) -> Stakeholder:
    return update_fields(stakeholder, values, STAKEHOLDER_FIELDS)


@transaction.atomic
def analysis_set_quadrant_labels(*, analysis: StakeholderAnalysis, **labels) -> StakeholderAnalysis:
    """Rename the grid's quadrants (e.g. *involvere tett*)."""
    return update_fields(analysis, labels, LABEL_FIELDS)


def _check_stakeholders(analysis: StakeholderAnalysis, stakeholders) -> list[Stakeholder]:
    stakeholders = list(stakeholders or [])
    if any(s.analysis_id != analysis.pk for s in stakeholders):
        raise ValidationError(
            {"stakeholders": _("An activity can only aim at stakeholders of its own analysis.")}
        )
    return stakeholders


@transaction.atomic
def activity_create(*, analysis: StakeholderAnalysis, stakeholders=(), **values) -> Activity:
    """Plan an information or ownership activity aimed at stakeholders of ``analysis``."""
    stakeholders = _check_stakeholders(analysis, stakeholders)
    activity = _create(Activity(analysis=analysis), values, ACTIVITY_FIELDS)
    activity.stakeholders.set(stakeholders)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, stakeholders=None, **values) -> Activity:
    update_fields(activity, values, ACTIVITY_FIELDS)
    if stakeholders is not None:
        activity.stakeholders.set(_check_stakeholders(activity.analysis, stakeholders))
    return activity


@transaction.atomic
def activity_set_done(*, activity: Activity, completed_on: date | None) -> Activity:
    """Mark ``activity`` done on ``completed_on``, or planned again with ``None``."""
    if activity.completed_on != completed_on:
        activity.completed_on = completed_on
        activity.full_clean()
        activity.save(update_fields=["completed_on"])
    return activity


@transaction.atomic
def finding_create(*, analysis: StakeholderAnalysis, kind: str, scope: str, text: str) -> Finding:
    finding = Finding(analysis=analysis, kind=kind, scope=scope, text=text)
    finding.full_clean()
    finding.save()
    return finding


def participation_input_check(*, plan, analysis, stakeholder, measures) -> list:
    """What the participation services refuse; the admin's form asks it before saving."""
    plan.assert_editable()
    measures = list(measures or [])
    if any(m.plan_id != plan.pk for m in measures):
        raise ValidationError({"measures": _("Only measures of the same plan can be linked.")})
    if stakeholder is not None and analysis is not None and stakeholder.analysis_id != analysis.pk:
        raise ValidationError({"stakeholder": _("The stakeholder belongs to another analysis.")})
    return measures


@transaction.atomic
def participation_input_create(
    *,
    plan,
    source: str,
    summary: str,
    received_on: date | None = None,
    analysis: StakeholderAnalysis | None = None,
    stakeholder: Stakeholder | None = None,
    measures=(),
) -> ParticipationInput:
    """Record input from a council or partner and the measures of ``plan`` it shaped.

    Part of the plan's document (the public "Medvirkning" section), so only
    while the plan's text may be edited.
    """
    measures = participation_input_check(
        plan=plan, analysis=analysis, stakeholder=stakeholder, measures=measures
    )
    participation = ParticipationInput(
        plan=plan,
        analysis=analysis,
        stakeholder=stakeholder,
        source=source,
        summary=summary,
        received_on=received_on,
    )
    participation.full_clean()
    participation.save()
    participation.measures.set(measures)
    public_content_changed()
    return participation


@transaction.atomic
def participation_input_update(
    *, participation: ParticipationInput, measures=None, **values
) -> ParticipationInput:
    """Change an input; both the plan it leaves and the plan it joins must be editable."""
    participation.plan.assert_editable()
    allowed = ("plan", "analysis", "source", "summary", "received_on", "stakeholder")
    changed = assign_fields(participation, values, allowed)
    if "plan" in changed and measures is None:
        measures = []  # the old plan's measures cannot follow the input to another plan
    measures = participation_input_check(
        plan=participation.plan,
        analysis=participation.analysis,
        stakeholder=participation.stakeholder,
        measures=participation.measures.all() if measures is None else measures,
    )
    if changed:
        participation.full_clean()
        participation.save(update_fields=changed)
    participation.measures.set(measures)
    public_content_changed()
    return participation


@transaction.atomic
def participation_input_delete(*, participation: ParticipationInput) -> None:
    """Remove an input from the plan's document (only while the plan may be edited)."""
    participation.plan.assert_editable()
    participation.delete()
    public_content_changed()


def stakeholder_delete_refusal(stakeholder: Stakeholder) -> str | None:
    """Why ``stakeholder`` cannot be deleted, or ``None`` if it can.

    Participation inputs name their stakeholder on the plan's public page; a
    locked (adopted) plan's inputs must not lose theirs.
    """
    locked = stakeholder.participation_inputs.exclude(plan__status__in=Plan.EDITABLE_STATUSES)
    if locked.exists():
        return _(
            "The stakeholder gave participation input to a plan whose text is locked. "
            "Start a revision of the plan to delete it."
        )
    return None


@transaction.atomic
def stakeholder_delete(*, stakeholder: Stakeholder) -> None:
    """Delete a stakeholder; its activities stay, aimed at the others."""
    refusal = stakeholder_delete_refusal(stakeholder)
    if refusal:
        raise ValidationError(refusal)
    was_public = stakeholder.participation_inputs.exists()
    stakeholder.delete()
    if was_public:
        public_content_changed()


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    activity.delete()


@transaction.atomic
def finding_update(*, finding: Finding, **values) -> Finding:
    return update_fields(finding, values, ("kind", "scope", "text"))


@transaction.atomic
def finding_delete(*, finding: Finding) -> None:
    finding.delete()


ANALYSIS_FIELDS = ("title", "plan", "process_group", "description", "conducted_on") + LABEL_FIELDS


@transaction.atomic
def analysis_create(**values) -> StakeholderAnalysis:
    """Start a stakeholder analysis for a plan, a process group or both."""
    return _create(StakeholderAnalysis(), values, ANALYSIS_FIELDS)


@transaction.atomic
def analysis_update(*, analysis: StakeholderAnalysis, **values) -> StakeholderAnalysis:
    return update_fields(analysis, values, ANALYSIS_FIELDS)


def analysis_delete_refusal(analysis: StakeholderAnalysis) -> str | None:
    """Why ``analysis`` cannot be deleted (its stakeholders' inputs to a locked plan), or None."""
    for stakeholder in analysis.stakeholders.filter(participation_inputs__isnull=False).distinct():
        refusal = stakeholder_delete_refusal(stakeholder)
        if refusal:
            return refusal
    return None


@transaction.atomic
def analysis_delete(*, analysis: StakeholderAnalysis) -> None:
    """Delete an analysis with its stakeholders, activities and findings.

    Participation inputs stay on their plan, without the link to the analysis.
    """
    refusal = analysis_delete_refusal(analysis)
    if refusal:
        raise ValidationError(refusal)
    was_public = analysis.participation_inputs.exists()
    analysis.delete()
    if was_public:
        public_content_changed()


# Idempotent upserts, for loaders: each finds the row by its natural key and creates
# it, or changes what differs, through the create and update services above; an
# unchanged row is not written (no history record, nothing published).


@transaction.atomic
def analysis_upsert(*, title: str, actor=None, **values) -> StakeholderAnalysis:
    """The analysis called ``title``, through ``analysis_create`` or ``analysis_update``."""
    with acting_as(actor):
        analysis, _written = get_or_create_updated(
            StakeholderAnalysis,
            lookup={"title": title},
            values=values,
            create=analysis_create,
            update=lambda analysis, differing: analysis_update(analysis=analysis, **differing),
        )
    return analysis


@transaction.atomic
def stakeholder_upsert(
    *, analysis: StakeholderAnalysis, name: str, actor=None, **values
) -> Stakeholder:
    """The stakeholder ``name`` of ``analysis``, through ``stakeholder_create`` or ``_update``."""
    with acting_as(actor):
        stakeholder, _written = get_or_create_updated(
            Stakeholder,
            lookup={"analysis": analysis, "name": name},
            values=values,
            create=stakeholder_create,
            update=lambda row, differing: stakeholder_update(stakeholder=row, **differing),
        )
    return stakeholder


@transaction.atomic
def activity_upsert(*, analysis: StakeholderAnalysis, title: str, actor=None, **values) -> Activity:
    """The activity ``title`` of ``analysis`` (``stakeholders`` among the values), through
    ``activity_create`` or ``activity_update``."""
    with acting_as(actor):
        activity, _written = get_or_create_updated(
            Activity,
            lookup={"analysis": analysis, "title": title},
            values=values,
            create=activity_create,
            update=lambda row, differing: activity_update(activity=row, **differing),
        )
    return activity


@transaction.atomic
def finding_upsert(*, analysis: StakeholderAnalysis, text: str, actor=None, **values) -> Finding:
    """The finding ``text`` of ``analysis`` (kind, scope), through ``finding_create`` or
    ``finding_update``."""
    with acting_as(actor):
        finding, _written = get_or_create_updated(
            Finding,
            lookup={"analysis": analysis, "text": text},
            values=values,
            create=finding_create,
            update=lambda row, differing: finding_update(finding=row, **differing),
        )
    return finding


@transaction.atomic
def participation_input_upsert(
    *, plan: Plan, source: str, actor=None, **values
) -> ParticipationInput:
    """The input from ``source`` to ``plan`` (``measures`` among the values), through
    ``participation_input_create`` or ``_update``: refused on a locked plan only when
    something would change."""
    with acting_as(actor):
        participation, _written = get_or_create_updated(
            ParticipationInput,
            lookup={"plan": plan, "source": source},
            values=values,
            create=participation_input_create,
            update=lambda row, differing: participation_input_update(
                participation=row, **differing
            ),
        )
    return participation
