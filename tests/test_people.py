"""The people page (issue 13): one page to add or change a person, a link to set a password,
deactivate instead of delete, and people shown by name rather than by username."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from measures.models import StatusReport
from organisation import permissions, services
from organisation.models import Membership
from organisation.permissions import ROLE_ADMINISTRATOR, ROLE_EDITOR, ROLE_MEASURE_OWNER
from tests.factories import MembershipFactory, StatusReportFactory, UserFactory
from tests.followup_world import build_world, user_with_role

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "Blåbær-Syltetøy-Kjeller-91"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person_data(**changes) -> dict:
    data = {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "kari.nordmann@heim.kommune.no",
        "role": ROLE_MEASURE_OWNER,
        "units": [],
        "editor_groups": [],
        "seats": [],
        "new_seat_group": "",
        "new_seat_role_title": "",
        "new_seat_unit": "",
    }
    data.update(changes)
    return data


def link_in(message) -> str:
    match = re.search(r"https?://testserver(/logg-inn/nytt-passord/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def choose_password(client: Client, path: str):
    """Open the e-mailed link and choose a password; returns the final response."""
    opened = client.get(path)
    assert opened.status_code == 302  # Django moves the token from the URL into the session
    form = client.get(opened["Location"])
    assert form.status_code == 200 and form.context["validlink"]
    return client.post(
        opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )


def sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


# -- Who may use the pages -----------------------------------------------------


@pytest.fixture
def world():
    return build_world()


def _people_urls(world):
    target = world.owner_a.pk
    return {
        "list": reverse("organisation:person_list"),
        "add": reverse("organisation:person_add"),
        "change": reverse("organisation:person_change", args=[target]),
        "deactivate": reverse("organisation:person_deactivate", args=[target]),
        "activate": reverse("organisation:person_activate", args=[target]),
    }


def _client_for(world, who: str) -> Client:
    if who == "anonymous":
        return Client()
    if who == "inactive admin":
        user = user_with_role("tidligere-admin", ROLE_ADMINISTRATOR, is_active=False)
        return signed_in(user)
    return signed_in(getattr(world, who))


@pytest.mark.parametrize("page", ["list", "add", "change", "deactivate", "activate"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("editor_x", 403),
        ("owner_a", 403),
        ("inactive admin", 302),
        ("anonymous", 302),
    ],
)
def test_only_a_plan_administrator_opens_the_people_pages(world, page, who, status):
    url = _people_urls(world)[page]
    response = _client_for(world, who).get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def _snapshot():
    return sorted(
        User.objects.values_list(
            "pk", "username", "email", "first_name", "is_active", "is_staff", "password"
        )
    ), sorted(Membership.objects.values_list("pk", "user_id"))


@pytest.mark.parametrize("who", ["editor_x", "owner_a", "inactive admin", "anonymous"])
def test_refused_people_change_nothing(world, who):
    client = _client_for(world, who)
    before = _snapshot()
    urls = _people_urls(world)
    client.post(urls["add"], person_data(units=[world.unit_a.pk]))
    client.post(urls["change"], person_data(role=ROLE_ADMINISTRATOR, email="x@example.invalid"))
    client.post(urls["deactivate"])
    world.editor_y.is_active = False
    world.editor_y.save(update_fields=["is_active"])
    client.post(reverse("organisation:person_activate", args=[world.editor_y.pk]))
    world.editor_y.is_active = True
    world.editor_y.save(update_fields=["is_active"])
    assert _snapshot() == before
    assert mail.outbox == []


def test_a_plan_administrator_cannot_open_a_superusers_page(world):
    root = UserFactory(username="it-drift", is_superuser=True, is_staff=True)
    client = signed_in(world.admin)
    assert client.get(reverse("organisation:person_change", args=[root.pk])).status_code == 403
    client.post(reverse("organisation:person_deactivate", args=[root.pk]))
    root.refresh_from_db()
    assert root.is_active


def test_the_menu_links_the_people_page_for_administrators_only(world):
    url = reverse("organisation:person_list")
    assert url in signed_in(world.admin).get(reverse("measures:mine")).content.decode()
    for who in ("editor_x", "owner_a"):
        body = signed_in(getattr(world, who)).get(reverse("measures:mine")).content.decode()
        assert url not in body


# -- The whole journey ---------------------------------------------------------


def test_a_person_added_sets_a_password_and_has_exactly_the_rights_the_form_gave(world):
    admin = signed_in(world.admin)
    response = admin.post(reverse("organisation:person_add"), person_data(units=[world.unit_a.pk]))
    assert response.status_code == 302
    person = User.objects.get(email="kari.nordmann@heim.kommune.no")
    assert person.username == "kari.nordmann@heim.kommune.no"
    assert (person.first_name, person.last_name) == ("Kari", "Nordmann")
    assert not person.has_usable_password()
    assert not person.is_staff  # a Tiltaksansvarlig works in the front end
    assert permissions.has_role(person, ROLE_MEASURE_OWNER)
    assert LogEntry.objects.filter(object_id=str(person.pk), user=world.admin).exists()

    # One Norwegian e-mail, to the person, with the link.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari.nordmann@heim.kommune.no"]
    assert "konto" in message.subject
    assert "Hei Kari Nordmann," in message.body
    assert "passord" in message.body
    path = link_in(message)

    # No password yet: signing in fails, whatever is typed.
    visitor = Client()
    assert sign_in(visitor, person.username, "").status_code == 200
    assert sign_in(visitor, person.username, NEW_PASSWORD).status_code == 200
    assert "_auth_user_id" not in visitor.session

    done = choose_password(visitor, path)
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert "Logg inn" in visitor.get(done["Location"]).content.decode()
    # The link works once.
    again = Client().get(path)
    assert again.status_code == 200 and not again.context["validlink"]

    signed = sign_in(visitor, person.username, NEW_PASSWORD)
    assert signed.status_code == 302 and signed["Location"] == reverse("measures:mine")

    # Reports on unit A's measures …
    mine = visitor.get(reverse("measures:mine"))
    assert world.measure_x.title in mine.content.decode()
    prefix = f"m{world.measure_x.pk}"
    visitor.post(
        reverse("measures:mine"),
        {
            "measure": world.measure_x.pk,
            f"{prefix}-status": "in_progress",
            f"{prefix}-text": "I gang",
            f"{prefix}-reported_on": "2024-01-10",
        },
    )
    report = StatusReport.objects.get(measure=world.measure_x)
    assert report.author == person
    # … but on no other unit's, and edits no plan.
    assert world.measure_y.title not in mine.content.decode()
    edit = visitor.get(reverse("measures:measure_edit", args=[world.measure_x.pk]))
    assert edit.status_code == 403
    section = visitor.get(reverse("plans:section_edit", args=[world.section_x.pk]))
    assert section.status_code == 403
    assert visitor.get(reverse("organisation:person_list")).status_code == 403
    assert visitor.get(reverse("admin:index")).status_code == 302  # not staff


def test_an_editor_added_to_a_seat_edits_that_groups_work(world):
    seat = MembershipFactory(group=world.group_y, unit=world.unit_b, role_title="Rådgiver")
    admin = signed_in(world.admin)
    admin.post(
        reverse("organisation:person_add"),
        person_data(role=ROLE_EDITOR, email="per@heim.kommune.no", seats=[seat.pk]),
    )
    person = User.objects.get(email="per@heim.kommune.no")
    seat.refresh_from_db()
    assert seat.user == person and seat.person_name == "Kari Nordmann"
    assert person.is_staff  # editors still work in the admin (the plan lifecycle is there)
    assert permissions.editable_group_ids(person) == {world.group_y.pk}
    # And the group's page names the person.
    client = signed_in(world.editor_y)
    page = client.get(reverse("organisation:group_detail", args=[world.group_y.slug]))
    assert "Kari Nordmann" in page.content.decode()


def test_a_new_seat_is_made_in_the_group_and_filled(world):
    person = services.person_create(
        actor=world.admin,
        data=person_data(
            role=ROLE_EDITOR,
            seats=[],
            new_seat_group=world.group_x,
            new_seat_role_title="Folkehelsekoordinator",
            new_seat_unit=world.unit_b,
        ),
    )
    seat = Membership.objects.get(user=person)
    assert (seat.group, seat.role_title, seat.unit) == (
        world.group_x,
        "Folkehelsekoordinator",
        world.unit_b,
    )
    assert seat.history.latest().history_user == world.admin
    assert permissions.editable_group_ids(person) == {world.group_x.pk}


def test_changing_a_person_changes_role_units_groups_and_seats(world):
    seat = MembershipFactory(group=world.group_y, unit=world.unit_b, role_title="Rådgiver")
    person = services.person_create(
        actor=world.admin,
        data=person_data(role=ROLE_EDITOR, seats=[seat], editor_groups=[world.group_x]),
    )
    assert person.is_staff
    admin = signed_in(world.admin)
    form = admin.get(reverse("organisation:person_change", args=[person.pk]))
    assert form.status_code == 200
    assert form.context["form"].initial["role"] == ROLE_EDITOR
    response = admin.post(
        reverse("organisation:person_change", args=[person.pk]),
        person_data(
            first_name="Kari Anne",
            email="kari.anne@heim.kommune.no",
            role=ROLE_MEASURE_OWNER,
            units=[world.unit_b.pk],
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Kari Anne"
    assert person.username == "kari.anne@heim.kommune.no"  # follows the e-mail
    assert not person.is_staff
    assert set(person.groups.values_list("name", flat=True)) == {ROLE_MEASURE_OWNER}
    assert list(person.units.all()) == [world.unit_b]
    assert not person.editable_groups.exists()
    seat.refresh_from_db()
    assert seat.user is None and seat.person_name == ""  # the seat stays, empty
    assert world.unit_b.history.latest().history_user == world.admin
    entry = LogEntry.objects.filter(object_id=str(person.pk)).latest("action_time")
    assert "role" in entry.get_change_message() or "rolle" in entry.get_change_message()


def test_a_seat_filled_by_somebody_else_cannot_be_taken(world):
    taken = Membership.objects.get(user=world.editor_x)
    response = signed_in(world.admin).post(
        reverse("organisation:person_add"), person_data(seats=[taken.pk])
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="kari.nordmann@heim.kommune.no").exists()
    with pytest.raises(ValidationError):
        services.person_create(actor=world.admin, data=person_data(seats=[taken]))


def test_a_duplicate_email_is_refused_and_the_input_kept(world):
    UserFactory(username="kari", email="Kari.Nordmann@heim.kommune.no")
    count = User.objects.count()
    response = signed_in(world.admin).post(
        reverse("organisation:person_add"),
        person_data(email="KARI.NORDMANN@heim.kommune.no", first_name="Kari Anne"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "har allerede e-postadressen" in body
    assert 'value="Kari Anne"' in body
    assert 'value="KARI.NORDMANN@heim.kommune.no"' in body
    assert User.objects.count() == count
    assert mail.outbox == []
    with pytest.raises(ValidationError):
        services.person_create(
            actor=world.admin, data=person_data(email="kari.nordmann@HEIM.kommune.no")
        )


def test_an_email_that_cannot_be_sent_saves_nothing(world, settings):
    settings.EMAIL_BACKEND = "tests.test_people.FailingBackend"
    response = signed_in(world.admin).post(
        reverse("organisation:person_add"), person_data(units=[world.unit_a.pk])
    )
    assert response.status_code == 400
    assert "kunne ikke sendes" in response.content.decode()
    assert not User.objects.filter(email="kari.nordmann@heim.kommune.no").exists()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("no mail server")


# -- Deactivate, never delete --------------------------------------------------


def test_deactivated_people_cannot_sign_in_and_can_be_activated_again(world):
    world.owner_a.set_password(NEW_PASSWORD)
    world.owner_a.save()
    session = signed_in(world.owner_a)
    admin = signed_in(world.admin)
    url = reverse("organisation:person_deactivate", args=[world.owner_a.pk])
    confirm = admin.get(url)
    assert "kan ikke lenger logge inn" in confirm.content.decode()
    assert admin.post(url).status_code == 302
    world.owner_a.refresh_from_db()
    assert not world.owner_a.is_active
    assert User.objects.filter(pk=world.owner_a.pk).exists()
    assert session.get(reverse("measures:mine")).status_code == 302  # signed out
    visitor = Client()
    assert sign_in(visitor, world.owner_a.username, NEW_PASSWORD).status_code == 200
    assert "_auth_user_id" not in visitor.session
    # Forgot password sends nothing to a deactivated account.
    visitor.post(reverse("password_reset"), {"email": world.owner_a.email})
    assert mail.outbox == []

    admin.post(reverse("organisation:person_activate", args=[world.owner_a.pk]))
    assert sign_in(Client(), world.owner_a.username, NEW_PASSWORD).status_code == 302


def test_an_administrator_cannot_deactivate_or_demote_themselves(world):
    admin = signed_in(world.admin)
    url = reverse("organisation:person_deactivate", args=[world.admin.pk])
    confirm = admin.get(url)
    assert "Du kan ikke deaktivere deg selv" in confirm.content.decode()
    assert 'type="submit"' not in confirm.content.decode().split("<main")[1]
    response = admin.post(url, follow=True)
    assert "Du kan ikke deaktivere deg selv" in response.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.is_active
    with pytest.raises(ValidationError):
        services.person_set_active(actor=world.admin, user=world.admin, active=False)
    demote = admin.post(
        reverse("organisation:person_change", args=[world.admin.pk]),
        person_data(email=world.admin.email, role=ROLE_EDITOR),
    )
    assert demote.status_code == 400
    assert permissions.has_role(User.objects.get(pk=world.admin.pk), ROLE_ADMINISTRATOR)


def test_forgot_password_sends_a_link_also_to_a_person_who_never_chose_one(world):
    person = services.person_create(actor=world.admin, data=person_data())
    mail.outbox.clear()
    page = Client().get(reverse("login"))
    assert reverse("password_reset") in page.content.decode()
    response = Client().post(reverse("password_reset"), {"email": person.email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Hei Kari Nordmann," in mail.outbox[0].body
    visitor = Client()
    assert choose_password(visitor, link_in(mail.outbox[0])).status_code == 302
    assert sign_in(visitor, person.username, NEW_PASSWORD).status_code == 302


# -- Names, not usernames ------------------------------------------------------


def test_people_are_shown_by_name_not_username(world, admin_client):
    world.owner_a.first_name, world.owner_a.last_name = "Liv", "Helsesøster"
    world.owner_a.save()
    StatusReportFactory(measure=world.measure_x, author=world.owner_a)
    # The admin's status report list (author) showed usernames.
    reports = admin_client.get(reverse("admin:measures_statusreport_changelist"))
    body = reports.content.decode()
    assert "Liv Helsesøster" in body
    assert "leder-helsestasjon" not in body
    # So did the history's "changed by".
    measure = world.measure_x
    measure.title = "Nytt navn"
    measure._history_user = world.owner_a
    measure.save()
    history = admin_client.get(reverse("admin:measures_measure_history", args=[measure.pk]))
    assert "Liv Helsesøster" in history.content.decode()
    # The menu says who is signed in; the people page and the admin's user list name people.
    own = signed_in(world.owner_a).get(reverse("measures:mine")).content.decode()
    assert "Liv Helsesøster" in own
    people = signed_in(world.admin).get(reverse("organisation:person_list")).content.decode()
    assert "Liv Helsesøster" in people
    users = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Liv Helsesøster" in users
    # Somebody without a name is shown by username.
    assert "redaktor-oks" in people


def test_the_people_list_costs_the_same_queries_for_few_and_many(
    world, django_assert_max_num_queries
):
    client = signed_in(world.admin)
    client.get(reverse("organisation:person_list"))  # warm up the session
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("organisation:person_list"))
    for n in range(15):
        person = user_with_role(f"person-{n}", ROLE_MEASURE_OWNER)
        world.unit_a.contacts.add(person)
        MembershipFactory(group=world.group_x, user=person)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("organisation:person_list"))
    assert len(response.context["people"]) > 15
