"""Forms of the working pages (crispy, Bootstrap 5). Saving goes through services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, submit_helper
from measures.models import Measure
from stakeholders import services
from stakeholders.models import (
    Activity,
    Finding,
    ParticipationInput,
    Stakeholder,
    StakeholderAnalysis,
)


class StakeholderForm(forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = list(services.STAKEHOLDER_FIELDS)
        widgets = {
            "expectations": forms.Textarea(attrs={"rows": 2}),
            "information_needs": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, analysis: StakeholderAnalysis, **kwargs):
        super().__init__(*args, **kwargs)
        # The model form's unique check needs the analysis set before validation.
        self.instance.analysis = analysis
        self.helper = submit_helper(_("Save stakeholder"))


class QuadrantLabelsForm(forms.ModelForm):
    class Meta:
        model = StakeholderAnalysis
        fields = list(services.LABEL_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save quadrant names"))


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "channel",
            "message",
            "stakeholders",
            "planned_for",
            "timing",
            "responsible_unit",
            "completed_on",
        ]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 3}),
            "planned_for": DateInput(),
            "completed_on": DateInput(),
            "stakeholders": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, analysis: StakeholderAnalysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.analysis = analysis
        self.fields["stakeholders"].queryset = analysis.stakeholders.order_by("order", "name")
        self.helper = submit_helper(_("Save activity"))


class ActivityDoneForm(forms.Form):
    completed_on = forms.DateField(label=_("Done on"), widget=DateInput())

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("An activity cannot be marked done on a future date."))
        return value


class ParticipationInputForm(forms.ModelForm):
    class Meta:
        model = ParticipationInput
        fields = ["source", "received_on", "stakeholder", "summary", "measures"]
        widgets = {
            "received_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, analysis: StakeholderAnalysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.analysis = analysis
        self.instance.plan = analysis.plan
        self.fields["stakeholder"].queryset = analysis.stakeholders.order_by("order", "name")
        self.fields["measures"].queryset = Measure.objects.filter(plan=analysis.plan).order_by(
            "focus_area__order", "order", "id"
        )
        self.helper = submit_helper(_("Save participation input"))


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["kind", "scope", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"))


class AnalysisCreateForm(forms.ModelForm):
    """A new analysis, for a process group or a plan the person may edit (offered only those)."""

    class Meta:
        model = StakeholderAnalysis
        fields = ["title", "process_group", "plan", "description", "conducted_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "conducted_on": DateInput(),
        }

    def __init__(self, *args, groups, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process_group"].queryset = groups
        self.fields["plan"].queryset = plans
        self.helper = submit_helper(_("Create analysis"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("process_group") and not cleaned.get("plan"):
            raise forms.ValidationError(_("Choose a process group, a plan or both."))
        return cleaned
