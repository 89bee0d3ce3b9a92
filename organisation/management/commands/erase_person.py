"""Erase a person's name from heimplan, now and in history (the right to erasure)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from organisation.services import person_erase


class Command(BaseCommand):
    help = (
        "Erase a person's name from current rows and from history: the account is renamed "
        "to 'slettet-<id>' and closed, and seats that held the name are blanked."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="The person's username.")
        parser.add_argument(
            "--id", type=int, dest="user_id", help="The account's id, instead of its username."
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, username=None, user_id=None, interactive=True, **options):
        if (username is None) == (user_id is None):
            raise CommandError("Give either a username or --id.")
        User = get_user_model()  # noqa: N806
        lookup = {"pk": user_id} if user_id is not None else {User.USERNAME_FIELD: username}
        user = User._default_manager.filter(**lookup).first()
        if user is None:
            raise CommandError("There is no such account.")
        if interactive:
            answer = input(
                f"Erase the name of account {user.pk} ({user.get_username()}) from current "
                "rows and history? This cannot be undone. [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes", "j", "ja"):
                raise CommandError("Nothing was erased.")
        user = person_erase(user=user)
        self.stdout.write(
            self.style.SUCCESS(f"Erased: account {user.pk} is now {user.get_username()}.")
        )
