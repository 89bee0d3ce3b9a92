from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One searchable piece of published content: a plan, a section or a measure.

    Rebuilt from what the public sees (the adopted version) by
    ``search.services.search_index_rebuild`` whenever public content changes, so
    a draft can never be found. On PostgreSQL ``search_vector`` holds the
    Norwegian full-text vector (GIN-indexed by the migration); elsewhere it is
    unused and search falls back to plain matching.
    """

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan")
        SECTION = "section", _("Section")
        MEASURE = "measure", _("Measure")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    plan_title = models.CharField(_("plan title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    position = models.PositiveIntegerField(default=0)
    search_vector = SearchVectorField(null=True, editable=False)
    # The title alone (GIN-indexed too): search reads the entries whose title matches
    # first, without reading every entry that mentions the word.
    title_vector = SearchVectorField(null=True, editable=False)
    # What the entry was built from ("<adoption id>:<slug>"): a plan whose published
    # version and address are unchanged keeps its entries as they are.
    source = models.CharField(max_length=300, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["plan_title", "position"]

    def __str__(self):
        return self.title
