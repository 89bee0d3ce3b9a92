"""The admin speaks bokmål on every page, including the strings Django leaves untranslated."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from organisation.permissions import ROLE_ADMINISTRATOR
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# English that reached the Planadministrator's screen (and the admin's "ny" for neuter nouns).
ENGLISH = [
    "Please correct the error",
    "Show counts",
    "Hide counts",
    "Model name",
    "Add link",
    "Change or view list link",
    "Add another",
    "Select all objects",
    "Select this object",
    "Toggle theme",
    "Skip to main content",
    "Sidebar",
    "Start typing to filter",
    "Filter navigation items",
    "Breadcrumbs",
    "Set password",
    "Password-based authentication",
    "Whether the user will be able",
    "After you’ve created a user",
    "Raw passwords are not stored",
    "Legg til ny tiltak",
    "Legg til ny kapittel",
    "Legg til ny vedlegg",
    "Legg til ny mandatpunkt",
]


@pytest.fixture
def plan_admin_client(client):
    user = UserFactory(username="planadministrator", is_staff=True)
    user.groups.add(Group.objects.get(name=ROLE_ADMINISTRATOR))
    client.force_login(user)
    return client


def _visible_text(html: str) -> str:
    # Attribute values too: aria-labels and titles are read out to screen reader users.
    attributes = " ".join(re.findall(r'(?:aria-label|title|placeholder|value)="([^"]*)"', html))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)) + " " + attributes


def _admin_urls():
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        yield model, f"admin:{info[0]}_{info[1]}_changelist", ()
        yield model, f"admin:{info[0]}_{info[1]}_add", ()
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            for action in ("change", "history", "delete"):
                yield model, f"admin:{info[0]}_{info[1]}_{action}", (obj.pk,)


def test_no_english_on_any_admin_page(plan_admin_client, heim):
    found = []
    pages = 0
    for _model, name, args in [("", "admin:index", ()), *_admin_urls()]:
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            continue
        response = plan_admin_client.get(url)
        if response.status_code != 200:
            continue
        pages += 1
        text = _visible_text(response.content.decode())
        found += [f"{url}: {phrase}" for phrase in ENGLISH if phrase in text]
    assert pages > 40
    assert found == []


def test_an_invalid_admin_form_says_so_in_norwegian(plan_admin_client, heim):
    response = plan_admin_client.post(reverse("admin:organisation_unit_add"), {"name": ""})
    text = _visible_text(response.content.decode())
    assert "Rett feilen nedenfor" in text or "Rett feilene nedenfor" in text
    assert "Please correct" not in text


def test_the_admin_widgets_script_catalog_is_norwegian(plan_admin_client):
    catalog = plan_admin_client.get(reverse("admin:jsi18n")).content.decode()
    assert "Velg alle %s" in catalog
    assert "Fjern alle %s" in catalog
