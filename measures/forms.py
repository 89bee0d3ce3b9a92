"""Forms for measures: used by the front-end pages and the admin alike."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PlanTextFormMixin, VersionedModelForm, refuse_change_to_locked_text
from measures.models import FocusArea, Measure, MeasureStatus
from plans.models import Goal


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
        fields = [name for name in MeasureForm.Meta.fields if name != "order"] + ["goals"]
        widgets = {**MeasureForm.Meta.widgets, "goals": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan_id = self.instance.plan_id
        self.fields["focus_area"].queryset = FocusArea.objects.filter(plan_id=plan_id)
        self.fields["goals"].queryset = Goal.objects.filter(plan_id=plan_id).order_by(
            "parent__order", "parent_id", "order", "id"
        )


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


class BulkStatusRowForm(forms.Form):
    """One row of the bulk status page: a measure's new status, report and date.

    ``measure`` is the row's measure (``None`` when the posted id is not one the
    person may report on). The hidden ``last_report`` holds the id of the measure's
    newest report when the page was loaded (0: none), so that a report made since
    is not overwritten unseen. A row whose status, text and date are as shown is
    unchanged: it is neither validated nor saved.
    """

    measure_id = forms.IntegerField(widget=forms.HiddenInput)
    last_report = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    status = forms.ChoiceField(
        label=_("New status"),
        choices=MeasureStatus.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    text = forms.CharField(
        label=_("What has been done"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        required=False,
    )
    reported_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    REPORT_FIELDS = ("status", "text", "reported_on")

    def __init__(self, *args, measure=None, **kwargs):
        self.measure = measure
        if measure is not None:
            kwargs["initial"] = {
                "measure_id": measure.pk,
                "last_report": measure.last_report_id or 0,
                "status": measure.status,
                "text": "",
                "reported_on": timezone.localdate(),
            }
        super().__init__(*args, **kwargs)

    def has_changed(self):
        return any(name in self.changed_data for name in self.REPORT_FIELDS)

    def report(self) -> dict:
        """The row as ``measures_report_status`` takes it."""
        return {
            "measure": self.measure,
            "status": self.cleaned_data["status"],
            "text": self.cleaned_data["text"],
            "reported_on": self.cleaned_data["reported_on"],
            "last_report_id": self.cleaned_data.get("last_report") or None,
        }


class BaseBulkStatusFormSet(forms.BaseFormSet):
    """Rows of measures in ``measures`` (a dict by id); no more rows than measures.

    Each posted row finds its measure by its hidden id, so a row never reports on
    another measure than the one it showed. ``unknown_ids`` are posted ids outside
    ``measures``: measures the person may not report on, or none at all.
    """

    def __init__(self, *args, measures: dict, **kwargs):
        self.measures = measures
        super().__init__(*args, **kwargs)
        # Forged management data cannot make more forms than there are measures.
        self.absolute_max = self.max_num = len(measures)

    def total_form_count(self):
        if not self.is_bound:
            return len(self.measures)
        return super().total_form_count()

    def posted_id(self, index: int) -> int | None:
        try:
            return int(self.data.get(f"{self.add_prefix(index)}-measure_id", ""))
        except ValueError:
            return None

    def unknown_ids(self) -> set:
        return {
            self.posted_id(index)
            for index in range(self.total_form_count())
            if self.posted_id(index) not in self.measures
        }

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None:
            kwargs["measure"] = None
        elif self.is_bound:
            kwargs["measure"] = self.measures.get(self.posted_id(index))
        else:
            kwargs["measure"] = list(self.measures.values())[index]
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        return kwargs

    def changed_forms(self) -> list:
        return [form for form in self.forms if form.has_changed()]


BulkStatusFormSet = forms.formset_factory(BulkStatusRowForm, formset=BaseBulkStatusFormSet, extra=0)
