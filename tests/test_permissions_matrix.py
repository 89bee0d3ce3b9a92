"""Every role × every editing URL, admin change page, draft PDF, working page and people page.

Each row says which roles are allowed; every other role must be refused
(redirected to sign in, 403 or 404, or an admin page without change rights).
Loosening any rule in organisation.permissions or the admin makes a cell fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from measures.models import FocusArea, Measure, StatusReport
from organisation import permissions
from organisation.models import MandateItem, ProcessGroup, Unit
from plans.models import Adoption, Plan, PlanAttachment, PlanSection
from stakeholders.models import StakeholderAnalysis
from tests.factories import (
    ActivityFactory,
    FocusAreaFactory,
    MeasureFactory,
    PlanSectionFactory,
)
from tests.followup_world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads of the editor's rows land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path


ROLES = ["anonymous", "owner_a", "editor_x", "editor_y", "admin"]


@dataclass
class Row:
    name: str
    allowed: set[str]
    check: Callable  # (client, world) -> bool: True when the role got in


def get_ok(url_of):
    def check(client, world):
        return client.get(url_of(world)).status_code == 200

    return check


def admin_can_change(url_of):
    """The admin change page opened with change rights (view-only does not count)."""

    def check(client, world):
        response = client.get(url_of(world))
        return response.status_code == 200 and bool(
            response.context_data.get("has_change_permission")
        )

    return check


def admin_list_shows(model_url, obj_of):
    """The object appears in the admin list (drafts of other groups must not)."""

    def check(client, world):
        response = client.get(reverse(model_url))
        if response.status_code != 200:
            return False
        return obj_of(world).pk in {o.pk for o in response.context_data["cl"].result_list}

    return check


def page_lists(url_of, key, obj_of):
    """The page opens and its ``key`` list holds the object (a list scoped by the rules)."""

    def check(client, world):
        response = client.get(url_of(world))
        if response.status_code != 200:
            return False
        return obj_of(world).pk in {o.pk for o in response.context[key]}

    return check


def post_measure_edit(client, world):
    measure = world.measure_x
    response = client.post(
        reverse("measures:measure_edit", args=[measure.pk]),
        {
            "loaded_version": measure.edit_version,
            "title": "Nytt navn",
            "order": 0,
            "responsible_unit": measure.responsible_unit_id,
            "focus_area": measure.focus_area_id,
        },
    )
    changed = Measure.objects.get(pk=measure.pk).title == "Nytt navn"
    if changed:
        assert response.status_code == 302
    return changed


def post_status_report(client, world):
    before = StatusReport.objects.filter(measure=world.measure_x).count()
    prefix = f"m{world.measure_x.pk}"
    client.post(
        reverse("measures:mine"),
        {
            "measure": world.measure_x.pk,
            f"{prefix}-status": "in_progress",
            f"{prefix}-text": "I gang",
            f"{prefix}-reported_on": "2024-01-10",
        },
    )
    return StatusReport.objects.filter(measure=world.measure_x).count() == before + 1


def post_bulk_status(client, world):
    """The bulk status page records a report on measure X (its row posted as shown, changed)."""
    before = StatusReport.objects.filter(measure=world.measure_x).count()
    prefix = "form-0"
    client.post(
        reverse("measures:bulk_status", args=[world.draft_x.slug]),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            f"{prefix}-measure_id": world.measure_x.pk,
            f"{prefix}-last_report": "0",
            f"{prefix}-status": "in_progress",
            f"{prefix}-text": "I gang",
            f"{prefix}-reported_on": "2024-01-10",
        },
    )
    return StatusReport.objects.filter(measure=world.measure_x).count() == before + 1


def post_creates(url_of, data_of, count_of):
    """A POST to a working page adds a row (counted by ``count_of``)."""

    def check(client, world):
        before = count_of(world)
        client.post(url_of(world), data_of(world))
        return count_of(world) == before + 1

    return check


def post_stakeholder(client, world):
    return post_creates(
        lambda w: reverse("stakeholders:stakeholder_create", args=[w.analysis_x.pk]),
        lambda w: {
            "name": "Foreldre",
            "role": "target_group",
            "category": "other",
            "attitude": "unknown",
            "interest": 2,
            "influence": 2,
            "order": 0,
        },
        lambda w: w.analysis_x.stakeholders.count(),
    )(client, world)


def post_finding(client, world):
    return post_creates(
        lambda w: reverse("stakeholders:finding_create", args=[w.analysis_x.pk]),
        lambda w: {"kind": "strength", "scope": "organisation", "text": "Godt samarbeid"},
        lambda w: w.analysis_x.findings.count(),
    )(client, world)


def post_mandate_status(client, world):
    item = MandateItem.objects.get(group=world.group_x)
    client.post(
        reverse("organisation:mandate_item_status", args=[world.group_x.slug, item.pk]),
        {"status": MandateItem.Status.DONE},
    )
    item.refresh_from_db()
    return item.status == MandateItem.Status.DONE


def post_activity_done(client, world):
    activity = ActivityFactory(analysis=world.analysis_x)
    client.post(
        reverse("stakeholders:activity_done", args=[world.analysis_x.pk, activity.pk]),
        {"completed_on": "2024-03-01"},
    )
    activity.refresh_from_db()
    return activity.completed_on is not None


def post_restore_measure(client, world):
    Measure.objects.get(pk=world.measure_x.pk).delete()
    record = Measure.history.filter(id=world.measure_x.pk, history_type="-").latest()
    client.post(reverse("admin:measures_measure_deleted"), {"history_id": record.history_id})
    return Measure.objects.filter(pk=world.measure_x.pk).exists()


def _person_form(world, **changes) -> dict:
    person = world.owner_a
    data = {
        "first_name": person.first_name or "Liv",
        "last_name": person.last_name or "Lund",
        "email": person.email,
        "role": permissions.ROLE_MEASURE_OWNER,
        "units": [world.unit_a.pk],
    }
    data.update(changes)
    return data


def post_person_add(client, world):
    users = get_user_model().objects
    before = users.count()
    client.post(
        reverse("organisation:person_add"),
        {**_person_form(world), "email": "ny.person@heim.kommune.no"},
    )
    return users.count() == before + 1


def post_person_change(client, world):
    client.post(
        reverse("organisation:person_change", args=[world.owner_a.pk]),
        _person_form(world, first_name="Endret"),
    )
    return get_user_model().objects.get(pk=world.owner_a.pk).first_name == "Endret"


def post_person_deactivate(client, world):
    client.post(reverse("organisation:person_deactivate", args=[world.owner_a.pk]))
    return not get_user_model().objects.get(pk=world.owner_a.pk).is_active


def post_person_activate(client, world):
    users = get_user_model().objects
    users.filter(pk=world.editor_y.pk).update(is_active=False)
    client.post(reverse("organisation:person_activate", args=[world.editor_y.pk]))
    return users.get(pk=world.editor_y.pk).is_active


def post_moves(url_of, make_pair, order_of):
    """An up button on the second of two rows makes it the first."""

    def check(client, world):
        first, second = make_pair(world)
        client.post(url_of(world, second), {"direction": "up"})
        return order_of(second) < order_of(first)

    return check


def post_deletes(url_of, obj_of, model):
    """Confirming a delete on its page removes the row."""

    def check(client, world):
        obj = obj_of(world)
        client.post(url_of(world, obj))
        return not model.objects.filter(pk=obj.pk).exists()

    return check


def editor_url(name, *args_of):
    return lambda w, *objs: reverse(
        name, args=[w.draft_x.slug, *(a(w) for a in args_of)] + [o.pk for o in objs]
    )


def two_sections(world):
    return world.section_x, PlanSectionFactory(plan=world.draft_x, order=world.section_x.order + 1)


def two_areas(world):
    area = world.measure_x.focus_area
    return area, FocusAreaFactory(plan=world.draft_x, order=area.order + 1)


def two_measures(world):
    measure = world.measure_x
    return measure, MeasureFactory(
        plan=world.draft_x,
        focus_area=measure.focus_area,
        responsible_unit=world.unit_a,
        order=measure.order + 1,
    )


def order_of(obj):
    return type(obj).objects.get(pk=obj.pk).order


def post_measure_edit_on_editor(client, world):
    measure = world.measure_x
    client.post(
        reverse("measures:measure_update", args=[world.draft_x.slug, measure.pk]),
        {
            "loaded_version": measure.edit_version,
            "title": "Nytt navn",
            "responsible_unit": measure.responsible_unit_id,
            "focus_area": measure.focus_area_id,
        },
    )
    return Measure.objects.get(pk=measure.pk).title == "Nytt navn"


def post_attachment(client, world):
    client.post(
        reverse("plans:attachment_create", args=[world.draft_x.slug]),
        {"title": "Vedlegg", "file": SimpleUploadedFile("v.pdf", b"%PDF-1.7\n%%EOF\n")},
    )
    return PlanAttachment.objects.filter(plan=world.draft_x).exists()


def post_preview(client, world):
    response = client.post(reverse("markdown_preview"), {"text": "**hei**"})
    return response.status_code == 200 and b"<strong>hei</strong>" in response.content


def post_new_plan(client, world):
    client.post(
        reverse("plans:plan_new"),
        {"title": "Ny plan 2027–2030", "kind": "action_plan", "process_group": world.group_x.pk},
    )
    return Plan.objects.filter(slug="ny-plan-2027-2030").exists()


def post_plan_metadata(client, world):
    plan = world.draft_x
    client.post(
        reverse("plans:plan_edit", args=[plan.slug]),
        {
            "title": "Nytt navn",
            "kind": plan.kind,
            "process_group": plan.process_group_id,
            "loaded_version": plan.edit_version,
        },
    )
    return Plan.objects.get(pk=plan.pk).title == "Nytt navn"


def post_move(plan_of, move, data, status):
    """A lifecycle move POSTed on its confirmation page; True when the status moved."""

    def check(client, world):
        plan = plan_of(world)
        client.post(reverse("plans:plan_move", args=[plan.slug, move]), data())
        return Plan.objects.get(pk=plan.pk).status == status

    return check


def _in_six_weeks():
    return {"deadline": (timezone.localdate() + timedelta(weeks=6)).isoformat()}


def _adoption_today():
    return {
        "body": Adoption.Body.MUNICIPAL_COUNCIL,
        "meeting_date": timezone.localdate().isoformat(),
    }


def admin_url(name, obj_of):
    return lambda w: reverse(f"admin:{name}_change", args=[obj_of(w).pk])


EDITORS_X = {"editor_x", "admin"}
SIGNED_IN = {"owner_a", "editor_x", "editor_y", "admin"}

ROWS = [
    Row("mine", SIGNED_IN, get_ok(lambda w: reverse("measures:mine"))),
    Row(
        "dashboard of a draft",
        EDITORS_X,
        get_ok(lambda w: reverse("measures:plan_dashboard", args=[w.draft_x.slug])),
    ),
    Row(
        "dashboard of a published plan",
        {"editor_y", "admin"},
        get_ok(lambda w: reverse("measures:plan_dashboard", args=[w.published_y.slug])),
    ),
    Row(
        "measure edit form",
        EDITORS_X,
        get_ok(lambda w: reverse("measures:measure_edit", args=[w.measure_x.pk])),
    ),
    Row("measure edit saved", EDITORS_X, post_measure_edit),
    Row(
        "section edit form",
        EDITORS_X,
        get_ok(lambda w: reverse("plans:section_edit", args=[w.section_x.pk])),
    ),
    Row(
        "other group's section edit form",
        {"editor_y", "admin"},
        get_ok(lambda w: reverse("plans:section_edit", args=[w.section_y.pk])),
    ),
    Row("status report on unit A's measure", {"owner_a", "editor_x", "admin"}, post_status_report),
    Row(
        "draft plan page (working copy)",
        {"owner_a", "editor_x", "admin"},
        get_ok(lambda w: w.draft_x.get_absolute_url()),
    ),
    Row(
        "other group's draft plan page",
        {"editor_y", "admin"},
        get_ok(lambda w: w.draft_y.get_absolute_url()),
    ),
    Row(
        "published plan page",
        {"anonymous", *SIGNED_IN},
        get_ok(lambda w: w.published_y.get_absolute_url()),
    ),
    Row(
        "admin: change draft plan",
        EDITORS_X,
        admin_can_change(admin_url("plans_plan", lambda w: w.draft_x)),
    ),
    Row(
        "admin: plan list shows group X's draft",
        EDITORS_X,
        admin_list_shows("admin:plans_plan_changelist", lambda w: w.draft_x),
    ),
    Row(
        "admin: measure list shows group Y's draft measure",
        {"editor_y", "admin"},
        admin_list_shows("admin:measures_measure_changelist", lambda w: w.measure_y),
    ),
    Row(
        "admin: change draft measure",
        EDITORS_X,
        admin_can_change(admin_url("measures_measure", lambda w: w.measure_x)),
    ),
    Row(
        "admin: change published plan's measure",
        {"editor_y", "admin"},
        admin_can_change(admin_url("measures_measure", lambda w: w.measure_pub)),
    ),
    Row(
        # Editors change a group's work, not the group itself (the roles migration).
        "admin: change process group",
        {"admin"},
        admin_can_change(admin_url("organisation_processgroup", lambda w: w.group_x)),
    ),
    Row(
        "admin: change stakeholder analysis",
        EDITORS_X,
        admin_can_change(admin_url("stakeholders_stakeholderanalysis", lambda w: w.analysis_x)),
    ),
    Row(
        "admin: change unit (shared reference data)",
        {"admin"},
        admin_can_change(admin_url("organisation_unit", lambda w: w.unit_a)),
    ),
    Row(
        "admin: deleted measures",
        {"admin"},
        get_ok(lambda w: reverse("admin:measures_measure_deleted")),
    ),
    Row(
        "admin: deleted sections",
        {"admin"},
        get_ok(lambda w: reverse("admin:plans_plan_deleted")),
    ),
]

ROWS += [
    Row(
        "draft PDF",
        {"owner_a", "editor_x", "admin"},
        get_ok(lambda w: reverse("plans:plan_pdf", kwargs={"slug": w.draft_x.slug})),
    ),
    Row(
        "published plan's PDF",
        {"anonymous", *SIGNED_IN},
        get_ok(lambda w: reverse("plans:plan_pdf", kwargs={"slug": w.published_y.slug})),
    ),
    Row(
        "admin: register adoption of a draft",
        {"admin"},
        get_ok(lambda w: reverse("admin:plans_plan_lifecycle", args=[w.draft_x.pk, "adopt"])),
    ),
    Row(
        "admin: retire an adopted plan",
        {"admin"},
        get_ok(lambda w: reverse("admin:plans_plan_lifecycle", args=[w.published_y.pk, "retire"])),
    ),
    Row("admin: restore a deleted measure", {"admin"}, post_restore_measure),
    Row(
        "admin: send a draft out for consultation",
        EDITORS_X,
        get_ok(
            lambda w: reverse("admin:plans_plan_lifecycle", args=[w.draft_x.pk, "consultation"])
        ),
    ),
    Row(
        "admin: manage a user account",
        {"admin"},
        admin_can_change(admin_url("auth_user", lambda w: w.owner_a)),
    ),
    Row(
        "plan history",
        EDITORS_X,
        get_ok(lambda w: reverse("plans:plan_history", kwargs={"slug": w.draft_x.slug})),
    ),
    Row(
        "compare versions of a published plan",
        {"editor_y", "admin"},
        get_ok(lambda w: reverse("plans:version_compare", kwargs={"slug": w.published_y.slug})),
    ),
    Row(
        "working pages index",
        SIGNED_IN,
        get_ok(lambda w: reverse("workspace")),
    ),
    Row(
        "working pages index lists group X's draft plan",
        EDITORS_X,
        page_lists(lambda w: reverse("workspace"), "plans", lambda w: w.draft_x),
    ),
    Row(
        "working pages index lists group X's analysis",
        EDITORS_X,
        page_lists(lambda w: reverse("workspace"), "analyses", lambda w: w.analysis_x),
    ),
    Row(
        "Mine tiltak links group X's plan dashboard",
        EDITORS_X,
        page_lists(lambda w: reverse("measures:mine"), "plans", lambda w: w.draft_x),
    ),
    Row(
        "stakeholder analysis page",
        EDITORS_X,
        get_ok(lambda w: reverse("stakeholders:analysis_detail", args=[w.analysis_x.pk])),
    ),
    Row("stakeholder added on the analysis page", EDITORS_X, post_stakeholder),
    Row("finding added on the analysis page", EDITORS_X, post_finding),
    Row("activity marked done", EDITORS_X, post_activity_done),
    Row("mandate item status set", EDITORS_X, post_mandate_status),
    Row(
        "stakeholder register CSV export",
        EDITORS_X,
        get_ok(lambda w: reverse("stakeholders:register_csv", args=[w.analysis_x.pk])),
    ),
    Row(
        "activities CSV export",
        EDITORS_X,
        get_ok(lambda w: reverse("stakeholders:activities_csv", args=[w.analysis_x.pk])),
    ),
    Row(
        "stakeholder analysis PDF export",
        EDITORS_X,
        get_ok(lambda w: reverse("stakeholders:analysis_pdf", args=[w.analysis_x.pk])),
    ),
    Row(
        "process group working page",
        EDITORS_X,
        get_ok(lambda w: reverse("organisation:group_detail", args=[w.group_x.slug])),
    ),
    Row(
        "plan working page",
        EDITORS_X,
        get_ok(lambda w: reverse("plans:plan_work", args=[w.draft_x.slug])),
    ),
    Row(
        "bulk status page of a draft with a measure of unit A",
        {"owner_a", "editor_x", "admin"},
        get_ok(lambda w: reverse("measures:bulk_status", args=[w.draft_x.slug])),
    ),
    Row(
        "bulk status page of a draft without measures of unit A",
        {"editor_y", "admin"},
        get_ok(lambda w: reverse("measures:bulk_status", args=[w.draft_y.slug])),
    ),
    Row("bulk status report saved", {"owner_a", "editor_x", "admin"}, post_bulk_status),
    Row(
        "new stakeholder analysis form",
        {"editor_x", "editor_y", "admin"},
        get_ok(lambda w: reverse("stakeholders:analysis_create")),
    ),
    Row(
        "new stakeholder analysis for group X created",
        EDITORS_X,
        post_creates(
            lambda w: reverse("stakeholders:analysis_create"),
            lambda w: {"title": "Ny analyse", "process_group": w.group_x.pk},
            lambda w: StakeholderAnalysis.objects.filter(process_group=w.group_x).count(),
        ),
    ),
    Row(
        "new stakeholder analysis for group X's plan created",
        EDITORS_X,
        post_creates(
            lambda w: reverse("stakeholders:analysis_create"),
            lambda w: {"title": "Ny planalyse", "plan": w.draft_x.pk},
            lambda w: StakeholderAnalysis.objects.filter(plan=w.draft_x).count(),
        ),
    ),
]

# The people page (issue 13): the Planadministrator's alone.
ROWS += [
    Row("people list", {"admin"}, get_ok(lambda w: reverse("organisation:person_list"))),
    Row(
        "people list names everybody",
        {"admin"},
        page_lists(lambda w: reverse("organisation:person_list"), "people", lambda w: w.owner_a),
    ),
    Row("person add form", {"admin"}, get_ok(lambda w: reverse("organisation:person_add"))),
    Row("person added", {"admin"}, post_person_add),
    Row(
        "person change form",
        {"admin"},
        get_ok(lambda w: reverse("organisation:person_change", args=[w.owner_a.pk])),
    ),
    Row("person changed", {"admin"}, post_person_change),
    Row(
        "person deactivation page",
        {"admin"},
        get_ok(lambda w: reverse("organisation:person_deactivate", args=[w.owner_a.pk])),
    ),
    Row("person deactivated", {"admin"}, post_person_deactivate),
    Row(
        "person activation page",
        {"admin"},
        get_ok(lambda w: reverse("organisation:person_activate", args=[w.owner_a.pk])),
    ),
    Row("person activated", {"admin"}, post_person_activate),
    Row(
        "forgot password page",
        {"anonymous", *SIGNED_IN},
        get_ok(lambda w: reverse("password_reset")),
    ),
]


ROWS += [
    Row(
        "plan editor",
        EDITORS_X,
        get_ok(lambda w: reverse("plans:plan_content", args=[w.draft_x.slug])),
    ),
    Row(
        "other group's plan editor",
        {"editor_y", "admin"},
        get_ok(lambda w: reverse("plans:plan_content", args=[w.draft_y.slug])),
    ),
    Row("editor: new chapter form", EDITORS_X, get_ok(editor_url("plans:section_create"))),
    Row(
        "editor: chapter added",
        EDITORS_X,
        post_creates(
            editor_url("plans:section_create"),
            lambda w: {"kind": "goals", "title": "Mål", "body": ""},
            lambda w: w.draft_x.sections.count(),
        ),
    ),
    Row(
        "editor: chapter edit form",
        EDITORS_X,
        get_ok(lambda w: editor_url("plans:section_update")(w, w.section_x)),
    ),
    Row(
        "editor: chapter delete confirmation",
        EDITORS_X,
        get_ok(lambda w: editor_url("plans:section_delete")(w, w.section_x)),
    ),
    Row(
        "editor: chapter deleted",
        EDITORS_X,
        post_deletes(editor_url("plans:section_delete"), lambda w: w.section_x, PlanSection),
    ),
    Row(
        "editor: chapter moved",
        EDITORS_X,
        post_moves(editor_url("plans:section_move"), two_sections, order_of),
    ),
    Row("editor: new focus area form", EDITORS_X, get_ok(editor_url("measures:focus_area_create"))),
    Row(
        "editor: focus area added",
        EDITORS_X,
        post_creates(
            editor_url("measures:focus_area_create"),
            lambda w: {"title": "Nytt område", "description": ""},
            lambda w: w.draft_x.focus_areas.count(),
        ),
    ),
    Row(
        "editor: focus area edit form",
        EDITORS_X,
        get_ok(lambda w: editor_url("measures:focus_area_update")(w, w.measure_x.focus_area)),
    ),
    Row(
        "editor: focus area delete confirmation",
        EDITORS_X,
        get_ok(lambda w: editor_url("measures:focus_area_delete")(w, w.measure_x.focus_area)),
    ),
    Row(
        "editor: empty focus area deleted",
        EDITORS_X,
        post_deletes(
            editor_url("measures:focus_area_delete"),
            lambda w: FocusAreaFactory(plan=w.draft_x),
            FocusArea,
        ),
    ),
    Row(
        "editor: focus area moved",
        EDITORS_X,
        post_moves(editor_url("measures:focus_area_move"), two_areas, order_of),
    ),
    Row(
        "editor: new measure form",
        EDITORS_X,
        get_ok(
            lambda w: reverse(
                "measures:measure_create", args=[w.draft_x.slug, w.measure_x.focus_area_id]
            )
        ),
    ),
    Row(
        "editor: measure added",
        EDITORS_X,
        post_creates(
            lambda w: reverse(
                "measures:measure_create", args=[w.draft_x.slug, w.measure_x.focus_area_id]
            ),
            lambda w: {
                "title": "Nytt tiltak",
                "responsible_unit": w.unit_a.pk,
                "focus_area": w.measure_x.focus_area_id,
            },
            lambda w: w.draft_x.measures.count(),
        ),
    ),
    Row(
        "editor: measure edit form",
        EDITORS_X,
        get_ok(lambda w: editor_url("measures:measure_update")(w, w.measure_x)),
    ),
    Row("editor: measure edited", EDITORS_X, post_measure_edit_on_editor),
    Row(
        "editor: measure delete confirmation",
        EDITORS_X,
        get_ok(lambda w: editor_url("measures:measure_delete")(w, w.measure_x)),
    ),
    Row(
        "editor: measure deleted",
        EDITORS_X,
        post_deletes(editor_url("measures:measure_delete"), lambda w: w.measure_x, Measure),
    ),
    Row(
        "editor: measure moved",
        EDITORS_X,
        post_moves(editor_url("measures:measure_move"), two_measures, order_of),
    ),
    Row("editor: attachment uploaded", EDITORS_X, post_attachment),
    Row(
        "editor: attachment deleted",
        EDITORS_X,
        post_deletes(
            editor_url("plans:attachment_delete"),
            lambda w: PlanAttachment.objects.create(
                plan=w.draft_x, title="Gammelt", file="attachments/2024/gammelt.pdf"
            ),
            PlanAttachment,
        ),
    ),
    Row("Markdown preview", SIGNED_IN, post_preview),
    Row(
        "new plan page",
        {"editor_x", "editor_y", "admin"},
        get_ok(lambda w: reverse("plans:plan_new")),
    ),
    Row("new plan created for group X", EDITORS_X, post_new_plan),
    Row(
        "plan metadata page",
        EDITORS_X,
        get_ok(lambda w: reverse("plans:plan_edit", args=[w.draft_x.slug])),
    ),
    Row("plan metadata saved", EDITORS_X, post_plan_metadata),
    Row(
        "consultation confirmation page",
        EDITORS_X,
        get_ok(lambda w: reverse("plans:plan_move", args=[w.draft_x.slug, "horing"])),
    ),
    Row(
        "plan sent to consultation",
        EDITORS_X,
        post_move(lambda w: w.draft_x, "horing", _in_six_weeks, Plan.Status.CONSULTATION),
    ),
    Row(
        "adoption confirmation page",
        {"admin"},
        get_ok(lambda w: reverse("plans:plan_move", args=[w.draft_x.slug, "vedtak"])),
    ),
    Row(
        "adoption registered",
        {"admin"},
        post_move(lambda w: w.draft_x, "vedtak", _adoption_today, Plan.Status.ADOPTED),
    ),
    Row(
        "revision confirmation page",
        {"editor_y", "admin"},
        get_ok(lambda w: reverse("plans:plan_move", args=[w.published_y.slug, "revisjon"])),
    ),
    Row(
        "revision started",
        {"editor_y", "admin"},
        post_move(lambda w: w.published_y, "revisjon", dict, Plan.Status.REVISION),
    ),
    Row(
        "retire confirmation page",
        {"admin"},
        get_ok(lambda w: reverse("plans:plan_move", args=[w.published_y.slug, "utgaatt"])),
    ),
    Row(
        "plan retired",
        {"admin"},
        post_move(lambda w: w.published_y, "utgaatt", dict, Plan.Status.RETIRED),
    ),
]


# Goals (plan text) and indicators with their values (follow-up, issue 14).


def _goal(world, title="Mål X"):
    from plans.models import Goal

    return Goal.objects.create(plan=world.draft_x, title=title, order=1)


def _indicator(world):
    from results.models import Indicator

    return Indicator.objects.create(goal=_goal(world), name="Andel", direction="up")


def _value(world):
    from datetime import date

    from results.models import IndicatorValue

    return IndicatorValue.objects.create(
        indicator=_indicator(world), date=date(2024, 1, 1), value=1
    )


def two_goals(world):
    return _goal(world, "Første"), _goal(world, "Andre")


def _indicator_count(world):
    from results.models import Indicator

    return Indicator.objects.filter(goal__plan=world.draft_x).count()


def _value_count(world):
    from results.models import IndicatorValue

    return IndicatorValue.objects.filter(indicator__goal__plan=world.draft_x).count()


def post_value_import(client, world):
    indicator = _indicator(world)
    url = reverse("results:value_import", args=[world.draft_x.slug, indicator.pk])
    upload = SimpleUploadedFile("verdier.csv", b"periode;verdi\n2023;1,5\n2024;2\n")
    preview = client.post(url, {"file": upload})
    if preview.status_code != 200:
        return False
    client.post(url, {"apply": "1", "rows": preview.context["rows"]})
    return indicator.values.count() == 2


ROWS += [
    Row("editor: new goal form", EDITORS_X, get_ok(editor_url("plans:goal_create"))),
    Row(
        "editor: goal added",
        EDITORS_X,
        post_creates(
            editor_url("plans:goal_create"),
            lambda w: {"title": "Nytt mål", "description": ""},
            lambda w: w.draft_x.goals.count(),
        ),
    ),
    Row(
        "editor: goal edit form",
        EDITORS_X,
        get_ok(lambda w: editor_url("plans:goal_update")(w, _goal(w))),
    ),
    Row(
        "editor: goal delete confirmation",
        EDITORS_X,
        get_ok(lambda w: editor_url("plans:goal_delete")(w, _goal(w))),
    ),
    Row(
        "editor: goal deleted",
        EDITORS_X,
        post_deletes(
            editor_url("plans:goal_delete"), _goal, __import__("plans.models").models.Goal
        ),
    ),
    Row(
        "editor: goal moved",
        EDITORS_X,
        post_moves(editor_url("plans:goal_move"), two_goals, order_of),
    ),
    Row("indicator list", EDITORS_X, get_ok(editor_url("results:indicator_list"))),
    Row("new indicator form", EDITORS_X, get_ok(editor_url("results:indicator_create"))),
    Row(
        "indicator added",
        EDITORS_X,
        post_creates(
            editor_url("results:indicator_create"),
            lambda w: {
                "goal": _goal(w).pk,
                "name": "Ny indikator",
                "direction": "up",
                "data_source": "ungdata",
                "frequency": "yearly",
            },
            _indicator_count,
        ),
    ),
    Row(
        "indicator page",
        EDITORS_X,
        get_ok(lambda w: editor_url("results:indicator_update")(w, _indicator(w))),
    ),
    Row(
        "indicator delete confirmation",
        EDITORS_X,
        get_ok(lambda w: editor_url("results:indicator_delete")(w, _indicator(w))),
    ),
    Row(
        "indicator value added",
        EDITORS_X,
        lambda client, w: (
            post_creates(
                lambda w2: editor_url("results:value_create")(w2, ind),
                lambda w2: {"date": "2024-01-01", "value": "12,5"},
                _value_count,
            )(client, w)
            if (ind := _indicator(w))
            else False
        ),
    ),
    Row(
        "indicator value deleted",
        EDITORS_X,
        post_deletes(
            editor_url("results:value_delete"),
            _value,
            __import__("results.models").models.IndicatorValue,
        ),
    ),
    Row("indicator values imported", EDITORS_X, post_value_import),
]


def _report(world):
    from results.models import YearlyReport

    return YearlyReport.objects.create(
        plan=world.draft_x,
        year=2024,
        period_start=timezone.localdate().replace(year=2024, month=1, day=1),
        period_end=timezone.localdate().replace(year=2024, month=12, day=31),
    )


def _report_count(world):
    from results.models import YearlyReport

    return YearlyReport.objects.filter(plan=world.draft_x).count()


def _report_url(name):
    return lambda w: reverse(name, args=[w.draft_x.slug, _report(w).year])


def post_report_edit(client, world):
    from results.models import YearlyReport

    report = _report(world)
    client.post(
        reverse("results:report_edit", args=[world.draft_x.slug, report.year]),
        {
            "loaded_version": report.edit_version,
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "went_well": "Bra",
        },
    )
    return YearlyReport.objects.get(pk=report.pk).went_well == "Bra"


ROWS += [
    Row("yearly reports page", EDITORS_X, get_ok(editor_url("results:report_work_list"))),
    Row(
        "yearly report started",
        EDITORS_X,
        post_creates(
            editor_url("results:report_work_list"), lambda w: {"year": 2024}, _report_count
        ),
    ),
    Row("yearly report edit form", EDITORS_X, get_ok(_report_url("results:report_edit"))),
    Row("yearly report edited", EDITORS_X, post_report_edit),
    Row("yearly report finalise page", EDITORS_X, get_ok(_report_url("results:report_finalise"))),
    Row("yearly report delete page", EDITORS_X, get_ok(_report_url("results:report_delete"))),
]


# Consultation responses (issue 15): the editors of the plan's group.
def _response_x(world):
    """A response to a consultation of group X's draft (made inside the cell's savepoint)."""
    from consultation.models import ConsultationResponse
    from plans.models import Consultation

    today = timezone.localdate()
    consultation, _created = Consultation.objects.get_or_create(
        plan=world.draft_x,
        round=1,
        defaults={"started_on": today, "deadline": today + timedelta(days=30)},
    )
    response, _created = ConsultationResponse.objects.get_or_create(
        consultation=consultation,
        reference="H-MATRIX1",
        defaults={
            "kind": "person",
            "name": "Kari",
            "text": "Innspill",
            "attachment": SimpleUploadedFile("innspill.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    return response


def _response_url(name, *, pk=True):
    def url(world):
        response = _response_x(world)
        args = [world.draft_x.slug] + ([response.pk] if pk else [])
        return reverse(f"consultation:{name}", args=args)

    return url


def post_response_handled(client, world):
    response = _response_x(world)
    client.post(
        _response_url("response_handle")(world),
        {
            "loaded_version": response.edit_version,
            "publication": "withheld",
            "withheld_reason": "Personopplysninger",
            "assessment": "Vurdert.",
        },
    )
    response.refresh_from_db()
    return response.publication == "withheld"


def post_response_erased(client, world):
    response = _response_x(world)
    client.post(_response_url("response_erase")(world), {"confirm": "yes"})
    response.refresh_from_db()
    return response.contact_erased_at is not None


ROWS += [
    Row(
        "consultation responses of group X's plan",
        EDITORS_X,
        get_ok(_response_url("response_list", pk=False)),
    ),
    Row("consultation response page", EDITORS_X, get_ok(_response_url("response_handle"))),
    Row(
        "consultation invitations page",
        EDITORS_X,
        get_ok(lambda w: reverse("consultation:invitations", args=[w.draft_x.slug])),
    ),
    Row("consultation response handled", EDITORS_X, post_response_handled),
    Row("consultation respondent erased", EDITORS_X, post_response_erased),
    Row(
        "consultation response attachment",
        EDITORS_X,
        get_ok(_response_url("response_attachment")),
    ),
]


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_permission_matrix(row, role):
    world = build_world()
    got_in = row.check(client_for(world, role), world)
    expected = role in row.allowed
    assert got_in == expected, f"{role} on {row.name}: {'allowed' if got_in else 'refused'}"


# Each rule loosened the way a careless change would loosen it.
LOOSENINGS = {
    "every signed-in user edits every plan": (
        "can_edit_plan",
        lambda user, plan: bool(user.is_authenticated),
    ),
    "anybody signed in reads drafts": (
        "can_view_unpublished_plan",
        lambda user, plan: bool(user.is_authenticated),
    ),
    "editors register adoption": (
        "can_register_adoption",
        lambda user, plan: permissions.can_edit_plan(user, plan),
    ),
    "editors edit every process group": (
        "can_edit_group",
        lambda user, group: permissions.is_editor(user),
    ),
    "editors edit every analysis": (
        "can_edit_analysis",
        lambda user, analysis: permissions.is_editor(user),
    ),
    "anybody signed in reports on any measure": (
        "can_report_on_measure",
        lambda user, measure: bool(user.is_authenticated),
    ),
    "an editor edits the work of every group": (
        "editable_group_ids",
        lambda user: (
            set(ProcessGroup.objects.values_list("pk", flat=True))
            if permissions.has_role(user, permissions.ROLE_EDITOR)
            else set()
        ),
    ),
    "a signed-in user answers for every unit": (
        "unit_ids",
        lambda user: (
            set(Unit.objects.values_list("pk", flat=True)) if user.is_authenticated else set()
        ),
    ),
    "editors manage people": (
        "can_manage_people",
        lambda user: permissions.is_editor(user),
    ),
    "plan lists show every plan to editors": (
        "plans_editable_by",
        lambda user, queryset: queryset,
    ),
    "editors count as administrators": (
        "is_plan_admin",
        lambda user: (
            bool(user.is_authenticated)
            and (user.is_superuser or user.groups.filter(name__in=permissions.ROLES[:2]).exists())
        ),
    ),
}


def first_wrong_cell():
    """The first (row, role) whose outcome differs from the matrix, or None.

    One world for all cells; each cell runs in a savepoint that is rolled back, so a
    cell that writes (an edit, a status report) leaves the next one a clean world.
    """
    world = build_world()
    for row in ROWS:
        for role in ROLES:
            with transaction.atomic():
                got_in = row.check(client_for(world, role), world)
                transaction.set_rollback(True)
            if got_in != (role in row.allowed):
                return row.name, role
    return None


@pytest.mark.parametrize("loosening", LOOSENINGS, ids=str)
def test_loosening_any_rule_makes_the_matrix_fail(loosening, monkeypatch):
    """The matrix is only worth something if it notices a loosened rule."""
    name, looser = LOOSENINGS[loosening]
    monkeypatch.setattr(permissions, name, looser)
    assert first_wrong_cell() is not None, f"no cell noticed: {loosening}"


def test_anonymous_is_sent_to_login_from_working_pages():
    world = build_world()
    response = Client().get(reverse("measures:measure_edit", args=[world.measure_x.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_editors_do_not_see_names_of_other_groups_members():
    world = build_world()
    url = reverse("admin:organisation_processgroup_change", args=[world.group_y.pk])
    other = client_for(world, "editor_x").get(url, follow=True)
    assert "Ola Hemmelig" not in other.content.decode()
    own = client_for(world, "editor_y").get(url)
    assert "Ola Hemmelig" in own.content.decode()


def test_anonymous_never_sees_names():
    world = build_world()
    client = Client()
    pages = [
        world.published_y.get_absolute_url(),
        reverse("organisation:unit_detail", args=[world.unit_a.slug]),
        reverse("organisation:unit_detail", args=[world.unit_b.slug]),
        reverse("organisation:unit_list"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Kari Nordmann" not in body
        assert "Ola Hemmelig" not in body
