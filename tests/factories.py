"""Factories that keep related rows in one plan (a measure's focus area is its plan's)."""

import factory
from django.contrib.auth import get_user_model
from django.db.models import Max

from measures.models import FocusArea, Measure, StatusReport, TargetGroup
from organisation.models import MandateItem, Membership, ProcessGroup, Unit
from plans.models import Adoption, LegalBasis, Plan, PlanSection, Reform
from stakeholders.models import (
    Activity,
    ParticipationInput,
    Stakeholder,
    StakeholderAnalysis,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("correct horse battery staple")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Enhet {n}")
    slug = factory.Sequence(lambda n: f"enhet-{n}")
    kind = Unit.Kind.UNIT


class ProcessGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessGroup

    name = factory.Sequence(lambda n: f"Prosessgruppe {n}")
    slug = factory.Sequence(lambda n: f"prosessgruppe-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(ProcessGroupFactory)
    role_title = "Enhetsleder"
    unit = factory.SubFactory(UnitFactory)


class MandateItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MandateItem

    group = factory.SubFactory(ProcessGroupFactory)
    text = factory.Sequence(lambda n: f"Mandatpunkt {n}")


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasis

    law = "Barnevernsloven"
    section = factory.Sequence(lambda n: f"§ {n}")


class ReformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reform

    name = factory.Sequence(lambda n: f"Reform {n}")
    slug = factory.Sequence(lambda n: f"reform-{n}")


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft plan. Use ``published_plan()`` for one the public may read."""

    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Handlingsplan {n}")
    slug = factory.Sequence(lambda n: f"handlingsplan-{n}")
    summary = "Planens formål."
    process_group = factory.SubFactory(ProcessGroupFactory)


class PlanSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanSection

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Kapittel {n}")
    body = "Tekst i *kapittelet*."


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Innsatsområde {n}")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    name = factory.Sequence(lambda n: f"Målgruppe {n}")
    slug = factory.Sequence(lambda n: f"malgruppe-{n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    # The focus area always belongs to the measure's own plan.
    focus_area = factory.SubFactory(FocusAreaFactory, plan=factory.SelfAttribute("..plan"))
    title = factory.Sequence(lambda n: f"Tiltak {n}")
    description = "Hva tiltaket går ut på."
    responsible_unit = factory.SubFactory(UnitFactory)


class StatusReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusReport

    measure = factory.SubFactory(MeasureFactory)
    status = Measure.Status.IN_PROGRESS
    text = "Godt i gang."


class AdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adoption

    plan = factory.SubFactory(PlanFactory)
    version_number = factory.Sequence(lambda n: n + 1)
    meeting_date = factory.Faker("past_date")


class StakeholderAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderAnalysis

    title = factory.Sequence(lambda n: f"Interessentanalyse {n}")
    process_group = factory.SubFactory(ProcessGroupFactory)


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    analysis = factory.SubFactory(StakeholderAnalysisFactory)
    name = factory.Sequence(lambda n: f"Interessent {n}")
    role = Stakeholder.Role.TARGET_GROUP
    # Numbered as the service numbers them: the analysis's next number.
    number = factory.LazyAttribute(
        lambda o: (
            (o.analysis.stakeholders.aggregate(m=Max("number"))["m"] or 0) + 1
            if o.analysis.pk
            else 1
        )
    )


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    analysis = factory.SubFactory(StakeholderAnalysisFactory)
    kind = Activity.Kind.INFORMATION
    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    channel = Activity.Channel.MEETING


class ParticipationInputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipationInput

    plan = factory.SubFactory(PlanFactory)
    source = factory.Sequence(lambda n: f"Råd {n}")
    summary = "Innspill."


def published_plan(measures: int = 1, **kwargs) -> Plan:
    """A plan adopted through the lifecycle service, with ``measures`` measures."""
    from plans.services import plan_register_adoption

    plan = PlanFactory(**kwargs)
    area = FocusAreaFactory(plan=plan)
    for _ in range(measures):
        MeasureFactory(plan=plan, focus_area=area)
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    plan.refresh_from_db()
    return plan
