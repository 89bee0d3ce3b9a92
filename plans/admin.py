from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ModelServices, RestoreDeletedMixin, ServiceInlineMixin
from core.forms import add_validation_error
from core.views import RENDER_FAILED, form_status
from measures import services as measure_services
from measures.models import FocusArea
from organisation import permissions
from organisation.admin_rules import ScopedModelAdmin, ScopedRulesMixin
from plans import services as plan_services
from plans.forms import PlanSectionForm
from plans.lifecycle_forms import AdoptionForm, ConfirmForm, ConsultationForm
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
from plans.pdf import PdfRenderError


@admin.register(LegalBasis)
class LegalBasisAdmin(ScopedModelAdmin):
    services = ModelServices(
        create=plan_services.legal_basis_create,
        update=plan_services.legal_basis_update,
        delete=plan_services.legal_basis_delete,
    )
    list_display = ["law", "section", "url"]
    search_fields = ["law", "section", "summary"]


@admin.register(Reform)
class ReformAdmin(ScopedModelAdmin):
    services = ModelServices(
        create=plan_services.reform_create,
        update=plan_services.reform_update,
        delete=plan_services.reform_delete,
    )
    list_display = ["name", "in_force_from"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class WorkingModelStepInline(ServiceInlineMixin, admin.TabularInline):
    model = WorkingModelStep
    services = ModelServices(
        create=plan_services.working_model_step_create,
        update=plan_services.working_model_step_update,
        delete=plan_services.working_model_step_delete,
        parent="working_model",
    )
    extra = 0
    fields = ["number", "name", "name_verified", "description"]


@admin.register(WorkingModel)
class WorkingModelAdmin(ScopedModelAdmin):
    services = ModelServices(
        create=plan_services.working_model_create,
        update=plan_services.working_model_update,
        delete=plan_services.working_model_delete,
    )
    list_display = ["name", "source"]
    search_fields = ["name"]
    inlines = [WorkingModelStepInline]


class LockedTextInlineMixin:
    """An adopted plan's text rows are shown read-only: no adding, changing or deleting.

    The models' clean() refuses such changes too, wherever they come from.
    """

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            # The hidden edit version is a form field, not a model field: never read-only.
            return [name for name in self.fields if name != "loaded_version"]
        return super().get_readonly_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)


class PlanSectionInline(LockedTextInlineMixin, ServiceInlineMixin, admin.StackedInline):
    model = PlanSection
    services = ModelServices(
        create=plan_services.section_create,
        update=plan_services.section_update,
        delete=plan_services.section_delete,
        parent="plan",
        delete_refusal=plan_services.plan_text_refusal,
    )
    form = PlanSectionForm
    extra = 0
    fields = ["order", "kind", "title", "body", "loaded_version"]


class FocusAreaInline(LockedTextInlineMixin, ServiceInlineMixin, admin.TabularInline):
    model = FocusArea
    services = ModelServices(
        create=measure_services.focus_area_create,
        update=measure_services.focus_area_update,
        delete=measure_services.focus_area_delete,
        parent="plan",
        delete_refusal=plan_services.plan_text_refusal,
    )
    extra = 0
    fields = ["order", "title", "description"]


class PlanLinkInline(ServiceInlineMixin, admin.TabularInline):
    model = PlanLink
    services = ModelServices(
        create=plan_services.plan_link_create,
        update=plan_services.plan_link_update,
        delete=plan_services.plan_link_delete,
        parent="plan",
    )
    extra = 0
    fields = ["order", "kind", "title", "url", "description"]


class PlanAttachmentInline(ServiceInlineMixin, admin.TabularInline):
    model = PlanAttachment
    services = ModelServices(
        create=plan_services.plan_attachment_create,
        update=plan_services.plan_attachment_update,
        delete=plan_services.plan_attachment_delete,
        parent="plan",
    )
    extra = 0
    fields = ["order", "title", "file"]


class PlanStepProgressInline(ServiceInlineMixin, admin.TabularInline):
    """Written through the same services as the plan's work page."""

    model = PlanStepProgress
    services = ModelServices(
        create=plan_services.plan_step_progress_create,
        update=plan_services.plan_step_progress_update,
        delete=plan_services.plan_step_progress_delete,
        parent="plan",
        check=plan_services.plan_step_progress_check,
    )
    extra = 0
    fields = ["step", "completed_on", "note"]
    autocomplete_fields = ["step"]


class AdoptionInline(ServiceInlineMixin, admin.TabularInline):
    """The adopted versions: registered through the lifecycle, never edited here."""

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

    def get_queryset(self, request):
        # The row's title (Adoption.__str__) names the plan: joined, not one query per version.
        return super().get_queryset(request).defer("pdf", "snapshot").select_related("plan")


@admin.register(Plan)
class PlanAdmin(RestoreDeletedMixin, ScopedModelAdmin):
    services = ModelServices(
        create=plan_services.plan_create,
        update=plan_services.plan_update,
        delete=plan_services.plan_delete,
        delete_refusal=plan_services.plan_delete_refusal,
    )
    group_lookups = ("process_group",)
    public_status_lookup = "status"
    public_statuses = Plan.PUBLIC_STATUSES
    restore_model = PlanSection
    restore_service = staticmethod(plan_services.section_restore)
    change_list_template = "admin/plans/plan/change_list.html"
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
            {
                "fields": [
                    "process_group",
                    "working_model",
                    "report_stale_after_days",
                    "revision_due_on",
                ]
            },
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

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_editable:
            readonly += Plan.TEXT_FIELDS  # locked while adopted: start a revision to edit
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return {}  # the title it fills from is read-only now
        return super().get_prepopulated_fields(request, obj)

    # -- lifecycle buttons: small forms that call plans.services ---------------

    change_form_template = "admin/plans/plan/change_form.html"

    # move → (form, service, title, who may, statuses it applies to). The rules are looked
    # up in organisation.permissions on each call, so the admin always asks the live rule.
    LIFECYCLE = {
        "consultation": (
            ConsultationForm,
            lambda plan, data, user: plan_services.plan_send_to_consultation(
                actor=user, plan=plan, deadline=data["deadline"]
            ),
            _("Send out for consultation"),
            lambda user, plan: permissions.can_edit_plan(user, plan),
            (Plan.Status.DRAFT, Plan.Status.REVISION),
        ),
        "adopt": (
            AdoptionForm,
            lambda plan, data, user: plan_services.plan_register_adoption(
                actor=user, plan=plan, **data
            ),
            _("Register adoption"),
            lambda user, plan: permissions.can_register_adoption(user, plan),
            Plan.EDITABLE_STATUSES,
        ),
        "revise": (
            ConfirmForm,
            lambda plan, data, user: plan_services.plan_start_revision(actor=user, plan=plan),
            _("Start revision"),
            lambda user, plan: permissions.can_edit_plan(user, plan),
            (Plan.Status.ADOPTED,),
        ),
        "retire": (
            ConfirmForm,
            lambda plan, data, user: plan_services.plan_retire(actor=user, plan=plan),
            _("Retire plan"),
            lambda user, plan: permissions.can_register_adoption(user, plan),
            (Plan.Status.ADOPTED, Plan.Status.REVISION),
        ),
    }

    def get_urls(self):
        return [
            path(
                "<int:object_id>/livslop/<slug:move>/",
                self.admin_site.admin_view(self.lifecycle_view),
                name="plans_plan_lifecycle",
            ),
            *super().get_urls(),
        ]

    def lifecycle_moves(self, request, plan):
        """The moves ``request.user`` may make on ``plan`` now, for the buttons."""
        return [
            (move, title)
            for move, (_form, _service, title, allowed, statuses) in self.LIFECYCLE.items()
            if plan.status in statuses and allowed(request.user, plan)
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["lifecycle_moves"] = self.lifecycle_moves(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def lifecycle_view(self, request, object_id, move):
        plan = get_object_or_404(Plan, pk=object_id)
        if move not in self.LIFECYCLE:
            raise Http404
        form_class, service, title, allowed, _statuses = self.LIFECYCLE[move]
        if not (self.has_change_permission(request, plan) and allowed(request.user, plan)):
            raise PermissionDenied
        change_url = reverse("admin:plans_plan_change", args=[plan.pk])
        form = form_class(request.POST, request.FILES) if request.method == "POST" else form_class()
        status = None
        if request.method == "POST" and form.is_valid():
            try:
                service(plan, form.cleaned_data, request.user)
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PdfRenderError:
                form.add_error(
                    None,
                    gettext(
                        "The PDF could not be made, so nothing was adopted. "
                        "The error has been logged; please try again or contact support."
                    ),
                )
                status = RENDER_FAILED
            else:
                self.message_user(
                    request,
                    gettext("%(move)s: done.") % {"move": title},
                    messages.SUCCESS,
                )
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": str(plan),
            "opts": self.model._meta,
            "original": plan,
            "plan": plan,
            "form": form,
            "change_url": change_url,
            "has_view_permission": True,
        }
        return TemplateResponse(
            request,
            "admin/plans/plan/lifecycle.html",
            context,
            status=status or form_status(form),
        )


@admin.register(WorkingModelStep)
class WorkingModelStepAdmin(ScopedModelAdmin):
    # No services: steps are written in their working model's inline.
    list_display = ["name", "model", "number", "name_verified"]
    list_select_related = ["model"]
    search_fields = ["name", "model__name"]

    def has_module_permission(self, request):
        # Edited inside its working model; registered for step autocomplete.
        return False


@admin.register(Adoption)
class AdoptionAdmin(ScopedRulesMixin, admin.ModelAdmin):
    """The adopted versions, read-only: registered through the plan's lifecycle (a record).

    Not a ``BaseModelAdmin``: an adoption keeps no change history of its own. Shown as
    its plan is: to all staff once public, else to the plan's own editors.
    """

    group_lookups = ("plan__process_group",)
    public_status_lookup = "plan__status"
    public_statuses = Plan.PUBLIC_STATUSES
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("case number"))
    def case_numbers_display(self, obj):
        return obj.case_numbers_display
