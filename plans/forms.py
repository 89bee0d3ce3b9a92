"""Forms for plans and their text: used by the front-end pages and the admin alike."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import (
    DateInput,
    PlanTextFormMixin,
    VersionedModelForm,
    refuse_change_to_locked_text,
    submit_helper,
)
from organisation import permissions
from plans.models import Goal, Plan, PlanAttachment, PlanSection, WorkingModelStep


class PlanSectionForm(VersionedModelForm):
    class Meta:
        model = PlanSection
        fields = ["order", "kind", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def clean(self):
        cleaned = super().clean()
        refuse_change_to_locked_text(self, self.instance.plan if self.instance.plan_id else None)
        return cleaned


class SectionEditorForm(PlanTextFormMixin, PlanSectionForm):
    """A chapter on the plan editor: its place is set by moving it, not by a number."""

    markdown_fields = ("body",)

    class Meta(PlanSectionForm.Meta):
        fields = ["kind", "title", "body"]


class PlanAttachmentForm(forms.ModelForm):
    """Upload a file to a plan; the model's validators decide its kind and size."""

    class Meta:
        model = PlanAttachment
        fields = ["title", "file"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "file": forms.ClearableFileInput(attrs={"class": "form-control"}),
        }


class StepProgressForm(forms.Form):
    done = forms.BooleanField(label=_("Done"), required=False)
    completed_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("done"):
            data["completed_on"] = data.get("completed_on") or timezone.localdate()
            if data["completed_on"] > timezone.localdate():
                self.add_error("completed_on", _("A step cannot be done on a future date."))
        else:
            data["completed_on"] = None
        return data


class WorkingModelStepForm(forms.ModelForm):
    class Meta:
        model = WorkingModelStep
        fields = ["name", "description", "name_verified"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save step"))


class PlanForm(VersionedModelForm):
    """A plan's metadata, for a new plan and the edit page (the working pages).

    The process group offers only the groups ``user`` edits (all for a
    Planadministrator). On a plan whose text is locked (adopted, retired) the text
    fields are shown read-only with the plan's reason (``locked_reason``), so the
    page never accepts input it would refuse on save.
    """

    class Meta:
        model = Plan
        fields = [
            "title",
            "kind",
            "summary",
            "legal_bases",
            "reforms",
            "process_group",
            "period_start",
            "period_end",
            "working_model",
            "revision_due_on",
        ]
        widgets = {
            "revision_due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "legal_bases": forms.CheckboxSelectMultiple,
            "reforms": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = self.fields["process_group"]
        if not permissions.is_plan_admin(user):
            groups.queryset = groups.queryset.filter(pk__in=permissions.editable_group_ids(user))
            groups.required = True
        self.locked_reason = ""
        if self.instance.pk and not self.instance.is_editable:
            try:
                self.instance.assert_editable()
            except ValidationError as error:
                self.locked_reason = " ".join(error.messages)
            for name in Plan.TEXT_FIELDS:
                self.fields[name].disabled = True


class NewPlanForm(PlanForm):
    """A new plan: from scratch, or with the structure of an existing plan."""

    copy_from = forms.ModelChoiceField(
        label=_("Copy the structure of"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("Nothing: start from scratch"),
        help_text=_(
            "Sections, focus areas, measures and links are copied; "
            "not adoptions, status or history."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        readable = Plan.objects.filter(
            Q(status__in=Plan.PUBLIC_STATUSES)
            | Q(pk__in=permissions.plans_editable_by(user, Plan.objects.all()).values("pk"))
        )
        self.fields["copy_from"].queryset = readable.order_by("title")


class GoalEditorForm(PlanTextFormMixin, forms.ModelForm):
    """A goal on the plan editor: title, main goal (empty for a main goal), description."""

    markdown_fields = ("description",)

    class Meta:
        model = Goal
        fields = ["title", "parent", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mains = Goal.objects.filter(plan_id=self.instance.plan_id, parent__isnull=True)
        if self.instance.pk:
            mains = mains.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = mains.order_by("order", "id")
        self.fields["parent"].required = False

    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}
