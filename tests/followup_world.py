"""A small world for follow-up tests: two units, two groups, plans in both, one user per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group

from organisation.permissions import ROLE_ADMINISTRATOR, ROLE_EDITOR, ROLE_MEASURE_OWNER
from tests.factories import (
    FocusAreaFactory,
    MandateItemFactory,
    MeasureFactory,
    MembershipFactory,
    PlanFactory,
    PlanSectionFactory,
    ProcessGroupFactory,
    StakeholderAnalysisFactory,
    UnitFactory,
    UserFactory,
)

PASSWORD = "correct horse battery staple"


def user_with_role(username: str, role: str | None, **kwargs):
    user = UserFactory(username=username, is_staff=role is not None, **kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@dataclass
class World:
    unit_a: object
    unit_b: object
    group_x: object
    group_y: object
    draft_x: object
    draft_y: object
    published_y: object
    measure_x: object
    measure_y: object
    measure_pub: object
    section_x: object
    section_y: object
    analysis_x: object
    owner_a: object
    editor_x: object
    editor_y: object
    admin: object


def build_world() -> World:
    unit_a = UnitFactory(name="Helsestasjon", slug="helsestasjon")
    unit_b = UnitFactory(name="PPT", slug="ppt")
    group_x = ProcessGroupFactory(name="OKS-gruppen", slug="oks-gruppen")
    group_y = ProcessGroupFactory(name="Arbeidsgruppe vold", slug="arbeidsgruppe-vold")

    owner_a = user_with_role("leder-helsestasjon", ROLE_MEASURE_OWNER)
    unit_a.contacts.add(owner_a)
    editor_x = user_with_role("redaktor-oks", ROLE_EDITOR)
    MembershipFactory(group=group_x, unit=unit_a, user=editor_x, person_name="Kari Nordmann")
    editor_y = user_with_role("redaktor-vold", ROLE_EDITOR)
    group_y.editors.add(editor_y)
    MembershipFactory(group=group_y, unit=unit_b, person_name="Ola Hemmelig")
    admin = user_with_role("planadmin", ROLE_ADMINISTRATOR)

    draft_x = PlanFactory(title="Utkast OKS", slug="utkast-oks", process_group=group_x)
    area_x = FocusAreaFactory(plan=draft_x)
    measure_x = MeasureFactory(plan=draft_x, focus_area=area_x, responsible_unit=unit_a)
    section_x = PlanSectionFactory(plan=draft_x, title="Forord")
    draft_y = PlanFactory(title="Utkast vold", slug="utkast-vold", process_group=group_y)
    measure_y = MeasureFactory(plan=draft_y, responsible_unit=unit_b)
    section_y = PlanSectionFactory(plan=draft_y, title="Bakgrunn")
    # A published plan of group Y with a measure of unit A.
    published_y = PlanFactory(title="Vedtatt vold", slug="vedtatt-vold", process_group=group_y)
    measure_pub = MeasureFactory(plan=published_y, responsible_unit=unit_a)
    from plans.services import plan_register_adoption

    plan_register_adoption(actor=None, plan=published_y, meeting_date=published_y.created_at.date())
    published_y.refresh_from_db()
    MandateItemFactory(group=group_x)
    analysis_x = StakeholderAnalysisFactory(process_group=group_x)
    return World(
        unit_a=unit_a,
        unit_b=unit_b,
        group_x=group_x,
        group_y=group_y,
        draft_x=draft_x,
        draft_y=draft_y,
        published_y=published_y,
        measure_x=measure_x,
        measure_y=measure_y,
        measure_pub=measure_pub,
        section_x=section_x,
        section_y=section_y,
        analysis_x=analysis_x,
        owner_a=owner_a,
        editor_x=editor_x,
        editor_y=editor_y,
        admin=admin,
    )
