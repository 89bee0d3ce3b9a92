"""The publishing event: once per transaction, after commit, listeners registered by apps."""

import ast
import logging
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from core import publishing
from core.publishing import public_content_changed, public_content_version
from measures.models import Measure
from plans.models import Plan
from search.models import SearchEntry
from tests.factories import MeasureFactory, PlanFactory, PlanSectionFactory, published_plan
from tests.stakeholders_helpers import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_updates(monkeypatch):
    """The plan ids each search index update was asked for, in order (None: all plans)."""
    import search.services

    calls = []
    update = search.services.search_index_update

    def counting(*, plan_ids):
        calls.append(None if plan_ids is None else set(plan_ids))
        return update(plan_ids=plan_ids)

    monkeypatch.setattr(search.services, "search_index_update", counting)
    return calls


def test_inside_a_transaction_nothing_moves_until_it_commits(index_updates):
    before = public_content_version()
    with transaction.atomic():
        public_content_changed(plan_ids=[1])
        public_content_changed(plan_ids=[2])
        public_content_changed(plan_ids=[2, 3])
        assert public_content_version() == before
        assert index_updates == []
    assert public_content_version() == before + 1
    assert index_updates == [{1, 2, 3}]


def test_a_change_of_unknown_extent_updates_every_plan(index_updates):
    with transaction.atomic():
        public_content_changed(plan_ids=[1])
        public_content_changed()
    assert index_updates == [None]


def test_a_rolled_back_transaction_publishes_nothing_and_the_next_one_does(index_updates):
    before = public_content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        public_content_changed(plan_ids=[1])
        raise RuntimeError("the write failed")
    assert public_content_version() == before
    assert index_updates == []
    with transaction.atomic():
        public_content_changed(plan_ids=[4])
    assert index_updates == [{4}]


def test_a_rolled_back_savepoint_does_not_lose_the_outer_event(index_updates):
    with transaction.atomic():
        try:
            with transaction.atomic():
                public_content_changed(plan_ids=[1])
                raise RuntimeError
        except RuntimeError:
            pass
        public_content_changed(plan_ids=[2])
    assert index_updates == [{2}]


def test_a_failing_listener_is_logged_and_the_others_still_run(caplog, index_updates):
    def broken(change):
        raise RuntimeError("listener down")

    publishing.register_listener(broken)
    try:
        with caplog.at_level(logging.ERROR, logger="core.publishing"), transaction.atomic():
            public_content_changed(plan_ids=[9])
    finally:
        publishing._listeners.remove(broken)
    assert "listener down" in caplog.text
    assert index_updates == [{9}]


def test_the_search_index_registers_itself():
    from search.services import search_index_on_public_change

    assert search_index_on_public_change in publishing.registered_listeners()


def test_an_update_touches_only_the_plans_that_changed():
    first, second = published_plan(measures=2), published_plan(measures=3)
    call_command("rebuild_search_index", verbosity=0)
    other_rows = set(SearchEntry.objects.filter(plan=second).values_list("pk", flat=True))
    from search.services import search_index_update

    search_index_update(plan_ids=[first.pk])
    assert set(SearchEntry.objects.filter(plan=second).values_list("pk", flat=True)) == other_rows
    assert SearchEntry.objects.filter(plan=first).count() == 1 + 2  # the plan and its measures


def test_the_rebuild_command_restores_a_lost_index(capsys):
    published_plan(measures=4)
    expected = SearchEntry.objects.count()
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index")
    assert SearchEntry.objects.count() == expected > 0
    assert f"{expected} entries" in capsys.readouterr().out


def test_one_admin_save_of_a_measure_is_one_index_update(admin_client, index_updates):
    measure = MeasureFactory(plan=PlanFactory())
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = admin_form_data(admin_client.get(url))
    data["title"] = "Nytt navn på tiltaket"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Measure.objects.get(pk=measure.pk).title == "Nytt navn på tiltaket"
    assert index_updates == [{measure.plan_id}]


def test_one_admin_save_of_a_plan_with_two_changed_sections_is_one_index_update(
    admin_client, index_updates
):
    plan = PlanFactory()
    PlanSectionFactory(plan=plan, title="Første")
    PlanSectionFactory(plan=plan, title="Andre")
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    data = admin_form_data(admin_client.get(url))
    changed = [key for key in data if key.endswith("-body") and key.startswith("sections-")]
    assert len(changed) == 2
    for key in changed:
        data[key] = "Ny tekst."
    data["summary"] = "Nytt sammendrag."
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Plan.objects.get(pk=plan.pk).summary == "Nytt sammendrag."
    assert set(plan.sections.values_list("body", flat=True)) == {"Ny tekst."}
    assert index_updates == [{plan.pk}]


SOURCE_ROOT = Path(__file__).resolve().parent.parent
PUBLISHERS_ALLOWED = "core/publishing.py"


def _python_sources():
    for path in sorted(SOURCE_ROOT.rglob("*.py")):
        relative = path.relative_to(SOURCE_ROOT)
        if relative.parts[0] in {".venv", "tests", "node_modules", "static"}:
            continue
        if "migrations" in relative.parts:
            continue
        yield relative


def test_only_services_announce_public_changes():
    """Publishing is a service's business: no admin, view or command calls it directly."""
    sources = list(_python_sources())
    assert Path("plans/services.py") in sources and Path(PUBLISHERS_ALLOWED) in sources
    callers = set()
    for relative in sources:
        tree = ast.parse((SOURCE_ROOT / relative).read_text(), filename=str(relative))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name == "public_content_changed":
                callers.add(relative.as_posix())
    assert callers, "the scan found no call at all"
    outside = {
        path for path in callers if path != PUBLISHERS_ALLOWED and not path.endswith("/services.py")
    }
    assert not outside, f"public_content_changed() called outside a service: {sorted(outside)}"
