"""sitemap.xml: the public pages and nothing else.

``/sitemap.xml`` is a sitemap index naming one sitemap per section
(``/sitemap-plans.xml`` …), each in pages (``?p=2``) of at most ``URLS_PER_PAGE``
addresses, the most a sitemap may hold; so no response grows with the site.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from organisation.models import Unit
from plans import published
from results.selectors import public_reports

URLS_PER_PAGE = 50_000


class PagedSitemap(Sitemap):
    limit = URLS_PER_PAGE


class StaticPagesSitemap(PagedSitemap):
    def items(self):
        return ["home", "plans:plan_list", "organisation:unit_list", "accessibility"]

    def location(self, item):
        return reverse(item)


class PlanSitemap(PagedSitemap):
    def items(self):
        return published.published_plans().order_by("slug")

    def lastmod(self, plan):
        return plan.published_at


class UnitSitemap(PagedSitemap):
    def items(self):
        return Unit.objects.order_by("slug")


class ReportSitemap(Sitemap):
    """The final yearly reports of published plans."""

    def items(self):
        return public_reports()

    def location(self, report):
        slug = report.plan.published.slug
        return reverse("results:report_detail", kwargs={"slug": slug, "year": report.year})

    def lastmod(self, report):
        return report.finalised_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "plans": PlanSitemap,
    "units": UnitSitemap,
    "reports": ReportSitemap,
}
