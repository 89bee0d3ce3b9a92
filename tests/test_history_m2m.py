"""Many-to-many links in history: recorded, shown on the plan's history page, restored."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from core.history import m2m_history_backfill, m2m_history_model, m2m_linked_ids
from measures.models import Measure
from measures.services import measure_restore, measure_update
from plans.models import Plan
from tests.factories import (
    LegalBasisFactory,
    ParticipationInputFactory,
    ReformFactory,
    TargetGroupFactory,
    UnitFactory,
)
from tests.followup_world import build_world

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def history_page(world):
    response = client_for(world.editor_x).get(
        reverse("plans:plan_history", args=[world.draft_x.slug])
    )
    assert response.status_code == 200
    return response


def link_changes(response, model_name: str) -> list[tuple]:
    return [
        (change["before"], change["after"])
        for entry in response.context["entries"]
        if entry["model"] == model_name
        for change in entry["m2m_changed"]
    ]


def test_a_partner_added_to_a_measure_shows_on_the_plans_history_page():
    world = build_world()
    measure = world.measure_x
    measure_update(
        actor=None, measure=measure, data={"partner_units": [world.unit_b]}, expected_version=1
    )
    measure_update(
        actor=None,
        measure=measure,
        data={"partner_units": [world.unit_a, world.unit_b]},
        expected_version=2,
    )

    response = history_page(world)
    measure_name = str(Measure._meta.verbose_name)
    assert (["PPT"], ["Helsestasjon", "PPT"]) in link_changes(response, measure_name)
    assert ([], ["PPT"]) in link_changes(response, measure_name)
    html = response.content.decode()
    assert "PPT → Helsestasjon, PPT" in html
    assert "— → PPT" in html


def test_target_groups_and_plan_legal_bases_show_removed_and_added():
    world = build_world()
    measure = world.measure_x
    young = TargetGroupFactory(name="Ungdom")
    parents = TargetGroupFactory(name="Foreldre")
    measure.target_groups.set([young, parents])
    measure.target_groups.remove(parents)
    law = LegalBasisFactory(law="Barnevernsloven", section="§ 15-1")
    world.draft_x.legal_bases.add(law)

    response = history_page(world)
    assert (["Foreldre", "Ungdom"], ["Ungdom"]) in link_changes(
        response, str(Measure._meta.verbose_name)
    )
    assert ([], ["Barnevernsloven § 15-1"]) in link_changes(response, str(Plan._meta.verbose_name))
    assert "Foreldre, Ungdom → Ungdom" in response.content.decode()


def test_a_partner_deleted_since_is_named_from_its_history():
    world = build_world()
    gone = UnitFactory(name="Nedlagt enhet")
    world.measure_x.partner_units.add(gone)
    gone.delete()  # the link goes with it, unrecorded; the measure's last record keeps it
    world.measure_x.partner_units.add(world.unit_b)

    response = history_page(world)
    assert (["Nedlagt enhet"], ["PPT"]) in link_changes(response, str(Measure._meta.verbose_name))


def test_history_page_queries_do_not_grow_with_link_changes(django_assert_max_num_queries):
    world = build_world()
    editor = client_for(world.editor_x)
    page = reverse("plans:plan_history", args=[world.draft_x.slug])

    def change_links(n):
        unit = UnitFactory(name=f"Enhet nr {n}")
        world.measure_x.partner_units.add(unit)
        world.measure_x.target_groups.add(TargetGroupFactory())
        world.draft_x.legal_bases.add(LegalBasisFactory())
        world.draft_x.reforms.add(ReformFactory())
        unit.delete()  # named from its history

    change_links(0)
    editor.get(page)  # warm the session
    with django_assert_max_num_queries(50) as few:
        editor.get(page)
    for n in range(1, 11):
        change_links(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor.get(page)


def test_links_changed_from_the_other_side_are_recorded():
    world = build_world()
    measure = world.measure_x
    world.unit_b.partner_in.add(measure)
    newest = measure.history.first()
    assert m2m_linked_ids(newest, Measure._meta.get_field("partner_units")) == {world.unit_b.pk}
    world.unit_b.partner_in.clear()
    assert (
        m2m_linked_ids(measure.history.first(), Measure._meta.get_field("partner_units")) == set()
    )
    assert measure.history.count() == 3  # created, linked, unlinked


def test_deleted_measure_is_restored_with_its_partners_target_groups_and_inputs():
    world = build_world()
    measure = world.measure_x
    young, parents = TargetGroupFactory(name="Ungdom"), TargetGroupFactory(name="Foreldre")
    measure_update(
        actor=None,
        measure=measure,
        data={"partner_units": [world.unit_a, world.unit_b], "target_groups": [young, parents]},
        expected_version=1,
    )
    council = ParticipationInputFactory(plan=world.draft_x, source="Ungdomsrådet")
    council.measures.set([measure])
    pk = measure.pk
    measure.delete()
    assert not Measure.objects.filter(pk=pk).exists()
    # Changes after the deletion: an edit of the input, and a target group deleted.
    council.summary = "Endret etter slettingen."
    council.save()
    parents.delete()

    admin = client_for(world.admin)
    listing = admin.get(reverse("admin:measures_measure_deleted"))
    record = next(r for r in listing.context["records"] if r.id == pk)
    response = admin.post(
        reverse("admin:measures_measure_deleted"), {"history_id": record.history_id}
    )
    assert response.status_code == 302

    restored = Measure.objects.get(pk=pk)
    assert set(restored.partner_units.all()) == {world.unit_a, world.unit_b}
    assert list(restored.target_groups.all()) == [young]
    assert list(restored.participation_inputs.all()) == [council]
    # The links come back as recorded changes, visible on the history page.
    assert m2m_linked_ids(restored.history.first(), Measure._meta.get_field("partner_units")) == {
        world.unit_a.pk,
        world.unit_b.pk,
    }
    assert any(
        after == ["Helsestasjon", "PPT"]
        for _, after in link_changes(history_page(world), str(Measure._meta.verbose_name))
    )


def test_a_link_removed_before_the_deletion_stays_removed():
    world = build_world()
    measure = world.measure_x
    measure.partner_units.set([world.unit_a, world.unit_b])
    measure.partner_units.remove(world.unit_a)
    council = ParticipationInputFactory(plan=world.draft_x)
    council.measures.set([measure])
    council.measures.clear()
    pk = measure.pk
    measure.delete()
    deletion = Measure.history.filter(id=pk, history_type="-").get()

    restored = measure_restore(actor=None, history_id=deletion.history_id)
    assert list(restored.partner_units.all()) == [world.unit_b]
    assert not restored.participation_inputs.exists()


def test_backfill_gives_existing_records_the_links_of_today():
    world = build_world()
    measure = world.measure_x
    measure.partner_units.add(world.unit_b)
    measure.title = "Nytt navn"
    measure.save()
    table = m2m_history_model(Measure._meta.get_field("partner_units"))
    table.objects.all().delete()  # as before links were recorded

    m2m_history_backfill(
        apps, None, app_label="measures", model_name="Measure", fields=["partner_units"]
    )
    field = Measure._meta.get_field("partner_units")
    records = list(measure.history.all())
    assert len(records) == 3
    assert all(m2m_linked_ids(r, field) == {world.unit_b.pk} for r in records)
