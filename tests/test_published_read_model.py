"""The published read model follows the lifecycle, and only through publishing events."""

import pytest
from django.core.management import call_command

from measures.models import Measure
from plans.models import Plan, PublishedMeasure, PublishedPlan
from plans.services import plan_register_adoption, plan_retire, plan_start_revision
from search.models import SearchEntry
from tests.factories import MeasureFactory, UnitFactory
from tests.lifecycle_helpers import plan_with_content

pytestmark = pytest.mark.django_db


def _index():
    return sorted(SearchEntry.objects.values_list("plan_id", "kind", "title", "body", "url"))


def test_the_read_model_follows_adoption_revision_and_retirement():
    unit = UnitFactory()
    plan = plan_with_content(measures=2)
    Measure.objects.filter(plan=plan).update(responsible_unit=unit)
    assert not PublishedPlan.objects.exists()  # a draft is never published

    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    published = PublishedPlan.objects.get(plan=plan)
    assert (published.version_number, published.measure_count) == (1, 2)
    assert PublishedMeasure.objects.filter(responsible_unit=unit).count() == 2

    plan_start_revision(actor=None, plan=plan)
    MeasureFactory(plan=plan, title="Nytt i revisjonen", responsible_unit=unit)
    Plan.objects.filter(pk=plan.pk).update(title="Nytt navn i revisjonen")
    call_command("republish", verbosity=0)
    published.refresh_from_db()
    assert published.status == Plan.Status.REVISION
    assert published.version_number == 1 and published.title != "Nytt navn i revisjonen"
    assert PublishedMeasure.objects.count() == 2

    plan.refresh_from_db()
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    published.refresh_from_db()
    assert (published.version_number, published.measure_count) == (2, 3)
    assert published.title == "Nytt navn i revisjonen"
    assert PublishedMeasure.objects.filter(responsible_unit=unit).count() == 3

    plan_retire(actor=None, plan=plan)
    published.refresh_from_db()
    assert published.is_retired


def test_the_index_after_many_events_equals_a_full_rebuild():
    first, second = plan_with_content(measures=3), plan_with_content(measures=1)
    plan_register_adoption(actor=None, plan=first, meeting_date=first.created_at.date())
    plan_register_adoption(actor=None, plan=second, meeting_date=second.created_at.date())
    plan_start_revision(actor=None, plan=first)
    first.refresh_from_db()
    plan_register_adoption(actor=None, plan=first, meeting_date=first.created_at.date())
    plan_retire(actor=None, plan=second)
    incremental = _index()
    call_command("rebuild_search_index", verbosity=0)
    assert _index() == incremental
    assert {row[0] for row in incremental} == {first.pk, second.pk}
