from django.contrib import admin

from heimplan.admin import HeimplanModelAdmin
from stakeholders.models import (
    Activity,
    Finding,
    ParticipationInput,
    Stakeholder,
    StakeholderAnalysis,
)


class StakeholderInline(admin.TabularInline):
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


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["kind", "scope", "text"]


@admin.register(StakeholderAnalysis)
class StakeholderAnalysisAdmin(HeimplanModelAdmin):
    list_display = ["title", "plan", "process_group", "conducted_on"]
    list_filter = ["process_group"]
    list_select_related = ["plan", "process_group"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["plan", "process_group"]
    inlines = [StakeholderInline, FindingInline]


@admin.register(Stakeholder)
class StakeholderAdmin(HeimplanModelAdmin):
    list_display = ["name", "analysis", "role", "category", "interest", "influence", "attitude"]
    list_filter = ["role", "category", "attitude", "analysis"]
    list_select_related = ["analysis"]
    search_fields = ["name", "connection", "information_needs"]
    autocomplete_fields = ["analysis", "unit", "target_group"]


@admin.register(Activity)
class ActivityAdmin(HeimplanModelAdmin):
    list_display = ["title", "kind", "channel", "analysis", "planned_for", "completed_on"]
    list_filter = ["kind", "channel", "analysis"]
    list_select_related = ["analysis"]
    search_fields = ["title", "message"]
    autocomplete_fields = ["analysis", "responsible_unit", "stakeholders"]


@admin.register(ParticipationInput)
class ParticipationInputAdmin(HeimplanModelAdmin):
    list_display = ["source", "plan", "received_on"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["source", "summary"]
    autocomplete_fields = ["plan", "analysis", "stakeholder", "measures"]
