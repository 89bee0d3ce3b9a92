from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import views as core_views
from core.middleware import cache_public_page
from heimplan import health, site_files
from heimplan import views as site_views
from heimplan.language import set_language
from heimplan.sitemaps import SITEMAPS
from organisation.forms import PasswordResetForm
from plans import views as plan_views

admin.site.site_header = _("heimplan – plan administration")
admin.site.site_title = _("heimplan")
admin.site.index_title = _("Plans, measures and stakeholders")

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("", include("plans.urls")),
    path("", include("organisation.urls")),
    path("arbeid/", site_views.workspace, name="workspace"),
    path("arbeid/", include("stakeholders.urls")),
    path("", include("search.urls")),
    path("", include("consultation.urls")),
    path("tilgjengelighet/", site_views.accessibility, name="accessibility"),
    # The header's language switch (bokmål/nynorsk).
    path("sprak/", set_language, name="set_language"),
    path("robots.txt", site_files.robots_txt, name="robots_txt"),
    path("favicon.ico", site_files.favicon_ico, name="favicon"),
    # A sitemap index at /sitemap.xml; each section in pages of at most 50,000 URLs.
    path(
        "sitemap.xml",
        cache_public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cache_public_page(sitemap_views.sitemap, params=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("", include("measures.urls")),
    path("", include("results.urls")),
    path(
        "logg-inn/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # Setting a password: from the link a new person is e-mailed, or after "forgot password".
    path(
        "logg-inn/glemt-passord/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            email_template_name="organisation/email/password_reset.txt",
            subject_template_name="organisation/email/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "logg-inn/glemt-passord/sendt/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "logg-inn/nytt-passord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "logg-inn/nytt-passord/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    # The load balancer's health check (JSON, never cached).
    path("helse/", health.health, name="health"),
    path("arbeid/forhandsvisning/", core_views.markdown_preview, name="markdown_preview"),
]

handler404 = "heimplan.views.page_not_found"
handler500 = "heimplan.views.server_error"
