from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from plans import views as plan_views

admin.site.site_header = _("heimplan – plan administration")
admin.site.site_title = _("heimplan")
admin.site.index_title = _("Plans, measures and stakeholders")

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("", include("plans.urls")),
    path("", include("organisation.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "heimplan.views.page_not_found"
handler500 = "heimplan.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
