"""Restoring deleted measures and sections from history; reminders sent once a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.history import deleted_records
from measures.models import Measure, ReminderSent, StatusReport
from measures.reminders import reminders_send
from measures.services import measure_report_status
from plans.models import PlanSection
from plans.services import section_restore
from tests.factories import MeasureFactory, UserFactory
from tests.followup_world import build_world

pytestmark = pytest.mark.django_db


def test_admin_restores_a_deleted_measure_with_its_reports():
    world = build_world()
    measure = world.measure_x
    measure_report_status(actor=None, measure=measure, status="in_progress", text="I gang")
    pk, title = measure.pk, measure.title
    measure.delete()
    assert not Measure.objects.filter(pk=pk).exists()

    client = Client()
    client.force_login(world.admin)
    listing = client.get(reverse("admin:measures_measure_deleted"))
    assert listing.status_code == 200
    record = next(r for r in listing.context["records"] if r.id == pk)
    response = client.post(
        reverse("admin:measures_measure_deleted"), {"history_id": record.history_id}
    )
    assert response.status_code == 302
    restored = Measure.objects.get(pk=pk)
    assert restored.title == title and restored.status == "in_progress"
    assert StatusReport.objects.filter(measure=restored, text="I gang").exists()
    assert not [r for r in deleted_records(Measure) if r.id == pk]
    # Twice is refused with a message, not a 500.
    again = client.post(
        reverse("admin:measures_measure_deleted"), {"history_id": record.history_id}, follow=True
    )
    assert again.status_code == 400
    assert (
        client.post(reverse("admin:measures_measure_deleted"), {"history_id": "x"}).status_code
        == 400
    )


def test_restore_a_deleted_section_and_only_by_an_administrator():
    world = build_world()
    section = world.section_x
    pk = section.pk
    section.delete()
    record = next(r for r in deleted_records(PlanSection) if r.id == pk)

    editor = Client()
    editor.force_login(world.editor_x)
    url = reverse("admin:plans_plan_deleted")
    assert editor.post(url, {"history_id": record.history_id}).status_code == 403
    assert not PlanSection.objects.filter(pk=pk).exists()

    restored = section_restore(actor=None, history_id=record.history_id)
    assert restored.pk == pk and restored.title == "Forord"
    with pytest.raises(ValidationError):
        section_restore(actor=None, history_id=record.history_id)


def test_reminders_one_email_per_person_and_never_twice_a_day():
    world = build_world()
    today = timezone.localdate()
    # The published plan (in force) has unit A's measure: make it late and add another.
    Measure.objects.filter(pk=world.measure_pub.pk).update(deadline=today - timedelta(days=2))
    MeasureFactory(
        plan=world.published_y,
        responsible_unit=world.unit_a,
        deadline=today + timedelta(days=5),
    )
    silent = MeasureFactory(plan=world.published_y, responsible_unit=world.unit_a)
    Measure.objects.filter(pk=silent.pk).update(created_at=timezone.now() - timedelta(days=120))
    colleague = UserFactory(username="helsesoster")
    world.unit_a.contacts.add(colleague)
    no_email = UserFactory(username="uten-epost", email="")
    world.unit_a.contacts.add(no_email)

    assert reminders_send(today=today) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.owner_a.email, colleague.email])
    body = mail.outbox[0].body
    assert world.measure_pub.title in body
    # Drafts are not in force: no reminder about them.
    assert world.measure_x.title not in body
    reasons = set(ReminderSent.objects.values_list("reason", flat=True))
    assert reasons == {"overdue", "deadline_near", "no_recent_report"}
    assert ReminderSent.objects.filter(measure=silent, reason="no_recent_report").count() == 2

    # Same day again: nothing.
    call_command("send_reminders", verbosity=0)
    assert len(mail.outbox) == 2
    # The next day the late measure is reminded again.
    assert reminders_send(today=today + timedelta(days=1)) == 2
