"""Forms for plan text: used by the front-end pages and the admin alike."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import (
    DateInput,
    PlanTextFormMixin,
    VersionedModelForm,
    refuse_change_to_locked_text,
    submit_helper,
)
from plans.models import PlanAttachment, PlanSection, WorkingModelStep


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
