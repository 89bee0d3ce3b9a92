"""Forms of the process group's working page and of the people page."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from organisation import selectors
from organisation.models import MandateItem, Membership, ProcessGroup, Unit
from organisation.permissions import (
    ROLE_ADMINISTRATOR,
    ROLE_EDITOR,
    ROLE_MEASURE_OWNER,
    ROLES,
)


class MandateStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MandateItem.Status.choices)


ROLE_EXPLANATIONS = {
    ROLE_ADMINISTRATOR: _(
        "everything: registers adoption, manages people, and works in the admin as well."
    ),
    ROLE_EDITOR: _("edits the plans, measures and analyses of the groups they edit or sit in."),
    ROLE_MEASURE_OWNER: _(
        "reports status on the measures of the units they report for, and reads the rest."
    ),
}


class SeatChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, seat):
        label = f"{seat.group.name}: {seat.role_title}"
        if seat.unit:
            label += f" ({seat.unit.name})"
        if seat.person_name and seat.user_id is None:
            label += f" – {seat.person_name}"
        return label


class PersonForm(forms.Form):
    """One page for a person: name, e-mail, role, their units, groups and seats."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=140,
        help_text=_("They sign in with this address, and get the link to set a password here."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        choices=[(role, format_lazy("{} – {}", role, ROLE_EXPLANATIONS[role])) for role in ROLES],
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units they report for"),
        queryset=Unit.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "They report status on these units' measures (Mine tiltak) and get the reminders."
        ),
    )
    editor_groups = forms.ModelMultipleChoiceField(
        label=_("Groups whose work they edit"),
        queryset=ProcessGroup.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A Planredaktør edits the plans, measures and analyses of these groups, "
            "and of the groups they sit in."
        ),
    )
    seats = SeatChoiceField(
        label=_("Seats they fill in groups"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A group's members are seats: a role from a unit. Tick the seats this person "
            "fills. Only empty seats and their own are listed."
        ),
    )
    new_seat_group = forms.ModelChoiceField(
        label=_("Group"), queryset=ProcessGroup.objects.order_by("name"), required=False
    )
    new_seat_role_title = forms.CharField(
        label=_("Role title in the group"),
        max_length=200,
        required=False,
        help_text=_("E.g. Enhetsleder helsestasjon."),
    )
    new_seat_unit = forms.ModelChoiceField(
        label=_("From unit"), queryset=Unit.objects.order_by("name"), required=False
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["seats"].queryset = selectors.seats_to_fill(person)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Fieldset(_("Person"), "first_name", "last_name", "email"),
            "role",
            Fieldset(_("What they work on"), "units", "editor_groups", "seats"),
            Fieldset(
                _("A seat that is not in the list"),
                HTML(
                    format_html(
                        '<p class="form-text">{}</p>',
                        _("Add the seat this person fills to a group, if it is not listed."),
                    )
                ),
                "new_seat_group",
                "new_seat_role_title",
                "new_seat_unit",
            ),
            Submit("submit", _("Add the person") if person is None else _("Save")),
        )

    @classmethod
    def initial_for(cls, person) -> dict:
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "role": selectors.person_role(person),
            "units": list(person.units.all()),
            "editor_groups": list(person.editable_groups.all()),
            "seats": list(person.memberships.all()),
        }

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        exclude = self.person.pk if self.person is not None else None
        if selectors.email_taken(email, exclude_pk=exclude):
            raise forms.ValidationError(
                _("Somebody already has the e-mail address %(email)s."),
                params={"email": email},
                code="taken",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        has_group = bool(cleaned.get("new_seat_group"))
        has_title = bool((cleaned.get("new_seat_role_title") or "").strip())
        if has_group != has_title:
            self.add_error(
                "new_seat_role_title" if has_group else "new_seat_group",
                _("A new seat needs both the group and the role title; leave both empty for none."),
            )
        return cleaned


class PasswordResetForm(auth_forms.PasswordResetForm):
    """The "forgot password" form, also for people who never set one (their link ran out).

    Django's form leaves out accounts without a usable password; here such an account
    is one whose person has not used their first link yet.
    """

    def get_users(self, email):
        User = get_user_model()
        return (
            user
            for user in User._default_manager.filter(email__iexact=email, is_active=True)
            if user.email
        )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        context = {**context, "municipality_name": settings.HEIMPLAN_MUNICIPALITY}
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
