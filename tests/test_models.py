import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from core.text import slugify_nb
from plans.models import Plan
from stakeholders.models import StakeholderAnalysis
from tests.factories import (
    FocusAreaFactory,
    MandateItemFactory,
    MeasureFactory,
    PlanFactory,
    StakeholderFactory,
)


def test_slugify_transliterates_norwegian_letters():
    assert slugify_nb("Handlingsplan mot vold i nære relasjoner") == (
        "handlingsplan-mot-vold-i-naere-relasjoner"
    )
    assert (
        slugify_nb("Økonomi og årshjul for Bakkelyenheten")
        == "okonomi-og-arshjul-for-bakkelyenheten"
    )
    assert slugify_nb("ÆØÅ") == "aeoa"


def test_slugify_keeps_year_ranges():
    assert slugify_nb("Handlingsplan for rusforebygging 2027–2030") == (
        "handlingsplan-for-rusforebygging-2027-2030"
    )
    assert slugify_nb("Plan 2024 — 2027") == "plan-2024-2027"


@pytest.mark.django_db
def test_measure_focus_area_must_belong_to_the_same_plan():
    measure = MeasureFactory()
    measure.focus_area = FocusAreaFactory()  # another plan's area
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "focus_area" in error.value.message_dict


@pytest.mark.django_db
def test_measure_deadline_cannot_precede_start():
    from datetime import date

    measure = MeasureFactory.build(start_date=date(2024, 5, 1), deadline=date(2024, 1, 1))
    with pytest.raises(ValidationError):
        measure.clean()


@pytest.mark.django_db
def test_plan_period_end_before_start_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        PlanFactory(period_start=2026, period_end=2024)


@pytest.mark.django_db
def test_new_plan_is_a_draft_and_not_public():
    plan = PlanFactory()
    assert plan.status == Plan.Status.DRAFT
    assert not plan.is_public
    assert list(Plan.objects.public()) == []


@pytest.mark.django_db
def test_analysis_must_belong_to_a_plan_or_a_group():
    analysis = StakeholderAnalysis(title="Uten eier")
    with pytest.raises(ValidationError):
        analysis.clean()
    with pytest.raises(IntegrityError):
        analysis.save()


@pytest.mark.django_db
def test_stakeholder_degrees_stay_on_the_four_step_scale():
    stakeholder = StakeholderFactory.build(interest=5)
    with pytest.raises(ValidationError):
        stakeholder.full_clean(exclude=["analysis"])


@pytest.mark.django_db
def test_mandate_item_is_overdue_only_when_open_and_past_deadline():
    from datetime import date

    item = MandateItemFactory(deadline=date(2022, 2, 1))
    assert item.is_overdue(today=date(2022, 3, 1))
    assert not item.is_overdue(today=date(2022, 1, 1))
    item.status = item.Status.DONE
    assert not item.is_overdue(today=date(2022, 3, 1))
