"""The public response form and the editors' handling form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultation.models import ConsultationResponse
from consultation.services import TEXT_MAX_LENGTH
from core.forms import VersionedModelForm


class ResponseForm(forms.Form):
    """A response from anybody, without JavaScript. ``website`` is a trap for robots."""

    kind = forms.ChoiceField(
        label=_("I respond as"),
        choices=ConsultationResponse.Kind.choices,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name or organisation"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        max_length=254,
        help_text=_("For a receipt with your reference number. Never published."),
    )
    text = forms.CharField(
        label=_("Your response"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text. At most 20,000 characters."),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("PDF, DOCX or ODT, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
    )
    publish_name = forms.BooleanField(
        label=_("My name may be published with my response"),
        required=False,
        help_text=_(
            "Organisations, councils and public bodies are always named. A private person's "
            "name is published only with this consent."
        ),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This field must be empty."))
        return ""


class HandlingForm(VersionedModelForm):
    """Publish or withhold, assess, and link to the chapters and measures it changed."""

    class Meta:
        model = ConsultationResponse
        fields = ["publication", "withheld_reason", "assessment", "sections", "measures"]
        widgets = {
            "publication": forms.RadioSelect,
            "assessment": forms.Textarea(attrs={"rows": 6}),
            "sections": forms.CheckboxSelectMultiple,
            "measures": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "withheld_reason": _("Required when withheld, e.g. personal data about others."),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = plan.sections.all()
        self.fields["measures"].queryset = plan.measures.all()
