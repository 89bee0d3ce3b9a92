"""Reads of plans for pages, exports and the PDF.

A plan is shown from its *document*: a plain, JSON-serialisable dict built here
from the live models in a fixed number of queries. The same structure is frozen
into ``Adoption.snapshot`` when the council adopts a plan, so the public page,
the PDF and the archive all render the same shape whether it is live or adopted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.files import kind_of_name
from core.history import m2m_changes, m2m_link_names
from measures.models import Measure
from organisation import permissions
from organisation.models import Membership
from plans.models import Adoption, Goal, Plan, PlanStepProgress, WorkingModelStep
from plans.published import with_live_measure_status

# Bump when the document's shape changes; older snapshots keep their number.
# 2: attachments (id, title, file kind, SHA-256).
# 3: goals (main goals with their sub-goals) and each measure's goal ids.
DOCUMENT_SCHEMA_VERSION = 3


def plan_list_for_editor() -> QuerySet[Plan]:
    return Plan.objects.select_related("process_group").order_by("title")


def plan_by_slug(slug: str) -> Plan | None:
    """The live plan at ``slug``, for pages that then check who may read it."""
    return Plan.objects.select_related("process_group").filter(slug=slug).first()


def user_can_see_unpublished(user, plan: Plan) -> bool:
    """Whether ``user`` may read ``plan`` before it is published."""
    return permissions.can_view_unpublished_plan(user, plan)


def plan_get_for_viewer(*, slug: str, user) -> Plan:
    """The plan at ``slug`` if ``user`` may read it; 404 otherwise (drafts never leak)."""
    plan = Plan.objects.select_related("process_group").filter(slug=slug).first()
    if plan is None:
        raise Http404
    if not plan.is_public and not user_can_see_unpublished(user, plan):
        raise Http404
    return plan


def latest_adoption(plan: Plan) -> Adoption | None:
    return plan.adoptions.defer("pdf").order_by("-version_number").first()


def _date(value):
    return value.isoformat() if value else None


def _unit_ref(unit):
    if unit is None:
        return None
    return {"name": unit.name, "slug": unit.slug}


def _goal_tree(goals) -> list[dict]:
    """Main goals in order, each with its sub-goals in order."""
    children: dict[int | None, list] = {}
    for goal in goals:
        children.setdefault(goal.parent_id, []).append(goal)

    def entry(goal, number):
        return {
            "id": goal.pk,
            "number": number,
            "title": goal.title,
            "description": goal.description,
        }

    tree = []
    for index, main in enumerate(children.get(None, []), start=1):
        item = entry(main, str(index))
        item["children"] = [
            entry(sub, f"{index}.{sub_index}")
            for sub_index, sub in enumerate(children.get(main.pk, []), start=1)
        ]
        tree.append(item)
    return tree


def document_goals(document: dict) -> list[dict]:
    """Every goal of a plan document, main goals and sub-goals, in reading order."""
    goals = []
    for main in document.get("goals", []):
        goals.append(main)
        goals.extend(main.get("children", []))
    return goals


def with_goal_names(document: dict) -> dict:
    """``document`` with each measure's goals named from the document's own goals.

    Only goals of the same document are named, so a published page names adopted goals.
    """
    names = {goal["id"]: f"{goal['number']} {goal['title']}" for goal in document_goals(document)}
    for area in document.get("focus_areas", []):
        for measure in area["measures"]:
            measure["goal_names"] = [names[pk] for pk in measure.get("goals", []) if pk in names]
    return document


def build_plan_document(plan: Plan) -> dict:
    """The plan as it stands now, as a JSON-serialisable dict (queries do not grow with size)."""
    plan = (
        Plan.objects.filter(pk=plan.pk)
        .select_related("process_group")
        .prefetch_related(
            "sections",
            "legal_bases",
            "reforms",
            "links",
            "attachments",
            "focus_areas",
            Prefetch("goals", queryset=Goal.objects.order_by("order", "id")),
            Prefetch(
                "measures",
                queryset=Measure.objects.select_related("responsible_unit", "focus_area")
                .prefetch_related("partner_units", "target_groups", "participation_inputs", "goals")
                .order_by("focus_area__order", "focus_area_id", "order", "id"),
            ),
            "participation_inputs__measures",
        )
        .get()
    )
    group = plan.process_group
    members = []
    if group is not None:
        memberships = (
            Membership.objects.filter(group=group).select_related("unit").order_by("order", "id")
        )
        # Roles and units only: names of employees are personal data.
        members = [
            {"role_title": m.role_title, "unit": _unit_ref(m.unit), "is_leader": m.is_leader}
            for m in memberships
        ]

    measures_by_area: dict[int | None, list[dict]] = {}
    for measure in plan.measures.all():
        measures_by_area.setdefault(measure.focus_area_id, []).append(
            {
                "id": measure.pk,
                "title": measure.title,
                "description": measure.description,
                "responsible_unit": _unit_ref(measure.responsible_unit),
                "responsible_role": measure.responsible_role,
                "partners": [_unit_ref(u) for u in measure.partner_units.all()],
                "target_groups": [t.name for t in measure.target_groups.all()],
                "prevention_level": measure.prevention_level,
                "prevention_level_display": measure.get_prevention_level_display()
                if measure.prevention_level
                else "",
                "start_date": _date(measure.start_date),
                "deadline": _date(measure.deadline),
                "timing": measure.timing,
                "resources": measure.resources,
                "status": measure.status,
                "status_display": str(measure.get_status_display()),
                "goals": sorted(goal.pk for goal in measure.goals.all()),
                "participation": [
                    {"source": p.source, "received_on": _date(p.received_on)}
                    for p in measure.participation_inputs.all()
                ],
            }
        )
    focus_areas = [
        {
            "id": area.pk,
            "title": area.title,
            "description": area.description,
            "measures": measures_by_area.get(area.pk, []),
        }
        for area in plan.focus_areas.all()
    ]
    if measures_by_area.get(None):
        focus_areas.append(
            {"id": None, "title": "", "description": "", "measures": measures_by_area[None]}
        )

    return {
        "schema": DOCUMENT_SCHEMA_VERSION,
        "municipality": settings.HEIMPLAN_MUNICIPALITY,
        "title": plan.title,
        "slug": plan.slug,
        "kind": plan.kind,
        "kind_display": str(plan.get_kind_display()),
        "summary": plan.summary,
        "period": plan.period_display,
        "legal_bases": [
            {"law": b.law, "section": b.section, "summary": b.summary, "url": b.url}
            for b in plan.legal_bases.all()
        ],
        "reforms": [
            {"name": r.name, "description": r.description, "url": r.url} for r in plan.reforms.all()
        ],
        "group": {
            "name": group.name,
            "kind_display": str(group.get_kind_display()),
            "purpose": group.purpose,
            "established_by": group.established_by,
            "established_on": _date(group.established_on),
            "members": members,
        }
        if group
        else None,
        "sections": [
            {"id": s.pk, "kind": s.kind, "title": s.title, "body": s.body}
            for s in plan.sections.all()
        ],
        "links": [
            {
                "kind": link.kind,
                "title": link.title,
                "url": link.url,
                "description": link.description,
            }
            for link in plan.links.all()
        ],
        "attachments": [
            {
                "id": a.pk,
                "title": a.title,
                "kind": kind.label if (kind := kind_of_name(a.file.name)) else "",
                "sha256": a.sha256,
            }
            for a in plan.attachments.all()
        ],
        "goals": _goal_tree(plan.goals.all()),
        "focus_areas": focus_areas,
        "measure_count": sum(len(area["measures"]) for area in focus_areas),
        "participation_inputs": [
            {
                "source": p.source,
                "received_on": _date(p.received_on),
                "summary": p.summary,
                "measures": [m.title for m in p.measures.all()],
            }
            for p in plan.participation_inputs.all()
        ],
        "consultation_summary": _consultation_summary(plan),
    }


def _consultation_summary(plan: Plan) -> dict | None:
    """The consultation this version went through: counts by kind and the published responses.

    The newest round sent out after the last adoption, if any. Responses are a higher
    layer's rows (``consultation``), read here through the plan's reverse relations, as
    participation inputs are; the e-mail addresses are never read.
    """
    consultations = plan.consultations.defer("pdf", "snapshot").order_by("-round")
    last = plan.adoptions.order_by("-version_number").values_list("meeting_date", flat=True).first()
    if last is not None:
        consultations = consultations.filter(started_on__gte=last)
    consultation = consultations.first()
    if consultation is None:
        return None
    responses = list(
        consultation.responses.defer("email")
        .prefetch_related("measures")
        .order_by("received_at", "pk")
    )
    counts: dict[str, int] = {}
    labels = {}
    for response in responses:
        counts[response.kind] = counts.get(response.kind, 0) + 1
        labels[response.kind] = str(response.get_kind_display())
    return {
        "round": consultation.round,
        "started_on": _date(consultation.started_on),
        "deadline": _date(consultation.deadline),
        "total": len(responses),
        "counts": [{"kind_display": labels[k], "count": n} for k, n in counts.items()],
        "responses": [
            {
                "reference": r.reference,
                "kind_display": str(r.get_kind_display()),
                "name": r.public_name,
                "text": r.text,
                "assessment": r.assessment,
                "measures": [m.title for m in r.measures.all()],
            }
            for r in responses
            if r.is_published
        ],
    }


def plan_document_for_editor(*, plan: Plan) -> tuple[dict, Adoption | None]:
    """What the plan's page shows a person who may read ``plan`` unpublished (an editor).

    The working copy while the plan's text is editable (a draft, a consultation, a
    revision); otherwise the adopted version in force with live measure status. Pages
    for everybody else read ``plans.published`` and never come here.
    """
    adoption = latest_adoption(plan)
    if adoption and adoption.snapshot and plan.status not in Plan.EDITABLE_STATUSES:
        return with_live_measure_status(adoption.snapshot, plan_id=plan.pk), adoption
    return build_plan_document(plan), adoption


# -- adopted versions ----------------------------------------------------------


def adoption_list(plan: Plan) -> QuerySet[Adoption]:
    """A plan's adopted versions, newest first, without their (large) snapshot and PDF."""
    return plan.adoptions.defer("pdf", "snapshot").order_by("-version_number")


def adoption_get(plan: Plan, number: int, *, with_snapshot: bool = True) -> Adoption:
    """Version ``number`` of ``plan`` (404 if there is none)."""
    deferred = ("pdf",) if with_snapshot else ("pdf", "snapshot")
    adoption = plan.adoptions.defer(*deferred).filter(version_number=number).first()
    if adoption is None:
        raise Http404
    return adoption


def adoption_pdf(plan: Plan, number: int | None = None) -> Adoption | None:
    """The stored PDF of version ``number`` (latest if None), loading only what serving needs."""
    adoptions = plan.adoptions.only("pk", "plan_id", "version_number", "pdf", "pdf_sha256")
    if number is not None:
        return adoptions.filter(version_number=number).first()
    return adoptions.order_by("-version_number").first()


# -- history -------------------------------------------------------------------


def _history_sources():
    from measures.models import FocusArea
    from plans.models import PlanSection

    return [
        (Plan, "id", ["title", "kind", "summary", "period_start", "period_end", "status"]),
        (PlanSection, "plan_id", ["order", "kind", "title", "body"]),
        (FocusArea, "plan_id", ["order", "title", "description"]),
        (
            Measure,
            "plan_id",
            [
                "title",
                "description",
                "focus_area_id",
                "responsible_unit_id",
                "responsible_role",
                "prevention_level",
                "start_date",
                "deadline",
                "timing",
                "resources",
                "status",
            ],
        ),
    ]


def plan_history(plan: Plan, *, limit: int = 300) -> list[dict]:
    """Who changed what in ``plan``, its sections, focus areas and measures, newest first.

    Reads simple-history's records: one query per kind of object, and one per
    many-to-many field whose links history keeps (partners, target groups, legal
    bases, reforms), whatever the number of records (changes are worked out in memory).
    """
    entries = []
    for model, plan_field, fields in _history_sources():
        records = list(
            model.history.filter(**{plan_field: plan.pk})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:limit]
        )
        by_object: dict[int, list] = {}
        for record in records:
            by_object.setdefault(record.id, []).append(record)
        pairs = []
        for versions in by_object.values():
            # versions are newest first; compare each with the one before it
            pairs.extend(zip(versions, versions[1:] + [None], strict=True))
        compared = [
            record
            for newer, older in pairs
            if older is not None and newer.history_type == "~"
            for record in (newer, older)
        ]
        links = m2m_link_names(model, compared)
        for newer, older in pairs:
            changed, m2m_changed = [], []
            if older is not None and newer.history_type == "~":
                changed = [
                    str(model._meta.get_field(f.removesuffix("_id")).verbose_name)
                    for f in fields
                    if getattr(newer, f) != getattr(older, f)
                ]
                m2m_changed = m2m_changes(model, links, newer, older)
            entries.append(
                {
                    "when": newer.history_date,
                    "user": newer.history_user,
                    "model": str(model._meta.verbose_name),
                    "title": getattr(newer, "title", ""),
                    "type": newer.history_type,
                    "type_display": newer.get_history_type_display(),
                    "changed": changed,
                    "m2m_changed": m2m_changed,
                }
            )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:limit]


def plan_get(*, slug: str) -> Plan:
    return get_object_or_404(
        Plan.objects.select_related("process_group", "working_model"), slug=slug
    )


def plan_for_editor(*, slug: str, user) -> Plan:
    """The plan at ``slug`` for a person who may edit it: 404 if none, else 403 if not theirs."""
    plan = plan_get(slug=slug)
    if not permissions.can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


@dataclass
class StepState:
    step: WorkingModelStep
    progress: PlanStepProgress | None

    @property
    def is_done(self) -> bool:
        return bool(self.progress and self.progress.is_done)


def plan_steps(plan: Plan) -> list[StepState]:
    """The steps of the plan's working model, each with the plan's progress on it."""
    if plan.working_model_id is None:
        return []
    steps = list(WorkingModelStep.objects.filter(model_id=plan.working_model_id).order_by("number"))
    progress = {p.step_id: p for p in PlanStepProgress.objects.filter(plan=plan)}
    return [StepState(step=step, progress=progress.get(step.pk)) for step in steps]


def plans_sharing_working_model(plan: Plan) -> list[Plan]:
    """Other plans following ``plan``'s working model: a renamed step changes for them too."""
    if plan.working_model_id is None:
        return []
    return list(
        Plan.objects.filter(working_model_id=plan.working_model_id)
        .exclude(pk=plan.pk)
        .only("title", "slug")
        .order_by("title")
    )


@dataclass
class PlanContent:
    """What the plan editor lists: the text in order, the focus areas with their measures."""

    sections: list
    focus_areas: list
    loose_measures: list  # measures in no focus area
    attachments: list
    goals: list = None  # main goals, each with ``sub_goals``


def plan_editor_content(plan: Plan) -> PlanContent:
    """The plan's chapters, focus areas with measures, and attachments, in order.

    A fixed number of queries however many measures the plan has.
    """
    measures = Measure.objects.select_related("responsible_unit").order_by("order", "id")
    areas = list(
        plan.focus_areas.order_by("order", "id").prefetch_related(
            Prefetch("measures", queryset=measures)
        )
    )
    return PlanContent(
        sections=list(plan.sections.order_by("order", "id")),
        focus_areas=areas,
        loose_measures=list(measures.filter(plan=plan, focus_area__isnull=True)),
        attachments=list(plan.attachments.order_by("order", "id")),
        goals=_editor_goals(plan),
    )


def _editor_goals(plan: Plan) -> list[Goal]:
    """The plan's main goals in order, each with ``sub_goals`` in order (one query)."""
    goals = list(plan.goals.order_by("order", "id"))
    children: dict[int, list[Goal]] = {}
    for goal in goals:
        if goal.parent_id:
            children.setdefault(goal.parent_id, []).append(goal)
    mains = [goal for goal in goals if goal.parent_id is None]
    for main in mains:
        main.sub_goals = children.get(main.pk, [])
    return mains
