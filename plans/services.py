"""Writes to plans. Status moves only through these functions."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from heimplan.cache import public_content_changed
from plans import selectors
from plans.models import Adoption, Plan


@transaction.atomic
def plan_register_adoption(
    *,
    plan: Plan,
    meeting_date: date,
    body: str = Adoption.Body.MUNICIPAL_COUNCIL,
    meeting_case_number: str = "",
    archive_case_number: str = "",
    decision_text: str = "",
    registered_by=None,
) -> Adoption:
    """Register the council's decision and freeze the plan as it stands as a new version."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (Plan.Status.DRAFT, Plan.Status.CONSULTATION, Plan.Status.REVISION):
        raise ValidationError(
            _("Only a draft, a plan out for consultation or a revision can be adopted.")
        )
    if not plan.measures.exists():
        raise ValidationError(_("A plan without measures cannot be adopted."))
    last = (
        plan.adoptions.order_by("-version_number").values_list("version_number", flat=True).first()
    )
    adoption = Adoption(
        plan=plan,
        version_number=(last or 0) + 1,
        body=body,
        meeting_date=meeting_date,
        meeting_case_number=meeting_case_number,
        archive_case_number=archive_case_number,
        decision_text=decision_text,
        snapshot=selectors.build_plan_document(plan),
        registered_by=registered_by,
    )
    adoption.full_clean()
    adoption.save()
    plan.status = Plan.Status.ADOPTED
    plan.consultation_deadline = None
    plan.save(update_fields=["status", "consultation_deadline", "updated_at"])
    public_content_changed()
    return adoption
