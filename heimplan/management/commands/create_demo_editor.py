"""Create (or reset) the demo editor account and print its new random password."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db.models import Count

from organisation.models import Unit
from organisation.permissions import ROLE_ADMINISTRATOR


class Command(BaseCommand):
    help = "Create or reset the demo editor account with a fresh random password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="redaktor")
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="where the site is served"
        )

    def handle(self, *args, username, base_url, **options):
        user_model = get_user_model()
        password = secrets.token_urlsafe(12)
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.invalid"}
        )
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=ROLE_ADMINISTRATOR))
        # A contact of the unit with most measures, so "Mine tiltak" has something to show.
        busiest = (
            Unit.objects.annotate(measure_count=Count("responsible_for"))
            .filter(measure_count__gt=0)
            .order_by("-measure_count", "name")
            .first()
        )
        if busiest is not None:
            busiest.contacts.add(user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Log in at {base_url.rstrip('/')}/logg-inn/ (or /admin/) as '{username}' "
                f"with password: {password}"
            )
        )
