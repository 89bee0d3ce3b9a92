from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from heimplan.admin import HeimplanModelAdmin
from measures.models import FocusArea
from plans.models import (
    Adoption,
    LegalBasis,
    Plan,
    PlanAttachment,
    PlanLink,
    PlanSection,
    PlanStepProgress,
    Reform,
    WorkingModel,
    WorkingModelStep,
)


@admin.register(LegalBasis)
class LegalBasisAdmin(HeimplanModelAdmin):
    list_display = ["law", "section", "url"]
    search_fields = ["law", "section", "summary"]


@admin.register(Reform)
class ReformAdmin(HeimplanModelAdmin):
    list_display = ["name", "in_force_from"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class WorkingModelStepInline(admin.TabularInline):
    model = WorkingModelStep
    extra = 0
    fields = ["number", "name", "name_verified", "description"]


@admin.register(WorkingModel)
class WorkingModelAdmin(HeimplanModelAdmin):
    list_display = ["name", "source"]
    search_fields = ["name"]
    inlines = [WorkingModelStepInline]


class PlanSectionInline(admin.StackedInline):
    model = PlanSection
    extra = 0
    fields = ["order", "kind", "title", "body"]


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0
    fields = ["order", "title", "description"]


class PlanLinkInline(admin.TabularInline):
    model = PlanLink
    extra = 0
    fields = ["order", "kind", "title", "url", "description"]


class PlanAttachmentInline(admin.TabularInline):
    model = PlanAttachment
    extra = 0
    fields = ["order", "title", "file"]


class PlanStepProgressInline(admin.TabularInline):
    model = PlanStepProgress
    extra = 0
    fields = ["step", "completed_on", "note"]
    autocomplete_fields = ["step"]


class AdoptionInline(admin.TabularInline):
    model = Adoption
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "version_number",
        "body",
        "meeting_date",
        "meeting_case_number",
        "archive_case_number",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf", "snapshot")


@admin.register(Plan)
class PlanAdmin(HeimplanModelAdmin):
    list_display = ["title", "kind", "status", "process_group", "period_display", "updated_at"]
    list_filter = ["status", "kind", "process_group"]
    list_select_related = ["process_group"]
    search_fields = ["title", "summary", "sections__title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["process_group", "working_model"]
    filter_horizontal = ["legal_bases", "reforms"]
    readonly_fields = ["status", "consultation_deadline", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "status", "consultation_deadline"]}),
        (
            _("Period and basis"),
            {"fields": ["period_start", "period_end", "legal_bases", "reforms"]},
        ),
        (
            _("Work"),
            {"fields": ["process_group", "working_model", "report_stale_after_days"]},
        ),
        (_("Changes"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [
        PlanSectionInline,
        FocusAreaInline,
        PlanLinkInline,
        PlanAttachmentInline,
        PlanStepProgressInline,
        AdoptionInline,
    ]

    @admin.display(description=_("plan period"))
    def period_display(self, obj):
        return obj.period_display


@admin.register(WorkingModelStep)
class WorkingModelStepAdmin(admin.ModelAdmin):
    list_display = ["name", "model", "number", "name_verified"]
    list_select_related = ["model"]
    search_fields = ["name", "model__name"]

    def has_module_permission(self, request):
        # Edited inside its working model; registered for step autocomplete.
        return False


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["plan", "version_number", "body", "meeting_date", "case_numbers_display"]
    list_filter = ["body"]
    list_select_related = ["plan"]
    search_fields = ["plan__title", "meeting_case_number", "archive_case_number"]
    readonly_fields = [
        "plan",
        "version_number",
        "body",
        "meeting_date",
        "meeting_case_number",
        "archive_case_number",
        "decision_text",
        "pdf_sha256",
        "registered_by",
        "registered_at",
    ]
    exclude = ["snapshot", "pdf"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf", "snapshot")

    # The adopted version is a record: registered through the plan lifecycle, never edited.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("case number"))
    def case_numbers_display(self, obj):
        return obj.case_numbers_display
