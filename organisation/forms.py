"""Forms of the process group's working page, and the "forgot password" form."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from organisation.models import MandateItem


class MandateStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MandateItem.Status.choices)


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
