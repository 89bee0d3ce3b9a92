"""Writes to plans. Status moves only through these functions.

Every write to a plan and what belongs to it (its text, links, attachments, legal
bases and reforms, working models and progress) goes through here, from the admin,
the working pages and the loaders alike: ``<thing>_create(*, actor, <parent>, data)``,
``<thing>_update(*, actor, <thing>, data, expected_version=None)``,
``<thing>_delete(*, actor, <thing>)``, and the lifecycle moves below.

The lifecycle: draft → consultation (høring) → adopted → revision (a new draft
while the adopted version stays in force) → adopted again … → retired. Each
adoption freezes the plan as a numbered version (snapshot + PDF) that is never
changed afterwards.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.files import sha256_of
from core.history import record_restore
from core.publishing import public_content_changed
from core.services import history_user, row_create, row_delete, row_update, rows_move, rows_renumber
from core.text import slugify_nb
from measures.models import FocusArea, Measure
from plans import selectors
from plans.models import (
    Adoption,
    Consultation,
    Goal,
    LegalBasis,
    Plan,
    PlanAttachment,
    PlanLink,
    PlanSection,
    PlanStepProgress,
    Reform,
    WorkingModel,
    WorkingModelStep,
)
from plans.pdf import render_plan_pdf


def _locked_plan(plan: Plan) -> Plan:
    """The plan's row, locked for the rest of the transaction so two moves cannot race."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _set_status(
    plan: Plan, status: str, *, actor, consultation_deadline=None, caller: Plan
) -> None:
    plan.status = status
    plan.consultation_deadline = consultation_deadline
    plan.consultation_started_on = timezone.localdate() if consultation_deadline else None
    plan._history_user = history_user(actor)
    plan.save(
        update_fields=["status", "consultation_deadline", "consultation_started_on", "updated_at"]
    )
    # The caller's instance (and the rows related through it) sees the new status too.
    caller.status, caller.consultation_deadline = plan.status, plan.consultation_deadline
    caller.consultation_started_on = plan.consultation_started_on
    caller.updated_at = plan.updated_at
    public_content_changed(plan_ids=[plan.pk])


# -- plans ---------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, data: dict) -> Plan:
    """Start a plan as a draft (its status then moves only through the lifecycle below).

    Without a ``slug`` in ``data``, one is made from the title (``plan_unique_slug``).
    """
    if not data.get("slug"):
        data = {**data, "slug": plan_unique_slug(data.get("title") or "")}
    plan = row_create(Plan(), actor=actor, data=data)
    public_content_changed(plan_ids=[plan.pk])
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, data: dict, expected_version: int | None = None) -> Plan:
    """Change a plan's fields; its text (``Plan.TEXT_FIELDS``) only while it is editable.

    Raises ``ValidationError`` (text locked, invalid value) or ``EditConflict`` (saved
    by someone else since ``expected_version``); nothing is written then.
    """
    if row_update(plan, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=[plan.pk])
    return plan


# Words the working pages use after /arbeid/planer/: a plan cannot be called so.
RESERVED_SLUGS = {"ny"}


def plan_unique_slug(title: str) -> str:
    """A free slug for a plan titled ``title`` (slugify_nb; -2, -3 … on collision)."""
    base = slugify_nb(title)[:240] or "plan"
    taken = set(
        Plan.objects.filter(slug__regex=rf"^{base}(-[0-9]+)?$").values_list("slug", flat=True)
    )
    if base not in taken and base not in RESERVED_SLUGS:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# What a copy takes over of each row: its structure, never its status or history.
_SECTION_COPY = ("order", "kind", "title", "body")
_FOCUS_AREA_COPY = ("order", "title", "description")
_MEASURE_COPY = (
    "order",
    "title",
    "description",
    "responsible_unit_id",
    "responsible_role",
    "prevention_level",
    "start_date",
    "deadline",
    "timing",
    "resources",
)
_LINK_COPY = ("order", "kind", "title", "url", "description")


def _copies(rows, fields, **values):
    return [type(row)(**{f: getattr(row, f) for f in fields}, **values) for row in rows]


@transaction.atomic
def plan_copy(*, actor, source: Plan, data: dict) -> Plan:
    """A new draft with ``data`` (as ``plan_create``) and ``source``'s structure.

    Copied: sections, links, focus areas and measures with their responsible unit,
    role, partners, target groups, prevention level, dates, timing and resources.
    Not copied: adoptions, status, consultation, status reports, progress or history;
    every measure starts as not started. A fixed number of queries whatever the size
    (bulk inserts), with ``actor`` recorded on every new row's history.
    """
    plan = plan_create(actor=actor, data=data)
    user = history_user(actor)

    def insert(model, rows):
        if not rows:
            return []
        return bulk_create_with_history(rows, model, default_user=user)

    insert(PlanSection, _copies(source.sections.order_by("order", "id"), _SECTION_COPY, plan=plan))
    insert(PlanLink, _copies(source.links.order_by("order", "id"), _LINK_COPY, plan=plan))
    areas = list(source.focus_areas.order_by("order", "id"))
    new_areas = insert(FocusArea, _copies(areas, _FOCUS_AREA_COPY, plan=plan))
    area_map = {old.pk: new.pk for old, new in zip(areas, new_areas, strict=True)}
    measures = list(
        source.measures.order_by("order", "id").prefetch_related("partner_units", "target_groups")
    )
    new_measures = insert(
        Measure,
        [
            Measure(
                **{f: getattr(m, f) for f in _MEASURE_COPY},
                plan=plan,
                focus_area_id=area_map.get(m.focus_area_id),
            )
            for m in measures
        ],
    )
    partners, targets = Measure.partner_units.through, Measure.target_groups.through
    partner_rows, target_rows = [], []
    for old, new in zip(measures, new_measures, strict=True):
        partner_rows += [partners(measure_id=new.pk, unit_id=u.pk) for u in old.partner_units.all()]
        target_rows += [
            targets(measure_id=new.pk, targetgroup_id=t.pk) for t in old.target_groups.all()
        ]
    partners.objects.bulk_create(partner_rows)
    targets.objects.bulk_create(target_rows)
    return plan


def plan_delete_refusal(plan: Plan) -> str | None:
    """Why ``plan`` cannot be deleted (it has adopted versions, which are records), or None."""
    if plan.adoptions.exists():
        return _("The plan has adopted versions, which are records. Retire the plan instead.")
    return None


@transaction.atomic
def plan_delete(*, actor, plan: Plan) -> None:
    """Delete a plan that was never adopted, with its text, measures and links."""
    refusal = plan_delete_refusal(plan)
    if refusal:
        raise ValidationError(refusal)
    plan_id = plan.pk
    row_delete(plan, actor=actor)
    public_content_changed(plan_ids=[plan_id])


@transaction.atomic
def plans_republish(*, actor) -> None:
    """Publish every plan's public content again, once, after the transaction commits.

    For a loader that has written plan content (``load_heim``): the page cache moves
    on and the search index is filled, also when nothing changed.
    """
    public_content_changed(plan_ids=None)


# -- lifecycle -------------------------------------------------------------------


@transaction.atomic
def plan_send_to_consultation(*, actor, plan: Plan, deadline: date) -> Plan:
    """Send a draft (or a revision) out for consultation until ``deadline`` (høringsfrist).

    A revision keeps its status while out for consultation, so the adopted
    version stays public; its deadline is recorded all the same.
    """
    caller, plan = plan, _locked_plan(plan)
    if plan.status not in (Plan.Status.DRAFT, Plan.Status.REVISION):
        raise ValidationError(
            _("Only a draft or a plan under revision can be sent out for consultation.")
        )
    if deadline is None or deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("The consultation deadline must be in the future.")})
    if plan.consultation_deadline:
        raise ValidationError(_("This plan is already out for consultation."))
    status = (
        Plan.Status.REVISION if plan.status == Plan.Status.REVISION else Plan.Status.CONSULTATION
    )
    _freeze_consultation_draft(plan, actor=actor, deadline=deadline)
    _set_status(plan, status, actor=actor, consultation_deadline=deadline, caller=caller)
    return plan


def render_consultation_pdf(consultation: Consultation):
    """The PDF of a consultation draft, from its frozen snapshot, with HØRINGSUTKAST across it."""
    return render_plan_pdf(
        consultation.snapshot,
        status_display=str(Plan.Status.CONSULTATION.label),
        consultation={
            "deadline": consultation.deadline.isoformat(),
            "started_on": consultation.started_on.isoformat(),
            "round": consultation.round,
        },
    )


def _freeze_consultation_draft(plan: Plan, *, actor, deadline: date) -> Consultation:
    """Freeze the plan as sent out: snapshot and PDF, written together or not at all.

    What the group changes afterwards stays private until the next consultation or
    adoption; the public reads this snapshot.
    """
    last = plan.consultations.order_by("-round").first()
    consultation = Consultation(
        plan=plan,
        round=(last.round if last else 0) + 1,
        started_on=timezone.localdate(),
        deadline=deadline,
        snapshot=selectors.build_plan_document(plan),
        sent_by=history_user(actor),
    )
    rendered = render_consultation_pdf(consultation)  # before any write: failure stores nothing
    consultation.pdf = rendered.content
    consultation.pdf_sha256 = rendered.sha256
    consultation.save()
    return consultation


def _adoption_cover(adoption: Adoption) -> dict:
    return {
        # A body that was not stated is left off the cover (not printed as "not stated").
        "body_display": str(adoption.get_body_display()) if adoption.body_is_stated else "",
        "meeting_date": adoption.meeting_date.isoformat(),
        "meeting_case_number": adoption.meeting_case_number,
        "archive_case_number": adoption.archive_reference,
        "version_number": adoption.version_number,
        "decision_text": adoption.decision_text,
        "web_version": adoption.pdf_is_web_version,
        "record_url": adoption.record_url,
    }


def _check_adoption_dates(plan: Plan, meeting_date: date, confirm_before_deadline: bool) -> None:
    """An adoption cannot precede the consultation it followed; before its deadline it may,
    but only when the person says so (the council may have had reasons)."""
    started, deadline = plan.consultation_started_on, plan.consultation_deadline
    if started and meeting_date < started:
        raise ValidationError(
            {
                "meeting_date": _(
                    "The plan was sent out for consultation on %(date)s; it cannot have been "
                    "adopted before that."
                )
                % {"date": started.strftime("%d.%m.%Y")}
            }
        )
    if deadline and meeting_date < deadline and not confirm_before_deadline:
        raise ValidationError(
            {
                "confirm_before_deadline": _(
                    "The meeting date is before the consultation deadline (%(date)s). Tick the "
                    "box to confirm that the council adopted the plan before the deadline."
                )
                % {"date": deadline.strftime("%d.%m.%Y")}
            }
        )


def render_adoption_pdf(adoption: Adoption):
    """The PDF of an adopted version, from its frozen snapshot (no live data)."""
    return render_plan_pdf(
        adoption.snapshot,
        adoption=_adoption_cover(adoption),
        status_display=str(Plan.Status.ADOPTED.label),
        draft=False,
    )


@transaction.atomic
def plan_register_adoption(
    *,
    actor,
    plan: Plan,
    meeting_date: date,
    body: str = Adoption.Body.MUNICIPAL_COUNCIL,
    meeting_case_number: str = "",
    archive_case_number: str = "",
    archive_document_number: int | None = None,
    decision_text: str = "",
    record_url: str = "",
    adopted_document=None,
    source: str = Adoption.Source.PORTAL,
    confirm_before_deadline: bool = False,
) -> Adoption:
    """Register the council's decision and freeze the plan as it stands as a new version.

    ``actor`` is recorded as the one who registered it. The snapshot and its PDF are
    written together; if the PDF cannot be rendered, ``plans.pdf.PdfRenderError`` is
    raised and nothing is stored. ``adopted_document`` is the file the council actually
    adopted, when there is one: it is then "the adopted document" (kept with its
    SHA-256) and the portal's PDF is labelled a web version, as it is when ``source``
    says the council adopted a document the portal does not hold. An adoption dated
    before the plan went out for consultation is refused; one before the consultation
    deadline needs ``confirm_before_deadline``.
    """
    caller, plan = plan, _locked_plan(plan)
    if plan.status == Plan.Status.ADOPTED:
        raise ValidationError(
            _("This plan is adopted already. Start a revision to adopt a new version.")
        )
    if plan.status not in (Plan.Status.DRAFT, Plan.Status.CONSULTATION, Plan.Status.REVISION):
        raise ValidationError(
            _("Only a draft, a plan out for consultation or a revision can be adopted.")
        )
    if not plan.measures.exists():
        raise ValidationError(_("A plan without measures cannot be adopted."))
    if meeting_date and meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": _("The meeting date cannot be in the future.")})
    last = plan.adoptions.order_by("-version_number").first()
    if last and meeting_date and meeting_date < last.meeting_date:
        raise ValidationError(
            {"meeting_date": _("A new version cannot be adopted before the previous one.")}
        )
    if meeting_date:
        _check_adoption_dates(plan, meeting_date, confirm_before_deadline)
    adoption = Adoption(
        plan=plan,
        version_number=(last.version_number if last else 0) + 1,
        body=body,
        meeting_date=meeting_date,
        meeting_case_number=meeting_case_number.strip(),
        archive_case_number=archive_case_number.strip(),
        archive_document_number=archive_document_number,
        decision_text=decision_text,
        record_url=record_url.strip(),
        source=source,
        snapshot=selectors.build_plan_document(plan),
        registered_by=history_user(actor),
    )
    if adopted_document:
        adoption.adopted_document = adopted_document
        adoption.adopted_document_sha256 = sha256_of(adopted_document)
    adoption.full_clean()
    rendered = render_adoption_pdf(adoption)  # before any write: failure stores nothing
    adoption.pdf = rendered.content
    adoption.pdf_sha256 = rendered.sha256
    adoption.save()
    _set_status(plan, Plan.Status.ADOPTED, actor=actor, caller=caller)
    return adoption


@transaction.atomic
def adoption_store_missing_pdf(*, actor, adoption: Adoption) -> Adoption:
    """Render and store the PDF of an adoption that has none (loaded before PDFs existed).

    An adoption that has its PDF is never re-rendered: those bytes are the record.
    ``actor`` may be an anonymous visitor: the first request for the PDF stores it.
    """
    adoption = Adoption.objects.select_for_update().get(pk=adoption.pk)
    if adoption.pdf:
        return adoption
    rendered = render_adoption_pdf(adoption)
    adoption.pdf = rendered.content
    adoption.pdf_sha256 = rendered.sha256
    adoption.save(update_fields=["pdf", "pdf_sha256"])
    public_content_changed(plan_ids=[adoption.plan_id])
    return adoption


@transaction.atomic
def plan_start_revision(*, actor, plan: Plan) -> Plan:
    """Open an adopted plan for a new version (rullering); the adopted one stays in force."""
    caller, plan = plan, _locked_plan(plan)
    if plan.status != Plan.Status.ADOPTED:
        raise ValidationError(_("Only an adopted plan can be revised."))
    _set_status(plan, Plan.Status.REVISION, actor=actor, caller=caller)
    return plan


@transaction.atomic
def plan_retire(*, actor, plan: Plan) -> Plan:
    """Retire a plan (utgått/opphevet). Its adopted versions stay readable as records."""
    caller, plan = plan, _locked_plan(plan)
    if plan.status not in (Plan.Status.ADOPTED, Plan.Status.REVISION):
        raise ValidationError(_("Only an adopted plan can be retired."))
    _set_status(plan, Plan.Status.RETIRED, actor=actor, caller=caller)
    return plan


# -- the plan's text: sections, links, attachments ------------------------------------


@transaction.atomic
def section_create(*, actor, plan: Plan, data: dict) -> PlanSection:
    """Add a section to a plan's text; refused (``ValidationError``) while the text is locked."""
    plan.assert_editable()
    section = row_create(PlanSection(plan=plan), actor=actor, data=data)
    public_content_changed(plan_ids=[plan.pk])
    return section


@transaction.atomic
def section_update(
    *, actor, section: PlanSection, data: dict, expected_version: int | None = None
) -> PlanSection:
    """Change a section of a plan's text; refused on a locked plan or a stale version.

    Raises ``ValidationError`` (plan locked, invalid value) or
    ``core.concurrency.EditConflict`` (someone saved since
    ``expected_version``); nothing is written then.
    """
    section.plan.assert_editable()
    plan_id = section.plan_id
    if row_update(section, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=[plan_id, section.plan_id])
    return section


@transaction.atomic
def section_delete(*, actor, section: PlanSection) -> None:
    """Remove a section from a plan's text (only while the text may be edited)."""
    section.plan.assert_editable()
    plan_id = section.plan_id
    row_delete(section, actor=actor)
    # The rest close up, so the order stays dense.
    rows_renumber(PlanSection.objects.filter(plan_id=plan_id).order_by("order", "id"), actor=actor)
    public_content_changed(plan_ids=[plan_id])


@transaction.atomic
def section_move(*, actor, section: PlanSection, direction: str) -> None:
    """Move a section one place up or down in its plan's text; the order stays dense."""
    section.plan.assert_editable()
    rows_move(
        PlanSection.objects.filter(plan_id=section.plan_id).order_by("order", "id"),
        section,
        actor=actor,
        direction=direction,
    )
    public_content_changed(plan_ids=[section.plan_id])


# -- goals (part of the plan's text) -----------------------------------------------------


def _sibling_goals(plan_id: int, parent_id: int | None):
    return Goal.objects.filter(plan_id=plan_id, parent_id=parent_id).order_by("order", "id")


def goal_next_order(plan: Plan, parent: Goal | None = None) -> int:
    """The ``order`` that puts a new goal last among its siblings."""
    last = _sibling_goals(plan.pk, parent.pk if parent else None).aggregate(last=Max("order"))
    return (last["last"] or 0) + 1


@transaction.atomic
def goal_create(*, actor, plan: Plan, data: dict) -> Goal:
    """Add a main goal or a sub-goal to a plan whose text may be edited."""
    plan.assert_editable()
    goal = row_create(Goal(plan=plan), actor=actor, data=data)
    public_content_changed(plan_ids=[plan.pk])
    return goal


@transaction.atomic
def goal_update(*, actor, goal: Goal, data: dict, expected_version: int | None = None) -> Goal:
    """Change a goal; refused (``ValidationError``) while its plan's text is locked."""
    goal.plan.assert_editable()
    if row_update(goal, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=[goal.plan_id])
    return goal


@transaction.atomic
def goal_delete(*, actor, goal: Goal) -> None:
    """Delete a goal without sub-goals or indicators, while its plan's text may be edited."""
    goal.plan.assert_editable()
    plan_id, parent_id = goal.plan_id, goal.parent_id
    # Indicators (follow-up, an app above this one) hang on goals by the reverse relation.
    if goal.children.exists() or goal.indicators.exists():
        raise ValidationError(_("Delete or move this goal's sub-goals and indicators first."))
    row_delete(goal, actor=actor)
    rows_renumber(_sibling_goals(plan_id, parent_id), actor=actor)
    public_content_changed(plan_ids=[plan_id])


@transaction.atomic
def goal_move(*, actor, goal: Goal, direction: str) -> None:
    """Move a goal one place up or down among its siblings; the order stays dense."""
    goal.plan.assert_editable()
    rows_move(_sibling_goals(goal.plan_id, goal.parent_id), goal, actor=actor, direction=direction)
    public_content_changed(plan_ids=[goal.plan_id])


def section_next_order(plan: Plan) -> int:
    """The ``order`` that puts a new section last in ``plan``'s text."""
    return (plan.sections.aggregate(last=Max("order"))["last"] or 0) + 1


def plan_text_refusal(row) -> str | None:
    """Why ``row`` of a plan's text (a section, focus area, measure or participation
    input) cannot be changed or deleted now (its plan's text is locked), or None."""
    try:
        row.plan.assert_editable()
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def plan_text_refusal_for(plan: Plan) -> str | None:
    """Why ``plan``'s text cannot be changed now (it is locked), or None."""
    try:
        plan.assert_editable()
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def plan_row_restore_check(row) -> None:
    """Refuse to restore a deleted row of a plan that is gone or whose text is locked."""
    try:
        plan = row.plan
    except ObjectDoesNotExist as error:
        raise ValidationError(_("The plan it belonged to has been deleted too.")) from error
    plan.assert_editable()


@transaction.atomic
def section_restore(*, actor, history_id: int) -> PlanSection:
    """Bring back a deleted section of a plan whose text may be edited."""
    section, _record = record_restore(
        model=PlanSection, history_id=history_id, check=plan_row_restore_check, actor=actor
    )
    public_content_changed(plan_ids=[section.plan_id])
    return section


@transaction.atomic
def plan_link_create(*, actor, plan: Plan, data: dict) -> PlanLink:
    """Add an external link to a plan's page (the explainer video, a web page)."""
    link = row_create(PlanLink(plan=plan), actor=actor, data=data)
    public_content_changed(plan_ids=[plan.pk])
    return link


@transaction.atomic
def plan_link_update(
    *, actor, plan_link: PlanLink, data: dict, expected_version: int | None = None
) -> PlanLink:
    plan_id = plan_link.plan_id
    if row_update(plan_link, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=[plan_id, plan_link.plan_id])
    return plan_link


@transaction.atomic
def plan_link_delete(*, actor, plan_link: PlanLink) -> None:
    plan_id = plan_link.plan_id
    row_delete(plan_link, actor=actor)
    public_content_changed(plan_ids=[plan_id])


@transaction.atomic
def plan_attachment_create(*, actor, plan: Plan, data: dict) -> PlanAttachment:
    """Attach a file to a plan."""
    attachment = row_create(PlanAttachment(plan=plan), actor=actor, data=data)
    public_content_changed(plan_ids=[plan.pk])
    return attachment


def attachment_next_order(plan: Plan) -> int:
    """The ``order`` that puts a new attachment last on ``plan``'s page."""
    return (plan.attachments.aggregate(last=Max("order"))["last"] or 0) + 1


@transaction.atomic
def plan_attachment_update(
    *, actor, plan_attachment: PlanAttachment, data: dict, expected_version: int | None = None
) -> PlanAttachment:
    plan_id = plan_attachment.plan_id
    if row_update(plan_attachment, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=[plan_id, plan_attachment.plan_id])
    return plan_attachment


@transaction.atomic
def plan_attachment_delete(*, actor, plan_attachment: PlanAttachment) -> None:
    plan_id = plan_attachment.plan_id
    row_delete(plan_attachment, actor=actor)
    public_content_changed(plan_ids=[plan_id])


# -- what plans rest on: legal bases and reforms ---------------------------------


def _plans_of(row) -> list[int]:
    """The plans that refer to ``row`` (a legal basis or a reform): their pages show it."""
    return list(row.plans.values_list("pk", flat=True))


@transaction.atomic
def legal_basis_create(*, actor, data: dict) -> LegalBasis:
    """Add a provision of law plans may rest on (no plan refers to it yet)."""
    return row_create(LegalBasis(), actor=actor, data=data)


@transaction.atomic
def legal_basis_update(
    *, actor, legal_basis: LegalBasis, data: dict, expected_version: int | None = None
) -> LegalBasis:
    """Change a legal basis; the pages of the plans resting on it change with it."""
    if row_update(legal_basis, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=_plans_of(legal_basis))
    return legal_basis


@transaction.atomic
def legal_basis_delete(*, actor, legal_basis: LegalBasis) -> None:
    """Delete a legal basis; the plans that rested on it no longer name it."""
    plan_ids = _plans_of(legal_basis)
    row_delete(legal_basis, actor=actor)
    public_content_changed(plan_ids=plan_ids)


@transaction.atomic
def reform_create(*, actor, data: dict) -> Reform:
    """Add a national reform or initiative plans may answer (no plan refers to it yet)."""
    return row_create(Reform(), actor=actor, data=data)


@transaction.atomic
def reform_update(
    *, actor, reform: Reform, data: dict, expected_version: int | None = None
) -> Reform:
    """Change a reform; the pages of the plans answering it change with it."""
    if row_update(reform, actor=actor, data=data, expected_version=expected_version):
        public_content_changed(plan_ids=_plans_of(reform))
    return reform


@transaction.atomic
def reform_delete(*, actor, reform: Reform) -> None:
    plan_ids = _plans_of(reform)
    row_delete(reform, actor=actor)
    public_content_changed(plan_ids=plan_ids)


# -- working models and the plans' progress in them -------------------------------
# Working material of the groups (the work page, behind login): not public content.


@transaction.atomic
def working_model_create(*, actor, data: dict) -> WorkingModel:
    return row_create(WorkingModel(), actor=actor, data=data)


@transaction.atomic
def working_model_update(
    *, actor, working_model: WorkingModel, data: dict, expected_version: int | None = None
) -> WorkingModel:
    row_update(working_model, actor=actor, data=data, expected_version=expected_version)
    return working_model


@transaction.atomic
def working_model_delete(*, actor, working_model: WorkingModel) -> None:
    """Delete a working model with its steps; the plans following it follow none."""
    row_delete(working_model, actor=actor)


STEP_FIELDS = ("number", "name", "description", "name_verified")


@transaction.atomic
def working_model_step_create(
    *, actor, working_model: WorkingModel, data: dict
) -> WorkingModelStep:
    """Add a step to a working model (numbers unique within the model)."""
    return row_create(
        WorkingModelStep(model=working_model), actor=actor, data=data, fields=STEP_FIELDS
    )


@transaction.atomic
def working_model_step_update(
    *,
    actor,
    working_model_step: WorkingModelStep,
    data: dict,
    expected_version: int | None = None,
) -> WorkingModelStep:
    """Rename or describe a step of a working model; every plan following it shows the change."""
    row_update(
        working_model_step,
        actor=actor,
        data=data,
        expected_version=expected_version,
        fields=STEP_FIELDS,
    )
    return working_model_step


@transaction.atomic
def working_model_step_delete(*, actor, working_model_step: WorkingModelStep) -> None:
    """Delete a step, and every plan's progress on it."""
    row_delete(working_model_step, actor=actor)


PROGRESS_FIELDS = ("step", "completed_on", "note")


def plan_step_progress_check(*, plan: Plan, data: dict) -> None:
    """What the progress services refuse: a step of another model, a done date in the future."""
    step = data.get("step")
    if step is not None and (
        plan.working_model_id is None or step.model_id != plan.working_model_id
    ):
        raise ValidationError({"step": _("The step is not part of the plan's working model.")})
    completed_on = data.get("completed_on")
    if completed_on and completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("A step cannot be done on a future date.")})


@transaction.atomic
def plan_step_progress_create(*, actor, plan: Plan, data: dict) -> PlanStepProgress:
    """Record a plan's progress on a step of its working model (allowed in any status)."""
    plan_step_progress_check(plan=plan, data=data)
    return row_create(PlanStepProgress(plan=plan), actor=actor, data=data, fields=PROGRESS_FIELDS)


@transaction.atomic
def plan_step_progress_update(
    *,
    actor,
    plan_step_progress: PlanStepProgress,
    data: dict,
    expected_version: int | None = None,
) -> PlanStepProgress:
    progress = plan_step_progress
    plan_step_progress_check(plan=progress.plan, data=data)
    row_update(
        progress, actor=actor, data=data, expected_version=expected_version, fields=PROGRESS_FIELDS
    )
    return progress


@transaction.atomic
def plan_step_progress_delete(*, actor, plan_step_progress: PlanStepProgress) -> None:
    """Forget a plan's progress on a step (the step counts as not done)."""
    row_delete(plan_step_progress, actor=actor)


@transaction.atomic
def plan_step_set_progress(
    *, actor, plan: Plan, step: WorkingModelStep, completed_on: date | None, note: str | None = None
) -> PlanStepProgress:
    """Mark a step of the plan's working model done on ``completed_on`` (``None``: not done).

    ``note`` replaces the step's note; ``None`` keeps it.
    """
    data = {"completed_on": completed_on} | ({} if note is None else {"note": note})
    progress = PlanStepProgress.objects.filter(plan=plan, step=step).first()
    if progress is None:
        return plan_step_progress_create(actor=actor, plan=plan, data={"step": step, **data})
    return plan_step_progress_update(actor=actor, plan_step_progress=progress, data=data)
