"""Small forms for the lifecycle moves (used by the admin's lifecycle buttons)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import validate_document
from plans.models import Adoption, archive_case_validator, meeting_case_validator


class ConsultationForm(forms.Form):
    deadline = forms.DateField(
        label=_("Consultation deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AdoptionForm(forms.Form):
    body = forms.ChoiceField(
        label=_("Adopted by"),
        choices=Adoption.Body.choices,
        initial=Adoption.Body.MUNICIPAL_COUNCIL,
    )
    meeting_date = forms.DateField(
        label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    meeting_case_number = forms.CharField(
        label=_("Meeting case number"),
        required=False,
        max_length=30,
        validators=[meeting_case_validator],
        help_text=_("E.g. PS 18/24."),
    )
    archive_case_number = forms.CharField(
        label=_("Archive case number"),
        required=False,
        max_length=30,
        validators=[archive_case_validator],
        help_text=_("E.g. 2024/1065."),
    )
    archive_document_number = forms.IntegerField(
        label=_("Document number"),
        required=False,
        min_value=1,
        help_text=_("The document's number in the archive case (2024/1065-12: 12)."),
    )
    record_url = forms.URLField(
        label=_("Link to the case"),
        required=False,
        assume_scheme="https",
        help_text=_("The case in the municipality's meeting portal or in eInnsyn."),
    )
    decision_text = forms.CharField(label=_("Decision text"), required=False, widget=forms.Textarea)
    source = forms.ChoiceField(
        label=_("What the council adopted"),
        choices=Adoption.Source.choices,
        initial=Adoption.Source.PORTAL,
        required=False,
        widget=forms.RadioSelect,
    )
    adopted_document = forms.FileField(
        label=_("The adopted document"),
        required=False,
        validators=[validate_document],
        help_text=_(
            "The document the council actually adopted (PDF, DOCX or ODT), if you have it."
        ),
    )
    confirm_before_deadline = forms.BooleanField(
        label=_("The council adopted the plan before the consultation deadline"),
        required=False,
    )

    def clean_source(self):
        return self.cleaned_data.get("source") or Adoption.Source.PORTAL


class ConfirmForm(forms.Form):
    """A move that needs nothing but a deliberate click."""
