"""Writes to plans. Status moves only through these functions.

The lifecycle: draft → consultation (høring) → adopted → revision (a new draft
while the adopted version stays in force) → adopted again … → retired. Each
adoption freezes the plan as a numbered version (snapshot + PDF) that is never
changed afterwards.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import save_versioned
from core.files import sha256_of
from core.history import record_restore
from core.publishing import public_content_changed
from core.services import (
    acting_as,
    assign_fields,
    get_or_create_updated,
    update_fields,
    upsert,
)
from plans import selectors
from plans.models import (
    Adoption,
    LegalBasis,
    Plan,
    PlanLink,
    PlanSection,
    Reform,
    WorkingModel,
    WorkingModelStep,
)
from plans.pdf import render_plan_pdf


def _locked_plan(plan: Plan) -> Plan:
    """The plan's row, locked for the rest of the transaction so two moves cannot race."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _set_status(plan: Plan, status: str, *, consultation_deadline=None, caller: Plan) -> None:
    plan.status = status
    plan.consultation_deadline = consultation_deadline
    plan.consultation_started_on = timezone.localdate() if consultation_deadline else None
    plan.save(
        update_fields=["status", "consultation_deadline", "consultation_started_on", "updated_at"]
    )
    # The caller's instance (and the rows related through it) sees the new status too.
    caller.status, caller.consultation_deadline = plan.status, plan.consultation_deadline
    caller.consultation_started_on = plan.consultation_started_on
    caller.updated_at = plan.updated_at
    public_content_changed()


@transaction.atomic
def plan_send_to_consultation(*, plan: Plan, deadline: date, by=None) -> Plan:
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
    _set_status(plan, status, consultation_deadline=deadline, caller=caller)
    return plan


def _adoption_cover(adoption: Adoption) -> dict:
    return {
        "body_display": str(adoption.get_body_display()),
        "meeting_date": adoption.meeting_date.isoformat(),
        "case_numbers": adoption.case_numbers_display,
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
    registered_by=None,
) -> Adoption:
    """Register the council's decision and freeze the plan as it stands as a new version.

    The snapshot and its PDF are written together; if the PDF cannot be
    rendered, ``plans.pdf.PdfRenderError`` is raised and nothing is stored.
    ``adopted_document`` is the file the council actually adopted, when there is one:
    it is then "the adopted document" (kept with its SHA-256) and the portal's PDF is
    labelled a web version, as it is when ``source`` says the council adopted a document
    the portal does not hold. An adoption dated before the plan went out for consultation
    is refused; one before the consultation deadline needs ``confirm_before_deadline``.
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
        registered_by=registered_by,
    )
    if adopted_document:
        adoption.adopted_document = adopted_document
        adoption.adopted_document_sha256 = sha256_of(adopted_document)
    adoption.full_clean()
    rendered = render_adoption_pdf(adoption)  # before any write: failure stores nothing
    adoption.pdf = rendered.content
    adoption.pdf_sha256 = rendered.sha256
    adoption.save()
    _set_status(plan, Plan.Status.ADOPTED, caller=caller)
    return adoption


@transaction.atomic
def adoption_store_missing_pdf(*, adoption: Adoption) -> Adoption:
    """Render and store the PDF of an adoption that has none (loaded before PDFs existed).

    An adoption that has its PDF is never re-rendered: those bytes are the record.
    """
    adoption = Adoption.objects.select_for_update().get(pk=adoption.pk)
    if adoption.pdf:
        return adoption
    rendered = render_adoption_pdf(adoption)
    adoption.pdf = rendered.content
    adoption.pdf_sha256 = rendered.sha256
    adoption.save(update_fields=["pdf", "pdf_sha256"])
    public_content_changed()
    return adoption


@transaction.atomic
def plan_start_revision(*, plan: Plan, by=None) -> Plan:
    """Open an adopted plan for a new version (rullering); the adopted one stays in force."""
    caller, plan = plan, _locked_plan(plan)
    if plan.status != Plan.Status.ADOPTED:
        raise ValidationError(_("Only an adopted plan can be revised."))
    _set_status(plan, Plan.Status.REVISION, caller=caller)
    return plan


@transaction.atomic
def plan_retire(*, plan: Plan, by=None) -> Plan:
    """Retire a plan (utgått/opphevet). Its adopted versions stay readable as records."""
    caller, plan = plan, _locked_plan(plan)
    if plan.status not in (Plan.Status.ADOPTED, Plan.Status.REVISION):
        raise ValidationError(_("Only an adopted plan can be retired."))
    _set_status(plan, Plan.Status.RETIRED, caller=caller)
    return plan


@transaction.atomic
def plan_step_set_progress(*, plan: Plan, step, completed_on: date | None, note: str | None = None):
    """Mark a step of the plan's working model done on ``completed_on`` (``None``: not done).

    Working material of the group, not the plan's text: allowed in any status.
    """
    from django.utils import timezone

    from plans.models import PlanStepProgress

    if plan.working_model_id is None or step.model_id != plan.working_model_id:
        raise ValidationError(_("The step is not part of the plan's working model."))
    if completed_on and completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("A step cannot be done on a future date.")})
    progress, created = PlanStepProgress.objects.get_or_create(
        plan=plan, step=step, defaults={"completed_on": completed_on, "note": note or ""}
    )
    if not created:
        changed = []
        if progress.completed_on != completed_on:
            progress.completed_on = completed_on
            changed.append("completed_on")
        if note is not None and progress.note != note:
            progress.note = note
            changed.append("note")
        if changed:
            progress.full_clean()
            progress.save(update_fields=changed)
    return progress


@transaction.atomic
def plan_step_progress_delete(*, progress) -> None:
    """Forget a plan's progress on a step (the step counts as not done)."""
    progress.delete()


@transaction.atomic
def working_model_step_update(*, step, **values):
    """Rename or describe a step of a working model; every plan following it shows the change.

    Working material (the steps are not on the public pages), so no cache to refresh.
    """
    allowed = ("number", "name", "description", "name_verified")
    update_fields(step, values, allowed)
    return step


@transaction.atomic
def working_model_step_create(*, model, number: int, name: str, description: str = "", **extra):
    from plans.models import WorkingModelStep

    step = WorkingModelStep(model=model, number=number, name=name, description=description)
    for key, value in extra.items():
        if key != "name_verified":
            raise TypeError(f"Unknown field: {key}")
        step.name_verified = value
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def working_model_step_delete(*, step) -> None:
    step.delete()


def section_update(*, section: PlanSection, data: dict, expected_version: int) -> PlanSection:
    """Change a section of a plan's text; refused on a locked plan or a stale version.

    Raises ``ValidationError`` (plan locked, invalid value) or
    ``core.concurrency.EditConflict`` (someone saved since
    ``expected_version``); nothing is written then.
    """
    section.plan.assert_editable()
    for name, value in data.items():
        setattr(section, name, value)
    section.full_clean()
    save_versioned(section, expected_version=expected_version, data=data)
    public_content_changed()
    return section


def plan_row_restore_check(row) -> None:
    """Refuse to restore a deleted row of a plan that is gone or whose text is locked."""
    try:
        plan = row.plan
    except ObjectDoesNotExist as error:
        raise ValidationError(_("The plan it belonged to has been deleted too.")) from error
    plan.assert_editable()


@transaction.atomic
def section_restore(*, history_id: int, actor=None) -> PlanSection:
    """Bring back a deleted section of a plan whose text may be edited."""
    section, _record = record_restore(
        model=PlanSection, history_id=history_id, check=plan_row_restore_check, actor=actor
    )
    public_content_changed(plan_ids=[section.plan_id])
    return section


PLAN_FIELDS = (
    "title",
    "kind",
    "summary",
    "period_start",
    "period_end",
    "legal_bases",
    "reforms",
    "process_group",
    "working_model",
    "report_stale_after_days",
)
SECTION_FIELDS = ("order", "kind", "title", "body")


def _published(written: bool) -> None:
    if written:
        public_content_changed()


@transaction.atomic
def plan_upsert(*, slug: str, title: str, actor=None, **values) -> Plan:
    """The plan with ``slug``, created as a draft or brought to these values.

    Only what differs is written; the plan's text fields of an adopted plan are
    refused (``ValidationError``), as anywhere else. Status moves only through the
    lifecycle services. A change publishes.
    """
    with acting_as(actor):
        plan, written = upsert(
            Plan, lookup={"slug": slug}, values={"title": title, **values}, allowed=PLAN_FIELDS
        )
    _published(written)
    return plan


@transaction.atomic
def legal_basis_upsert(*, law: str, section: str, actor=None, **values) -> LegalBasis:
    """The provision ``law`` ``section``, created or brought to these values (summary, url)."""
    with acting_as(actor):
        basis, written = upsert(
            LegalBasis,
            lookup={"law": law, "section": section},
            values=values,
            allowed=("summary", "url"),
        )
    _published(written)
    return basis


@transaction.atomic
def reform_upsert(*, slug: str, name: str, actor=None, **values) -> Reform:
    """The reform with ``slug``, created or brought to these values."""
    with acting_as(actor):
        reform, written = upsert(
            Reform,
            lookup={"slug": slug},
            values={"name": name, **values},
            allowed=("name", "description", "in_force_from", "url"),
        )
    _published(written)
    return reform


@transaction.atomic
def working_model_upsert(*, name: str, actor=None, **values) -> WorkingModel:
    """The working model called ``name``, created or brought to these values.

    Working material (not on the public pages): nothing to publish.
    """
    with acting_as(actor):
        model, _written = upsert(
            WorkingModel,
            lookup={"name": name},
            values=values,
            allowed=("description", "source", "url"),
        )
    return model


@transaction.atomic
def working_model_step_upsert(
    *, model: WorkingModel, number: int, name: str, actor=None, **values
) -> WorkingModelStep:
    """Step ``number`` of ``model``, through ``working_model_step_create`` or ``_update``."""
    with acting_as(actor):
        step, _written = get_or_create_updated(
            WorkingModelStep,
            lookup={"model": model, "number": number},
            values={"name": name, **values},
            create=working_model_step_create,
            update=lambda step, differing: working_model_step_update(step=step, **differing),
        )
    return step


@transaction.atomic
def section_create(*, plan: Plan, title: str, actor=None, **values) -> PlanSection:
    """Add a section to the text of ``plan`` (only while its text may be edited)."""
    plan.assert_editable()
    section = PlanSection(plan=plan, title=title)
    assign_fields(section, values, SECTION_FIELDS)
    section.full_clean()
    with acting_as(actor):
        section.save()
    public_content_changed()
    return section


@transaction.atomic
def section_upsert(*, plan: Plan, title: str, actor=None, **values) -> PlanSection:
    """The section ``title`` of ``plan``, through ``section_create`` or ``section_update``."""
    with acting_as(actor):
        section, _written = get_or_create_updated(
            PlanSection,
            lookup={"plan": plan, "title": title},
            values=values,
            create=section_create,
            update=lambda section, differing: section_update(
                section=section, data=differing, expected_version=section.edit_version
            ),
        )
    return section


@transaction.atomic
def plan_link_upsert(*, plan: Plan, url: str, actor=None, **values) -> PlanLink:
    """The link to ``url`` from ``plan``, created or brought to these values (order, kind,
    title, description). Links are not part of the adopted text."""
    with acting_as(actor):
        link, written = upsert(
            PlanLink,
            lookup={"plan": plan, "url": url},
            values=values,
            allowed=("order", "kind", "title", "description"),
        )
    _published(written)
    return link
