"""The plan editor: chapters, focus areas, measures, attachments and Markdown preview."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.text import MARKDOWN_MAX_LENGTH
from measures.models import FocusArea, Measure
from plans.models import PlanAttachment, PlanSection
from tests.factories import FocusAreaFactory, MeasureFactory, PlanSectionFactory
from tests.followup_world import build_world

pytestmark = pytest.mark.django_db

TINY_PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def orders(queryset):
    return list(queryset.order_by("order", "id").values_list("title", "order"))


def snapshot():
    """Everything the editor can change, to show a refused request changed nothing."""
    return (
        list(PlanSection.objects.order_by("pk").values()),
        list(FocusArea.objects.order_by("pk").values()),
        list(Measure.objects.order_by("pk").values()),
        list(PlanAttachment.objects.order_by("pk").values()),
    )


def measure_post(measure, **changes):
    data = {
        "loaded_version": measure.edit_version,
        "focus_area": measure.focus_area_id or "",
        "title": measure.title,
        "description": measure.description,
        "responsible_unit": measure.responsible_unit_id,
        "responsible_role": measure.responsible_role,
        "prevention_level": measure.prevention_level,
        "timing": measure.timing,
        "resources": measure.resources,
    }
    data.update(changes)
    return data


# -- the editor page ---------------------------------------------------------------------


def test_editor_lists_chapters_areas_and_measures_in_order():
    world = build_world()
    PlanSectionFactory(plan=world.draft_x, title="Bakgrunn", order=2)
    response = signed_in(world.editor_x).get(
        reverse("plans:plan_content", args=[world.draft_x.slug])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Forord") < html.index("Bakgrunn")
    assert world.measure_x.title in html
    assert (
        reverse("measures:measure_create", args=[world.draft_x.slug, world.measure_x.focus_area_id])
        in html
    )
    assert 'enctype="multipart/form-data"' in html


def test_editor_query_count_is_flat_for_2_and_20_measures():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = build_world()
    area = world.measure_x.focus_area
    client = signed_in(world.editor_x)
    url = reverse("plans:plan_content", args=[world.draft_x.slug])
    counts = []
    for total in (2, 20):
        while Measure.objects.filter(plan=world.draft_x).count() < total:
            MeasureFactory(plan=world.draft_x, focus_area=area, responsible_unit=world.unit_a)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# -- chapters ------------------------------------------------------------------------------


def test_chapters_add_edit_move_delete_keep_order_dense():
    world = build_world()
    plan = world.draft_x
    client = signed_in(world.editor_x)
    response = client.post(
        reverse("plans:section_create", args=[plan.slug]),
        {"kind": "goals", "title": "Mål", "body": "## Mål"},
    )
    assert response.status_code == 302
    new = PlanSection.objects.get(plan=plan, title="Mål")
    assert orders(plan.sections) == [("Forord", world.section_x.order), ("Mål", new.order)]
    assert new.order > world.section_x.order
    response = client.post(
        reverse("plans:section_update", args=[plan.slug, new.pk]),
        {
            "loaded_version": new.edit_version,
            "kind": "goals",
            "title": "Mål og delmål",
            "body": "x",
        },
    )
    assert response.status_code == 302
    client.post(reverse("plans:section_move", args=[plan.slug, new.pk]), {"direction": "up"})
    assert orders(plan.sections) == [("Mål og delmål", 1), ("Forord", 2)]
    delete_url = reverse("plans:section_delete", args=[plan.slug, new.pk])
    assert client.get(delete_url).status_code == 200
    assert PlanSection.objects.filter(pk=new.pk).exists()  # asking deletes nothing
    assert client.post(delete_url).status_code == 302
    assert orders(plan.sections) == [("Forord", 1)]


def test_a_bad_direction_is_not_found():
    world = build_world()
    url = reverse("plans:section_move", args=[world.draft_x.slug, world.section_x.pk])
    assert signed_in(world.editor_x).post(url, {"direction": "sideways"}).status_code == 404


def test_section_of_another_plan_is_not_found_through_this_plan():
    world = build_world()
    url = reverse("plans:section_update", args=[world.draft_x.slug, world.section_y.pk])
    assert signed_in(world.admin).get(url).status_code == 404


# -- focus areas and measures --------------------------------------------------------------


def test_focus_areas_add_edit_move_delete():
    world = build_world()
    plan = world.draft_x
    client = signed_in(world.editor_x)
    first = world.measure_x.focus_area
    response = client.post(
        reverse("measures:focus_area_create", args=[plan.slug]),
        {"title": "Tidlig innsats", "description": "**Viktig**"},
    )
    assert response.status_code == 302
    second = FocusArea.objects.get(plan=plan, title="Tidlig innsats")
    client.post(
        reverse("measures:focus_area_update", args=[plan.slug, second.pk]),
        {"title": "Tidlig innsats i barnehagen", "description": ""},
    )
    client.post(
        reverse("measures:focus_area_move", args=[plan.slug, second.pk]), {"direction": "up"}
    )
    assert orders(plan.focus_areas) == [("Tidlig innsats i barnehagen", 1), (first.title, 2)]
    # An area with measures is not deleted.
    response = client.post(reverse("measures:focus_area_delete", args=[plan.slug, first.pk]))
    assert response.status_code == 400
    assert FocusArea.objects.filter(pk=first.pk).exists()
    response = client.post(reverse("measures:focus_area_delete", args=[plan.slug, second.pk]))
    assert response.status_code == 302
    assert orders(plan.focus_areas) == [(first.title, 1)]


def test_measures_add_edit_move_within_and_between_areas_keep_order_dense():
    world = build_world()
    plan = world.draft_x
    area = world.measure_x.focus_area
    other = FocusAreaFactory(plan=plan, title="Samarbeid", order=area.order + 1)
    client = signed_in(world.editor_x)
    response = client.post(
        reverse("measures:measure_create", args=[plan.slug, area.pk]),
        {
            "focus_area": area.pk,
            "title": "Foreldreveiledning",
            "description": "- ICDP\n- COS",
            "responsible_unit": world.unit_a.pk,
            "prevention_level": "universal",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Measure.objects.get(title="Foreldreveiledning")
    assert new.focus_area == area
    client.post(reverse("measures:measure_move", args=[plan.slug, new.pk]), {"direction": "up"})
    assert orders(Measure.objects.filter(focus_area=area)) == [
        ("Foreldreveiledning", 1),
        (world.measure_x.title, 2),
    ]
    new.refresh_from_db()
    response = client.post(
        reverse("measures:measure_update", args=[plan.slug, new.pk]),
        measure_post(new, focus_area=other.pk, title="Foreldreveiledning for alle"),
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert (new.focus_area, new.title, new.order) == (other, "Foreldreveiledning for alle", 1)
    assert orders(Measure.objects.filter(focus_area=area)) == [(world.measure_x.title, 1)]
    response = client.post(reverse("measures:measure_delete", args=[plan.slug, new.pk]))
    assert response.status_code == 302
    assert not Measure.objects.filter(pk=new.pk).exists()


def test_moving_a_measure_to_another_plans_area_is_refused():
    world = build_world()
    measure = world.measure_x
    foreign = world.measure_y.focus_area
    before = snapshot()
    response = signed_in(world.admin).post(
        reverse("measures:measure_update", args=[world.draft_x.slug, measure.pk]),
        measure_post(measure, focus_area=foreign.pk),
    )
    assert response.status_code == 400
    assert snapshot() == before


def test_measure_move_service_refuses_another_plans_area():
    from django.core.exceptions import ValidationError

    from measures.services import measure_move

    world = build_world()
    with pytest.raises(ValidationError):
        measure_move(
            actor=world.admin, measure=world.measure_x, focus_area=world.measure_y.focus_area
        )


# -- a locked (adopted) plan ---------------------------------------------------------------


def test_locked_plan_shows_read_only_fields_with_the_reason_and_refuses_writes():
    world = build_world()
    plan = world.published_y
    measure = world.measure_pub
    section = PlanSection.objects.filter(plan=plan).first() or None
    client = signed_in(world.editor_y)
    url = reverse("measures:measure_update", args=[plan.slug, measure.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "locked" in html or "låst" in html
    assert response.context["form"].locked_reason
    assert all(field.disabled for field in response.context["form"].fields.values())
    before = snapshot()
    response = client.post(url, measure_post(measure, title="Endret etter vedtak"))
    assert response.status_code == 400
    for name, args, data in [
        ("measures:measure_move", [plan.slug, measure.pk], {"direction": "up"}),
        ("measures:measure_delete", [plan.slug, measure.pk], {}),
        ("measures:focus_area_create", [plan.slug], {"title": "Nytt"}),
        ("plans:section_create", [plan.slug], {"kind": "goals", "title": "Nytt", "body": ""}),
    ]:
        client.post(reverse(name, args=args), data)
    if section is not None:
        client.post(reverse("plans:section_delete", args=[plan.slug, section.pk]))
    assert snapshot() == before


# -- attachments ---------------------------------------------------------------------------


def test_attachment_upload_list_and_delete():
    world = build_world()
    plan = world.draft_x
    client = signed_in(world.editor_x)
    response = client.post(
        reverse("plans:attachment_create", args=[plan.slug]),
        {"title": "Kartlegging", "file": SimpleUploadedFile("kartlegging.pdf", TINY_PDF)},
    )
    assert response.status_code == 302
    attachment = PlanAttachment.objects.get(plan=plan)
    assert attachment.file.read().startswith(b"%PDF-1.7")
    page = client.get(reverse("plans:plan_content", args=[plan.slug])).content.decode()
    assert "Kartlegging" in page
    response = client.post(reverse("plans:attachment_delete", args=[plan.slug, attachment.pk]))
    assert response.status_code == 302
    assert not PlanAttachment.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [("side.html", b"<script>alert(1)</script>"), ("falsk.pdf", b"<html></html>")],
)
def test_refused_attachment_keeps_the_title(name, content):
    world = build_world()
    response = signed_in(world.editor_x).post(
        reverse("plans:attachment_create", args=[world.draft_x.slug]),
        {"title": "Min tittel", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert 'value="Min tittel"' in response.content.decode()
    assert not PlanAttachment.objects.exists()


# -- Markdown preview ----------------------------------------------------------------------


def test_preview_button_renders_sanitised_markdown_and_keeps_the_input():
    world = build_world()
    section = world.section_x
    body = "## Mål\n\n**viktig**<script>alert('x')</script>"
    response = signed_in(world.editor_x).post(
        reverse("plans:section_update", args=[world.draft_x.slug, section.pk]),
        {
            "loaded_version": section.edit_version,
            "kind": section.kind,
            "title": section.title,
            "body": body,
            "preview": "1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>viktig</strong>" in html
    assert "<script>alert" not in html  # inert: escaped in the textarea, dropped in the preview
    assert "&lt;script&gt;alert" in html  # the input is kept
    section.refresh_from_db()
    assert section.body != body  # nothing saved
    assert "Slik formaterer du tekst" in html or "How to format text" in html


def test_preview_endpoint_is_sanitised_limited_and_behind_login():
    world = build_world()
    url = reverse("markdown_preview")
    client = signed_in(world.editor_x)
    response = client.post(url, {"text": "**Hei**\n\n<script>x()</script>[lenke](javascript:x)"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Hei</strong>" in html
    # Raw HTML and javascript: links stay inert text: no tag, no link.
    assert "<script" not in html and 'href="javascript' not in html and "<a " not in html
    response = client.post(url, {"text": "a" * (MARKDOWN_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert str(MARKDOWN_MAX_LENGTH) in response.content.decode().replace("\xa0", "").replace(
        " ", ""
    )
    response = Client().post(url, {"text": "hei"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(url).status_code == 405


# -- permissions ---------------------------------------------------------------------------


def editor_requests(world):
    plan, area, measure, section = (
        world.draft_x,
        world.measure_x.focus_area,
        world.measure_x,
        world.section_x,
    )
    return [
        ("get", reverse("plans:plan_content", args=[plan.slug]), {}),
        (
            "post",
            reverse("plans:section_create", args=[plan.slug]),
            {"kind": "goals", "title": "N", "body": ""},
        ),
        (
            "post",
            reverse("plans:section_move", args=[plan.slug, section.pk]),
            {"direction": "down"},
        ),
        ("post", reverse("plans:section_delete", args=[plan.slug, section.pk]), {}),
        ("post", reverse("measures:focus_area_create", args=[plan.slug]), {"title": "N"}),
        (
            "post",
            reverse("measures:focus_area_move", args=[plan.slug, area.pk]),
            {"direction": "up"},
        ),
        (
            "post",
            reverse("measures:measure_move", args=[plan.slug, measure.pk]),
            {"direction": "up"},
        ),
        ("post", reverse("measures:measure_delete", args=[plan.slug, measure.pk]), {}),
        (
            "post",
            reverse("plans:attachment_create", args=[plan.slug]),
            {"title": "T", "file": SimpleUploadedFile("a.pdf", TINY_PDF)},
        ),
    ]


def test_another_groups_editor_is_refused_and_nothing_changes():
    world = build_world()
    client = signed_in(world.editor_y)
    before = snapshot()
    for method, url, data in editor_requests(world):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert snapshot() == before


def test_anonymous_is_sent_to_login_and_nothing_changes():
    world = build_world()
    client = Client()
    before = snapshot()
    for method, url, data in editor_requests(world):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    assert snapshot() == before


def test_a_stale_chapter_edit_is_a_conflict_and_keeps_the_input():
    world = build_world()
    section = world.section_x
    stale = section.edit_version
    from plans.services import section_update

    section_update(actor=world.admin, section=section, data={"title": "Forord (ny)"})
    response = signed_in(world.editor_x).post(
        reverse("plans:section_update", args=[world.draft_x.slug, section.pk]),
        {"loaded_version": stale, "kind": section.kind, "title": "Mitt forord", "body": "x"},
    )
    assert response.status_code == 409
    assert 'value="Mitt forord"' in response.content.decode()
    section.refresh_from_db()
    assert section.title == "Forord (ny)"
