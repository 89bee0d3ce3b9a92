import pytest
from django.core.management import call_command

from measures.models import Measure
from organisation.models import MandateItem, Membership, ProcessGroup, Unit
from plans.models import Adoption, Plan, PlanStepProgress, Reform
from stakeholders.models import Activity, ParticipationInput, Stakeholder

CHILD = "handlingsplan-for-forebygging-av-omsorgssvikt-og-atferdsvansker"
VIOLENCE = "handlingsplan-mot-vold-i-naere-relasjoner"

pytestmark = pytest.mark.django_db


def counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"organisation", "plans", "measures", "stakeholders"}
    }


def test_loads_both_adopted_plans_on_their_real_dates(heim):
    plans = {p.slug: p for p in Plan.objects.all()}
    assert set(plans) == {
        "handlingsplan-for-forebygging-av-omsorgssvikt-og-atferdsvansker",
        "handlingsplan-mot-vold-i-naere-relasjoner",
    }
    child = plans["handlingsplan-for-forebygging-av-omsorgssvikt-og-atferdsvansker"]
    violence = plans["handlingsplan-mot-vold-i-naere-relasjoner"]
    assert child.status == violence.status == Plan.Status.ADOPTED
    assert child.adoptions.get().meeting_date.isoformat() == "2023-09-28"
    assert violence.adoptions.get().meeting_date.isoformat() == "2023-08-23"
    for adoption in Adoption.objects.all():
        # The texts give the date only: no decision text, no case numbers.
        assert adoption.decision_text == ""
        assert adoption.meeting_case_number == adoption.archive_case_number == ""
        assert bytes(adoption.pdf).startswith(b"%PDF-")
    # Barnevernsloven § 15-1, which the text cites, has the kommunestyre adopt it.
    assert child.adoptions.get().body == Adoption.Body.MUNICIPAL_COUNCIL
    # For the violence plan the texts do not say who adopted it.
    assert violence.adoptions.get().body == Adoption.Body.NOT_STATED
    assert [str(b) for b in child.legal_bases.all()] == ["Barnevernsloven § 15-1"]
    assert {str(b) for b in violence.legal_bases.all()} == {
        "Helse- og omsorgstjenesteloven § 3-3a",
        "Krisesenterlova § 4",
    }


def test_an_adoption_by_an_unstated_body_reads_naturally(client, heim):
    """The violence plan's page and version say when it was adopted, not "by Not stated"."""
    page = client.get(f"/planer/{VIOLENCE}/").content.decode()
    assert "23. august 2023" in page
    assert "Ikke oppgitt" not in page
    assert "Vedtatt 23. august 2023" in page
    version = client.get(f"/planer/{VIOLENCE}/versjoner/1/").content.decode()
    assert "slik den ble vedtatt 23. august 2023" in version
    child = client.get(f"/planer/{CHILD}/versjoner/1/").content.decode()
    assert "slik den ble vedtatt av kommunestyret 28. september 2023" in child
    page = client.get(f"/planer/{CHILD}/").content.decode()
    assert "Vedtatt av kommunestyret 28. september 2023" in page


def test_plan_text_comes_from_the_seed_texts(heim):
    child = Plan.objects.get(slug="handlingsplan-for-forebygging-av-omsorgssvikt-og-atferdsvansker")
    background = child.sections.get(title="Bakgrunn for planen").body
    assert "Trøndelagsmodellen for folkehelsearbeid" in background
    assert "laget rundt barnet" in background
    assert "Se den her" not in background  # the lost link is not pretended
    way_forward = child.sections.get(title="Veien videre").body
    assert "formidling av planens innhold til enhetsledere" in way_forward
    violence = Plan.objects.get(slug="handlingsplan-mot-vold-i-naere-relasjoner")
    assert violence.sections.filter(title="Fokus på forebygging, avdekking og avverging").exists()
    assert violence.links.get().url == "https://dinutvei.no/vold-i-naere-relasjoner/"
    assert {r.name for r in child.reforms.all()} == {
        "Oppvekstreformen",
        "Kompetanseløftet for spesialpedagogikk og inkluderende praksis",
    }


def test_groups_mandate_and_members(heim):
    oks = ProcessGroup.objects.get(name="OKS-gruppen")
    assert oks.established_by == "Toppledergruppen"
    roles = list(oks.memberships.values_list("role_title", flat=True))
    assert roles == [
        "Rådgiver oppvekst",
        "Enhetsleder PPT",
        "Kommunepsykolog",
        "Enhetsleder helsestasjon",
        "Enhetsleder barneverntjenesten",
        "Enhetsleder Bakkelyenheten",
        "Folkehelsekoordinator",
    ]
    assert oks.established_on is None  # "I juni 2021": no day
    assert "juni 2021" in oks.purpose
    assert not Membership.objects.exclude(person_name="").exists()
    items = list(oks.mandate_items.all())
    assert len(items) == 6
    assert items[0].text.startswith("Lage en informasjonsstrategi")
    dated = MandateItem.objects.get(deadline__isnull=False)
    assert dated.deadline.isoformat() == "2022-02-01"
    # Done where the texts say so (the strategy exists, the campaign was run);
    # "not recorded" where they are silent; no completion dates.
    assert [item.status for item in items] == [
        MandateItem.Status.DONE,
        MandateItem.Status.DONE,
        MandateItem.Status.NOT_RECORDED,
        MandateItem.Status.NOT_RECORDED,
        MandateItem.Status.NOT_RECORDED,
        MandateItem.Status.NOT_RECORDED,
    ]
    assert dated.status == MandateItem.Status.NOT_RECORDED
    assert not dated.is_overdue()  # past its deadline, but nobody knows it is unfinished
    assert all(item.completed_on is None for item in items)
    violence_group = ProcessGroup.objects.get(kind=ProcessGroup.Kind.WORKING_GROUP)
    assert "Veileder NAV Heim" in violence_group.memberships.values_list("role_title", flat=True)
    assert (
        Membership.objects.get(group=violence_group, role_title="Veileder NAV Heim").unit.name
        == "NAV Heim"
    )


def test_units_councils_and_partners(heim):
    names = set(Unit.objects.values_list("name", flat=True))
    for expected in [
        "Barneverntjenesten",
        "Helsestasjon",
        "PPT",
        "Sodin skole",
        "Familiens hus",
        "Bakkelyenheten",
        "NAV Heim",
        "Heim eldreråd",
        "Heim ungdomsråd",
        "Kommunalt råd for personer med nedsatt funksjonsevne",
        "Politiet",
        "Krisesenteret",
        "RVTS",
    ]:
        assert expected in names
    assert Unit.objects.get(name="PPT").parent.name == "Familiens hus"


def test_measures_the_texts_describe(heim):
    titles = set(Measure.objects.values_list("title", flat=True))
    assert "Informasjonsvideo om reformene" in titles
    assert "Kompetanseheving om vold i nære relasjoner" in titles
    assert (
        Measure.objects.filter(title="Formidling av planens innhold til enhetsledere").count() == 2
    )
    video = Measure.objects.get(title="Informasjonsvideo om reformene")
    # The plan page: "det ble produsert en video"; no year is given.
    assert video.status == Measure.Status.COMPLETED
    assert video.status_reports.count() == 1
    assert "2022" not in video.timing
    # The texts name no responsible role, partner, target group or prevention level
    # for these measures (only the formidling is "til enhetsledere").
    for measure in Measure.objects.all():
        assert measure.responsible_role == ""
        assert measure.prevention_level == ""
        assert measure.deadline is None and measure.start_date is None
        assert not measure.partner_units.exists()
        assert measure.responsible_unit.name == "Toppledergruppen"
        groups = set(measure.target_groups.values_list("name", flat=True))
        expected = {"Enhetsledere"} if measure.title.startswith("Formidling") else set()
        assert groups == expected, measure.title
    statuses = dict(Measure.objects.filter(plan__slug=VIOLENCE).values_list("title", "status"))
    assert statuses == {
        "Kompetanseheving om vold i nære relasjoner": "in_progress",
        "Formidling av planens innhold til enhetsledere": "in_progress",
        "Realisering av nye tiltak mot vold i nære relasjoner": "in_progress",
        "Kartlegging med enhetene": "completed",
    }


def test_stakeholder_work(heim):
    assert Stakeholder.objects.filter(role=Stakeholder.Role.TARGET_GROUP, name="Foreldre").exists()
    assert Stakeholder.objects.filter(name="Politiet", role=Stakeholder.Role.ACTOR).exists()
    # "den kommende filmen": no text says when it was done, so no done date.
    video = Activity.objects.get(channel=Activity.Channel.VIDEO)
    assert not video.is_done and video.completed_on is None
    assert "den kommende filmen" in video.timing
    assert video.responsible_unit is None and not video.stakeholders.exists()
    assert not Activity.objects.filter(completed_on__isnull=False).exists()
    sources = set(ParticipationInput.objects.values_list("source", flat=True))
    assert {"Heim eldreråd", "Heim ungdomsråd", "Politiet", "Krisesenteret", "RVTS"} <= sources
    # The violence plan's page does not say which measures the councils' input or the
    # dialogue with police, crisis centre and RVTS shaped: no links.
    for participation in ParticipationInput.objects.filter(plan__slug=VIOLENCE):
        assert not participation.measures.exists(), participation.source
    # The child welfare plan's: input "brukt til blant annet utforming av tiltak i planen".
    child_input = ParticipationInput.objects.get(plan__slug=CHILD)
    assert child_input.source == "Medvirkningsprosesser"
    assert list(child_input.measures.values_list("title", flat=True)) == [
        "Realisering av nye tiltak i planen"
    ]


def test_no_invented_dates(heim):
    assert not Reform.objects.filter(in_force_from__isnull=False).exists()  # "I 2022"
    progress = PlanStepProgress.objects.filter(plan__slug=CHILD)
    assert progress.count() == 4
    assert not progress.filter(completed_on__isnull=False).exists()
    assert not ProcessGroup.objects.filter(established_on__isnull=False).exists()


def test_only_a_plan_with_a_working_model_gets_step_rows(heim):
    """The violence plan follows no working model: no Trøndelagsmodellen steps for it."""
    violence = Plan.objects.get(slug=VIOLENCE)
    assert violence.working_model is None
    assert not PlanStepProgress.objects.filter(plan=violence).exists()
    for progress in PlanStepProgress.objects.select_related("plan", "step"):
        assert progress.step.model_id == progress.plan.working_model_id


def test_running_twice_changes_nothing(heim):
    before = counts()
    from simple_history.models import registered_models

    history_before = sum(
        m.history.count() for m in registered_models.values() if hasattr(m, "history")
    )
    call_command("load_heim", verbosity=0)
    assert counts() == before
    history_after = sum(
        m.history.count() for m in registered_models.values() if hasattr(m, "history")
    )
    assert history_after == history_before
