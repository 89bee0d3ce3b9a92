"""Erase consultation respondents' e-mail addresses a set time after the plan's adoption."""

from django.conf import settings
from django.core.management.base import BaseCommand

from consultation.services import contact_details_purge


class Command(BaseCommand):
    help = (
        "Erase the e-mail addresses of consultation respondents "
        "HEIMPLAN_CONSULTATION_CONTACT_RETENTION_DAYS days after the plan was adopted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days after adoption (default: HEIMPLAN_CONSULTATION_CONTACT_RETENTION_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.HEIMPLAN_CONSULTATION_CONTACT_RETENTION_DAYS if days is None else days
        erased = contact_details_purge(days=days)
        self.stdout.write(f"Erased the contact details of {erased} consultation responses.")
