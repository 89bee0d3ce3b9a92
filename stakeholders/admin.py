"""Admin of stakeholder analyses. Every write goes through stakeholders.services.

Editors (Planredaktør) may change only the analyses of their own groups, as on
the working pages (``organisation.permissions.can_edit_analysis``).
"""

from django.contrib import admin

from core.admin import ModelServices, ServiceInlineMixin
from organisation import permissions
from organisation.admin_rules import ScopedModelAdmin
from plans.models import Plan
from plans.services import plan_text_refusal
from stakeholders import selectors
from stakeholders import services as stakeholder_services
from stakeholders.models import (
    Activity,
    Finding,
    ParticipationInput,
    Stakeholder,
    StakeholderAnalysis,
)


class AnalysisPermissionMixin:
    """Object-level rights from organisation.permissions on top of the model permissions."""

    def _analysis_of(self, obj):
        return obj.analysis

    def _may_edit(self, request, obj, allowed: bool) -> bool:
        if not allowed or obj is None:
            return allowed
        try:
            analysis = self._analysis_of(obj)
        except StakeholderAnalysis.DoesNotExist:
            # The history page of a deleted row rebuilds it from its history, and
            # its analysis may be deleted too: only plan administrators read that.
            return permissions.is_plan_admin(request.user)
        if analysis is None:
            return allowed
        return permissions.can_edit_analysis(request.user, analysis)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj, super().has_delete_permission(request, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "analysis":
            kwargs["queryset"] = selectors.analyses_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


STAKEHOLDER_SERVICES = ModelServices(
    create=stakeholder_services.stakeholder_create,
    update=stakeholder_services.stakeholder_update,
    delete=stakeholder_services.stakeholder_delete,
    parent="analysis",
    delete_refusal=stakeholder_services.stakeholder_delete_refusal,
)


class StakeholderInline(ServiceInlineMixin, admin.TabularInline):
    model = Stakeholder
    services = STAKEHOLDER_SERVICES
    extra = 0
    fields = [
        "order",
        "name",
        "role",
        "category",
        "unit",
        "interest",
        "influence",
        "attitude",
        "information_needs",
    ]
    autocomplete_fields = ["unit"]


class FindingInline(ServiceInlineMixin, admin.TabularInline):
    model = Finding
    services = ModelServices(
        create=stakeholder_services.finding_create,
        update=stakeholder_services.finding_update,
        delete=stakeholder_services.finding_delete,
        parent="analysis",
    )
    extra = 0
    fields = ["kind", "scope", "text"]


@admin.register(StakeholderAnalysis)
class StakeholderAnalysisAdmin(AnalysisPermissionMixin, ScopedModelAdmin):
    services = ModelServices(
        create=stakeholder_services.analysis_create,
        update=stakeholder_services.analysis_update,
        delete=stakeholder_services.analysis_delete,
        delete_refusal=stakeholder_services.analysis_delete_refusal,
    )
    group_lookups = ("process_group", "plan__process_group")
    list_display = ["title", "plan", "process_group", "conducted_on"]
    list_filter = ["process_group"]
    list_select_related = ["plan", "process_group"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["plan", "process_group"]
    inlines = [StakeholderInline, FindingInline]

    def _analysis_of(self, obj):
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # An editor starts analyses for the groups and plans they work on.
        if db_field.name == "process_group":
            kwargs["queryset"] = selectors.groups_for_user(request.user)
        if db_field.name == "plan":
            kwargs["queryset"] = selectors.plans_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Stakeholder)
class StakeholderAdmin(AnalysisPermissionMixin, ScopedModelAdmin):
    services = STAKEHOLDER_SERVICES
    group_lookups = ("analysis__process_group", "analysis__plan__process_group")
    list_display = ["name", "analysis", "role", "category", "interest", "influence", "attitude"]
    list_filter = ["role", "category", "attitude", "analysis"]
    list_select_related = ["analysis"]
    search_fields = ["name", "connection", "information_needs"]
    autocomplete_fields = ["analysis", "unit", "target_group"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + ["analysis"] if obj is not None else readonly


@admin.register(Activity)
class ActivityAdmin(AnalysisPermissionMixin, ScopedModelAdmin):
    services = ModelServices(
        create=stakeholder_services.activity_create,
        update=stakeholder_services.activity_update,
        delete=stakeholder_services.activity_delete,
        parent="analysis",
        check=stakeholder_services.activity_check,
    )
    group_lookups = ("analysis__process_group", "analysis__plan__process_group")
    list_display = ["title", "kind", "channel", "analysis", "planned_for", "completed_on"]
    list_filter = ["kind", "channel", "analysis"]
    list_select_related = ["analysis"]
    search_fields = ["title", "message"]
    autocomplete_fields = ["analysis", "responsible_unit", "stakeholders"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + ["analysis"] if obj is not None else readonly


@admin.register(ParticipationInput)
class ParticipationInputAdmin(ScopedModelAdmin):
    services = ModelServices(
        create=stakeholder_services.participation_input_create,
        update=stakeholder_services.participation_input_update,
        delete=stakeholder_services.participation_input_delete,
        parent="plan",
        check=stakeholder_services.participation_input_check,
        delete_refusal=plan_text_refusal,
    )
    group_lookups = ("plan__process_group",)
    public_status_lookup = "plan__status"
    public_statuses = Plan.PUBLIC_STATUSES
    list_display = ["source", "plan", "received_on"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["source", "summary"]
    autocomplete_fields = ["plan", "analysis", "stakeholder", "measures"]

    # Part of the plan's document: read-only once the plan's text is locked, and only
    # for those who may edit the plan.
    def _may_write(self, request, obj) -> bool:
        return obj.plan.is_editable and permissions.can_edit_plan(request.user, obj.plan)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._may_write(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._may_write(request, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            kwargs["queryset"] = permissions.plans_editable_by(request.user, Plan.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
