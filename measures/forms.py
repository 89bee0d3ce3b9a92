"""Forms for measures: used by the front-end pages and the admin alike."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PlanTextFormMixin, VersionedModelForm, refuse_change_to_locked_text
from measures.models import FocusArea, Measure, MeasureStatus


class MeasureForm(VersionedModelForm):
    class Meta:
        model = Measure
        fields = [
            "focus_area",
            "order",
            "title",
            "description",
            "responsible_unit",
            "responsible_role",
            "partner_units",
            "target_groups",
            "prevention_level",
            "start_date",
            "deadline",
            "timing",
            "resources",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
            "resources": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan_id = self.instance.plan_id if self.instance.pk else None
        if plan_id and "focus_area" in self.fields:
            self.fields["focus_area"].queryset = FocusArea.objects.filter(plan_id=plan_id)

    def clean(self):
        cleaned = super().clean()
        plan = self.instance.plan if self.instance.plan_id else cleaned.get("plan")
        refuse_change_to_locked_text(self, plan)
        return cleaned


class MeasureEditorForm(PlanTextFormMixin, MeasureForm):
    """A measure on the plan editor: moved among its plan's focus areas by the select."""

    markdown_fields = ("description",)

    class Meta(MeasureForm.Meta):
        fields = [name for name in MeasureForm.Meta.fields if name != "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan_id = self.instance.plan_id
        self.fields["focus_area"].queryset = FocusArea.objects.filter(plan_id=plan_id)


class FocusAreaEditorForm(PlanTextFormMixin, forms.ModelForm):
    """A focus area on the plan editor: its title and description."""

    markdown_fields = ("description",)

    class Meta:
        model = FocusArea
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class StatusReportForm(forms.Form):
    """Status, text and date: what a unit reports on one of its measures."""

    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    text = forms.CharField(
        label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reported_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, measure=None, **kwargs):
        super().__init__(*args, **kwargs)
        if measure is not None and not self.is_bound:
            self.fields["status"].initial = measure.status
        self.fields["reported_on"].initial = timezone.localdate()
