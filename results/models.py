"""Indicators: how the goals of a plan are followed up, and their values over time.

Indicators are follow-up, not plan text: they change without a new adoption. A
goal is plan text (``plans.Goal``); the public sees the indicators of the goals
that are in the version in force, never those of a draft goal.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords


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
        "plans.Goal", verbose_name=_("goal"), on_delete=models.PROTECT, related_name="indicators"
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
