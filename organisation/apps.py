from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from django.contrib.auth import get_user_model

        from core.people import person_name

        # People are shown by name, not by username, wherever Django prints a user:
        # the admin's selects and autocompletes, its history's "changed by", a status
        # report's author. Django's User prints its username and a custom user model is
        # a migration this project does not need for a label; pages that name a
        # person use the ``person_name`` filter, which says the same.
        get_user_model().__str__ = person_name
