"""Forms of the process group's working page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organisation.models import MandateItem


class MandateStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MandateItem.Status.choices)
