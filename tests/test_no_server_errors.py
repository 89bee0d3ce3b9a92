"""A sweep of every URL pattern with odd input: nothing a user or a browser sends may give a 500.

Every pattern of ``get_resolver()`` (the admin of each registered model included) is
requested with real ids and slugs, with missing, huge, non-ASCII and NUL ones, with odd
query strings, with empty and garbage POST data built from the page's own form fields,
and with the wrong method, as each role. Exceptions are collected rather than raised at
the first one, so a failure lists everything that broke.
"""

from __future__ import annotations

import re
import traceback
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLResolver, get_resolver

from measures.models import Measure
from organisation.models import MandateItem, ProcessGroup, Unit
from organisation.permissions import ROLE_ADMINISTRATOR, ROLE_EDITOR, ROLE_MEASURE_OWNER
from plans.models import Plan, PlanSection, WorkingModelStep
from stakeholders.models import (
    Activity,
    Finding,
    ParticipationInput,
    Stakeholder,
    StakeholderAnalysis,
)
from tests.factories import UserFactory
from tests.followup_world import user_with_role

HUGE = "9" * 30
LONG = "x" * 5000
NUL = "%00"
ODD_QUERIES = [
    f"?o=zz&p=-1&q={NUL}&status__exact=bogus&all=&_popup=%00&_to_field=password&e=1"
    # The admin's autocomplete (term) and pre-filled working forms (stakeholder, kind);
    # "²" is a digit to str.isdigit() but not to int().
    f"&term={NUL}&app_label=measures&model_name=measure&field_name=responsible_unit"
    "&stakeholder=%C2%B2&kind=%00",
    f"?page=abc&page=-1&q={'ø' * 300}&fra=x&til={NUL}&status=%00&unit=ø&level={HUGE}",
    f"?{LONG}={LONG}&focus_area={HUGE}&target_group=%FF%FE&sort=-",
    "?next=https://evil.example/&_changelist_filters=o%3Dzz%26p%3D-5",
]
BAD_VALUES = ["\x00", "2024-13-45", HUGE, "ø" * 5000]
# Odd values for each converter of a route; "%00" stays percent-encoded in the path.
ODD_BY_CONVERTER = {
    "int": ["999999", HUGE],
    "slug": ["finnes-ikke", "x" * 300, "bøker", NUL],
    "str": ["finnes-ikke", "abc", NUL, "ø"],
    "path": ["abc", HUGE],
}
PROJECT_APPS = {"plans", "measures", "organisation", "stakeholders"}
ROLES = ["anonymous", "measure_owner", "editor", "plan_admin", "superuser"]

_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _params(route: str) -> list[tuple[str, str]]:
    found = [(m["conv"] or "str", m["name"]) for m in _CONVERTER.finditer(route)]
    found += [("regex", m["name"]) for m in _REGEX_GROUP.finditer(route)]
    return found


def _fill(route: str, values: dict[str, str]) -> str:
    path = _CONVERTER.sub(lambda m: values[m["name"]], route)
    path = _REGEX_GROUP.sub(lambda m: values[m["name"]], path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


class _FormFields(HTMLParser):
    """Names of the fields of the page's POST forms."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._in_post_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post_form = (attrs.get("method") or "").lower() == "post"
        elif (
            self._in_post_form
            and tag in ("input", "select", "textarea")
            and attrs.get("name") not in (None, "csrfmiddlewaretoken")
        ):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False


def _garbage_posts(html: str) -> list[dict]:
    """Admin actions on ids that are not there, and the page's form filled with bad values.

    Each field gets a different bad value in each post, so every field meets every
    value in ``len(BAD_VALUES)`` posts without a post per field.
    """
    parser = _FormFields()
    parser.feed(html)
    names = sorted(parser.names)
    posts = [{"action": "delete_selected", "_selected_action": ["abc", "\x00", HUGE], "index": "x"}]
    if names:
        for shift in range(len(BAD_VALUES)):
            posts.append(
                {name: BAD_VALUES[(i + shift) % len(BAD_VALUES)] for i, name in enumerate(names)}
            )
        # Repeated values where one is expected; formset counts that make no sense.
        posts.append(
            {
                name: ("-1" if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS")) else ["1", "abc"])
                for name in names
            }
        )
    return posts


# -- data ----------------------------------------------------------------------


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


def _real_values(world) -> dict[tuple[str, str], str]:
    """A real value for (URL name, parameter), so the pages show their forms."""
    analysis = (
        StakeholderAnalysis.objects.filter(stakeholders__isnull=False, activities__isnull=False)
        .order_by("pk")
        .first()
    ) or world.analysis_x
    plan = _first(Plan, working_model__isnull=False) or world.published_y
    step = _first(WorkingModelStep, model_id=plan.working_model_id)
    values = {}
    for name, slug in {
        "plans:": world.published_y.slug,
        "organisation:unit_detail": _first(Unit).slug,
        "organisation:group_detail": world.group_x.slug,
        "organisation:mandate_item_status": world.group_x.slug,
        "stakeholders:plan": plan.slug,
        "measures:plan_dashboard": world.draft_x.slug,
    }.items():
        values[(name, "slug")] = slug
    values[("stakeholders:", "pk")] = str(analysis.pk)
    values[("measures:measure_edit", "pk")] = str(world.measure_x.pk)
    values[("plans:section_edit", "pk")] = str(world.section_x.pk)
    for key, obj in {
        "stakeholder_pk": _first(Stakeholder, analysis=analysis),
        "activity_pk": _first(Activity, analysis=analysis),
        "participation_pk": _first(ParticipationInput, analyses=analysis)
        if hasattr(ParticipationInput, "analyses")
        else _first(ParticipationInput),
        "finding_pk": _first(Finding, analysis=analysis),
        "item_pk": _first(MandateItem, group=world.group_x),
        "step_pk": step,
    }.items():
        values[("", key)] = str(obj.pk if obj else 1)
    values[("sitemap_section", "section")] = "plans"
    values[("", "number")] = "1"
    values[("", "app_label")] = "plans"
    values[("", "url")] = "finnes/ikke/"
    values[("", "content_type_id")] = "1"
    values[("", "history_id")] = "1"
    values[("", "uidb64")] = "MQ"
    values[("", "token")] = "abc-def"
    return values


def _real(values, url_name, param) -> str:
    best = ""
    for (prefix, name), _value in values.items():
        if name == param and url_name.startswith(prefix) and len(prefix) >= len(best):
            best = prefix
    return values.get((best, param), "1")


def _admin_routes() -> list[tuple[str, str, str]]:
    """The admin's model routes filled per registered model with a real object id."""
    routes = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue  # auth and axes: Django's and django-axes' own, tested upstream
        obj = model._default_manager.order_by("pk").first()
        real_id = str(obj.pk) if obj else "1"
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        for pattern in model_admin.urls:
            routes.append((prefix + str(pattern.pattern), pattern.name or "", real_id))
    return routes


def _namespaced(resolver=None, prefix="", namespace=""):
    if resolver is None:
        resolver = get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _namespaced(entry, route, ns)
        else:
            yield route, f"{namespace}{entry.name or ''}"


# -- the sweep -----------------------------------------------------------------


def _user(role, world, superuser):
    return {
        "anonymous": None,
        "measure_owner": world.owner_a,
        "editor": world.editor_x,
        "plan_admin": world.admin,
        "superuser": superuser,
    }[role]


def _client(role, world, superuser) -> Client:
    client = Client()
    client.user = _user(role, world, superuser)
    if client.user is not None:
        client.force_login(client.user)
    return client


class _Sweep:
    def __init__(self, client):
        self.client = client
        self.failures: list[str] = []
        self.requests = 0

    def request(self, method, url, data=None):
        self.requests += 1
        try:
            if method == "POST":
                response = self.client.post(url, data or {})
            else:
                response = getattr(self.client, method.lower())(url)
        except Exception:
            lines = traceback.format_exc().strip().splitlines()
            self.failures.append(f"{method} {url[:200]} {data!r:.200}: {lines[-1]}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method} {url[:200]} {data!r:.200}: {response.status_code}")
        return response

    def sweep(self, route, real, *, queries=ODD_QUERIES, methods=("HEAD", "PUT"), garbage=True):
        params = _params(route)
        real_values = {name: real(name) for _, name in params}
        url = _fill(route, real_values)
        response = self.request("GET", url)
        for query in queries:
            self.request("GET", url + query)
        for method in methods:
            self.request(method, url)
        self.request("POST", url)
        self.request("POST", url + ODD_QUERIES[0], {"x": "\x00"})
        if garbage and response is not None and response.status_code == 200:
            content_type = response.get("Content-Type", "")
            if content_type.startswith("text/html"):
                for data in _garbage_posts(response.content.decode()):
                    self.request("POST", url, data)
        for conv, name in params:
            for odd in ODD_BY_CONVERTER.get(conv, ["finnes-ikke", NUL]):
                odd_url = _fill(route, {**real_values, name: odd})
                self.request("GET", odd_url)
                if odd == "abc" or conv != "path":
                    self.request("POST", odd_url)
        if self.client.user is not None:
            self.client.force_login(self.client.user)  # the sweep also POSTs to /logg-ut/


@pytest.fixture
def world(heim):
    """Heim's real content, with one user per role working on it."""
    published = Plan.objects.filter(adoptions__isnull=False).order_by("pk").first()
    group = published.process_group or ProcessGroup.objects.order_by("pk").first()
    measure = published.measures.filter(responsible_unit__isnull=False).order_by("pk").first()
    owner = user_with_role("sweep-tiltaksansvarlig", ROLE_MEASURE_OWNER)
    measure.responsible_unit.contacts.add(owner)
    editor = user_with_role("sweep-redaktor", ROLE_EDITOR)
    group.editors.add(editor)
    return SimpleNamespace(
        published_y=published,
        draft_x=published,
        group_x=group,
        measure_x=measure,
        section_x=_first(PlanSection, plan=published),
        analysis_x=_first(StakeholderAnalysis),
        owner_a=owner,
        editor_x=editor,
        admin=user_with_role("sweep-planadmin", ROLE_ADMINISTRATOR),
    )


@pytest.fixture
def sweep_superuser(db):
    return UserFactory(username="sweep-admin", is_staff=True, is_superuser=True)


def _report(sweep):
    assert sweep.requests > 100
    assert not sweep.failures, f"{len(sweep.failures)} failures:\n" + "\n".join(sweep.failures)


@pytest.mark.parametrize("role", ROLES)
def test_site_pages_never_fail(role, world, sweep_superuser):
    sweep = _Sweep(_client(role, world, sweep_superuser))
    values = _real_values(world)
    for route, url_name in _namespaced():
        if route.startswith("admin/") or route.startswith("^media"):
            continue
        sweep.sweep(route, lambda param, n=url_name: _real(values, n, param))
    _report(sweep)


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_admin_never_fails(role, world, sweep_superuser):
    sweep = _Sweep(_client(role, world, sweep_superuser))
    values = _real_values(world)
    for route, _name in _namespaced():
        if route.startswith("admin/") and "<app_label>" not in route and "(?P<url>" not in route:
            sweep.sweep(route, lambda param: _real(values, "admin:", param), methods=())
    sweep.request("GET", "/admin/plans/")
    sweep.request("GET", "/admin/finnes-ikke/")
    for route, url_name, real_id in _admin_routes():
        sweep.sweep(
            route,
            lambda param, real_id=real_id: real_id if param == "object_id" else "1",
            queries=ODD_QUERIES if url_name.endswith("_changelist") else ODD_QUERIES[:1],
            methods=(),
            # Garbage on the add pages (change pages share their forms), as the
            # superuser, who sees every field; the editor's sweep is about access.
            garbage=url_name.endswith("_add") and role == "superuser",
        )
    _report(sweep)


def test_plan_page_and_compare_with_bad_parameters(world, sweep_superuser):
    """The plan page's filters and the compare page's fra/til, worst values first."""
    client = _client("superuser", world, sweep_superuser)
    sweep = _Sweep(client)
    slugs = [world.published_y.slug, world.draft_x.slug] + list(
        Plan.objects.values_list("slug", flat=True)[:3]
    )
    filters = ["focus_area", "unit", "status", "target_group", "level"]
    bad = ["bogus", NUL, HUGE, "-1", "ø", "%FF", "", " ", "1.5", "[]"]
    for slug in slugs:
        for name in filters:
            for value in bad:
                sweep.request("GET", f"/planer/{slug}/?{name}={value}")
                sweep.request("GET", f"/planer/{slug}/?{name}={value}&{name}=x")
        for fra in bad + ["1", "2", "utkast"]:
            for til in ["1", "utkast", NUL, HUGE, "-1", "abc"]:
                sweep.request("GET", f"/planer/{slug}/versjoner/sammenlign/?fra={fra}&til={til}")
        sweep.request("GET", f"/planer/{slug}/versjoner/sammenlign/?fra=1")
        sweep.request("GET", f"/planer/{slug}/versjoner/sammenlign/?til=1")
    _report(sweep)


def test_every_model_has_admin_coverage():
    """The admin sweep covers every registered model (guards the route walk above)."""
    registered = {m._meta.label for m in admin.site._registry}
    assert {"plans.Plan", "measures.Measure", "stakeholders.Stakeholder"} <= registered
    assert apps.get_model("organisation", "Unit") in admin.site._registry
    assert ProcessGroup in admin.site._registry
    assert Measure in admin.site._registry
    assert PlanSection is not None
