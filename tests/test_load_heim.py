import pytest
from django.core.management import call_command

from measures.models import Measure
from organisation.models import MandateItem, Membership, ProcessGroup, Unit
from plans.models import Plan
from stakeholders.models import Activity, ParticipationInput, Stakeholder

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
    assert [str(b) for b in child.legal_bases.all()] == ["Barnevernsloven § 15-1"]
    assert {str(b) for b in violence.legal_bases.all()} == {
        "Helse- og omsorgstjenesteloven § 3-3a",
        "Krisesenterlova § 4",
    }


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
    items = list(oks.mandate_items.all())
    assert len(items) == 6
    assert items[0].text.startswith("Lage en informasjonsstrategi")
    dated = MandateItem.objects.get(deadline__isnull=False)
    assert dated.deadline.isoformat() == "2022-02-01"
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
    assert video.status == Measure.Status.COMPLETED
    assert video.status_reports.count() == 1


def test_stakeholder_work(heim):
    assert Stakeholder.objects.filter(role=Stakeholder.Role.TARGET_GROUP, name="Foreldre").exists()
    assert Stakeholder.objects.filter(name="Politiet", role=Stakeholder.Role.ACTOR).exists()
    assert Activity.objects.filter(
        channel=Activity.Channel.VIDEO, completed_on__isnull=False
    ).exists()
    sources = set(ParticipationInput.objects.values_list("source", flat=True))
    assert {"Heim eldreråd", "Heim ungdomsråd", "Politiet", "Krisesenteret", "RVTS"} <= sources
    assert ParticipationInput.objects.get(source="Heim ungdomsråd").measures.exists()


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
