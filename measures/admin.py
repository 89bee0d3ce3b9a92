from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ModelServices, RestoreDeletedMixin, ServiceInlineMixin, VersionedAdminMixin
from measures import services as measure_services
from measures.forms import MeasureForm
from measures.models import FocusArea, Measure, StatusReport, TargetGroup
from organisation import permissions
from organisation.admin_rules import ScopedModelAdmin
from plans.models import Plan
from plans.services import plan_text_refusal


@admin.register(TargetGroup)
class TargetGroupAdmin(ScopedModelAdmin):
    services = ModelServices(
        create=measure_services.target_group_create,
        update=measure_services.target_group_update,
        delete=measure_services.target_group_delete,
    )
    list_display = ["name"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FocusArea)
class FocusAreaAdmin(ScopedModelAdmin):
    services = ModelServices(
        create=measure_services.focus_area_create,
        update=measure_services.focus_area_update,
        delete=measure_services.focus_area_delete,
        parent="plan",
        delete_refusal=plan_text_refusal,
    )
    group_lookups = ("plan__process_group",)
    public_status_lookup = "plan__status"
    public_statuses = Plan.PUBLIC_STATUSES
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title", "plan__title"]
    autocomplete_fields = ["plan"]
    locked_by_plan = "plan"


class StatusReportInline(ServiceInlineMixin, admin.TabularInline):
    """Reports are history: shown here, written through the status report form."""

    model = StatusReport
    extra = 0
    can_delete = False
    fields = ["reported_on", "status", "text", "author"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Measure)
class MeasureAdmin(VersionedAdminMixin, RestoreDeletedMixin, ScopedModelAdmin):
    services = ModelServices(
        create=measure_services.measure_create,
        update=measure_services.measure_update,
        delete=measure_services.measure_delete,
        parent="plan",
        delete_refusal=plan_text_refusal,
    )
    restore_service = staticmethod(measure_services.measure_restore)
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
    # The focus area is a plain choice of the plan's own areas (get_form), not a search
    # over every plan's.
    autocomplete_fields = ["plan", "responsible_unit", "partner_units", "target_groups"]
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        """A measure's focus area can only be one of its plan's, each named with the plan."""
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("focus_area")
        if field is not None:
            areas = FocusArea.objects.select_related("plan").order_by("plan__title", "order")
            if obj is not None and obj.plan_id:
                areas = areas.filter(plan_id=obj.plan_id)
            else:
                areas = areas.filter(
                    plan__in=permissions.plans_editable_by(request.user, Plan.objects.all())
                )
            field.queryset = areas
            field.label_from_instance = lambda area: f"{area.plan.title} – {area.title}"
        return form


@admin.register(StatusReport)
class StatusReportAdmin(ScopedModelAdmin):
    # A report once written is history: corrections are new reports. One made in
    # error may be deleted (the measure takes the status of the newest one left).
    services = ModelServices(
        create=measure_services.status_report_create,
        delete=measure_services.status_report_delete,
        parent="measure",
    )
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

    def can_edit_object(self, request, obj):
        return permissions.can_report_on_measure(request.user, obj.measure)
