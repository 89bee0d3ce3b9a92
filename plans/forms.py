"""Forms for plan text: used by the front-end pages and the admin alike."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import VersionedModelForm
from plans.models import PlanSection


def refuse_change_to_locked_text(form, plan) -> None:
    """Add a form error when ``form`` changes the text of ``plan`` and that text is locked."""
    # Status reports go on after adoption; the text itself is locked.
    if plan is not None and form.has_changed():
        try:
            plan.assert_editable()
        except ValidationError as error:
            form.add_error(None, error)


class PlanSectionForm(VersionedModelForm):
    class Meta:
        model = PlanSection
        fields = ["order", "kind", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def clean(self):
        cleaned = super().clean()
        refuse_change_to_locked_text(self, self.instance.plan if self.instance.plan_id else None)
        return cleaned
