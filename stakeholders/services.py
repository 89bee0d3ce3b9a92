"""Writes to stakeholder analyses: the working pages, the admin and loaders call these.

``<thing>_create(*, actor, <parent>, data)``, ``<thing>_update(*, actor, <thing>,
data, expected_version=None)``, ``<thing>_delete(*, actor, <thing>)``, and
``activity_set_done``.

Stakeholders, activities and findings are the group's working material and not
shown to the public; participation inputs are (on the plan's page), so writes to
them go through the plan's edit check and publish the plan's change.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.publishing import public_content_changed
from core.services import row_create, row_delete, row_update
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
    "stakeholders",
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


ANALYSIS_FIELDS = ("title", "plan", "process_group", "description", "conducted_on") + LABEL_FIELDS
FINDING_FIELDS = ("kind", "scope", "text")
PARTICIPATION_FIELDS = (
    "plan",
    "analysis",
    "stakeholder",
    "source",
    "summary",
    "received_on",
    "measures",
)


def _plans_heard(rows) -> list[int]:
    """The plans whose participation inputs point at ``rows`` (a stakeholder or an analysis)."""
    return list(rows.values_list("participation_inputs__plan_id", flat=True).distinct())


# -- analyses ------------------------------------------------------------------------


@transaction.atomic
def analysis_create(*, actor, data: dict) -> StakeholderAnalysis:
    """Start a stakeholder analysis for a plan, a process group or both."""
    return row_create(StakeholderAnalysis(), actor=actor, data=data, fields=ANALYSIS_FIELDS)


@transaction.atomic
def analysis_update(
    *, actor, analysis: StakeholderAnalysis, data: dict, expected_version: int | None = None
) -> StakeholderAnalysis:
    """Change an analysis, e.g. rename the grid's quadrants (*involvere tett*)."""
    row_update(
        analysis, actor=actor, data=data, expected_version=expected_version, fields=ANALYSIS_FIELDS
    )
    return analysis


def analysis_delete_refusal(analysis: StakeholderAnalysis) -> str | None:
    """Why ``analysis`` cannot be deleted (its stakeholders' inputs to a locked plan), or None."""
    for stakeholder in analysis.stakeholders.filter(participation_inputs__isnull=False).distinct():
        refusal = stakeholder_delete_refusal(stakeholder)
        if refusal:
            return refusal
    return None


@transaction.atomic
def analysis_delete(*, actor, analysis: StakeholderAnalysis) -> None:
    """Delete an analysis with its stakeholders, activities and findings.

    Participation inputs stay on their plan, without the link to the analysis.
    """
    refusal = analysis_delete_refusal(analysis)
    if refusal:
        raise ValidationError(refusal)
    plan_ids = _plans_heard(StakeholderAnalysis.objects.filter(pk=analysis.pk))
    row_delete(analysis, actor=actor)
    if any(plan_ids):
        public_content_changed(plan_ids=plan_ids)


# -- stakeholders --------------------------------------------------------------------


@transaction.atomic
def stakeholder_create(*, actor, analysis: StakeholderAnalysis, data: dict) -> Stakeholder:
    """Add a stakeholder to ``analysis`` (name unique within the analysis).

    It gets the analysis's next number (highest so far plus one), which it keeps:
    numbers of those added later or deleted do not move it.
    """
    # Lock the analysis so that two stakeholders added at once get different numbers.
    StakeholderAnalysis.objects.select_for_update().filter(pk=analysis.pk).exists()
    return row_create(
        Stakeholder(analysis=analysis, number=next_stakeholder_number(analysis)),
        actor=actor,
        data=data,
        fields=STAKEHOLDER_FIELDS,
    )


def next_stakeholder_number(analysis: StakeholderAnalysis) -> int:
    """The number the next stakeholder added to ``analysis`` gets."""
    highest = analysis.stakeholders.aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


@transaction.atomic
def stakeholder_update(
    *, actor, stakeholder: Stakeholder, data: dict, expected_version: int | None = None
) -> Stakeholder:
    row_update(
        stakeholder,
        actor=actor,
        data=data,
        expected_version=expected_version,
        fields=STAKEHOLDER_FIELDS,
    )
    return stakeholder


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
def stakeholder_delete(*, actor, stakeholder: Stakeholder) -> None:
    """Delete a stakeholder; its activities stay, aimed at the others."""
    refusal = stakeholder_delete_refusal(stakeholder)
    if refusal:
        raise ValidationError(refusal)
    plan_ids = _plans_heard(Stakeholder.objects.filter(pk=stakeholder.pk))
    row_delete(stakeholder, actor=actor)
    if any(plan_ids):
        public_content_changed(plan_ids=plan_ids)


# -- activities ----------------------------------------------------------------------


def activity_check(*, analysis: StakeholderAnalysis, data: dict) -> None:
    """What the activity services refuse: aiming at stakeholders of another analysis."""
    if any(s.analysis_id != analysis.pk for s in data.get("stakeholders") or ()):
        raise ValidationError(
            {"stakeholders": _("An activity can only aim at stakeholders of its own analysis.")}
        )


@transaction.atomic
def activity_create(*, actor, analysis: StakeholderAnalysis, data: dict) -> Activity:
    """Plan an information or ownership activity aimed at stakeholders of ``analysis``."""
    activity_check(analysis=analysis, data=data)
    return row_create(Activity(analysis=analysis), actor=actor, data=data, fields=ACTIVITY_FIELDS)


@transaction.atomic
def activity_update(
    *, actor, activity: Activity, data: dict, expected_version: int | None = None
) -> Activity:
    activity_check(analysis=activity.analysis, data=data)
    row_update(
        activity, actor=actor, data=data, expected_version=expected_version, fields=ACTIVITY_FIELDS
    )
    return activity


@transaction.atomic
def activity_set_done(*, actor, activity: Activity, completed_on: date | None) -> Activity:
    """Mark ``activity`` done on ``completed_on``, or planned again with ``None``."""
    return activity_update(actor=actor, activity=activity, data={"completed_on": completed_on})


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    row_delete(activity, actor=actor)


# -- findings ------------------------------------------------------------------------


@transaction.atomic
def finding_create(*, actor, analysis: StakeholderAnalysis, data: dict) -> Finding:
    """Record a strength or weakness the analysis uncovered."""
    return row_create(Finding(analysis=analysis), actor=actor, data=data, fields=FINDING_FIELDS)


@transaction.atomic
def finding_update(
    *, actor, finding: Finding, data: dict, expected_version: int | None = None
) -> Finding:
    row_update(
        finding, actor=actor, data=data, expected_version=expected_version, fields=FINDING_FIELDS
    )
    return finding


@transaction.atomic
def finding_delete(*, actor, finding: Finding) -> None:
    row_delete(finding, actor=actor)


# -- participation inputs (public: on the plan's page) -----------------------------


def participation_input_check(*, plan: Plan, data: dict) -> None:
    """What the participation services refuse; the admin's form asks it before saving.

    The plan's text must be editable, the measures must be the plan's and the
    stakeholder the analysis's.
    """
    plan.assert_editable()
    if any(m.plan_id != plan.pk for m in data.get("measures") or ()):
        raise ValidationError({"measures": _("Only measures of the same plan can be linked.")})
    analysis, stakeholder = data.get("analysis"), data.get("stakeholder")
    if stakeholder is not None and analysis is not None and stakeholder.analysis_id != analysis.pk:
        raise ValidationError({"stakeholder": _("The stakeholder belongs to another analysis.")})


@transaction.atomic
def participation_input_create(*, actor, plan: Plan, data: dict) -> ParticipationInput:
    """Record input from a council or partner and the measures of ``plan`` it shaped.

    Part of the plan's document (the public "Medvirkning" section), so only
    while the plan's text may be edited.
    """
    participation_input_check(plan=plan, data=data)
    participation = row_create(
        ParticipationInput(plan=plan), actor=actor, data=data, fields=PARTICIPATION_FIELDS
    )
    public_content_changed(plan_ids=[plan.pk])
    return participation


@transaction.atomic
def participation_input_update(
    *,
    actor,
    participation_input: ParticipationInput,
    data: dict,
    expected_version: int | None = None,
) -> ParticipationInput:
    """Change an input; both the plan it leaves and the plan it joins must be editable.

    Moved to another plan without ``measures`` in ``data``, it loses its links to the
    old plan's measures.
    """
    participation = participation_input
    participation.plan.assert_editable()
    old_plan_id = participation.plan_id
    plan = data.get("plan", participation.plan)
    if plan.pk != old_plan_id and "measures" not in data:
        data = data | {"measures": []}
    current = {
        "analysis": participation.analysis,
        "stakeholder": participation.stakeholder,
        "measures": participation.measures.all(),
    }
    participation_input_check(plan=plan, data=current | data)
    if row_update(
        participation,
        actor=actor,
        data=data,
        expected_version=expected_version,
        fields=PARTICIPATION_FIELDS,
    ):
        public_content_changed(plan_ids=[old_plan_id, participation.plan_id])
    return participation


@transaction.atomic
def participation_input_delete(*, actor, participation_input: ParticipationInput) -> None:
    """Remove an input from the plan's document (only while the plan may be edited)."""
    participation_input.plan.assert_editable()
    plan_id = participation_input.plan_id
    row_delete(participation_input, actor=actor)
    public_content_changed(plan_ids=[plan_id])
