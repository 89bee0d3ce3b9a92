from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from heimplan.admin import HeimplanModelAdmin
from organisation.models import MandateItem, Membership, ProcessGroup, Unit


@admin.register(Unit)
class UnitAdmin(HeimplanModelAdmin):
    list_display = ["name", "kind", "parent", "measure_count"]
    list_filter = ["kind", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["contacts"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_measure_count=Count("responsible_for"))

    @admin.display(description=_("measures"), ordering="_measure_count")
    def measure_count(self, obj):
        return obj._measure_count


class MandateItemInline(admin.TabularInline):
    model = MandateItem
    extra = 0
    fields = ["order", "text", "deadline", "status", "completed_on"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["order", "role_title", "unit", "person_name", "user", "is_leader"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["user"]


@admin.register(ProcessGroup)
class ProcessGroupAdmin(HeimplanModelAdmin):
    list_display = ["name", "kind", "established_by", "established_on", "member_count"]
    list_filter = ["kind"]
    search_fields = ["name", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["editors"]
    inlines = [MembershipInline, MandateItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj):
        return obj._member_count
