"""Admin of stakeholder analyses. Every write goes through stakeholders.services.

Editors (Planredaktør) may change only the analyses of their own groups, as on
the working pages (``organisation.permissions.can_edit_analysis``).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import (
    ServiceInlineMixin,
    ServiceModelAdminMixin,
    service_values,
)
from core.forms import add_validation_error
from organisation import permissions
from organisation.admin_rules import ScopedModelAdmin
from plans.models import Plan
from stakeholders import selectors, services
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


class StakeholderServiceMixin:
    """Update and delete hooks shared by the stakeholder inline and the stakeholder admin."""

    def service_update(self, request, obj, form):
        return services.stakeholder_update(
            stakeholder=obj, **service_values(form, services.STAKEHOLDER_FIELDS)
        )

    def service_delete(self, request, obj):
        services.stakeholder_delete(stakeholder=obj)

    def service_delete_refusal(self, obj):
        return services.stakeholder_delete_refusal(obj)


class StakeholderInline(StakeholderServiceMixin, ServiceInlineMixin, admin.TabularInline):
    model = Stakeholder
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

    def service_create(self, request, parent, form):
        return services.stakeholder_create(
            analysis=parent, **service_values(form, services.STAKEHOLDER_FIELDS)
        )


class FindingInline(ServiceInlineMixin, admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["kind", "scope", "text"]

    def service_create(self, request, parent, form):
        return services.finding_create(analysis=parent, **service_values(form, self.fields))

    def service_update(self, request, obj, form):
        return services.finding_update(finding=obj, **service_values(form, self.fields))

    def service_delete(self, request, obj):
        services.finding_delete(finding=obj)


@admin.register(StakeholderAnalysis)
class StakeholderAnalysisAdmin(AnalysisPermissionMixin, ServiceModelAdminMixin, ScopedModelAdmin):
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

    def service_create(self, request, form):
        return services.analysis_create(**service_values(form, services.ANALYSIS_FIELDS))

    def service_update(self, request, obj, form):
        return services.analysis_update(
            analysis=obj, **service_values(form, services.ANALYSIS_FIELDS)
        )

    def service_delete(self, request, obj):
        services.analysis_delete(analysis=obj)

    def service_delete_refusal(self, obj):
        return services.analysis_delete_refusal(obj)


@admin.register(Stakeholder)
class StakeholderAdmin(
    AnalysisPermissionMixin, StakeholderServiceMixin, ServiceModelAdminMixin, ScopedModelAdmin
):
    group_lookups = ("analysis__process_group", "analysis__plan__process_group")
    list_display = ["name", "analysis", "role", "category", "interest", "influence", "attitude"]
    list_filter = ["role", "category", "attitude", "analysis"]
    list_select_related = ["analysis"]
    search_fields = ["name", "connection", "information_needs"]
    autocomplete_fields = ["analysis", "unit", "target_group"]

    def service_create(self, request, form):
        return services.stakeholder_create(
            analysis=form.cleaned_data["analysis"],
            **service_values(form, services.STAKEHOLDER_FIELDS),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + ["analysis"] if obj is not None else readonly


class ActivityAdminForm(forms.ModelForm):
    """The admin refuses what ``activity_create``/``activity_update`` refuse."""

    class Meta:
        model = Activity
        fields = "__all__"  # noqa: DJ007 - the admin shows every field

    def clean(self):
        data = super().clean()
        analysis = data.get("analysis") or getattr(self.instance, "analysis", None)
        if analysis is not None and any(
            s.analysis_id != analysis.pk for s in data.get("stakeholders") or []
        ):
            self.add_error(
                "stakeholders", _("An activity can only aim at stakeholders of its own analysis.")
            )
        return data


@admin.register(Activity)
class ActivityAdmin(AnalysisPermissionMixin, ServiceModelAdminMixin, ScopedModelAdmin):
    group_lookups = ("analysis__process_group", "analysis__plan__process_group")
    form = ActivityAdminForm
    list_display = ["title", "kind", "channel", "analysis", "planned_for", "completed_on"]
    list_filter = ["kind", "channel", "analysis"]
    list_select_related = ["analysis"]
    search_fields = ["title", "message"]
    autocomplete_fields = ["analysis", "responsible_unit", "stakeholders"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + ["analysis"] if obj is not None else readonly

    def service_create(self, request, form):
        return services.activity_create(
            analysis=form.cleaned_data["analysis"],
            stakeholders=form.cleaned_data["stakeholders"],
            **service_values(form, services.ACTIVITY_FIELDS),
        )

    def service_update(self, request, obj, form):
        return services.activity_update(
            activity=obj,
            stakeholders=form.cleaned_data["stakeholders"],
            **service_values(form, services.ACTIVITY_FIELDS),
        )

    def service_delete(self, request, obj):
        services.activity_delete(activity=obj)


class ParticipationInputAdminForm(forms.ModelForm):
    """The admin refuses what the participation services refuse."""

    class Meta:
        model = ParticipationInput
        fields = "__all__"  # noqa: DJ007 - the admin shows every field

    def clean(self):
        data = super().clean()
        plan = data.get("plan")
        if plan is not None:
            try:
                services.participation_input_check(
                    plan=plan,
                    analysis=data.get("analysis"),
                    stakeholder=data.get("stakeholder"),
                    measures=data.get("measures"),
                )
            except ValidationError as exc:
                add_validation_error(self, exc)
        return data


PARTICIPATION_FIELDS = ("plan", "analysis", "stakeholder", "source", "summary", "received_on")


@admin.register(ParticipationInput)
class ParticipationInputAdmin(ServiceModelAdminMixin, ScopedModelAdmin):
    group_lookups = ("plan__process_group",)
    public_status_lookup = "plan__status"
    public_statuses = Plan.PUBLIC_STATUSES
    form = ParticipationInputAdminForm
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

    def service_create(self, request, form):
        return services.participation_input_create(
            measures=form.cleaned_data["measures"],
            **service_values(form, PARTICIPATION_FIELDS),
        )

    def service_update(self, request, obj, form):
        return services.participation_input_update(
            participation=obj,
            measures=form.cleaned_data["measures"],
            **service_values(form, PARTICIPATION_FIELDS),
        )

    def service_delete(self, request, obj):
        services.participation_input_delete(participation=obj)

    def service_delete_refusal(self, obj):
        if not obj.plan.is_editable:
            return _("The plan's text is locked. Start a revision to change it.")
        return None
