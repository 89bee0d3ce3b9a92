"""Stakeholder analysis (interessentanalyse) and the strategies that follow from it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from core.text import validate_markdown


class Degree(models.IntegerChoices):
    """Digdir's scale for interest and influence."""

    NONE = 0, _("None")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class StakeholderAnalysis(models.Model):
    """A stakeholder analysis, made for a plan or for a process group's work."""

    title = models.CharField(_("title"), max_length=255)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stakeholder_analyses",
    )
    process_group = models.ForeignKey(
        "organisation.ProcessGroup",
        verbose_name=_("process group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stakeholder_analyses",
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown."), validators=[validate_markdown]
    )
    conducted_on = models.DateField(_("conducted on"), null=True, blank=True)
    # Quadrant names of the interest × influence grid (Mendelow); editable per analysis.
    label_manage_closely = models.CharField(
        _("label: high influence, high interest"), max_length=100, default="Involvere tett"
    )
    label_keep_satisfied = models.CharField(
        _("label: high influence, low interest"), max_length=100, default="Holde tilfreds"
    )
    label_keep_informed = models.CharField(
        _("label: low influence, high interest"), max_length=100, default="Holde orientert"
    )
    label_monitor = models.CharField(
        _("label: low influence, low interest"), max_length=100, default="Følge med"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stakeholder analysis")
        verbose_name_plural = _("stakeholder analyses")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__isnull=False) | Q(process_group__isnull=False),
                name="analysis_belongs_to_plan_or_group",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.plan_id and not self.process_group_id:
            raise ValidationError(_("An analysis belongs to a plan, a process group or both."))


class Stakeholder(models.Model):
    class Role(models.TextChoices):
        TARGET_GROUP = "target_group", _("Target group")
        ACTOR = "actor", _("Actor")

    class Category(models.TextChoices):
        MANAGEMENT = "management", _("Management")
        USER = "user", _("User")
        SUPPLIER = "supplier", _("Supplier")
        PREMISE_PROVIDER = "premise_provider", _("Premise provider")
        OTHER = "other", _("Other")

    class Attitude(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        NEGATIVE = "negative", _("Negative")
        UNKNOWN = "unknown", _("Unknown")

    analysis = models.ForeignKey(
        StakeholderAnalysis,
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="stakeholders",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # Printed references ("interessent 4") must not shift: a stakeholder keeps the number
    # it got when added (the analysis's highest plus one); a deleted one leaves a gap.
    number = models.PositiveIntegerField(_("number"), default=0, editable=False)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("target group or actor"), max_length=20, choices=Role.choices)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholder_entries",
    )
    target_group = models.ForeignKey(
        "measures.TargetGroup",
        verbose_name=_("target group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholder_entries",
    )
    connection = models.CharField(_("connection"), max_length=255, blank=True)
    expectations = models.TextField(_("expectations"), blank=True)
    attitude = models.CharField(
        _("attitude"), max_length=20, choices=Attitude.choices, default=Attitude.UNKNOWN
    )
    interest = models.PositiveSmallIntegerField(
        _("interest"), choices=Degree.choices, default=Degree.MEDIUM
    )
    influence = models.PositiveSmallIntegerField(
        _("influence"), choices=Degree.choices, default=Degree.MEDIUM
    )
    information_needs = models.TextField(_("information needs"), blank=True)
    follow_up = models.TextField(_("measures and follow-up"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["analysis", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "name"], name="unique_stakeholder_name"),
            models.UniqueConstraint(
                fields=["analysis", "number"],
                condition=Q(number__gt=0),
                name="unique_stakeholder_number",
            ),
            models.CheckConstraint(
                condition=Q(interest__lte=3) & Q(influence__lte=3), name="stakeholder_degree_range"
            ),
        ]

    def __str__(self):
        return self.name


class Activity(models.Model):
    """An information or ownership activity aimed at stakeholders of an analysis."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information activity")
        OWNERSHIP = "ownership", _("Ownership activity")

    class Channel(models.TextChoices):
        VIDEO = "video", _("Video")
        WEB = "web", _("Web page")
        MEETING = "meeting", _("Meeting")
        LEADER_MEETING = "leader_meeting", _("Leader meeting")
        NEWSLETTER = "newsletter", _("Newsletter")
        WORKSHOP = "workshop", _("Workshop")
        PARTICIPATION = "participation", _("Participation in measures")
        OTHER = "other", _("Other")

    analysis = models.ForeignKey(
        StakeholderAnalysis,
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    message = models.TextField(_("message"), blank=True)
    stakeholders = models.ManyToManyField(
        Stakeholder, verbose_name=_("aimed at"), blank=True, related_name="activities"
    )
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    timing = models.CharField(_("when"), max_length=200, blank=True)
    responsible_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    completed_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[stakeholders])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["analysis", "kind", "planned_for", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        # Here rather than in the service alone, so the admin refuses it too.
        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError(
                {"completed_on": _("An activity cannot be marked done on a future date.")}
            )

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None


class ParticipationInput(models.Model):
    """Input from a council or partner (medvirkning) and the measures it shaped."""

    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="participation_inputs",
    )
    analysis = models.ForeignKey(
        StakeholderAnalysis,
        verbose_name=_("analysis"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participation_inputs",
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        verbose_name=_("stakeholder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participation_inputs",
    )
    source = models.CharField(_("source"), max_length=200, help_text=_("E.g. Heim ungdomsråd."))
    received_on = models.DateField(_("date"), null=True, blank=True)
    summary = models.TextField(_("summary"))
    measures = models.ManyToManyField(
        "measures.Measure",
        verbose_name=_("measures shaped"),
        blank=True,
        related_name="participation_inputs",
    )
    history = HistoricalRecords(m2m_fields=[measures])

    class Meta:
        verbose_name = _("participation input")
        verbose_name_plural = _("participation inputs")
        ordering = ["plan", "received_on", "source"]

    def __str__(self):
        return self.source


class Finding(models.Model):
    """A strength or weakness the analysis uncovered, in the units or in the community."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        WEAKNESS = "weakness", _("Weakness")

    class Scope(models.TextChoices):
        ORGANISATION = "organisation", _("The municipal organisation")
        COMMUNITY = "community", _("The local community")

    analysis = models.ForeignKey(
        StakeholderAnalysis,
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    scope = models.CharField(
        _("where"), max_length=20, choices=Scope.choices, default=Scope.ORGANISATION
    )
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strength or weakness")
        verbose_name_plural = _("strengths and weaknesses")
        ordering = ["analysis", "kind", "id"]

    def __str__(self):
        return self.text[:80]
