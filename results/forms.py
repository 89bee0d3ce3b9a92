"""Forms for indicators and their values (the workspace pages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import VersionedModelForm
from plans.models import Goal
from results.importers import MAX_FILE_BYTES
from results.models import Indicator, IndicatorValue, YearlyReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "goal",
            "name",
            "definition",
            "unit",
            "direction",
            "data_source",
            "source_text",
            "source_url",
            "frequency",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": DATE,
            "target_date": DATE,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(plan=plan).order_by(
            "parent__order", "parent_id", "order", "id"
        )
        for name in ("baseline_value", "target_value"):
            self.fields[name].localize = True
            self.fields[name].widget.is_localized = True

    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class IndicatorValueForm(forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["date", "period", "value", "note", "source"]
        widgets = {"date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].localize = True
        self.fields["value"].widget.is_localized = True

    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV separated by semicolons with the columns periode;verdi (and if you like "
            "merknad;kilde), numbers as 12,5; or a JSON-stat 2.0 file from SSB or "
            "Kommunehelsa with one series."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 5 MB)."))
        return upload


class YearlyReportCreateForm(forms.ModelForm):
    class Meta:
        model = YearlyReport
        fields = ["year"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["year"].min_value = 2000
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Give a year between 2000 and 2100."))
        if YearlyReport.objects.filter(plan=self.plan, year=year).exists():
            raise forms.ValidationError(_("The plan has a report for this year already."))
        return year


class YearlyReportForm(VersionedModelForm):
    class Meta:
        model = YearlyReport
        fields = ["period_start", "period_end", "went_well", "went_badly", "changes"]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "went_well": forms.Textarea(attrs={"rows": 6}),
            "went_badly": forms.Textarea(attrs={"rows": 6}),
            "changes": forms.Textarea(attrs={"rows": 6}),
        }


class ConsiderationForm(forms.ModelForm):
    class Meta:
        model = YearlyReport
        fields = ["considered_by", "considered_on", "case_number"]
        widgets = {"considered_on": DATE}

    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}
