"""The municipality's organisation: units, process groups, their mandates and members."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from core.text import validate_markdown


class Unit(models.Model):
    """A unit of the municipality (enhet) or an outside partner that takes part in plan work."""

    class Kind(models.TextChoices):
        SECTOR = "sector", _("Sector")
        UNIT = "unit", _("Unit")
        SERVICE = "service", _("Service")
        COUNCIL = "council", _("Council")
        LEADERSHIP = "leadership", _("Leadership group")
        EXTERNAL = "external", _("External partner")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown."), validators=[validate_markdown]
    )
    website = models.URLField(_("web site"), blank=True)
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contacts"),
        blank=True,
        related_name="units",
        help_text=_("People who report on this unit's measures and receive reminders."),
    )
    history = HistoricalRecords(m2m_fields=[contacts])

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation:unit_detail", kwargs={"slug": self.slug})

    @property
    def is_municipal(self) -> bool:
        return self.kind not in {self.Kind.EXTERNAL}


class ProcessGroup(models.Model):
    """An interdisciplinary process group or working group (prosessgruppe / arbeidsgruppe)."""

    class Kind(models.TextChoices):
        PROCESS_GROUP = "process", _("Process group")
        WORKING_GROUP = "working", _("Working group")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.PROCESS_GROUP
    )
    purpose = models.TextField(
        _("purpose"), blank=True, help_text=_("Markdown."), validators=[validate_markdown]
    )
    established_by = models.CharField(
        _("established by"), max_length=200, blank=True, help_text=_("E.g. Toppledergruppen.")
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editors"),
        blank=True,
        related_name="editable_groups",
        help_text=_("Accounts that may edit this group's plans, measures and analyses."),
    )
    history = HistoricalRecords(m2m_fields=[editors])

    class Meta:
        verbose_name = _("process group")
        verbose_name_plural = _("process groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MandateItem(models.Model):
    """One point of a group's mandate, with a deadline where the mandate gives one."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        # For items whose status nobody has recorded, e.g. loaded from a text that is
        # silent about them: not claimed as done, nor as not started.
        NOT_RECORDED = "not_recorded", _("Not recorded")

    group = models.ForeignKey(
        ProcessGroup,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="mandate_items",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandate item")
        verbose_name_plural = _("mandate items")
        ordering = ["group", "order", "id"]

    def __str__(self):
        return self.text[:80]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        # Overdue claims the item is unfinished; with no recorded status we do not know.
        unfinished = self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)
        return bool(self.deadline and unfinished and self.deadline < today)


class Membership(models.Model):
    """A seat in a group: a role from a unit, optionally filled by a named person.

    Names are personal data: public pages show the role and unit only.
    """

    group = models.ForeignKey(
        ProcessGroup,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    role_title = models.CharField(_("role title"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    person_name = models.CharField(_("person name"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    is_leader = models.BooleanField(_("leads the group"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group", "order", "id"]

    def __str__(self):
        return f"{self.role_title} ({self.unit})" if self.unit else self.role_title
