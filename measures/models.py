"""Measures (tiltak): what a plan commits units to do, and how it is going."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from core.text import validate_markdown
from plans.models import text_fields_changed


class FocusArea(models.Model):
    """An innsatsområde of one plan; measures are grouped under it in order."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown."), validators=[validate_markdown]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="unique_focus_area_per_plan"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.plan_id and text_fields_changed(self, ["plan_id", "order", "title", "description"]):
            self.plan.assert_editable()


class TargetGroup(models.Model):
    """Who a measure is for (målgruppe): children, young people, parents, staff…"""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PreventionLevel(models.TextChoices):
    UNIVERSAL = "universal", _("Universal")
    SELECTIVE = "selective", _("Selective")
    INDICATED = "indicated", _("Indicated")


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    POSTPONED = "postponed", _("Postponed")


# Statuses in which a measure still has work left, so deadlines and reports matter.
OPEN_MEASURE_STATUSES = (
    MeasureStatus.NOT_STARTED,
    MeasureStatus.IN_PROGRESS,
    MeasureStatus.POSTPONED,
)


class Measure(models.Model):
    """A measure (tiltak) in a plan. Its status moves through measures.services."""

    Status = MeasureStatus

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="measures"
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown."), validators=[validate_markdown]
    )
    responsible_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="responsible_for",
    )
    responsible_role = models.CharField(
        _("responsible role"),
        max_length=200,
        blank=True,
        help_text=_("Job title (stillingstittel)."),
    )
    partner_units = models.ManyToManyField(
        "organisation.Unit", verbose_name=_("partners"), blank=True, related_name="partner_in"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="measures"
    )
    goals = models.ManyToManyField(
        "plans.Goal",
        verbose_name=_("goals"),
        blank=True,
        related_name="measures",
        help_text=_("The plan's goals this measure serves."),
    )
    prevention_level = models.CharField(
        _("prevention level"), max_length=20, choices=PreventionLevel.choices, blank=True
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    timing = models.CharField(
        _("timing"), max_length=200, blank=True, help_text=_("E.g. Ongoing, or Autumn 2023.")
    )
    resources = models.TextField(_("resources"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeasureStatus.choices,
        default=MeasureStatus.NOT_STARTED,
        editable=False,
    )
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[partner_units, target_groups])

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan", "focus_area__order", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(deadline__isnull=True)
                | Q(deadline__gte=models.F("start_date")),
                name="measure_deadline_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.focus_area_id and self.plan_id and self.focus_area.plan_id != self.plan_id:
            errors["focus_area"] = _("The focus area belongs to another plan.")
        if self.start_date and self.deadline and self.deadline < self.start_date:
            errors["deadline"] = _("The deadline cannot be before the start.")
        if errors:
            raise ValidationError(errors)
        if self.plan_id and text_fields_changed(self, self.TEXT_FIELDS):
            self.plan.assert_editable()

    # The fields that are part of the adopted text; status follows up and is not among them.
    TEXT_FIELDS = [
        "plan_id",
        "focus_area_id",
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
    ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MEASURE_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline and self.is_open and self.deadline < today)


class StatusReport(models.Model):
    """A progress report on a measure; the newest one sets the measure's status."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="status_reports"
    )
    reported_on = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices)
    text = models.TextField(_("report"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_reports",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["measure", "-reported_on", "-id"]
        get_latest_by = ["reported_on", "id"]

    def __str__(self):
        return f"{self.measure} – {self.reported_on:%d.%m.%Y}"


class ReminderSent(models.Model):
    """A reminder e-mailed to a person about a measure: the guard against sending it twice a day."""

    class Reason(models.TextChoices):
        OVERDUE = "overdue", _("Past deadline")
        DEADLINE_NEAR = "deadline_near", _("Deadline near")
        NO_RECENT_REPORT = "no_recent_report", _("No recent status report")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders_received",
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="reminders"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_on", "user", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "measure", "reason", "sent_on"],
                name="one_reminder_per_reason_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.measure} ({self.reason}, {self.sent_on:%d.%m.%Y})"
