import pytest
from django.urls import reverse

from organisation.models import Membership
from plans.models import Plan
from tests.factories import (
    FocusAreaFactory,
    MeasureFactory,
    MembershipFactory,
    PlanFactory,
    PlanSectionFactory,
    published_plan,
)

pytestmark = pytest.mark.django_db


def test_front_page_and_list_show_exactly_the_two_adopted_heim_plans(client, heim):
    PlanFactory(title="Utkast til ny plan", slug="utkast-til-ny-plan")
    for url in ["/", "/planer/"]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Handlingsplan for forebygging av omsorgssvikt og atferdsvansker" in html
        assert "Handlingsplan mot vold i nære relasjoner" in html
        assert "Utkast til ny plan" not in html
    assert [p.slug for p in response.context["plans"]] == [
        p.slug for p in Plan.objects.public().order_by("title")
    ]
    assert len(response.context["plans"]) == 2


def test_plan_page_with_norwegian_slug(client, heim):
    response = client.get("/planer/handlingsplan-mot-vold-i-naere-relasjoner/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert "Helse- og omsorgstjenesteloven § 3-3a" in html
    assert "Kompetanseheving om vold i nære relasjoner" in html
    assert "Veileder NAV Heim" in html  # the group: roles and units
    assert "23. august 2023" in html


def test_plan_page_shows_roles_never_names(client, heim):
    # Made-up names in the seats: whoever holds a role, the page names only the role.
    Membership.objects.filter(role_title="Enhetsleder barneverntjenesten").update(
        person_name="Kari Testesen"
    )
    Membership.objects.filter(role_title="Enhetsleder helsestasjon").update(
        person_name="Ola Prøvesen"
    )
    html = client.get(
        "/planer/handlingsplan-for-forebygging-av-omsorgssvikt-og-atferdsvansker/"
    ).content.decode()
    assert "Enhetsleder barneverntjenesten" in html
    assert "Kari Testesen" not in html
    assert "Ola Prøvesen" not in html


def test_draft_is_404_for_anonymous_and_visible_to_editors(client, admin_client):
    draft = PlanFactory(title="Hemmelig utkast")
    PlanSectionFactory(plan=draft, title="Foreløpig tekst")
    url = reverse("plans:plan_detail", kwargs={"slug": draft.slug})
    assert client.get(url).status_code == 404
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Foreløpig tekst" in response.content.decode()


def test_unknown_and_malformed_slugs_are_404(client, heim):
    assert client.get("/planer/finnes-ikke/").status_code == 404
    assert client.get("/planer/nære/").status_code == 404
    assert client.get("/enheter/finnes-ikke/").status_code == 404


def test_404_page_is_norwegian_and_in_the_layout(client, db):
    response = client.get("/planer/finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Fant ikke siden" in html
    assert 'lang="nb"' in html


def test_measures_grouped_by_focus_area_with_unit_deadline_and_status(client):
    plan = PlanFactory()
    area = FocusAreaFactory(plan=plan, title="Tidlig innsats")
    MeasureFactory(plan=plan, focus_area=area, title="Foreldreveiledning", timing="Høsten 2024")
    from plans.services import plan_register_adoption

    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Tidlig innsats" in html
    assert "Foreldreveiledning" in html
    assert "Høsten 2024" in html
    assert "Ikke startet" in html


def test_unit_pages(client, heim):
    response = client.get("/enheter/")
    assert response.status_code == 200
    assert "Helsestasjon" in response.content.decode()
    response = client.get("/enheter/helsestasjon/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "OKS-gruppen" in html
    html = client.get("/enheter/toppledergruppen/").content.decode()
    assert "Kartlegging av status i enhetene" in html  # responsible for


def test_unit_page_hides_measures_of_unpublished_plans(client):
    measure = MeasureFactory(title="Tiltak i utkast")
    url = measure.responsible_unit.get_absolute_url()
    assert "Tiltak i utkast" not in client.get(url).content.decode()


def test_editor_sees_live_text_during_revision_public_sees_adopted(client, admin_client):
    plan = published_plan(measures=1)
    section = PlanSectionFactory(plan=plan, title="Ny tekst etter vedtak")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.REVISION)
    assert "Ny tekst etter vedtak" not in client.get(plan.get_absolute_url()).content.decode()
    assert section.title in admin_client.get(plan.get_absolute_url()).content.decode()


@pytest.mark.parametrize("measures", [5, 200])
def test_plan_page_query_count_is_flat(client, django_assert_max_num_queries, measures):
    plan = PlanFactory()
    MembershipFactory.create_batch(3, group=plan.process_group)
    areas = FocusAreaFactory.create_batch(4, plan=plan)
    for i in range(measures):
        MeasureFactory(plan=plan, focus_area=areas[i % 4])
    from plans.services import plan_register_adoption

    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    with django_assert_max_num_queries(6):
        response = client.get(plan.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("measures", [5, 200])
def test_live_plan_document_query_count_is_flat(
    admin_client, django_assert_max_num_queries, measures
):
    plan = PlanFactory()
    MembershipFactory.create_batch(3, group=plan.process_group)
    area = FocusAreaFactory(plan=plan)
    MeasureFactory.create_batch(measures, plan=plan, focus_area=area)
    # The same bound for 5 and 200 measures: flat. The editor's page also reads the goals,
    # indicators and the consultation of the working copy (23 queries today).
    with django_assert_max_num_queries(25):
        assert admin_client.get(plan.get_absolute_url()).status_code == 200
