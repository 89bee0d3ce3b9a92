from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceInlineMixin, service_values
from organisation import permissions, services
from organisation.admin_rules import ScopedModelAdmin
from organisation.models import MandateItem, Membership, ProcessGroup, Unit


@admin.register(Unit)
class UnitAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "parent", "measure_count"]
    list_filter = ["kind", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["contacts"]
    ordering = ["name"]  # also for the autocomplete's pages (an unordered list warned)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_measure_count=Count("responsible_for"))

    @admin.display(description=_("measures"), ordering="_measure_count")
    def measure_count(self, obj):
        return obj._measure_count


class MandateItemInline(ServiceInlineMixin, admin.TabularInline):
    """Written through organisation.services, as the group's working page does."""

    model = MandateItem
    extra = 0
    fields = ["order", "text", "deadline", "status", "completed_on"]

    def service_clean(self, parent, form):
        data = form.cleaned_data
        if data.get("status"):
            services.mandate_item_completion(
                status=data["status"], completed_on=data.get("completed_on")
            )

    def service_create(self, request, parent, form):
        return services.mandate_item_create(group=parent, **service_values(form, self.fields))

    def service_update(self, request, obj, form):
        return services.mandate_item_update(item=obj, **service_values(form, self.fields))

    def service_delete(self, request, obj):
        services.mandate_item_delete(item=obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["order", "role_title", "unit", "person_name", "user", "is_leader"]
    autocomplete_fields = ["unit", "user"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not permissions.can_edit_group(request.user, obj):
            # Names are personal data: only the group's own editors see them.
            return [f for f in fields if f not in ("person_name", "user")]
        return fields


@admin.register(ProcessGroup)
class ProcessGroupAdmin(ScopedModelAdmin):
    # An editor sees and changes the groups they belong to (their names included), no others.
    group_lookups = ("id",)
    list_display = ["name", "kind", "established_by", "established_on", "member_count"]
    list_filter = ["kind"]
    search_fields = ["name", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["editors"]
    ordering = ["name"]  # the count drops Meta.ordering: the autocomplete's pages need one
    inlines = [MembershipInline, MandateItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj):
        return obj._member_count
