"""Responses to a public consultation (høringsinnspill) and how the municipality handled them.

The consultation itself (the frozen draft, its PDF and deadline) is the plan's
``plans.Consultation``; a response belongs to one round of it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import validate_document


class ConsultationResponse(models.Model):
    """One response to a consultation: who sent it, what it says, and how it was handled."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Private person")
        ORGANISATION = "organisation", _("Organisation or association")
        COUNCIL = "council", _("Council (elderly, youth, people with disabilities)")
        PUBLIC_BODY = "public_body", _("Public body")

    class Publication(models.TextChoices):
        PENDING = "pending", _("Not handled yet")
        PUBLISHED = "published", _("Published")
        WITHHELD = "withheld", _("Withheld")

    consultation = models.ForeignKey(
        "plans.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    kind = models.CharField(_("who responds"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name or organisation"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    text = models.TextField(_("response"))
    attachment = models.FileField(
        _("attachment"),
        upload_to="consultation/%Y/",
        blank=True,
        validators=[validate_document],
    )
    attachment_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    publish_name = models.BooleanField(_("the name may be published"), default=False)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    publication = models.CharField(
        _("publication"),
        max_length=20,
        choices=Publication.choices,
        default=Publication.PENDING,
    )
    withheld_reason = models.CharField(_("reason for withholding"), max_length=500, blank=True)
    assessment = models.TextField(_("the municipality's assessment"), blank=True)
    sections = models.ManyToManyField(
        "plans.PlanSection",
        verbose_name=_("chapters it changed"),
        blank=True,
        related_name="consultation_responses",
    )
    measures = models.ManyToManyField(
        "measures.Measure",
        verbose_name=_("measures it changed"),
        blank=True,
        related_name="consultation_responses",
    )
    participation_input = models.OneToOneField(
        "stakeholders.ParticipationInput",
        verbose_name=_("participation input"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_response",
    )
    contact_erased_at = models.DateTimeField(_("contact details erased"), null=True, blank=True)
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("consultation response")
        verbose_name_plural = _("consultation responses")
        ordering = ["consultation", "received_at", "pk"]
        indexes = [models.Index(fields=["consultation", "publication"])]

    def __str__(self):
        return self.reference

    @property
    def is_published(self) -> bool:
        return self.publication == self.Publication.PUBLISHED

    @property
    def public_name(self) -> str:
        """The name as the public may see it: an organisation's always, a person's by consent."""
        if self.kind != self.Kind.PERSON or self.publish_name:
            return self.name
        return ""


class ConsultationInvitation(models.Model):
    """An invitation to respond, e-mailed to a council or partner's contacts (kommuneloven § 5-12)."""

    consultation = models.ForeignKey(
        "plans.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("council or partner"),
        on_delete=models.CASCADE,
        related_name="consultation_invitations",
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consultation invitation")
        verbose_name_plural = _("consultation invitations")
        ordering = ["consultation", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "unit"], name="unique_consultation_invitation"
            ),
        ]

    def __str__(self):
        return f"{self.consultation} – {self.unit}"
