"""`make run`'s demo editor: a fresh random password each time, printed with where to log in."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from organisation.permissions import ROLE_ADMINISTRATOR, has_role

pytestmark = pytest.mark.django_db


def _run(**options) -> tuple[str, str]:
    out = StringIO()
    call_command("create_demo_editor", stdout=out, **options)
    text = out.getvalue()
    match = re.search(r"Log in at (\S+) .* as '(\w+)' with password: (\S+)", text)
    assert match, text
    url, username, password = match.groups()
    return url, username, password


def test_prints_a_random_password_that_logs_in_and_changes_each_run(heim):
    url, username, first = _run()
    assert url == "http://127.0.0.1:8000/logg-inn/"
    user = get_user_model().objects.get(username=username)
    assert user.check_password(first)
    assert user.is_staff and has_role(user, ROLE_ADMINISTRATOR)
    # A contact of a responsible unit, so "Mine tiltak" is not empty on first login.
    assert user.units.filter(responsible_for__isnull=False).exists()

    _url, _username, second = _run()
    assert second != first and len(second) >= 16
    user.refresh_from_db()
    assert not user.check_password(first)
    assert user.check_password(second)


def test_the_login_page_accepts_the_printed_password(client, heim):
    _url, username, password = _run()
    response = client.post("/logg-inn/", {"username": username, "password": password})
    assert response.status_code == 302


def test_the_printed_address_follows_where_the_site_is_served(heim):
    url, _username, _password = _run(base_url="http://127.0.0.1:8011/")
    assert url == "http://127.0.0.1:8011/logg-inn/"
