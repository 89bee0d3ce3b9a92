from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.admin import RestoreDeletedMixin, VersionedAdminMixin
from measures import services
from measures.forms import MeasureForm
from measures.models import FocusArea, Measure, StatusReport, TargetGroup
from organisation import permissions
from organisation.admin_rules import ScopedModelAdmin
from plans.models import Plan


@admin.register(TargetGroup)
class TargetGroupAdmin(ScopedModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FocusArea)
class FocusAreaAdmin(ScopedModelAdmin):
    group_lookups = ("plan__process_group",)
    public_status_lookup = "plan__status"
    public_statuses = Plan.PUBLIC_STATUSES
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title", "plan__title"]
    autocomplete_fields = ["plan"]


class StatusReportInline(admin.TabularInline):
    """Reports are history: shown here, written through the status report form."""

    model = StatusReport
    extra = 0
    can_delete = False
    fields = ["reported_on", "status", "text", "author"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Measure)
class MeasureAdmin(VersionedAdminMixin, RestoreDeletedMixin, ScopedModelAdmin):
    restore_service = staticmethod(services.measure_restore)
    form = MeasureForm
    group_lookups = ("plan__process_group",)
    public_status_lookup = "plan__status"
    public_statuses = Plan.PUBLIC_STATUSES
    unit_lookup = "responsible_unit"
    locked_by_plan = "plan"
    change_list_template = "admin/measures/measure/change_list.html"
    list_display = ["title", "plan", "focus_area", "responsible_unit", "status", "deadline"]
    list_filter = ["status", "prevention_level", "plan", "responsible_unit"]
    list_select_related = ["plan", "focus_area", "responsible_unit"]
    search_fields = ["title", "description", "responsible_unit__name", "plan__title"]
    autocomplete_fields = [
        "plan",
        "focus_area",
        "responsible_unit",
        "partner_units",
        "target_groups",
    ]
    readonly_fields = ["status", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["plan", "focus_area", "order", "title", "description", "status"]}),
        (
            _("Responsibility"),
            {"fields": ["responsible_unit", "responsible_role", "partner_units", "resources"]},
        ),
        (_("Target group and prevention"), {"fields": ["target_groups", "prevention_level"]}),
        (_("Period"), {"fields": ["start_date", "deadline", "timing"]}),
    ]
    inlines = [StatusReportInline]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        if not self.can_edit_object(request, obj):
            raise PermissionDenied
        # The same write path as the front-end form; many-to-many follow in save_related.
        data = {
            name: value
            for name, value in form.model_data().items()
            if name not in ("partner_units", "target_groups")
        }
        services.measure_update(
            measure=obj, data=data, expected_version=form.cleaned_data["loaded_version"]
        )


@admin.register(StatusReport)
class StatusReportAdmin(ScopedModelAdmin):
    group_lookups = ("measure__plan__process_group",)
    public_status_lookup = "measure__plan__status"
    public_statuses = Plan.PUBLIC_STATUSES
    unit_lookup = "measure__responsible_unit"
    list_display = ["measure", "reported_on", "status", "author"]
    list_filter = ["status", "reported_on"]
    list_select_related = ["measure", "author"]
    search_fields = ["measure__title", "text"]
    autocomplete_fields = ["measure"]
    fields = ["measure", "reported_on", "status", "text"]

    def get_readonly_fields(self, request, obj=None):
        # A report once written is history; corrections are new reports.
        return self.fields if obj else []

    def can_edit_object(self, request, obj):
        return permissions.can_report_on_measure(request.user, obj.measure)

    def save_model(self, request, obj, form, change):
        if change:
            return
        if not self.can_edit_object(request, obj):
            raise PermissionDenied
        report = services.measure_report_status(
            measure=obj.measure,
            status=obj.status,
            text=obj.text,
            reported_on=obj.reported_on,
            author=request.user,
        )
        obj.pk = report.pk
