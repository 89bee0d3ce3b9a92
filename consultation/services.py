"""Writes to consultation responses: receiving them, handling them, erasing contact details.

A response is received from the public (``response_create``), handled by the editors of
the plan's group (``response_update``: publish or withhold, assess, link it to the
chapters and measures it changed, which makes it the plan's participation input), and
its contact details are erased on request (``response_erase``) or a set time after the
plan's adoption (``contact_details_purge``).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consultation.models import ConsultationInvitation, ConsultationResponse
from core.files import DOCUMENT_KINDS, sha256_of, validate_upload
from core.publishing import public_content_changed
from core.services import row_update
from plans.models import Consultation
from stakeholders.services import participation_input_create, participation_input_update

logger = logging.getLogger(__name__)

RECEIVED_FIELDS = ["kind", "name", "email", "text", "publish_name"]
HANDLING_FIELDS = ["publication", "withheld_reason", "assessment", "sections", "measures"]
TEXT_MAX_LENGTH = 20_000


def _new_reference() -> str:
    """A reference number that cannot be guessed from another (H-7F3K9Q2M)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "H-" + "".join(secrets.choice(alphabet) for _ in range(8))


def check_attachment(file) -> None:
    """A consultation attachment: PDF, DOCX or ODT, checked by content, within the size limit."""
    limit = settings.HEIMPLAN_CONSULTATION_ATTACHMENT_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            {
                "attachment": _("The file is %(size)s MB; at most %(limit)s MB is accepted.")
                % {"size": f"{file.size / 1_000_000:.1f}", "limit": f"{limit / 1_000_000:.0f}"}
            }
        )
    try:
        validate_upload(file, kinds=DOCUMENT_KINDS)
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from error


@transaction.atomic
def response_create(*, consultation: Consultation, data: dict) -> ConsultationResponse:
    """Receive a response from the public; refused after the deadline.

    Nothing is public yet: an editor publishes or withholds it.
    """
    if not consultation.is_open_on(timezone.localdate()):
        raise ValidationError(
            _("The consultation closed on %(date)s. Responses are no longer received.")
            % {"date": consultation.deadline.strftime("%d.%m.%Y")}
        )
    text = (data.get("text") or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your response.")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {"text": _("At most %(limit)s characters.") % {"limit": f"{TEXT_MAX_LENGTH:,}"}}
        )
    response = ConsultationResponse(consultation=consultation, reference=_new_reference())
    for field in RECEIVED_FIELDS:
        if field in data:
            setattr(response, field, data[field])
    response.text = text
    attachment = data.get("attachment")
    if attachment:
        check_attachment(attachment)
        response.attachment = attachment
        response.attachment_sha256 = sha256_of(attachment)
    response.full_clean(exclude=["attachment"])
    response.save()
    return response


def send_receipt(response: ConsultationResponse, *, plan_title: str, page_url: str) -> bool:
    """E-mail the respondent a Norwegian receipt; a failure is logged, never raised.

    The response is stored before this is called, so a failed e-mail loses nothing.
    """
    if not response.email:
        return False
    consultation = response.consultation
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "response": response,
            "plan_title": plan_title,
            "deadline": consultation.deadline,
            "page_url": page_url,
            "municipality": settings.HEIMPLAN_MUNICIPALITY,
        }
        subject = _("Receipt for your consultation response %(reference)s") % {
            "reference": response.reference
        }
        body = render_to_string("consultation/email/receipt.txt", context)
    try:
        send_mail(subject, body, None, [response.email])
    except Exception as exc:  # SMTP, DNS, refused address: the response is kept all the same
        logger.warning(
            "Consultation receipt %s not e-mailed: %s", response.reference, type(exc).__name__
        )
        return False
    return True


def _participation_data(response: ConsultationResponse, data: dict) -> dict:
    source = response.public_name or str(response.get_kind_display())
    summary = (data.get("assessment") or "").strip() or response.text[:2000]
    return {
        "source": f"{_('Consultation response')} {response.reference}: {source}"[:200],
        "received_on": timezone.localtime(response.received_at).date(),
        "summary": summary,
        "measures": list(data.get("measures") or []),
    }


@transaction.atomic
def response_update(
    *,
    actor,
    consultation_response: ConsultationResponse,
    data: dict,
    expected_version: int | None = None,
) -> ConsultationResponse:
    """Handle a response: publish or withhold it (with a reason), assess it, link it.

    A published response linked to measures becomes the plan's participation input,
    so its trail to the measures is the one the plan page already shows.
    """
    response = consultation_response
    plan = response.consultation.plan
    publication = data.get("publication", response.publication)
    reason = (data.get("withheld_reason", response.withheld_reason) or "").strip()
    if publication == ConsultationResponse.Publication.WITHHELD and not reason:
        raise ValidationError({"withheld_reason": _("Say why the response is withheld.")})
    if publication != ConsultationResponse.Publication.WITHHELD:
        data = data | {"withheld_reason": ""}
    for key in ("sections", "measures"):
        wrong = [row for row in data.get(key) or () if row.plan_id != plan.pk]
        if wrong:
            raise ValidationError({key: _("Only this plan's chapters and measures can be linked.")})
    changed = row_update(
        response,
        actor=actor,
        data=data,
        expected_version=expected_version,
        fields=HANDLING_FIELDS,
    )
    measures = list(response.measures.all())
    trail = response.is_published and (measures or response.assessment)
    if trail and plan.is_editable:
        values = _participation_data(
            response, {"assessment": response.assessment, "measures": measures}
        )
        if response.participation_input_id is None:
            response.participation_input = participation_input_create(
                actor=actor, plan=plan, data=values
            )
            response.save(update_fields=["participation_input"])
        else:
            participation_input_update(
                actor=actor, participation_input=response.participation_input, data=values
            )
    elif not response.is_published and response.participation_input_id and plan.is_editable:
        from stakeholders.services import participation_input_delete

        participation = response.participation_input
        response.participation_input = None
        response.save(update_fields=["participation_input"])
        participation_input_delete(actor=actor, participation_input=participation)
    if changed:
        public_content_changed(plan_ids=[plan.pk])
    return response


@transaction.atomic
def response_erase(*, actor, consultation_response: ConsultationResponse) -> ConsultationResponse:
    """Erase a respondent on request: name, e-mail, text and attachment; the row stays counted.

    The response is withheld from then on, with the reason recorded.
    """
    response = ConsultationResponse.objects.select_for_update().get(pk=consultation_response.pk)
    if response.attachment:
        response.attachment.delete(save=False)
    response.name = ""
    response.email = ""
    response.text = ""
    response.attachment = ""
    response.attachment_sha256 = ""
    response.publish_name = False
    response.publication = ConsultationResponse.Publication.WITHHELD
    response.withheld_reason = _("Erased at the respondent's request.")
    response.contact_erased_at = timezone.now()
    response.edit_version += 1
    response.save()
    if response.participation_input_id and response.consultation.plan.is_editable:
        participation_input_update(
            actor=actor,
            participation_input=response.participation_input,
            data={
                "source": _("Consultation response %(reference)s")
                % {"reference": response.reference}
            },
        )
    public_content_changed(plan_ids=[response.consultation.plan_id])
    return response


def contact_details_purge(*, today=None, days: int | None = None) -> int:
    """Erase the e-mail addresses of respondents ``days`` after the plan's next adoption.

    Returns how many responses lost their contact details.
    """
    today = today or timezone.localdate()
    days = settings.HEIMPLAN_CONSULTATION_CONTACT_RETENTION_DAYS if days is None else days
    cutoff = today - timedelta(days=days)
    erased = 0
    candidates = (
        ConsultationResponse.objects.exclude(email="")
        .select_related("consultation")
        .only("pk", "consultation__plan_id", "consultation__started_on")
    )
    from plans.models import Adoption

    for response in candidates.iterator():
        adopted = Adoption.objects.filter(
            plan_id=response.consultation.plan_id,
            meeting_date__gte=response.consultation.started_on,
            meeting_date__lte=cutoff,
        ).exists()
        if adopted:
            erased += ConsultationResponse.objects.filter(pk=response.pk).update(
                email="", contact_erased_at=timezone.now()
            )
    return erased


def invitations_send(*, actor, plan, units, page_url: str) -> tuple[int, int]:
    """E-mail the contacts of ``units`` (councils, partners) an invitation to respond.

    Only while the newest round is open, once per unit and round. A failed e-mail is
    logged and the unit is left uninvited, so it can be sent again. Returns (units
    invited, e-mails sent).
    """
    consultation = plan.consultations.defer("pdf").order_by("-round").first()
    if consultation is None or not consultation.is_open_on(timezone.localdate()):
        raise ValidationError(_("The plan is not out for consultation."))
    done = set(consultation.invitations.values_list("unit_id", flat=True))
    invited = sent = 0
    for unit in units:
        emails = sorted({u.email for u in unit.contacts.all() if u.email and u.is_active})
        if unit.pk in done or not emails:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Invitation to respond: %(title)s") % {
                "title": consultation.snapshot.get("title", str(plan))
            }
            body = render_to_string(
                "consultation/email/invitation.txt",
                {
                    "unit": unit,
                    "plan_title": consultation.snapshot.get("title", str(plan)),
                    "deadline": consultation.deadline,
                    "page_url": page_url,
                    "municipality": settings.HEIMPLAN_MUNICIPALITY,
                },
            )
        try:
            send_mail(subject, body, None, emails)
        except Exception as exc:  # the next attempt sends it again
            logger.warning("Consultation invitation to %s not e-mailed: %s", unit.slug,
                           type(exc).__name__)  # fmt: skip
            continue
        ConsultationInvitation.objects.create(
            consultation=consultation,
            unit=unit,
            recipients=len(emails),
            sent_at=timezone.now(),
            sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        invited += 1
        sent += len(emails)
    return invited, sent
