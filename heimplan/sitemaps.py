"""sitemap.xml: the public pages and nothing else."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from organisation.models import Unit
from plans.published import published_plans


class StaticPagesSitemap(Sitemap):
    def items(self):
        return ["home", "plans:plan_list", "organisation:unit_list", "accessibility"]

    def location(self, item):
        return reverse(item)


class PlanSitemap(Sitemap):
    def items(self):
        return published_plans().order_by("slug")

    def lastmod(self, plan):
        return plan.published_at


class UnitSitemap(Sitemap):
    def items(self):
        return Unit.objects.order_by("slug")


SITEMAPS = {"pages": StaticPagesSitemap, "plans": PlanSitemap, "units": UnitSitemap}
