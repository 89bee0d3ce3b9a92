"""E-mail reminders about measures past or near deadline or without a recent report,
and whatever other apps register (``core.reminders``).

Run daily from cron, e.g. ``15 7 * * 1-5 cd /srv/heimplan && .venv/bin/python manage.py
send_reminders --base-url https://planer.heim.kommune.no``. Running it twice a day is harmless.

When the mail server is away, each address not reached gets one line on stderr, nothing
is marked as sent, and the command exits with status 1 (no traceback): the next run
sends those reminders.
"""

from django.core.management.base import BaseCommand, CommandError

from core.reminders import registered_senders
from measures.reminders import reminders_due, reminders_send


class Command(BaseCommand):
    help = "E-mail each unit contact one reminder about their measures that need follow-up."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's address, for the link in the e-mail (e.g. https://planer.heim.no).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get a reminder; send nothing."
        )

    def handle(self, *args, base_url, dry_run, **options):
        from django.utils import timezone

        today = timezone.localdate()
        base_url = base_url.rstrip("/")
        if dry_run:
            for user, items in reminders_due(today=today).items():
                self.stdout.write(f"{user.get_username()}: {len(items)}")
        failed = []

        def report(address: str, reason: str) -> None:
            failed.append(address)
            self.stderr.write(f"Reminder not sent to {address}: {reason}")

        if not dry_run:
            count = reminders_send(today=today, base_url=base_url.rstrip("/"), on_failure=report)
            self.stdout.write(f"{count} e-mail(s) sent.")
        # The other kinds (e.g. the follow-up cycle of plans: revision, indicators, reports).
        for sender in registered_senders():
            for line in sender(today=today, base_url=base_url, dry_run=dry_run, on_failure=report):
                self.stdout.write(line)
        if failed:
            raise CommandError(
                f"{len(failed)} reminder e-mail(s) not sent; they are sent on the next run."
            )
