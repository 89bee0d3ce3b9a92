"""The workspace behind login (issue 13): start page, new plan, metadata, lifecycle moves."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from measures.models import FocusArea, Measure
from organisation.models import MandateItem
from plans.models import Adoption, Plan, PlanLink, PlanSection
from plans.pdf import PdfRenderError
from tests.factories import (
    FocusAreaFactory,
    MandateItemFactory,
    MeasureFactory,
    PlanFactory,
    PlanSectionFactory,
    TargetGroupFactory,
    UnitFactory,
    UserFactory,
)
from tests.followup_world import build_world

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def plan_data(world, **extra) -> dict:
    return {
        "title": "Handlingsplan for rusforebygging 2027–2030",
        "kind": Plan.Kind.ACTION_PLAN,
        "summary": "Forebygging av rus blant unge.",
        "process_group": world.group_x.pk,
        "period_start": 2027,
        "period_end": 2030,
        "working_model": "",
        **extra,
    }


# -- the start page ------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_the_start_page():
    response = Client().get(reverse("workspace"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_editor_sees_own_groups_drafts_and_not_others():
    world = build_world()
    response = client_of(world.editor_x).get(reverse("workspace"))
    assert response.status_code == 200
    titles = {plan.title for plan in response.context["plans"]}
    assert world.draft_x.title in titles
    assert world.draft_y.title not in titles
    body = response.content.decode()
    assert reverse("plans:plan_new") in body
    assert reverse("plans:plan_work", args=[world.draft_x.slug]) in body


def test_start_page_shows_what_is_due():
    world = build_world()
    today = timezone.localdate()
    late = MandateItemFactory(group=world.group_x, deadline=today - timedelta(days=3))
    MandateItemFactory(group=world.group_y, deadline=today - timedelta(days=3))
    MandateItemFactory(
        group=world.group_x, deadline=today - timedelta(days=3), status=MandateItem.Status.DONE
    )
    Measure.objects.filter(pk=world.measure_x.pk).update(deadline=today - timedelta(days=1))
    Plan.objects.filter(pk=world.draft_x.pk).update(
        status=Plan.Status.CONSULTATION, consultation_deadline=today + timedelta(days=10)
    )
    response = client_of(world.editor_x).get(reverse("workspace"))
    assert [item.pk for item in response.context["mandate_items"]] == [late.pk]
    assert response.context["mandate_items"][0].overdue
    assert world.measure_x.pk in {m.pk for m in response.context["measures_due"]}
    assert world.measure_y.pk not in {m.pk for m in response.context["measures_due"]}
    assert [p.pk for p in response.context["consultations"]] == [world.draft_x.pk]
    assert "over fristen" in response.content.decode()


def test_measure_owner_sees_their_due_measures_and_no_editor_shortcuts():
    world = build_world()
    Measure.objects.filter(pk=world.measure_pub.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    response = client_of(world.owner_a).get(reverse("workspace"))
    assert response.status_code == 200
    assert world.measure_pub.pk in {m.pk for m in response.context["measures_due"]}
    assert world.measure_y.pk not in {m.pk for m in response.context["measures_due"]}
    assert response.context["plans"] == []
    body = response.content.decode()
    assert reverse("plans:plan_new") not in body
    assert reverse("measures:mine") in body


def test_signed_in_menu_shows_only_what_the_person_may_open():
    world = build_world()
    owner = client_of(world.owner_a).get(reverse("workspace")).content.decode()
    assert reverse("plans:plan_new") not in owner
    assert reverse("measures:mine") in owner
    editor = client_of(world.editor_x).get(reverse("plans:plan_list")).content.decode()
    assert reverse("plans:plan_new") in editor
    plain = UserFactory(username="uten-rolle")
    nobody = client_of(plain).get(reverse("plans:plan_list")).content.decode()
    assert reverse("measures:mine") not in nobody
    assert reverse("plans:plan_new") not in nobody


def _more_data(world, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        plan = PlanFactory(process_group=world.group_x)
        MeasureFactory(
            plan=plan, responsible_unit=world.unit_a, deadline=today - timedelta(days=i + 1)
        )
        MandateItemFactory(group=world.group_x, deadline=today + timedelta(days=i))


@pytest.mark.parametrize("role", ["editor_x", "owner_a", "admin"])
def test_start_page_query_count_does_not_grow_with_data(role, django_assert_max_num_queries):
    world = build_world()
    client = client_of(getattr(world, role))
    client.get(reverse("workspace"))
    with django_assert_max_num_queries(14):
        client.get(reverse("workspace"))
    _more_data(world, 12)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("workspace"))
    assert response.status_code == 200


# -- a new plan ------------------------------------------------------------------


def test_new_plan_from_scratch_gets_a_slug_with_its_year_range():
    world = build_world()
    client = client_of(world.editor_x)
    assert client.get(reverse("plans:plan_new")).status_code == 200
    response = client.post(reverse("plans:plan_new"), plan_data(world))
    plan = Plan.objects.get(title="Handlingsplan for rusforebygging 2027–2030")
    assert plan.slug == "handlingsplan-for-rusforebygging-2027-2030"
    assert plan.status == Plan.Status.DRAFT
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan_work", args=[plan.slug])
    assert plan.history.first().history_user == world.editor_x
    # The same title again: a free slug.
    client.post(reverse("plans:plan_new"), plan_data(world))
    assert Plan.objects.filter(slug="handlingsplan-for-rusforebygging-2027-2030-2").exists()


def test_new_plan_offers_only_the_editors_groups():
    world = build_world()
    client = client_of(world.editor_x)
    form = client.get(reverse("plans:plan_new")).context["form"]
    assert list(form.fields["process_group"].queryset) == [world.group_x]
    response = client.post(
        reverse("plans:plan_new"), plan_data(world, process_group=world.group_y.pk)
    )
    assert response.status_code == 400
    assert not Plan.objects.filter(title__startswith="Handlingsplan for rus").exists()


def test_refused_input_keeps_what_was_typed():
    world = build_world()
    response = client_of(world.editor_x).post(
        reverse("plans:plan_new"), plan_data(world, period_start=2031, period_end=2027)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Forebygging av rus blant unge." in body
    assert 'value="2031"' in body


def test_new_plan_as_a_copy_takes_the_structure_not_the_adoption(django_assert_max_num_queries):
    world = build_world()
    source = PlanFactory(title="Kilde", slug="kilde", process_group=world.group_x)
    PlanSectionFactory(plan=source, order=1, title="Forord", body="Mandat.")
    PlanLink.objects.create(plan=source, title="Video", url="https://example.org/video")
    partner, target = UnitFactory(), TargetGroupFactory()
    for n in range(3):
        area = FocusAreaFactory(plan=source, title=f"Område {n}", order=n)
        for m in range(2):
            measure = MeasureFactory(
                plan=source,
                focus_area=area,
                responsible_unit=world.unit_a,
                responsible_role="Helsesykepleier",
                prevention_level="universal",
                resources="Innenfor rammen",
                deadline=timezone.localdate() + timedelta(days=30),
                title=f"Tiltak {n}.{m}",
            )
            measure.partner_units.add(partner)
            measure.target_groups.add(target)
    from plans.services import plan_register_adoption

    plan_register_adoption(actor=None, plan=source, meeting_date=timezone.localdate())
    source.refresh_from_db()
    client = client_of(world.editor_x)
    with django_assert_max_num_queries(60):
        response = client.post(
            reverse("plans:plan_new"), plan_data(world, copy_from=source.pk, title="Kopi 2027–2030")
        )
    assert response.status_code == 302
    copy = Plan.objects.get(slug="kopi-2027-2030")
    assert copy.status == Plan.Status.DRAFT
    assert copy.consultation_deadline is None
    assert not Adoption.objects.filter(plan=copy).exists()
    assert list(copy.sections.values_list("title", "body")) == [("Forord", "Mandat.")]
    assert copy.links.get().url == "https://example.org/video"
    assert FocusArea.objects.filter(plan=copy).count() == 3
    measures = list(Measure.objects.filter(plan=copy).select_related("focus_area"))
    assert len(measures) == 6
    for measure in measures:
        assert measure.focus_area.plan_id == copy.pk
        assert measure.responsible_unit_id == world.unit_a.pk
        assert measure.responsible_role == "Helsesykepleier"
        assert measure.status == Measure.Status.NOT_STARTED
        assert list(measure.partner_units.all()) == [partner]
        assert list(measure.target_groups.all()) == [target]
        assert measure.history.first().history_user == world.editor_x
    # The source is untouched.
    assert Measure.objects.filter(plan=source).count() == 6


def test_copy_query_count_does_not_grow_with_the_source():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plans.services import plan_copy

    world = build_world()

    def copy_of(n_measures: int, title: str) -> int:
        source = PlanFactory(process_group=world.group_x)
        area = FocusAreaFactory(plan=source)
        PlanSectionFactory(plan=source)
        for _ in range(n_measures):
            MeasureFactory(plan=source, focus_area=area).target_groups.add(TargetGroupFactory())
        with CaptureQueriesContext(connection) as queries:
            plan_copy(
                actor=world.editor_x,
                source=source,
                data={"title": title, "process_group": world.group_x},
            )
        return len(queries)

    assert copy_of(2, "Liten") == copy_of(20, "Stor")


# -- metadata --------------------------------------------------------------------


def test_metadata_edit_saves_through_the_service():
    world = build_world()
    client = client_of(world.editor_x)
    url = reverse("plans:plan_edit", args=[world.draft_x.slug])
    assert client.get(url).status_code == 200
    data = plan_data(world, title="Nytt navn", loaded_version=world.draft_x.edit_version)
    response = client.post(url, data)
    assert response.status_code == 302
    world.draft_x.refresh_from_db()
    assert world.draft_x.title == "Nytt navn"
    assert world.draft_x.slug == "utkast-oks"  # the address stays


def test_metadata_of_an_adopted_plan_shows_locked_text_read_only():
    world = build_world()
    plan = world.published_y
    client = client_of(world.editor_y)
    url = reverse("plans:plan_edit", args=[plan.slug])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.fields["title"].disabled
    assert "locked" in form.locked_reason or "låst" in form.locked_reason
    assert form.locked_reason in response.content.decode()
    response = client.post(
        url,
        {
            "title": "Forsøk",
            "kind": plan.kind,
            "summary": "Ny",
            "process_group": world.group_y.pk,
            "loaded_version": plan.edit_version,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Vedtatt vold"


def test_metadata_edit_of_another_groups_plan_is_refused():
    world = build_world()
    url = reverse("plans:plan_edit", args=[world.draft_y.slug])
    assert client_of(world.editor_x).get(url).status_code == 403


# -- lifecycle -------------------------------------------------------------------


def move_url(plan, move):
    return reverse("plans:plan_move", args=[plan.slug, move])


def test_work_page_offers_the_moves_the_person_may_make():
    world = build_world()
    editor = client_of(world.editor_x).get(reverse("plans:plan_work", args=[world.draft_x.slug]))
    keys = [key for key, _move in editor.context["moves"]]
    assert keys == ["horing"]
    admin = client_of(world.admin).get(reverse("plans:plan_work", args=[world.draft_x.slug]))
    assert [key for key, _move in admin.context["moves"]] == ["horing", "vedtak"]


def test_send_to_consultation_with_deadline():
    world = build_world()
    client = client_of(world.editor_x)
    url = move_url(world.draft_x, "horing")
    page = client.get(url)
    assert page.status_code == 200
    assert "deadline" in page.content.decode() or "frist" in page.content.decode()
    past = client.post(url, {"deadline": (timezone.localdate() - timedelta(days=1)).isoformat()})
    assert past.status_code == 400
    deadline = timezone.localdate() + timedelta(days=42)
    response = client.post(url, {"deadline": deadline.isoformat()})
    assert response.status_code == 302
    world.draft_x.refresh_from_db()
    assert world.draft_x.status == Plan.Status.CONSULTATION
    assert world.draft_x.consultation_deadline == deadline
    assert world.draft_x.history.first().history_user == world.editor_x


def test_adoption_is_for_the_plan_administrator_only():
    world = build_world()
    url = move_url(world.draft_x, "vedtak")
    assert client_of(world.editor_x).get(url).status_code == 403
    assert client_of(world.editor_x).post(url, {}).status_code == 403
    client = client_of(world.admin)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "body": Adoption.Body.MUNICIPAL_COUNCIL,
            "meeting_date": timezone.localdate().isoformat(),
            "meeting_case_number": "PS 18/24",
            "archive_case_number": "2024/1065",
            "decision_text": "Planen vedtas.",
        },
    )
    assert response.status_code == 302
    world.draft_x.refresh_from_db()
    assert world.draft_x.status == Plan.Status.ADOPTED
    adoption = world.draft_x.adoptions.get()
    assert adoption.registered_by == world.admin
    assert adoption.meeting_case_number == "PS 18/24"


def test_adoption_refused_by_the_service_keeps_the_input():
    world = build_world()
    plan = PlanFactory(process_group=world.group_x)  # no measures: refused
    response = client_of(world.admin).post(
        move_url(plan, "vedtak"),
        {
            "body": Adoption.Body.MUNICIPAL_COUNCIL,
            "meeting_date": timezone.localdate().isoformat(),
            "decision_text": "Teksten som ble skrevet.",
        },
    )
    assert response.status_code == 400
    assert "Teksten som ble skrevet." in response.content.decode()
    assert not plan.adoptions.exists()


def test_adoption_pdf_failure_is_the_render_failed_page():
    world = build_world()
    with mock.patch("plans.services.render_adoption_pdf", side_effect=PdfRenderError("x")):
        response = client_of(world.admin).post(
            move_url(world.draft_x, "vedtak"),
            {"body": Adoption.Body.MUNICIPAL_COUNCIL, "meeting_date": timezone.localdate()},
        )
    assert response.status_code == 503
    world.draft_x.refresh_from_db()
    assert world.draft_x.status == Plan.Status.DRAFT


def test_start_revision_then_the_plan_is_marked_a_working_copy():
    world = build_world()
    client = client_of(world.editor_y)
    url = move_url(world.published_y, "revisjon")
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    world.published_y.refresh_from_db()
    assert world.published_y.status == Plan.Status.REVISION
    work = client.get(reverse("plans:plan_work", args=[world.published_y.slug]))
    assert 'class="alert alert-warning working-copy"' in work.content.decode()
    start = client.get(reverse("workspace")).content.decode()
    assert "badge text-bg-warning" in start


def test_a_move_in_the_wrong_status_is_not_offered_and_refused():
    world = build_world()
    client = client_of(world.editor_x)
    url = move_url(world.draft_x, "revisjon")
    page = client.get(url)
    assert page.status_code == 200
    assert '<form method="post" novalidate' not in page.content.decode()
    assert client.post(url, {}).status_code == 400
    world.draft_x.refresh_from_db()
    assert world.draft_x.status == Plan.Status.DRAFT


def test_retire():
    world = build_world()
    url = move_url(world.published_y, "utgaatt")
    assert client_of(world.editor_y).post(url, {}).status_code == 403
    client = client_of(world.admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    world.published_y.refresh_from_db()
    assert world.published_y.status == Plan.Status.RETIRED


def test_unknown_move_is_not_found():
    world = build_world()
    response = client_of(world.admin).get(f"/arbeid/planer/{world.draft_x.slug}/slett/")
    assert response.status_code == 404
    assert PlanSection.objects.filter(plan=world.draft_x).exists()
