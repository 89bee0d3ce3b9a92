"""Small forms for the lifecycle moves (used by the admin's lifecycle buttons)."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
    decision_text = forms.CharField(label=_("Decision text"), required=False, widget=forms.Textarea)


class ConfirmForm(forms.Form):
    """A move that needs nothing but a deliberate click."""
