"""The right to erasure: ``person_erase`` and the ``erase_person`` command."""

from io import StringIO

import pytest
from axes.models import AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import models
from simple_history.models import registered_models

from organisation.models import Membership
from organisation.services import person_erase
from plans.models import Plan
from tests.factories import MembershipFactory, PlanFactory, ProcessGroupFactory, UserFactory

pytestmark = pytest.mark.django_db

# Made-up people.
NAME = "testesen"


def text_values(model) -> list[str]:
    """Every text value stored in ``model``'s table."""
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.EmailField)
    ]
    return [str(v) for row in model._default_manager.values_list(*fields) for v in row if v]


def every_text_value() -> list[str]:
    tables = {get_user_model(), LogEntry, AccessLog}
    for model in registered_models.values():
        tables.add(model)
        if hasattr(model, "history"):
            tables.add(model.history.model)
    tables |= {m for m in apps.get_models() if m._meta.app_label == "organisation"}
    return [value for model in tables for value in text_values(model)]


@pytest.fixture
def kari():
    """An account, seats that hold her name over time, her edits and her sign-ins."""
    kari = UserFactory(
        username="kari.testesen", first_name="Kari", last_name="Testesen", email="kt@example.no"
    )
    group = ProcessGroupFactory()
    seat = MembershipFactory(group=group, role_title="Rådgiver", user=kari, person_name="Kari T.")
    seat.person_name = "Kari Testesen"
    seat.save()
    # Later the seat was unlinked from the account, the name left in it.
    seat.user = None
    seat.save()
    # A seat named in free text only, with the account's full name.
    MembershipFactory(group=group, role_title="Kommunepsykolog", person_name="KARI TESTESEN")
    # A seat someone once named by a name she went by, then renamed to someone else.
    other = MembershipFactory(group=group, role_title="Helsesykepleier", person_name="Kari T.")
    other.person_name = "Ola Prøvesen"
    other.save()
    plan = PlanFactory.build(title="Kari sin plan", process_group=group)
    plan._history_user = kari  # as a service records its actor
    plan.save()
    plan.summary = "Endret."
    plan._history_user = kari
    plan.save()
    AccessLog.objects.create(username="kari.testesen", ip_address="127.0.0.1", user_agent="x")
    LogEntry.objects.create(
        user=kari,
        content_type=ContentType.objects.get_for_model(kari),
        object_id=str(kari.pk),
        object_repr="kari.testesen",
        action_flag=CHANGE,
    )
    return kari


def test_the_name_is_gone_from_current_rows_and_every_historical_record(kari):
    assert any(NAME in value.lower() for value in every_text_value())
    ola = UserFactory(username="ola", first_name="Ola", last_name="Prøvesen")
    olas_seat = MembershipFactory(user=ola, person_name="Ola Prøvesen", role_title="Rektor")

    erased = person_erase(user=kari)

    assert not [value for value in every_text_value() if NAME in value.lower()]
    assert not [value for value in every_text_value() if value == "Kari T."]
    assert (erased.username, erased.first_name, erased.last_name, erased.email) == (
        f"slettet-{kari.pk}",
        "",
        "",
        "",
    )
    assert not erased.is_active and not erased.has_usable_password()
    # History keeps who did what, as a key to the anonymous account.
    records = Plan.history.filter(title="Kari sin plan")
    assert records.count() == 2
    assert all(record.history_user_id == kari.pk for record in records)
    assert records.first().history_user.get_username() == f"slettet-{kari.pk}"
    # Other people's seats keep their names.
    assert Membership.objects.get(pk=olas_seat.pk).person_name == "Ola Prøvesen"
    assert Membership.objects.filter(person_name="Ola Prøvesen").count() == 2


def test_a_namesake_with_an_account_of_her_own_keeps_her_name(kari):
    namesake = UserFactory(username="kari2", first_name="Kari", last_name="Testesen")
    seat = MembershipFactory(user=namesake, person_name="Kari Testesen")

    person_erase(user=kari)

    assert Membership.objects.get(pk=seat.pk).person_name == "Kari Testesen"
    assert seat.history.get().person_name == "Kari Testesen"
    assert get_user_model().objects.get(pk=namesake.pk).last_name == "Testesen"


def test_the_erasure_is_recorded_in_the_seats_history_by_the_actor(kari):
    admin = UserFactory(username="personvern")
    person_erase(user=kari, actor=admin)
    for seat in Membership.objects.filter(role_title__in=["Rådgiver", "Kommunepsykolog"]):
        latest = seat.history.latest()
        assert latest.person_name == "" and latest.history_user == admin


def test_the_command_erases_by_username_or_id_and_asks_first(kari, monkeypatch):
    with pytest.raises(CommandError):
        call_command("erase_person", verbosity=0)
    with pytest.raises(CommandError):
        call_command("erase_person", "finnes-ikke", interactive=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError):
        call_command("erase_person", "kari.testesen")
    assert get_user_model().objects.get(pk=kari.pk).last_name == "Testesen"

    out = StringIO()
    call_command("erase_person", "--id", str(kari.pk), "--no-input", stdout=out)

    assert f"slettet-{kari.pk}" in out.getvalue()
    assert NAME not in out.getvalue().lower()
    assert get_user_model().objects.get(pk=kari.pk).last_name == ""
    assert not Membership.history.filter(person_name__icontains=NAME).exists()
