"""Plans: their text, legal basis, lifecycle and adopted versions."""

import re
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import sha256_of, validate_attachment, validate_document
from core.history import HistoricalRecords
from core.text import validate_markdown


def text_fields_changed(instance: models.Model, fields: list[str]) -> bool:
    """Whether saving ``instance`` would change any of ``fields`` (always true for a new row)."""
    if instance.pk is None:
        return True
    stored = type(instance)._default_manager.filter(pk=instance.pk).values(*fields).first()
    if stored is None:
        return True
    return any(stored[f] != getattr(instance, f) for f in fields)


class Reform(models.Model):
    """A national reform or initiative that a plan answers (e.g. oppvekstreformen)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown."), validators=[validate_markdown]
    )
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    url = models.URLField(_("link"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reform or national initiative")
        verbose_name_plural = _("reforms and national initiatives")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LegalBasis(models.Model):
    """A provision of law a plan rests on (lovhjemmel), e.g. barnevernsloven § 15-1."""

    law = models.CharField(_("law"), max_length=200, help_text=_("E.g. barnevernsloven."))
    section = models.CharField(_("section"), max_length=50, help_text=_("E.g. § 15-1."))
    summary = models.TextField(_("what it requires"), blank=True)
    url = models.URLField(_("link"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["law", "section"]
        constraints = [
            models.UniqueConstraint(fields=["law", "section"], name="unique_legal_basis"),
        ]

    def __str__(self):
        return f"{self.law} {self.section}"


class WorkingModel(models.Model):
    """A method a plan's work follows, e.g. Trøndelagsmodellen for folkehelsearbeid."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown."), validators=[validate_markdown]
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working model")
        verbose_name_plural = _("working models")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkingModelStep(models.Model):
    model = models.ForeignKey(
        WorkingModel,
        verbose_name=_("working model"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    name_verified = models.BooleanField(
        _("name verified"),
        default=False,
        help_text=_("Unchecked where the step's name has not been verified against the source."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working model step")
        verbose_name_plural = _("working model steps")
        ordering = ["model", "number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="unique_step_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class PlanQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=Plan.PUBLIC_STATUSES)


class Plan(models.Model):
    """A municipal plan. Its status only moves through plans.services."""

    class Kind(models.TextChoices):
        ACTION_PLAN = "action_plan", _("Action plan")
        THEMATIC_PLAN = "thematic_plan", _("Thematic plan")
        SECTOR_PLAN = "sector_plan", _("Municipal sector plan")
        STRATEGY = "strategy", _("Strategy")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONSULTATION = "consultation", _("Out for consultation")
        ADOPTED = "adopted", _("Adopted")
        REVISION = "revision", _("Under revision")
        RETIRED = "retired", _("Retired")

    # Statuses in which an adopted version exists and the public may read it.
    PUBLIC_STATUSES = (Status.ADOPTED, Status.REVISION, Status.RETIRED)
    # Statuses in which the live plan's text may be edited.
    EDITABLE_STATUSES = (Status.DRAFT, Status.CONSULTATION, Status.REVISION)

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        unique=True,
        help_text=_("Part of the web address. Norwegian letters become ae, o and a."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ACTION_PLAN
    )
    summary = models.TextField(_("summary"), blank=True)
    period_start = models.PositiveSmallIntegerField(
        _("plan period from (year)"), null=True, blank=True
    )
    period_end = models.PositiveSmallIntegerField(_("plan period to (year)"), null=True, blank=True)
    legal_bases = models.ManyToManyField(
        LegalBasis, verbose_name=_("legal basis"), blank=True, related_name="plans"
    )
    reforms = models.ManyToManyField(
        Reform, verbose_name=_("reforms and national initiatives"), blank=True, related_name="plans"
    )
    process_group = models.ForeignKey(
        "organisation.ProcessGroup",
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    working_model = models.ForeignKey(
        WorkingModel,
        verbose_name=_("working model"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    consultation_deadline = models.DateField(
        _("consultation deadline"), null=True, blank=True, editable=False
    )
    consultation_started_on = models.DateField(
        _("sent out for consultation"), null=True, blank=True, editable=False
    )
    report_stale_after_days = models.PositiveSmallIntegerField(
        _("report stale after (days)"),
        default=90,
        help_text=_("A measure with no status report for this many days is flagged."),
    )
    revision_due_on = models.DateField(
        _("revision due"),
        null=True,
        blank=True,
        help_text=_(
            "When the plan should next be considered for revision. Empty: a year after "
            "the latest adoption."
        ),
    )
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[legal_bases, reforms])

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="plan_period_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", kwargs={"slug": self.slug})

    def get_editor_url(self, anchor: str = "") -> str:
        """The plan editor in the workspace, at ``anchor`` if given."""
        url = reverse("plans:plan_content", kwargs={"slug": self.slug})
        return f"{url}#{anchor}" if anchor else url

    # The fields that are part of the adopted text (locked while adopted or retired).
    TEXT_FIELDS = ["title", "kind", "summary", "period_start", "period_end"]

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The plan period cannot end before it starts.")})
        if self.pk and not self.is_editable and text_fields_changed(self, self.TEXT_FIELDS):
            self.assert_editable()

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    def assert_editable(self) -> None:
        """The one check every write to a plan's text, sections or measures goes through."""
        if not self.is_editable:
            raise ValidationError(
                _("This plan is %(status)s and its text is locked. Start a revision to change it.")
                % {"status": self.get_status_display().lower()}
            )

    def revision_due(self, adopted_on=None):
        """The date the plan is due for revision: its own, else a year after ``adopted_on``."""
        if self.revision_due_on:
            return self.revision_due_on
        if adopted_on is None:
            return None
        try:
            return adopted_on.replace(year=adopted_on.year + 1)
        except ValueError:  # 29 February
            return adopted_on.replace(year=adopted_on.year + 1, day=28)

    @property
    def period_display(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start}–{self.period_end}"
        return str(self.period_start or self.period_end or "")


class PlanSection(models.Model):
    """A chapter of a plan's text, in Markdown."""

    class Kind(models.TextChoices):
        FOREWORD = "foreword", _("Foreword and mandate")
        BACKGROUND = "background", _("Background")
        MAPPING = "mapping", _("Mapping")
        DEFINITIONS = "definitions", _("Definitions")
        GOALS = "goals", _("Goals")
        FOCUS = "focus", _("Focus")
        FOLLOW_UP = "follow_up", _("Follow-up and evaluation")
        WAY_FORWARD = "way_forward", _("The way forward")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(
        _("text"), blank=True, help_text=_("Markdown."), validators=[validate_markdown]
    )
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "order", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.plan_id and text_fields_changed(
            self, ["plan_id", "order", "kind", "title", "body"]
        ):
            self.plan.assert_editable()


class Goal(models.Model):
    """A goal of a plan (mål): a main goal, or a sub-goal under one. Part of the plan's text.

    Goals are adopted with the plan; the indicators that follow them up
    (``results``) are not, and change without a new adoption.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("main goal"),
        # A main goal with sub-goals is not deleted alone, but with its plan it is.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Empty for a main goal; the main goal a sub-goal belongs to."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown."), validators=[validate_markdown]
    )
    history = HistoricalRecords()

    TEXT_FIELDS = ["plan_id", "parent_id", "order", "title", "description"]

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "order", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.parent_id:
            parent = self.parent
            if parent.plan_id != self.plan_id:
                raise ValidationError({"parent": _("The main goal belongs to another plan.")})
            if parent.parent_id is not None:
                raise ValidationError({"parent": _("A sub-goal cannot have sub-goals of its own.")})
            if self.pk and parent.pk == self.pk:
                raise ValidationError({"parent": _("A goal cannot be its own main goal.")})
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": _("This goal has sub-goals, so it must stay a main goal.")}
                )
        if self.plan_id and text_fields_changed(self, self.TEXT_FIELDS):
            self.plan.assert_editable()


class PlanLink(models.Model):
    """An external link that belongs to a plan: the explainer video, dinutvei.no."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        WEB = "web", _("Web page")
        DOCUMENT = "document", _("Document")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="links"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WEB)
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("address"), max_length=500)
    description = models.CharField(_("description"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["plan", "order", "id"]

    def __str__(self):
        return self.title


class PlanAttachment(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="attachments"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(
        _("file"),
        upload_to="attachments/%Y/",
        validators=[validate_attachment],
        help_text=_("PDF, Word, OpenDocument, Excel, PNG or JPEG."),
    )
    # Which bytes were published: an attachment replaced after adoption is not the one
    # the adopted version lists, and is not served in its name.
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["plan", "order", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.file and not self.file._committed:
            self.sha256 = sha256_of(self.file)

    @property
    def download_name(self) -> str:
        return f"{self.plan.slug}-{self.pk}{PurePath(self.file.name).suffix.lower()}"


class PlanStepProgress(models.Model):
    """How far a plan's work has come in its working model."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="step_progress"
    )
    step = models.ForeignKey(
        WorkingModelStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="progress"
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step progress")
        verbose_name_plural = _("step progress")
        ordering = ["plan", "step__number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "step"], name="unique_plan_step"),
        ]

    def __str__(self):
        return f"{self.plan}: {self.step}"

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None


meeting_case_validator = RegexValidator(
    re.compile(r"^[A-ZÆØÅ]{1,4} ?\d{1,4}/\d{2,4}$"),
    _("Write the meeting case number as e.g. PS 18/24."),
)
archive_case_validator = RegexValidator(
    re.compile(r"^\d{4}/\d{1,7}$"),
    _("Write the archive case number as e.g. 2024/1065."),
)


class Adoption(models.Model):
    """The council's decision (vedtak) and the version of the plan it adopted.

    The snapshot and the PDF are the record: written once when the adoption is
    registered and never changed afterwards.
    """

    class Body(models.TextChoices):
        MUNICIPAL_COUNCIL = "kommunestyret", _("Municipal council")
        EXECUTIVE_COMMITTEE = "formannskapet", _("Executive committee")
        STANDING_COMMITTEE = "hovedutvalg", _("Standing committee")
        ADMINISTRATION = "administrasjonen", _("Administration (delegated)")
        # The source says the plan was adopted, and when, but not by whom.
        NOT_STATED = "ikke_oppgitt", _("Not stated")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="adoptions"
    )
    version_number = models.PositiveIntegerField(_("version"))
    body = models.CharField(
        _("adopted by"), max_length=30, choices=Body.choices, default=Body.MUNICIPAL_COUNCIL
    )
    meeting_date = models.DateField(_("meeting date"))
    meeting_case_number = models.CharField(
        _("meeting case number"),
        max_length=30,
        blank=True,
        validators=[meeting_case_validator],
        help_text=_("E.g. PS 18/24."),
    )
    archive_case_number = models.CharField(
        _("archive case number"),
        max_length=30,
        blank=True,
        validators=[archive_case_validator],
        help_text=_("E.g. 2024/1065."),
    )
    decision_text = models.TextField(_("decision text"), blank=True)

    class Source(models.TextChoices):
        # The text the portal holds is what the council adopted.
        PORTAL = "portal", _("The portal's text")
        # The council adopted a document the portal does not hold: the portal's PDF is a
        # web version made from the municipality's published text.
        EXTERNAL = "external", _("A document kept by the municipality")

    source = models.CharField(
        _("what the council adopted"), max_length=20, choices=Source.choices, default=Source.PORTAL
    )
    adopted_document = models.FileField(
        _("the adopted document"),
        upload_to="adoptions/%Y/",
        blank=True,
        validators=[validate_document],
        help_text=_(
            "The document the council actually adopted (PDF, DOCX or ODT), if you have it."
        ),
    )
    adopted_document_sha256 = models.CharField(
        _("SHA-256 of the adopted document"), max_length=64, blank=True, editable=False
    )
    archive_document_number = models.PositiveIntegerField(
        _("document number"),
        null=True,
        blank=True,
        help_text=_("The document's number in the archive case (2024/1065-12: 12)."),
    )
    record_url = models.URLField(
        _("link to the case"),
        blank=True,
        help_text=_("The case in the municipality's meeting portal or in eInnsyn."),
    )
    snapshot = models.JSONField(_("adopted content"), default=dict, editable=False)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(
        _("SHA-256 of the PDF"), max_length=64, blank=True, editable=False
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["plan", "-version_number"]
        get_latest_by = "version_number"
        constraints = [
            models.UniqueConstraint(fields=["plan", "version_number"], name="unique_plan_version"),
        ]

    def __str__(self):
        return f"{self.plan} – {_('version')} {self.version_number} ({self.meeting_date:%d.%m.%Y})"

    @property
    def body_is_stated(self) -> bool:
        return self.body != self.Body.NOT_STATED

    @property
    def archive_reference(self) -> str:
        """The archive case with its document number (2024/1065-12), as archives write it."""
        if self.archive_case_number and self.archive_document_number:
            return f"{self.archive_case_number}-{self.archive_document_number}"
        return self.archive_case_number

    @property
    def case_numbers_display(self) -> str:
        return ", ".join(n for n in (self.meeting_case_number, self.archive_reference) if n)

    @property
    def pdf_is_web_version(self) -> bool:
        """Whether the portal's PDF is a web version rather than the adopted document itself."""
        return bool(self.adopted_document) or self.source == self.Source.EXTERNAL


class Consultation(models.Model):
    """A round of public consultation (høring): the draft as it was sent out, frozen.

    Written once by ``plans.services.plan_send_to_consultation``: the snapshot and
    its PDF (with a HØRINGSUTKAST watermark) are what the public reads and responds
    to while the group keeps working on the live plan.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="consultations"
    )
    round = models.PositiveIntegerField(_("round"))
    started_on = models.DateField(_("sent out for consultation"))
    deadline = models.DateField(_("consultation deadline"))
    snapshot = models.JSONField(_("consultation draft"), default=dict, editable=False)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(
        _("SHA-256 of the PDF"), max_length=64, blank=True, editable=False
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["plan", "-round"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "round"], name="unique_plan_consultation"),
        ]

    def __str__(self):
        return f"{self.plan} – {_('consultation')} {self.round}"

    def is_open_on(self, day) -> bool:
        """Responses are taken up to and including the deadline."""
        return self.started_on <= day <= self.deadline


class PublishedPlan(models.Model):
    """What the public sees of a plan: the version in force, as adoption published it.

    Written only by the publishing listener (``plans.published``) from the adopted
    snapshot, never from the live rows an editor is changing, and read by every
    public page, feed and export. A plan without a published version has no row.
    """

    plan = models.OneToOneField(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="published"
    )
    # None while the plan's only public text is a consultation draft.
    adoption = models.ForeignKey(
        Adoption,
        verbose_name=_("adoption"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The consultation draft on offer (the main text when there is no adoption).
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    consultation_deadline = models.DateField(_("consultation deadline"), null=True, blank=True)
    version_number = models.PositiveIntegerField(_("version"))
    # The plan's lifecycle status is public by nature (in force, under revision, retired).
    status = models.CharField(_("status"), max_length=20, choices=Plan.Status.choices)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    period = models.CharField(_("plan period"), max_length=20, blank=True)
    legal_bases = models.JSONField(_("legal basis"), default=list)
    adopted_on = models.DateField(_("meeting date"), null=True, blank=True)
    measure_count = models.PositiveIntegerField(_("measures"), default=0)
    published_at = models.DateTimeField(_("published"), auto_now=True)

    class Meta:
        verbose_name = _("published plan")
        verbose_name_plural = _("published plans")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", kwargs={"slug": self.slug})

    # What the plan templates ask of the plan they show, answered for the public version.
    Status = Plan.Status
    is_public = True
    is_editable = False

    @property
    def is_consultation_draft(self) -> bool:
        """Whether the public text is a consultation draft (no version adopted yet)."""
        return self.adoption_id is None

    @property
    def is_retired(self) -> bool:
        return self.status == Plan.Status.RETIRED

    @property
    def period_display(self) -> str:
        return self.period


class PublishedMeasure(models.Model):
    """A measure of a published plan, as adopted: what unit pages and counts read.

    ``measure_id`` is the identity of the live measure, to which public follow-up
    (status, status reports) is joined; the text here never changes until the next
    adoption publishes a new version.
    """

    published_plan = models.ForeignKey(
        PublishedPlan, on_delete=models.CASCADE, related_name="measures"
    )
    measure_id = models.PositiveIntegerField(db_index=True)
    position = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=500)
    focus_area = models.CharField(_("focus area"), max_length=255, blank=True)
    responsible_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_responsible_for",
    )
    partner_units = models.ManyToManyField(
        "organisation.Unit", blank=True, related_name="published_partner_in"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    timing = models.CharField(_("timing"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("published measure")
        verbose_name_plural = _("published measures")
        ordering = ["published_plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["published_plan", "measure_id"], name="unique_published_measure"
            ),
        ]

    def __str__(self):
        return self.title
