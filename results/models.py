"""Indicators: how the goals of a plan are followed up, and their values over time.

Indicators are follow-up, not plan text: they change without a new adoption. A
goal is plan text (``plans.Goal``); the public sees the indicators of the goals
that are in the version in force, never those of a draft goal.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from core.text import validate_markdown
from plans.models import Adoption, meeting_case_validator


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class DataSource(models.TextChoices):
    UNGDATA = "ungdata", _("Ungdata")
    KOMMUNEHELSA = "kommunehelsa", _("Kommunehelsa statistikkbank")
    KOSTRA = "kostra", _("SSB/KOSTRA")
    BUFDIR = "bufdir", _("Bufdir kommunemonitor")
    OWN_REGISTER = "own_register", _("The municipality's own registers")
    OTHER = "other", _("Other")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    TERTIAL = "tertial", _("Every four months (tertial)")
    YEARLY = "yearly", _("Yearly")
    EVERY_SECOND_YEAR = "biennial", _("Every second year")
    EVERY_THIRD_YEAR = "triennial", _("Every third year")


# How many months may pass between two values before the next one is due.
FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.TERTIAL: 4,
    Frequency.YEARLY: 12,
    Frequency.EVERY_SECOND_YEAR: 24,
    Frequency.EVERY_THIRD_YEAR: 36,
}

VALUE_DIGITS = 14
VALUE_PLACES = 4


def value_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, **kwargs
    )


class Indicator(models.Model):
    """A measurable sign of whether a goal is being reached."""

    goal = models.ForeignKey(
        "plans.Goal", verbose_name=_("goal"), on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=255)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(
        _("unit"), max_length=50, blank=True, help_text=_("E.g. percent, number, per 1,000.")
    )
    direction = models.CharField(
        _("which direction is better"), max_length=4, choices=Direction.choices
    )
    data_source = models.CharField(
        _("data source"), max_length=20, choices=DataSource.choices, default=DataSource.OTHER
    )
    source_text = models.CharField(
        _("source, in words"), max_length=255, blank=True, help_text=_("E.g. the table's name.")
    )
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    frequency = models.CharField(
        _("measured"), max_length=20, choices=Frequency.choices, default=Frequency.YEARLY
    )
    baseline_value = value_field(_("baseline value"), null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = value_field(_("target value"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["goal", "order", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if (self.baseline_value is None) != (self.baseline_date is None):
            errors["baseline_date"] = _("Give the baseline's value and date together.")
        if (self.target_value is None) != (self.target_date is None):
            errors["target_date"] = _("Give the target's value and date together.")
        if (
            self.baseline_date
            and self.target_date
            and self.target_date <= self.baseline_date
            and "target_date" not in errors
        ):
            errors["target_date"] = _("The target date must come after the baseline date.")
        if self.data_source == DataSource.OTHER and not (self.source_text or self.source_url):
            errors["source_text"] = _("Say where the numbers come from.")
        if errors:
            raise ValidationError(errors)

    @property
    def plan_id(self) -> int:
        return self.goal.plan_id

    @property
    def is_better_up(self) -> bool:
        return self.direction == Direction.UP

    @property
    def source_display(self) -> str:
        label = str(self.get_data_source_display())
        if self.data_source == DataSource.OTHER:
            return self.source_text
        return f"{label}: {self.source_text}" if self.source_text else label


class IndicatorValue(models.Model):
    """One value of an indicator, for a period (a year, a quarter) or a date."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    date = models.DateField(
        _("date"), help_text=_("The date the value is for; the first day of a period.")
    )
    period = models.CharField(
        _("period"), max_length=30, blank=True, help_text=_("E.g. 2024, 2024 K1 or 2021–2023.")
    )
    value = value_field(_("value"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), auto_now=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="one_value_per_date"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.period_display})"

    @property
    def period_display(self) -> str:
        return self.period or self.date.strftime("%d.%m.%Y")


def as_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


class YearlyReport(models.Model):
    """The report on a plan for a period (a year by default) to a political body.

    Written as a draft in the workspace; when marked final its content is frozen
    like an adoption: ``snapshot`` (the measures' status and the period's reports,
    the indicators' values and trends, the narrative) and ``pdf`` are written once and
    never changed. Only final reports are public.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    went_well = models.TextField(
        _("What went well"), blank=True, help_text=_("Markdown."), validators=[validate_markdown]
    )
    went_badly = models.TextField(
        _("What did not go well"),
        blank=True,
        help_text=_("Markdown."),
        validators=[validate_markdown],
    )
    changes = models.TextField(
        _("What we will change"),
        blank=True,
        help_text=_("Markdown."),
        validators=[validate_markdown],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    snapshot = models.JSONField(_("frozen content"), default=dict, editable=False)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(
        _("SHA-256 of the PDF"), max_length=64, blank=True, editable=False
    )
    finalised_at = models.DateTimeField(_("made final"), null=True, blank=True, editable=False)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made final by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    considered_by = models.CharField(
        _("considered by"), max_length=30, choices=Adoption.Body.choices, blank=True
    )
    considered_on = models.DateField(_("meeting date"), null=True, blank=True)
    case_number = models.CharField(
        _("meeting case number"),
        max_length=30,
        blank=True,
        validators=[meeting_case_validator],
        help_text=_("E.g. PS 18/24."),
    )
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["snapshot", "pdf"])

    # What is frozen when the report is final.
    TEXT_FIELDS = ["year", "period_start", "period_end", "went_well", "went_badly", "changes"]

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        ordering = ["plan", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="one_report_per_plan_year"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.plan} – {self.year}"

    def get_absolute_url(self):
        return reverse("results:report_detail", kwargs={"slug": self.plan.slug, "year": self.year})

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if (self.considered_by or self.case_number) and not self.considered_on:
            errors["considered_on"] = _("Give the date of the meeting.")
        if self.considered_on and not self.considered_by:
            errors["considered_by"] = _("Say which body considered the report.")
        if errors:
            raise ValidationError(errors)
        if self.pk and self.is_final:
            stored = type(self).objects.filter(pk=self.pk).values(*self.TEXT_FIELDS).first()
            if stored and any(stored[f] != getattr(self, f) for f in self.TEXT_FIELDS):
                raise ValidationError(_("The report is final and its content is frozen."))


class FollowUpReminderSent(models.Model):
    """A reminder e-mailed about a plan's follow-up cycle: the guard against sending it
    twice a day. ``key`` tells items of one kind apart (an indicator's id, a year)."""

    class Kind(models.TextChoices):
        REVISION = "revision", _("Revision due")
        INDICATOR = "indicator", _("Indicator values due")
        REPORT = "report", _("Yearly report due")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("reason"), max_length=20, choices=Kind.choices)
    key = models.PositiveIntegerField(default=0)
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("follow-up reminder sent")
        verbose_name_plural = _("follow-up reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan", "kind", "key", "sent_on"],
                name="one_followup_reminder_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.plan} ({self.kind}, {self.sent_on:%d.%m.%Y})"
