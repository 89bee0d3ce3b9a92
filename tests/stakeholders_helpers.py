"""Shared setup of the stakeholder working-page tests (kept out of conftest)."""

import copy
from contextlib import contextmanager
from unittest import mock

from django.contrib.auth.models import Group
from django.test import Client

from organisation.permissions import ROLE_EDITOR, ROLE_MEASURE_OWNER
from tests.factories import UserFactory


def editor_of(*groups, username=None):
    """A Planredaktør who edits ``groups``."""
    user = UserFactory(**({"username": username} if username else {}))
    user.groups.add(Group.objects.get(name=ROLE_EDITOR))
    for group in groups:
        group.editors.add(user)
    return user


def measure_owner():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=ROLE_MEASURE_OWNER))
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _put(data: dict, key: str, value) -> None:
    if value is None or value is False:
        return
    if value is True:
        data[key] = "on"
    elif isinstance(value, (list, tuple)):
        data[key] = [str(v) for v in value]
    else:
        data[key] = str(value)


def admin_form_data(response) -> dict:
    """POST data that resubmits an admin add/change page as it was rendered.

    Covers the main form and every inline formset (existing rows only); tests
    then change, add (bump ``TOTAL_FORMS``) or delete (``-DELETE``) rows.
    """
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        _put(data, form.add_prefix(name), form[name].value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            _put(data, management.add_prefix(name), management[name].value())
        data[management.add_prefix("TOTAL_FORMS")] = str(len(formset.initial_forms))
        for row in formset.initial_forms:
            for name in row.fields:
                if name != "DELETE":
                    _put(data, row.add_prefix(name), row[name].value())
    return data


@contextmanager
def service_spy(owner, verb: str, **kwargs):
    """Stand a mock in for the ``verb`` service (create, update, delete) that ``owner``
    (an admin or inline class) declares in its ``services``; yields the mock.

    The mock calls the real service unless given a ``side_effect``.
    """
    declared = owner.services
    spy = mock.Mock(wraps=getattr(declared, verb), **kwargs)
    stand_in = copy.copy(declared)
    object.__setattr__(stand_in, verb, spy)  # ModelServices is frozen
    with mock.patch.object(owner, "services", stand_in):
        yield spy
