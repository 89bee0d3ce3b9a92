"""The mail server being away loses nothing: reminders not sent are sent on the next run."""

from __future__ import annotations

import smtplib
import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from measures.models import Measure, ReminderSent
from measures.reminders import reminders_send
from tests.factories import UserFactory
from tests.followup_world import build_world

pytestmark = pytest.mark.django_db

REFUSED = "refused@example.invalid"


class RefusingBackend(LocmemBackend):
    """A mail server that refuses one address and accepts the others."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"No such user")})
        return super().send_messages(messages)


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nothing listens there


@pytest.fixture
def due_reminders():
    """Two contacts of unit A with a late measure in a plan in force; their addresses."""
    world = build_world()
    today = timezone.localdate()
    Measure.objects.filter(pk=world.measure_pub.pk).update(deadline=today - timedelta(days=2))
    colleague = UserFactory(username="helsesoster")
    world.unit_a.contacts.add(colleague)
    return sorted([world.owner_a.email, colleague.email])


def test_a_failed_smtp_connection_leaves_reminders_unsent_and_the_next_run_sends_them(
    settings, due_reminders
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _dead_port()
    settings.EMAIL_TIMEOUT = 2
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="2 reminder e-mail"):
        call_command("send_reminders", stdout=out, stderr=err)
    lines = sorted(err.getvalue().splitlines())
    assert lines == [
        f"Reminder not sent to {address}: the mail server refused the connection"
        for address in due_reminders
    ]
    assert "Traceback" not in err.getvalue()
    assert "0 e-mail(s) sent." in out.getvalue()
    assert not ReminderSent.objects.exists()

    # The mail server is back: the next run sends both, and records them.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "2 e-mail(s) sent." in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == due_reminders
    assert ReminderSent.objects.count() == 2
    # And not a third time the same day.
    call_command("send_reminders", stdout=StringIO())
    assert len(mail.outbox) == 2


def test_a_refused_address_does_not_stop_the_others(settings, due_reminders):
    settings.EMAIL_BACKEND = "tests.test_mail_outage.RefusingBackend"
    refused = UserFactory(username="refused", email=REFUSED)
    Measure.objects.get(deadline__lt=timezone.localdate()).responsible_unit.contacts.add(refused)
    failures = []
    assert reminders_send(on_failure=lambda *failure: failures.append(failure)) == 2
    assert failures == [(REFUSED, "the mail server refused the address")]
    assert sorted(m.to[0] for m in mail.outbox) == due_reminders
    assert not ReminderSent.objects.filter(user=refused).exists()
    assert ReminderSent.objects.count() == 2
