from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import ModelServices, ServiceInlineMixin
from core.people import person_name
from organisation import permissions
from organisation import services as organisation_services
from organisation.admin_rules import ScopedModelAdmin
from organisation.models import MandateItem, Membership, ProcessGroup, Unit


@admin.register(Unit)
class UnitAdmin(ScopedModelAdmin):
    services = ModelServices(
        create=organisation_services.unit_create,
        update=organisation_services.unit_update,
        delete=organisation_services.unit_delete,
    )
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
    services = ModelServices(
        create=organisation_services.mandate_item_create,
        update=organisation_services.mandate_item_update,
        delete=organisation_services.mandate_item_delete,
        parent="group",
        check=organisation_services.mandate_item_check,
    )
    extra = 0
    fields = ["order", "text", "deadline", "status", "completed_on"]


class MembershipInline(ServiceInlineMixin, admin.TabularInline):
    model = Membership
    services = ModelServices(
        create=organisation_services.membership_create,
        update=organisation_services.membership_update,
        delete=organisation_services.membership_delete,
        parent="group",
    )
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
    services = ModelServices(
        create=organisation_services.process_group_create,
        update=organisation_services.process_group_update,
        delete=organisation_services.process_group_delete,
    )
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


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    """Accounts listed by name (people are added and changed on the people page)."""

    list_display = ["name", "email", "username", "is_active", "is_staff"]
    list_display_links = ["name"]
    ordering = ["first_name", "last_name", "username"]

    @admin.display(description=_("name"), ordering="first_name")
    def name(self, obj):
        return person_name(obj)
