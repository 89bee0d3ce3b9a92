"""Forms shared by the admin and the front-end: the version every edit carries."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _

from core.concurrency import describe_changes


def add_validation_error(form, exc: ValidationError) -> None:
    """Show a service's refusal on ``form``, field by field where it names one of its fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class VersionedModelForm(forms.ModelForm):
    """A ModelForm for a model with ``edit_version``: refuses a save over someone else's.

    The hidden ``loaded_version`` holds the version the person loaded. When the
    row has moved on, the form is invalid, ``conflict_changes`` lists what the
    other person changed (theirs against yours), the person's input stays in
    the form, and the hidden version is moved to the current one so that saving
    again re-applies their input on top of the other person's edit.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    conflict_message = _(
        "Somebody else saved this while you were editing. Your changes are not saved yet: "
        "compare them with the other person's below, adjust, and save again."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict_changes = []
        if self.instance.pk and not self.is_bound:
            self.fields["loaded_version"].initial = self.instance.edit_version
        elif not self.instance.pk:
            self.fields["loaded_version"].required = False

    @property
    def submitted_version(self) -> int | None:
        return self.cleaned_data.get("loaded_version") if hasattr(self, "cleaned_data") else None

    def model_data(self) -> dict:
        """The cleaned values of the model's own fields, for a service to write."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "loaded_version" and name in self._meta.fields
        }

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("loaded_version")
        if not self.instance.pk or version is None:
            return cleaned
        rows = type(self.instance).objects.filter(pk=self.instance.pk)
        if connection.features.has_select_for_update and connection.in_atomic_block:
            # Inside the admin's transaction: hold the row until this save commits.
            # No ordering: a default ordering's outer joins cannot be locked on PostgreSQL.
            rows = rows.order_by().select_for_update(of=("self",))
        current = rows.first()
        if current is None:
            raise forms.ValidationError(_("This was deleted while you were editing."))
        if current.edit_version != version:
            self.mark_conflict(current=current, base_version=version)
        return cleaned

    def mark_conflict(self, *, current, base_version: int, changes=None) -> None:
        """Make the form invalid with the diff, keeping the person's input for a re-apply."""
        if changes is None:
            changes = describe_changes(
                model=type(current),
                current=current,
                base_version=base_version,
                submitted=self.model_data(),
            )
        self.conflict_changes = changes
        # Show the input as typed, but carry the current version for the next save.
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = str(current.edit_version)
        self.data = data
        self.add_error(None, self.conflict_message)
        for change in changes:
            if change.name in self.fields:
                # Next to each field, so the admin (which has no diff table) shows it too.
                self.add_error(
                    change.name,
                    _("Saved meanwhile by somebody else: “%(value)s”.")
                    % {"value": change.theirs or "–"},
                )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def submit_helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("submit", submit_label))
    return helper


def refuse_change_to_locked_text(form, plan) -> None:
    """Add a form error when ``form`` changes the text of ``plan`` and that text is locked."""
    # Status reports go on after adoption; the text itself is locked.
    if plan is not None and form.has_changed():
        try:
            plan.assert_editable()
        except ValidationError as error:
            form.add_error(None, error)


class PlanTextFormMixin:
    """A working-page form for part of a plan's text (``instance.plan``).

    While the plan's text is locked every field is read-only (a disabled field
    takes no input) and ``locked_reason`` says why, in the words of
    ``plan.assert_editable``; the service refuses the save all the same.
    ``markdown_fields`` names the fields written in Markdown (they get a preview).
    """

    markdown_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked_reason = ""
        plan = self.instance.plan if self.instance.plan_id else None
        for name in self.markdown_fields:
            self.fields[name].widget.attrs["data-markdown"] = name
        if plan is None:
            return
        try:
            plan.assert_editable()
        except ValidationError as error:
            self.locked_reason = " ".join(error.messages)
            for field in self.fields.values():
                field.disabled = True

    def editor_rows(self):
        """Each visible field with its preview (HTML or None) and whether it is Markdown."""
        previews = getattr(self, "previews", {})
        for field in self.visible_fields():
            yield field, previews.get(field.name), field.name in self.markdown_fields
